/**
 * A small town for the billing tests, every figure chosen so that the charges can be worked by
 * hand (see billing-scenario.test.ts for the arithmetic).
 *
 * Building 1 (Соборна 1), with a cold-water building meter shared by area:
 *   premise 1: 50 m², heated 50, 2 persons (person 1 has a 50 % cold-water benefit)
 *   premise 2: 70 m², heated 70, 3 persons (person 3 has a 100 % heating benefit)
 *   premise 3: 80 m², heated 0 (disconnected), 1 person
 * Building 2 (Соборна 2), heating by the building meter (20 Gcal), common area 40 m², k = 0.5:
 *   premise 4: 50/50, premise 5: 50/50, premise 6: 100 m² total, 0 heated; 1 person each
 */
import { execSql, type DatabaseHandle, type Db } from '../../src/db/index';
import { JobQueue } from '../../src/jobs/queue';
import { registerBillingJobs } from '../../src/billing/jobs';
import { createTestDatabase } from '../helpers/db';

export const C = 1;
export const OCT = '2026-10-01';
export const NOV = '2026-11-01';

/** Service ids. */
export const S = { cold: 1, electricity: 2, heating: 3, management: 4, waste: 5, intercom: 6, gasDistribution: 7, parking: 8 } as const;

/** Account ids: a<premise>_<service>. */
export const A = {
  p1Cold: 11,
  p2Cold: 12,
  p3Cold: 13,
  p1Electricity: 21,
  p2Electricity: 22,
  p3Electricity: 23,
  p1Heating: 31,
  p2Heating: 32,
  p3Heating: 33,
  p4Heating: 34,
  p5Heating: 35,
  p6Heating: 36,
  p1Management: 41,
  p2Management: 42,
  p3Management: 43,
  p1Waste: 51,
  p2Waste: 52,
  p3Waste: 53,
  p1Intercom: 61,
  p1IntercomSecond: 62,
  p2GasDistribution: 71,
  p3Parking: 81,
} as const;

/** A fresh test database holding the town, and a job queue that runs billing's jobs. */
export async function openBillingTown(): Promise<{ h: DatabaseHandle; jobs: JobQueue }> {
  const h = await createTestDatabase();
  await createBillingFixture(h.db);
  const jobs = new JobQueue(h);
  registerBillingJobs(jobs);
  return { h, jobs };
}

