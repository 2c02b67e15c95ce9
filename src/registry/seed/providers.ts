/** The seeder's scales, smallest first (a provider appears from its `from` scale upwards). */
export const SCALE_NAMES = ['tiny', 'demo', 'town', 'vinnytsia'] as const;
export type ScaleName = (typeof SCALE_NAMES)[number];

/**
 * How the synthetic city's premises are split among providers. Each group is chosen once per
 * building (heat, water, waste…) or per premise (gas and electricity supply: a household may
 * switch supplier), weighted by `weight` among the group's providers present at that scale.
 */
export type ProviderGroup =
  | 'gas_supply'
  | 'gas_distribution'
  | 'electricity'
  | 'water'
  | 'heat'
  | 'waste'
  | 'intercom'
  | 'parking'
  | 'management'
  | 'osbb';


export interface ProviderTemplate {
  key: string;
  name: string;
  shortName: string;
  group: ProviderGroup;
  weight: number;
  from: ScaleName;
  /** The provider's own account number for its n-th customer premise (each provider numbers differently). */
  accountNumber(n: number): string;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

// Names follow the pattern of real Ukrainian utilities but belong to no real company: the data is
// synthetic, and every name says so.
const SYNTHETIC = ' (синтетичні дані)';

const t = (
  key: string,
  shortName: string,
  group: ProviderGroup,
  weight: number,
  from: ScaleName,
  accountNumber: (n: number) => string,
): ProviderTemplate => ({ key, name: shortName + SYNTHETIC, shortName, group, weight, from, accountNumber });

export const PROVIDER_TEMPLATES: readonly ProviderTemplate[] = [
  t('gas-supply', 'ТОВ «Подільська газопостачальна компанія»', 'gas_supply', 80, 'tiny', (n) => `05${pad(n * 7 + 100003, 8)}`),
  t('gas-national', 'ТОВ «Газова енергетична компанія «Поділля»»', 'gas_supply', 17, 'demo', (n) => pad(n + 300000000000, 12)),
  t('gas-energozbut', 'ТОВ «Енергозбут-Газ»', 'gas_supply', 3, 'vinnytsia', (n) => `ЕГ-${pad(n, 7)}`),
  t('gas-distribution', 'АТ «Оператор газорозподільної системи «Поділля»»', 'gas_distribution', 1, 'tiny', (n) => `0500${pad(n * 3 + 11, 7)}`),
  t('electricity', 'ТОВ «Подільська обласна енергопостачальна компанія»', 'electricity', 85, 'tiny', (n) => pad(n * 13 + 4000017, 9)),
  t('electricity-east', 'ТОВ «Енергозбут-Поділля»', 'electricity', 10, 'town', (n) => `EP${pad(n, 8)}`),
  t('electricity-utility', 'ТОВ «Ютіліті Енерго Поділля»', 'electricity', 5, 'vinnytsia', (n) => `UEP/${pad(n, 6)}`),
  t('water', 'КП «Міськводоканал»', 'water', 1, 'tiny', (n) => pad(n + 100000, 7)),
  t('heat', 'КП «Міськтеплоенерго»', 'heat', 80, 'tiny', (n) => `T${pad(n * 2 + 1, 7)}`),
  t('heat-south', 'ТОВ «Теплова компанія «Південна»»', 'heat', 20, 'town', (n) => `ТКП-${pad(n, 6)}`),
  t('waste', 'КП «Спецкомунтранс»', 'waste', 70, 'tiny', (n) => `СКТ${pad(n, 7)}`),
  t('waste-eco', 'ТОВ «Екосервіс Поділля»', 'waste', 30, 'demo', (n) => `ECO-${pad(n, 6)}`),
  t('intercom', 'ТОВ «Домофон-Сервіс»', 'intercom', 40, 'tiny', (n) => `Д${pad(n, 6)}`),
  t('intercom-plus', 'ТОВ «Інтерком Плюс»', 'intercom', 30, 'demo', (n) => `IP${pad(n, 6)}`),
  t('intercom-smart', 'ТОВ «Розумний під’їзд»', 'intercom', 20, 'town', (n) => pad(n + 7000000, 8)),
  t('intercom-key', 'ТОВ «Ключ-Безпека»', 'intercom', 10, 'vinnytsia', (n) => `KB-${pad(n, 6)}`),
  t('parking', 'КП «Паркінг-Сервіс»', 'parking', 70, 'tiny', (n) => `P${pad(n, 5)}`),
  t('parking-centre', 'ТОВ «Автостоянка «Центральна»»', 'parking', 30, 'vinnytsia', (n) => `АЦ${pad(n, 5)}`),
  t('mgmt-municipal', 'КП «Житлокомсервіс»', 'management', 30, 'tiny', (n) => `ЖКС-${pad(n, 6)}`),
  t('mgmt-comfort', 'ТОВ «Управляюча компанія «Комфортний дім»»', 'management', 20, 'demo', (n) => `КД${pad(n, 6)}`),
  t('mgmt-cozy', 'ТОВ «Управляюча компанія «Затишне місто»»', 'management', 15, 'demo', (n) => pad(n + 20000000, 8)),
  t('mgmt-podillia', 'ТОВ «Житлосервіс-Поділля»', 'management', 10, 'town', (n) => `ЖП/${pad(n, 6)}`),
  t('mgmt-zamostia', 'ТОВ «Управляюча компанія «Замостя»»', 'management', 10, 'town', (n) => `З-${pad(n, 7)}`),
  t('mgmt-vyshenka', 'ТОВ «Управляюча компанія «Вишенька»»', 'management', 5, 'vinnytsia', (n) => `V${pad(n, 7)}`),
  t('mgmt-old-town', 'ТОВ «Управляюча компанія «Старе місто»»', 'management', 5, 'vinnytsia', (n) => `СМ${pad(n, 6)}`),
  t('mgmt-tiazhyliv', 'ТОВ «Управляюча компанія «Тяжилів»»', 'management', 3, 'vinnytsia', (n) => `ТЖ-${pad(n, 5)}`),
  t('mgmt-dim', 'ТОВ «Поділля-Дім»', 'management', 2, 'vinnytsia', (n) => `PD${pad(n, 7)}`),
];

/** An ОСББ's own numbering: the flat's number inside its building. */
export const osbbAccountNumber = (n: number) => `ОСББ-${pad(n, 4)}`;

/** Real bank codes (МФО) of large Ukrainian banks; the account part of each IBAN is random. */
export const BANK_CODES = ['305299', '300465', '322001', '380805', '300528', '351005', '320478', '380775'];
