// The registry as the API returns it (src/registry/routes.ts). Areas are decimal strings.

export type Management = 'osbb' | 'company' | 'none';
export type PremiseKind = 'residential' | 'non_residential';

export interface AddressHit {
  kind: 'street' | 'building' | 'premise';
  score: number;
  streetId: number;
  streetType: string;
  streetName: string;
  /** Found by one of the street's former names (many streets were renamed). */
  byFormerName: boolean;
  buildingId: number | null;
  houseKey: string | null;
  premiseId: number | null;
  apartment: string | null;
  unifiedAccount: string | null;
  postalCode: string | null;
  address: string;
}

export interface AddressSearchResult {
  parsed: { streetName: string; streetType: string | null; houseKey: string | null; apartment: string | null } | null;
  items: AddressHit[];
}

export interface BuildingPremise {
  premiseId: number;
  number: string | null;
  kind: PremiseKind;
  totalArea: string | null;
  rooms: number | null;
  unifiedAccount: string | null;
  accountCount: number;
}

export interface Building {
  buildingId: number;
  streetId: number;
  streetType: string;
  streetName: string;
  number: number;
  letter: string | null;
  fraction: string | null;
  block: string | null;
  address: string;
  postalCode: string | null;
  totalArea: string | null;
  floors: number | null;
  management: Management;
  managementName: string | null;
  premises: BuildingPremise[];
}

export interface PremiseAccount {
  accountId: number;
  number: string;
  provider: { providerId: number; name: string; shortName: string | null; edrpou: string };
  service: { serviceId: number; code: string; nameUk: string; nameEn: string };
  openedOn: string;
  closedOn: string | null;
  open: boolean;
}

export interface Premise {
  premiseId: number;
  buildingId: number;
  number: string | null;
  address: string;
  postalCode: string | null;
  kind: PremiseKind;
  totalArea: string | null;
  heatedArea: string | null;
  rooms: number | null;
  /** Persons registered on any day of `period` (the current month). */
  registeredPersons: number;
  period: string;
  unifiedAccount: string | null;
  accounts: PremiseAccount[];
}

export interface Provider {
  providerId: number;
  name: string;
  shortName: string | null;
  edrpou: string;
  iban: string;
  phone: string | null;
  email: string | null;
  address: string | null;
}

export interface Service {
  serviceId: number;
  code: string;
  nameUk: string;
  nameEn: string;
  unit: string;
  metered: boolean;
  sortOrder: number;
}