export async function createBillingFixture(db: Db): Promise<void> {
  await execSql(
    db,
    `
insert into community (community_id, name, katottg) values (1, 'Тестова громада', 'UA05020030000031457');
insert into street (community_id, street_id, type, name, name_key, translit_key) values (1, 1, 'вулиця', 'Соборна', 'соборна', 'soborna');
insert into building (community_id, building_id, street_id, number, house_key) values (1, 1, 1, 1, '1'), (1, 2, 1, 2, '2');
insert into premise (community_id, premise_id, building_id, number, apartment_key, total_area, heated_area) values
  (1, 1, 1, '1', '1', 50, 50), (1, 2, 1, '2', '2', 70, 70), (1, 3, 1, '3', '3', 80, 0),
  (1, 4, 2, '1', '1', 50, 50), (1, 5, 2, '2', '2', 50, 50), (1, 6, 2, '3', '3', 100, 0);
insert into person (community_id, person_id, last_name, first_name) values
  (1, 1, 'Коваль', 'Олена'), (1, 2, 'Коваль', 'Петро'),
  (1, 3, 'Мельник', 'Іван'), (1, 4, 'Мельник', 'Ганна'), (1, 5, 'Мельник', 'Остап'),
  (1, 6, 'Шевчук', 'Марія'), (1, 7, 'Бондар', 'Ольга'), (1, 8, 'Ткач', 'Юрій'), (1, 9, 'Лисенко', 'Ніна'),
  (1, 10, 'Гнатюк', 'Віра');
insert into registration (community_id, person_id, premise_id, registered_from, registered_to) values
  (1, 1, 1, '2000-01-01', null), (1, 2, 1, '2000-01-01', null),
  (1, 3, 2, '2000-01-01', null), (1, 4, 2, '2000-01-01', null), (1, 5, 2, '2000-01-01', null),
  (1, 6, 3, '2000-01-01', null), (1, 7, 4, '2000-01-01', null), (1, 8, 5, '2000-01-01', null), (1, 9, 6, '2000-01-01', null),
  -- moved out of premise 3 before October: not counted
  (1, 10, 3, '2000-01-01', '2026-09-15');
insert into provider (community_id, provider_id, edrpou, iban, name) values
  (1, 1, '32855961', 'UA213223130000026007233566001', 'Водоканал'),
  (1, 2, '00130694', 'UA213223130000026007233566002', 'Енергозбут'),
  (1, 3, '03341316', 'UA213223130000026007233566003', 'Теплоенерго'),
  (1, 4, '34765112', 'UA213223130000026007233566004', 'Житлосервіс');
insert into service (community_id, service_id, code, name_uk, name_en, unit, metered, sort_order) values
  (1, 1, 'cold_water', 'Холодна вода', 'Cold water', 'м³', true, 10),
  (1, 2, 'electricity', 'Електроенергія', 'Electricity', 'кВт·год', true, 20),
  (1, 3, 'heating', 'Опалення', 'Heating', 'м²', false, 30),
  (1, 4, 'building_management', 'Управління будинком', 'Building management', 'м²', false, 40),
  (1, 5, 'waste', 'Вивезення відходів', 'Waste', 'особа', false, 50),
  (1, 6, 'intercom', 'Домофон', 'Intercom', 'квартира', false, 60),
  (1, 7, 'gas_distribution', 'Розподіл газу', 'Gas distribution', 'м³', false, 70),
  (1, 8, 'parking', 'Паркування', 'Parking', 'місце', false, 80);
insert into account (community_id, account_id, provider_id, premise_id, service_id, number, opened_on) values
  (1, 11, 1, 1, 1, 'В-1', '2020-01-01'), (1, 12, 1, 2, 1, 'В-2', '2020-01-01'), (1, 13, 1, 3, 1, 'В-3', '2020-01-01'),
  (1, 21, 2, 1, 2, 'Е-1', '2020-01-01'), (1, 22, 2, 2, 2, 'Е-2', '2020-01-01'), (1, 23, 2, 3, 2, 'Е-3', '2020-01-01'),
  (1, 31, 3, 1, 3, 'Т-1', '2020-01-01'), (1, 32, 3, 2, 3, 'Т-2', '2020-01-01'), (1, 33, 3, 3, 3, 'Т-3', '2020-01-01'),
  (1, 34, 3, 4, 3, 'Т-4', '2020-01-01'), (1, 35, 3, 5, 3, 'Т-5', '2020-01-01'), (1, 36, 3, 6, 3, 'Т-6', '2020-01-01'),
  (1, 41, 4, 1, 4, 'Ж-1', '2020-01-01'), (1, 42, 4, 2, 4, 'Ж-2', '2020-01-01'), (1, 43, 4, 3, 4, 'Ж-3', '2020-01-01'),
  (1, 51, 4, 1, 5, 'О-1', '2020-01-01'), (1, 52, 4, 2, 5, 'О-2', '2020-01-01'), (1, 53, 4, 3, 5, 'О-3', '2020-01-01'),
  (1, 61, 4, 1, 6, 'Д-1', '2020-01-01'), (1, 62, 4, 1, 6, 'Д-1а', '2020-01-01'),
  (1, 71, 4, 2, 7, 'Г-2', '2020-01-01'),
  (1, 81, 4, 3, 8, 'П-3', '2020-01-01');
select setval(pg_get_serial_sequence('account', 'account_id'), 100);
insert into account_billing (community_id, account_id, consumer_category, annual_capacity) values
  (1, 23, 'electric_heating', null), (1, 71, null, 1340);

-- Tariffs. An old cold-water price that ended in September must not be used.
insert into tariff (community_id, tariff_id, provider_id, service_id, building_id, consumer_category, method, price, unit,
                    zone_coefficients, norm_per_person, subscriber_fee, social_norm_per_person, social_norm_per_household, valid_from, valid_to) values
  (1, 1, 1, 1, null, null, 'metered', 25.00, 'м³', null, 4.6, null, 2, null, '2025-01-01', '2026-09-30'),
  (1, 2, 1, 1, null, null, 'metered', 29.988, 'м³', null, 4.6, null, 2, null, '2026-10-01', null),
  (1, 3, 2, 2, null, null, 'metered', 4.32, 'кВт·год', '{1, 0.5}', null, null, null, null, '2026-01-01', null),
  (1, 4, 2, 2, null, 'electric_heating', 'metered', 4.32, 'кВт·год', null, null, null, null, null, '2026-01-01', null),
  (1, 5, 3, 3, null, null, 'area_heated', 40.6, 'м²', null, null, null, 21, 10.5, '2026-01-01', null),
  (1, 6, 3, 3, 2, null, 'heat_distribution', 100, 'Гкал', null, null, null, null, null, '2026-01-01', null),
  (1, 7, 4, 4, null, null, 'area_total', 5.75, 'м²', null, null, null, null, null, '2026-01-01', null),
  (1, 8, 4, 5, null, null, 'per_person', 47.80, 'особа', null, null, 6.14, null, null, '2026-01-01', null),
  (1, 9, 4, 6, null, null, 'fixed_premise', 25, 'квартира', null, null, null, null, null, '2026-01-01', null),
  (1, 10, 4, 7, null, null, 'capacity', 1.79, 'м³', null, null, null, null, null, '2026-01-01', null),
  (1, 11, 4, 8, null, null, 'fixed_account', 350, 'місце', null, null, null, null, null, '2026-01-01', null);
select setval(pg_get_serial_sequence('tariff', 'tariff_id'), 100);
insert into tariff_tier (community_id, tariff_id, volume_from, volume_to, price) values
  (1, 4, 0, 2000, 2.64), (1, 4, 2000, null, 4.32);
insert into building_distribution (community_id, building_id, service_id, basis, common_area, common_area_coefficient) values
  (1, 1, 1, 'area', 0, 1), (1, 2, 3, 'area', 40, 0.5);

-- Benefits and subsidies.
insert into benefit_grant (community_id, person_id, premise_id, service_id, category, percent, valid_from) values
  (1, 1, 1, 1, 'ветеран праці', 50, '2020-01-01'),
  (1, 3, 2, 3, 'особа з інвалідністю I групи', 100, '2020-01-01');
insert into subsidy_award (community_id, account_id, monthly_amount, mode, valid_from, valid_to) values
  (1, 32, 84512, 'credited', '2026-10-01', '2027-04-30'),
  (1, 42, 10000, 'monetised', '2026-10-01', '2027-04-30');
insert into recalculation_request (community_id, account_id, period, days, reason) values
  (1, 13, '2026-10-01', 12, 'Відсутність з 10 по 21 жовтня (довідка)');

-- Meters: cold water in premises 1 and 2 (2's verification expired), a building meter; electricity.
insert into meter (community_id, meter_id, kind, premise_id, building_id, service_id, serial, zones, installed_on, verified_until) values
  (1, 1, 'individual', 1, 1, 1, 'CW-1', 1, '2020-01-01', '2030-01-01'),
  (1, 2, 'individual', 2, 1, 1, 'CW-2', 1, '2020-01-01', '2026-06-01'),
  (1, 3, 'building', null, 1, 1, 'CW-B1', 1, '2020-01-01', '2030-01-01'),
  (1, 4, 'individual', 1, 1, 2, 'EL-1', 2, '2020-01-01', '2030-01-01'),
  (1, 5, 'individual', 3, 1, 2, 'EL-3', 1, '2020-01-01', '2030-01-01'),
  (1, 6, 'building', null, 2, 3, 'HT-B2', 1, '2020-01-01', '2030-01-01');
select setval(pg_get_serial_sequence('meter', 'meter_id'), 100);
insert into meter_consumption (community_id, period, meter_id, premise_id, building_id, service_id, zone, volume, estimated, verification_expired) values
  (1, '2026-10-01', 1, 1, 1, 1, 1, 9, false, false),
  (1, '2026-10-01', 2, 2, 1, 1, 1, 5, false, true),
  (1, '2026-10-01', 3, null, 1, 1, 1, 26, false, false),
  (1, '2026-10-01', 4, 1, 1, 2, 1, 150, false, false),
  (1, '2026-10-01', 4, 1, 1, 2, 2, 90, false, false),
  (1, '2026-10-01', 5, 3, 1, 2, 1, 2500, false, false),
  (1, '2026-10-01', 6, null, 2, 3, 1, 20, false, false),
  (1, '2026-11-01', 1, 1, 1, 1, 1, 11, true, false);

-- Before the platform: an imported debt of 1,000.00 on premise 1's cold water (September).
insert into ledger_entry (community_id, account_id, period, kind, amount, source) values
  (1, 11, '2026-09-01', 'opening_balance', 100000, 'import');
`,
  );
}

/** The run's lines of one account, as [kind, method, zone, amount]. */
export async function linesOf(db: Db, runId: number, accountId: number) {
  const rows = await db
    .selectFrom('charge_line')
    .select(['kind', 'method', 'zone', 'amount', 'volume'])
    .where('community_id', '=', C)
    .where('billing_run_id', '=', runId)
    .where('account_id', '=', accountId)
    .orderBy('kind')
    .orderBy('method')
    .orderBy('zone')
    .execute();
  return rows.map((r) => [r.kind, r.method, r.zone, r.amount]);
}
