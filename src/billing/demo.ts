/**
 * Demo tariffs: every service of the community's catalogue gets a tariff for every provider that
 * has accounts for it, so a seeded city can be billed at once. Prices follow domain.md (2026
 * figures) and vary a little between providers of the same service, as they do in life.
 * Idempotent: a provider and service that already have a tariff are left alone.
 */
import { sql } from 'kysely';
import type { Db } from '../db/index';
import type { TariffMethod } from './tables';
import type { Period } from '../shared/period';
import { closePeriod, finishRun, runRemainingSteps, scopeOf, startRun } from './run';

interface DemoRule {
  method: TariffMethod;
  price: string;
  unit: string;
  /** Added per provider (ordinal 0, 1, 2…) so that competing providers differ. */
  step?: string;
  normPerPerson?: string;
  subscriberFee?: string;
  socialNormPerPerson?: string;
  socialNormPerHousehold?: string;
  zoneCoefficients?: string[];
}

/** By service code; a code not listed gets a fixed monthly fee of 30.00. */
const RULES: Record<string, DemoRule> = {
  gas_supply: { method: 'metered', price: '7.95689', unit: 'м³', step: '0.1', normPerPerson: '3.28', socialNormPerPerson: '3.28' },
  gas_distribution: { method: 'capacity', price: '1.79', unit: 'м³ на рік' },
  electricity: { method: 'metered', price: '4.32', unit: 'кВт·год', zoneCoefficients: ['1', '0.5'] },
  cold_water: { method: 'metered', price: '29.988', unit: 'м³', normPerPerson: '4.6', socialNormPerPerson: '2' },
  sewerage: { method: 'metered', price: '21.708', unit: 'м³', normPerPerson: '6.2', socialNormPerPerson: '3.6' },
  heating: { method: 'area_heated', price: '40.6', unit: 'м² опалюваної площі', step: '1.5', socialNormPerPerson: '21', socialNormPerHousehold: '10.5' },
  hot_water: { method: 'metered', price: '99.94', unit: 'м³', step: '2', normPerPerson: '1.6', socialNormPerPerson: '1.6' },
  building_management: { method: 'area_total', price: '4.40', unit: 'м² загальної площі', step: '0.35' },
  osbb_dues: { method: 'area_total', price: '5.20', unit: 'м² загальної площі', step: '0.25' },
  waste: { method: 'per_person', price: '47.80', unit: 'особа', step: '1.2', subscriberFee: '6.14' },
  intercom: { method: 'fixed_premise', price: '25.00', unit: 'квартира', step: '3' },
  parking: { method: 'fixed_account', price: '350.00', unit: 'місце', step: '50' },
};

/** Electric heating households (about one in twenty premises): the first 2,000 kWh at 2.64. */
const ELECTRIC_HEATING_CATEGORY = 'electric_heating';

/** The city decision the demo's approved tariffs cite. */
export const DEMO_DECISION = '№ 1/2026';

