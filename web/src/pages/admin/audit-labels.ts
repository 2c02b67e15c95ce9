import type { Bilingual } from '../../i18n';

/** What the audit log's action codes mean, in words (a code not listed is shown as it is). */
export const AUDIT_ACTIONS: Record<string, Bilingual> = {
  create: { uk: 'створено', en: 'created' },
  update: { uk: 'змінено', en: 'changed' },
  delete: { uk: 'видалено', en: 'deleted' },
  close: { uk: 'закрито', en: 'closed' },
  start: { uk: 'запущено', en: 'started' },
  discard: { uk: 'скасовано', en: 'discarded' },
  set_first_period: { uk: 'встановлено перший період', en: 'first period set' },
  'import.apply': { uk: 'імпорт записано', en: 'import applied' },
  install_meter: { uk: 'встановлено лічильник', en: 'meter installed' },
  retire_meter: { uk: 'знято лічильник', en: 'meter retired' },
  meter_status: { uk: 'змінено стан лічильника', en: 'meter status changed' },
  upsert_meters: { uk: 'лічильники з файлу', en: 'meters from a file' },
  submit_readings: { uk: 'передано показники', en: 'readings submitted' },
  reset_password: { uk: 'скинуто пароль', en: 'password reset' },
  lockout: { uk: 'вхід заблоковано', en: 'sign-in locked' },
  unlock: { uk: 'вхід розблоковано', en: 'sign-in unlocked' },
  issue_key: { uk: 'видано ключ', en: 'key issued' },
  invite: { uk: 'запрошено', en: 'invited' },
  link: { uk: 'приєднано', en: 'linked' },
  unlink: { uk: 'від’єднано', en: 'unlinked' },
  link_failed: { uk: 'невдала спроба приєднання', en: 'failed link attempt' },
};

/** What the audit log's entity codes are, in words. */
export const AUDIT_ENTITIES: Record<string, Bilingual> = {
  app_user: { uk: 'користувач', en: 'user' },
  approved_tariff: { uk: 'затверджений тариф', en: 'approved tariff' },
  benefit_grant: { uk: 'пільга', en: 'benefit' },
  bill_delivery: { uk: 'доставка рахунку', en: 'bill delivery' },
  bill_notice: { uk: 'оголошення на рахунку', en: 'notice on bills' },
  billing_period: { uk: 'період нарахування', en: 'billing period' },
  billing_run: { uk: 'нарахування', en: 'billing run' },
  billing_settings: { uk: 'налаштування нарахувань', en: 'billing settings' },
  community: { uk: 'громада', en: 'community' },
  data_import: { uk: 'імпорт даних', en: 'data import' },
  ledger_entry: { uk: 'запис особового рахунку', en: 'ledger entry' },
  meter: { uk: 'лічильник', en: 'meter' },
  meter_reading: { uk: 'показник', en: 'reading' },
  payment_agent: { uk: 'платіжний агент', en: 'payment agent' },
  provider: { uk: 'постачальник', en: 'provider' },
  recalculation_request: { uk: 'заявка на перерахунок', en: 'recalculation request' },
  service: { uk: 'послуга', en: 'service' },
  sign_in: { uk: 'вхід', en: 'sign-in' },
  subsidy_award: { uk: 'субсидія', en: 'subsidy' },
  tariff: { uk: 'тариф', en: 'tariff' },
  user_premise: { uk: 'приміщення користувача', en: "user's premise" },
};

/** The fields whose values differ between the row before and after (top level; order of `after`). */
export function changedFields(before: unknown, after: unknown): string[] {
  const b = (before && typeof before === 'object' ? before : {}) as Record<string, unknown>;
  const a = (after && typeof after === 'object' ? after : {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return keys.filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}
