/**
 * Records for the access matrix, beside the billing town (community 1): the matrix provider user
 * works for provider 1 (Водоканал, cold water on premises 1–3), the resident lives in premise 1.
 * Community 2 holds one of everything, each name carrying FOREIGN_MARKER so that a leak shows.
 */
import type { IdKind } from '../../src/server/access-rules';
import { makeUnifiedAccountNumber } from '../../src/shared/identifiers';

export type IdCase = 'self' | 'otherPremise' | 'otherProvider' | 'otherCommunity';

export const FOREIGN_MARKER = 'ЧУЖА-ГРОМАДА';

const ID = { job: 500, import: 500, run: 500, reading: 500 };
const FOREIGN = 200;

/** The ids of each kind in each case (path and query parameters take them from here). */
export function idsOf(idCase: IdCase): Record<IdKind, string | number> {
  switch (idCase) {
    case 'self':
      return { premise: 1, building: 1, account: 11, provider: 1, service: 1, meter: 1, unified: makeUnifiedAccountNumber(1), job: ID.job, import: ID.import, run: ID.run, reading: ID.reading, period: '2026-10-01' };
    case 'otherPremise':
      return { premise: 4, building: 2, account: 34, provider: 1, service: 1, meter: 7, unified: makeUnifiedAccountNumber(4), job: ID.job + 1, import: ID.import, run: ID.run, reading: ID.reading + 1, period: '2026-10-01' };
    case 'otherProvider':
      return { premise: 4, building: 2, account: 21, provider: 2, service: 2, meter: 4, unified: makeUnifiedAccountNumber(4), job: ID.job + 1, import: ID.import, run: ID.run, reading: ID.reading + 2, period: '2026-10-01' };
    case 'otherCommunity':
      return { premise: FOREIGN, building: FOREIGN, account: FOREIGN, provider: FOREIGN, service: FOREIGN, meter: FOREIGN, unified: makeUnifiedAccountNumber(FOREIGN), job: FOREIGN, import: FOREIGN, run: FOREIGN, reading: FOREIGN, period: '2026-10-01' };
  }
}

export function accessFixtureSql(providerUserId: number): string {
  const m = FOREIGN_MARKER;
  return `
-- Cold water on premise 4, where Водоканал has no account.
insert into meter (community_id, meter_id, kind, premise_id, building_id, service_id, serial, zones, installed_on, verified_until) values
  (1, 7, 'individual', 4, 2, 1, 'CW-4', 1, '2020-01-01', '2030-01-01');
insert into unified_account (community_id, premise_id, number) values
  (1, 1, '${makeUnifiedAccountNumber(1)}'), (1, 4, '${makeUnifiedAccountNumber(4)}');
insert into job (community_id, job_id, kind, status, created_by) values
  (1, ${ID.job}, 'billing_run', 'succeeded', ${providerUserId}), (1, ${ID.job + 1}, 'billing_run', 'succeeded', null);
insert into data_import (community_id, import_id, provider_id, kind, file_name, file_hash, file_bytes, settings, status) values
  (1, ${ID.import}, 1, 'accounts', 'accounts.csv', 'h1', 10, '{}', 'staged');
insert into billing_period (community_id, period, status) values (1, '2026-10-01', 'open') on conflict do nothing;
insert into billing_run (community_id, billing_run_id, period, status) values (1, ${ID.run}, '2026-10-01', 'calculated');
insert into meter_reading (community_id, reading_id, meter_id, read_on, period, value1, channel, status, reason_code) values
  (1, ${ID.reading}, 1, '2026-10-25', '2026-10-01', 100, 'provider_file', 'needs_review', 'jump'),
  (1, ${ID.reading + 1}, 7, '2026-10-25', '2026-10-01', 100, 'provider_file', 'needs_review', 'jump'),
  (1, ${ID.reading + 2}, 4, '2026-10-25', '2026-10-01', 100, 'provider_file', 'needs_review', 'jump');

insert into community (community_id, name, katottg) values (2, 'Громада ${m}', 'UA05020030000031458');
insert into street (community_id, street_id, type, name, name_key, translit_key) values (2, ${FOREIGN}, 'вулиця', 'Соборна ${m}', 'соборна', 'soborna');
insert into building (community_id, building_id, street_id, number, house_key) values (2, ${FOREIGN}, ${FOREIGN}, 1, '1');
insert into premise (community_id, premise_id, building_id, number, apartment_key, total_area, heated_area) values (2, ${FOREIGN}, ${FOREIGN}, '1', '1', 50, 50);
insert into unified_account (community_id, premise_id, number) values (2, ${FOREIGN}, '${makeUnifiedAccountNumber(FOREIGN)}');
insert into provider (community_id, provider_id, edrpou, iban, name) values (2, ${FOREIGN}, '32855961', 'UA213223130000026007233566001', 'Водоканал ${m}');
insert into service (community_id, service_id, code, name_uk, name_en, unit, metered, sort_order) values (2, ${FOREIGN}, 'cold_water', 'Вода ${m}', 'Water ${m}', 'м³', true, 10);
insert into account (community_id, account_id, provider_id, premise_id, service_id, number, opened_on) values (2, ${FOREIGN}, ${FOREIGN}, ${FOREIGN}, ${FOREIGN}, 'В-${m}', '2020-01-01');
insert into meter (community_id, meter_id, kind, premise_id, building_id, service_id, serial, zones, installed_on, verified_until) values
  (2, ${FOREIGN}, 'individual', ${FOREIGN}, ${FOREIGN}, ${FOREIGN}, 'CW-${m}', 1, '2020-01-01', '2030-01-01');
insert into meter_reading (community_id, reading_id, meter_id, read_on, period, value1, channel, status, external_ref, reason_code) values
  (2, ${FOREIGN}, ${FOREIGN}, '2026-10-25', '2026-10-01', 100, 'provider_file', 'needs_review', '${m}', 'jump');
insert into job (community_id, job_id, kind, status, message) values (2, ${FOREIGN}, 'billing_run', 'succeeded', '${m}');
insert into data_import (community_id, import_id, provider_id, kind, file_name, file_hash, file_bytes, settings, status) values
  (2, ${FOREIGN}, ${FOREIGN}, 'accounts', '${m}.csv', 'h2', 10, '{}', 'staged');
insert into billing_period (community_id, period, status) values (2, '2026-10-01', 'open');
insert into billing_run (community_id, billing_run_id, period, status) values (2, ${FOREIGN}, '2026-10-01', 'calculated');
`;
}
