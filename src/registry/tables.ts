import type { ColumnType, Generated } from 'kysely';

/** A bigint identity: read as number (see db/index.ts), optional on insert. */
export type Id = Generated<number>;
/** numeric columns travel as strings so that no precision is lost. */
export type Numeric = ColumnType<string, string | number, string | number>;
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
// Optional on insert: json columns either have a default or are nullable.
export type Json<T = unknown> = ColumnType<T, string | T | undefined, string | T>;

export interface RegistryTables {
  community: {
    community_id: number;
    name: string;
    katottg: string;
    settings: Json<Record<string, unknown>>;
    created_at: Timestamp;
  };
  street: {
    community_id: number;
    street_id: Id;
    type: string;
    name: string;
    name_key: string;
    translit_key: string;
    former_names: ColumnType<string[], string[] | undefined, string[]>;
    postal_code: string | null;
  };
  street_alias: {
    community_id: number;
    alias_key: string;
    street_id: number;
    source: 'former' | 'variant' | 'operator';
  };
  building: {
    community_id: number;
    building_id: Id;
    street_id: number;
    number: number;
    letter: string | null;
    fraction: string | null;
    block: string | null;
    house_key: string;
    postal_code: string | null;
    total_area: Numeric | null;
    floors: number | null;
    management: ColumnType<'osbb' | 'company' | 'none', 'osbb' | 'company' | 'none' | undefined>;
    management_name: string | null;
  };
  premise: {
    community_id: number;
    premise_id: Id;
    building_id: number;
    number: string | null;
    apartment_key: ColumnType<string, string | undefined>;
    kind: ColumnType<'residential' | 'non_residential', 'residential' | 'non_residential' | undefined>;
    total_area: Numeric | null;
    heated_area: Numeric | null;
    rooms: number | null;
  };
  person: {
    community_id: number;
    person_id: Id;
    last_name: string;
    first_name: string;
    patronymic: string | null;
    rnokpp: string | null;
    phone: string | null;
    email: string | null;
  };
  registration: {
    community_id: number;
    registration_id: Id;
    person_id: number;
    premise_id: number;
    registered_from: string;
    registered_to: string | null;
  };
  provider: {
    community_id: number;
    provider_id: Id;
    edrpou: string;
    iban: string;
    name: string;
    short_name: string | null;
    phone: string | null;
    email: string | null;
    address: string | null;
    created_at: Timestamp;
  };
  service: {
    community_id: number;
    service_id: Id;
    code: string;
    name_uk: string;
    name_en: string;
    unit: string;
    metered: ColumnType<boolean, boolean | undefined>;
    sort_order: ColumnType<number, number | undefined>;
  };
  account: {
    community_id: number;
    account_id: Id;
    provider_id: number;
    premise_id: number;
    service_id: number;
    number: string;
    opened_on: string;
    closed_on: string | null;
  };
  unified_account: {
    community_id: number;
    premise_id: number;
    number: string;
    created_at: Timestamp;
  };
  app_user: {
    community_id: number;
    user_id: Id;
    login: string;
    password_hash: string;
    role: 'admin' | 'operator' | 'provider' | 'city' | 'resident';
    provider_id: number | null;
    display_name: string;
    disabled: ColumnType<boolean, boolean | undefined>;
    created_at: Timestamp;
    last_sign_in_at: ColumnType<Date | null, Date | null | undefined>;
  };
  user_premise: {
    community_id: number;
    user_id: number;
    premise_id: number;
    /** The portal (src/portal): the resident who proved the link holds it; invited ones do not. */
    holder: ColumnType<boolean, boolean | undefined, boolean>;
  };
  user_session: {
    community_id: number;
    token_hash: string;
    user_id: number;
    csrf_token: string;
    created_at: Timestamp;
    expires_at: Timestamp;
  };
  audit_log: {
    community_id: number;
    audit_id: Id;
    at: Timestamp;
    user_id: number | null;
    action: string;
    entity: string;
    entity_id: string | null;
    before: Json | null;
    after: Json | null;
  };
}
