/**
 * The services the seeded bill carries (issue 2, item 3), in the order they are printed.
 * A community adds its own services later; these are only the defaults of the synthetic city.
 */
export interface CatalogueService {
  code: ServiceCode;
  nameUk: string;
  nameEn: string;
  unit: string;
  metered: boolean;
  sortOrder: number;
}

export type ServiceCode =
  | 'gas_supply'
  | 'gas_distribution'
  | 'electricity'
  | 'cold_water'
  | 'sewerage'
  | 'heating'
  | 'hot_water'
  | 'building_management'
  | 'osbb_dues'
  | 'waste'
  | 'intercom'
  | 'parking';

export const SERVICE_CATALOGUE: readonly CatalogueService[] = [
  { code: 'gas_supply', nameUk: 'Постачання природного газу', nameEn: 'Natural gas supply', unit: 'м³', metered: true, sortOrder: 10 },
  { code: 'gas_distribution', nameUk: 'Розподіл природного газу', nameEn: 'Gas distribution', unit: 'м³ (річна потужність)', metered: false, sortOrder: 20 },
  { code: 'electricity', nameUk: 'Електроенергія', nameEn: 'Electricity', unit: 'кВт·год', metered: true, sortOrder: 30 },
  { code: 'cold_water', nameUk: 'Холодне водопостачання', nameEn: 'Cold water', unit: 'м³', metered: true, sortOrder: 40 },
  { code: 'sewerage', nameUk: 'Водовідведення', nameEn: 'Sewerage', unit: 'м³', metered: true, sortOrder: 50 },
  { code: 'heating', nameUk: 'Постачання теплової енергії', nameEn: 'Heating', unit: 'Гкал', metered: true, sortOrder: 60 },
  { code: 'hot_water', nameUk: 'Постачання гарячої води', nameEn: 'Hot water', unit: 'м³', metered: true, sortOrder: 70 },
  { code: 'building_management', nameUk: 'Управління багатоквартирним будинком', nameEn: 'Building management', unit: 'м²', metered: false, sortOrder: 80 },
  { code: 'osbb_dues', nameUk: 'Внески ОСББ', nameEn: 'Condominium (OSBB) dues', unit: 'м²', metered: false, sortOrder: 90 },
  { code: 'waste', nameUk: 'Вивезення побутових відходів', nameEn: 'Waste collection', unit: 'особа', metered: false, sortOrder: 100 },
  { code: 'intercom', nameUk: 'Обслуговування домофона', nameEn: 'Intercom', unit: 'квартира', metered: false, sortOrder: 110 },
  { code: 'parking', nameUk: 'Паркування', nameEn: 'Parking', unit: 'місце', metered: false, sortOrder: 120 },
];