export async function seedDemoTariffs(db: Db, communityId: number, validFrom = '2026-01-01'): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const pairs = await sql<{ provider_id: number; service_id: number; code: string; ordinal: number }>`
select x.provider_id, x.service_id, s.code,
       (row_number() over (partition by x.service_id order by x.provider_id) - 1)::int as ordinal
  from (select distinct provider_id, service_id from account where community_id = ${communityId}) x
  join service s on s.community_id = ${communityId} and s.service_id = x.service_id
 where not exists (select 1 from tariff t where t.community_id = ${communityId}
                     and t.provider_id = x.provider_id and t.service_id = x.service_id)
 order by x.service_id, x.provider_id`.execute(trx);
    let created = 0;
    for (const p of pairs.rows) {
      const rule = RULES[p.code] ?? { method: 'fixed_account', price: '30.00', unit: 'місяць' };
      const price = (Number(rule.price) + Number(rule.step ?? 0) * p.ordinal).toFixed(6);
      await trx
        .insertInto('tariff')
        .values({
          community_id: communityId,
          provider_id: p.provider_id,
          service_id: p.service_id,
          method: rule.method,
          price,
          unit: rule.unit,
          zone_coefficients: rule.zoneCoefficients ?? null,
          norm_per_person: rule.normPerPerson ?? null,
          subscriber_fee: rule.subscriberFee ?? null,
          social_norm_per_person: rule.socialNormPerPerson ?? null,
          social_norm_per_household: rule.socialNormPerHousehold ?? null,
          valid_from: validFrom,
          note: 'Демо-тариф / demo tariff',
        })
        .execute();
      created++;
      if (p.code === 'electricity') {
        const heating = await trx
          .insertInto('tariff')
          .values({
            community_id: communityId,
            provider_id: p.provider_id,
            service_id: p.service_id,
            consumer_category: ELECTRIC_HEATING_CATEGORY,
            method: 'metered',
            price,
            unit: rule.unit,
            valid_from: validFrom,
            note: 'Електроопалення: перші 2000 кВт·год за 2,64 / electric heating',
          })
          .returning('tariff_id')
          .executeTakeFirstOrThrow();
        await trx
          .insertInto('tariff_tier')
          .values([
            { community_id: communityId, tariff_id: heating.tariff_id, volume_from: 0, volume_to: 2000, price: '2.64' },
            { community_id: communityId, tariff_id: heating.tariff_id, volume_from: 2000, volume_to: null, price },
          ])
          .execute();
        created++;
      }
    }
    // The city's register: the approved price of each service is its first provider's. The decision
    // is a document's number, which reads the same in either language (no «uk / en» pair in one field).
    await sql`
insert into approved_tariff (community_id, service_id, provider_id, price, valid_from, decision)
select t.community_id, t.service_id, t.provider_id, t.price, t.valid_from, ${DEMO_DECISION}
  from tariff t
 where t.community_id = ${communityId} and t.consumer_category is null and t.building_id is null
   and not exists (select 1 from approved_tariff a where a.community_id = t.community_id
                     and a.service_id = t.service_id and a.provider_id = t.provider_id)`.execute(trx);
    // Contracted gas capacity (m³ a year) for gas distribution accounts, and the electric-heating
    // category for every twentieth electricity account: what a provider's file would bring.
    await sql`
insert into account_billing (community_id, account_id, annual_capacity)
select a.community_id, a.account_id, round(300 + coalesce(pr.total_area, 40) * 12)
  from account a
  join service s on s.community_id = a.community_id and s.service_id = a.service_id and s.code = 'gas_distribution'
  join premise pr on pr.community_id = a.community_id and pr.premise_id = a.premise_id
 where a.community_id = ${communityId}
on conflict (community_id, account_id) do nothing`.execute(trx);
    await sql`
insert into account_billing (community_id, account_id, consumer_category)
select a.community_id, a.account_id, ${ELECTRIC_HEATING_CATEGORY}
  from account a
  join service s on s.community_id = a.community_id and s.service_id = a.service_id and s.code = 'electricity'
 where a.community_id = ${communityId} and a.account_id % 20 = 7
on conflict (community_id, account_id) do nothing`.execute(trx);
    await sql`insert into billing_settings (community_id) values (${communityId}) on conflict do nothing`.execute(trx);
    return created;
  });
}

/**
 * The demo city's first month: `period` (last month on a first start) is run from the seeded
 * tariffs and meter readings and closed, the way an operator would on the billing page, so that
 * statements, account cards and bills have a month to show on the first visit. The close also
 * fixes the community's first billing period. Returns the lines calculated and posted.
 */
export async function runDemoMonth(db: Db, communityId: number, period: Period): Promise<{ lines: number; posted: number }> {
  const billingRunId = await startRun(db, communityId, period);
  const lines = await runRemainingSteps(db, scopeOf(communityId, billingRunId, period), undefined, { refreshConsumption: true });
  await finishRun(db, communityId, billingRunId, period, lines);
  const { posted } = await closePeriod(db, communityId, period);
  return { lines, posted };
}
