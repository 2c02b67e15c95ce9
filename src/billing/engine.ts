/**
 * The billing engine: a run is a handful of INSERT…SELECT statements into charge_line, one per
 * group of methods, each over every account of the community at once (no per-account round trip).
 * Each statement is the set-based twin of a pure function in ./methods, with the same order of
 * operations (multiply, divide once, round once half up); tests/integration/billing-properties.test.ts
 * checks them line by line against each other.
 */
import { sql, type RawBuilder } from 'kysely';
import type { DbOrTx } from '../db/index';

export interface RunScope {
  communityId: number;
  billingRunId: number;
  /** 'YYYY-MM-01' */
  period: string;
  periodEnd: string;
  previousPeriod: string;
  daysInPeriod: number;
  /** Whether any tariff is scoped to a building / a consumer category (else those joins are skipped). */
  buildingTariffs?: boolean;
  categoryTariffs?: boolean;
  /** Only premises (penalties: accounts) with this id % 2: a big step split in two halves run side by side. */
  premiseParity?: 0 | 1;
}

const parity = (s: RunScope, column: RawBuilder<unknown>) =>
  s.premiseParity === undefined ? sql`` : sql`and ${column} % 2 = ${s.premiseParity}`;

export interface PenaltyScope {
  ratePerDay: string;
  /** Days of the period on which the previous period's bill is overdue. */
  overdueDaysOfLastBill: number;
  /** The mark of the previous period's ledger snapshot, when the close wrote one (src/billing/snapshot.ts). */
  snapshotEntryId?: number | null;
}

const INSERT_LINE = sql`insert into charge_line
  (community_id, billing_run_id, account_id, period, kind, method, zone, amount, volume, tariff, tariff_id, estimated)`;

/**
 * The big steps whose lines come out of hash joins in no order (volume, penalties) sort them by
 * account before inserting: the run's index on charge_line (community, run, account) then takes
 * them at its right end rather than all over, as it takes a COPY in account order (measured: a
 * volume half 4.2 → 3.4 s, a penalty half 4.9 → 4.0 s). The other steps read accounts in order.
 */
const IN_ACCOUNT_ORDER = sql`order by account_id`;

/**
 * Tariffs in force on the first day of the period (the latest valid_from wins within one scope),
 * and the accounts open during the period whose tariff has one of `methods`: a building-specific
 * tariff beats a consumer-category one, which beats the general one. Accounts are reached from
 * their tariffs through the (provider, service) index, so each statement reads only its accounts.
 */
function accountsWithTariffs(
  s: RunScope,
  methods: readonly string[],
  needs: { premise?: boolean; billing?: boolean } = {},
): RawBuilder<unknown> {
  // Two branches: accounts under a plain tariff (general, nothing more specific exists) join
  // only what the method needs; accounts where a building or category tariff may apply join
  // premise and settings to decide. On a million accounts every join not needed is seconds.
  const branch = (plain: boolean) => {
    const premise = needs.premise || (!plain && s.buildingTariffs !== false);
    const billing = needs.billing || (!plain && s.categoryTariffs !== false);
    const columns = sql`a.account_id, a.service_id, a.premise_id,
         ${premise ? sql`pr.building_id, pr.total_area, pr.heated_area` : sql`null::bigint as building_id, null::numeric as total_area, null::numeric as heated_area`},
         ${billing ? sql`ab.annual_capacity` : sql`null::numeric as annual_capacity`},
         t.tariff_id, t.method, t.price, t.zone_coefficients, t.norm_per_person, t.subscriber_fee, t.tiered`;
    const from = sql`from eff t
    join account a on a.community_id = ${s.communityId} and a.provider_id = t.provider_id and a.service_id = t.service_id
    ${premise ? sql`join premise pr on pr.community_id = a.community_id and pr.premise_id = a.premise_id` : sql``}
    ${billing ? sql`left join account_billing ab on ab.community_id = a.community_id and ab.account_id = a.account_id` : sql``}`;
    const open = sql`a.opened_on <= ${s.periodEnd}::date and (a.closed_on is null or a.closed_on >= ${s.period}::date) ${parity(s, sql`a.premise_id`)}`;
    if (plain) {
      return sql`
  select ${columns}
    ${from}
   where t.plain and t.method in (${sql.join([...methods])}) and ${open}`;
    }
    // The most specific tariff that applies to the account, whatever its method (a building's
    // norm tariff takes the account away from the general metered one), then only `methods`.
    // DISTINCT ON rather than an anti-join over the tariffs: the planner, which cannot know how
    // many accounts a tariff has, ran that one as nested loops (0.7 s on vinnytsia).
    return sql`
  select * from (
    select distinct on (a.account_id) ${columns}
      ${from}
     where not t.plain and ${open}
       and exists (select 1 from eff m where m.provider_id = t.provider_id and m.service_id = t.service_id
                                         and m.method in (${sql.join([...methods])}))
       ${premise ? sql`and (t.building_id is null or t.building_id = pr.building_id)` : sql`and t.building_id is null`}
       ${billing ? sql`and (t.consumer_category is null or t.consumer_category = ab.consumer_category)` : sql`and t.consumer_category is null`}
     order by a.account_id, t.rank desc, t.tariff_id desc
  ) specific
   where specific.method in (${sql.join([...methods])})`;
  };
  return sql`
scoped as (
  select distinct on (t.provider_id, t.service_id, t.building_id, t.consumer_category)
         t.tariff_id, t.provider_id, t.service_id, t.building_id, t.consumer_category, t.method, t.price,
         t.zone_coefficients, t.norm_per_person, t.subscriber_fee,
         case when t.building_id is not null then 2 when t.consumer_category is not null then 1 else 0 end as rank,
         exists (select 1 from tariff_tier tt where tt.community_id = t.community_id and tt.tariff_id = t.tariff_id) as tiered
    from tariff t
   where t.community_id = ${s.communityId} and t.valid_from <= ${s.period}::date
     and (t.valid_to is null or t.valid_to >= ${s.period}::date)
   order by t.provider_id, t.service_id, t.building_id, t.consumer_category, t.valid_from desc, t.tariff_id desc
),
eff as (
  -- plain: a general tariff with no building or category tariff beside it for the same provider and service.
  select t.*, t.rank = 0 and not exists (select 1 from scoped o where o.provider_id = t.provider_id
                                           and o.service_id = t.service_id and o.rank > 0) as plain
    from scoped t
),
acc as (${branch(true)}
  union all${branch(false)}
)`;
}

/** Registered persons per premise during the period. */
function personsCte(s: RunScope): RawBuilder<unknown> {
  return sql`
persons as (
  select premise_id, count(distinct person_id)::int as n
    from registration
   where community_id = ${s.communityId} and registered_from <= ${s.periodEnd}::date
     and (registered_to is null or registered_to >= ${s.period}::date) ${parity(s, sql`premise_id`)}
   group by premise_id
)`;
}

/**
 * Whether a query finds a row: the building steps first ask whether anything is set up for them.
 * Without a rule or a tariff they would still gather every metered account before finding nothing
 * to share, and with some statistics the planner did (1.8 s for nothing).
 */
async function anyRow(db: DbOrTx, query: RawBuilder<unknown>): Promise<boolean> {
  const r = await sql`select exists (${query}) as found`.execute(db);
  return (r.rows[0] as { found: boolean }).found;
}

async function affected(query: RawBuilder<unknown>, db: DbOrTx): Promise<number> {
  const r = await query.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

/**
 * One line per account: `quantity` × price (+ fee) ÷ divisor, rounded once; nothing for a missing
 * quantity or a zero amount. The quantity is kept as the line's volume (null for a fixed fee).
 */
function perAccountLines(
  db: DbOrTx,
  s: RunScope,
  methods: readonly string[],
  parts: {
    ctes?: RawBuilder<unknown>;
    joins?: RawBuilder<unknown>;
    quantity: RawBuilder<unknown>;
    fee?: RawBuilder<unknown>;
    divisor?: number;
    keepVolume?: boolean;
    needs?: { premise?: boolean; billing?: boolean };
  },
): Promise<number> {
  const divisor = parts.divisor ?? 1;
  return affected(
    sql`
${INSERT_LINE}
with ${accountsWithTariffs(s, methods, parts.needs)}${parts.ctes ? sql`, ${parts.ctes}` : sql``},
lines as (
  -- OFFSET 0 keeps each expression computed once per row (a flattened subquery would repeat
  -- the numeric arithmetic in every place that names it).
  select acc.account_id, acc.tariff_id, acc.price, acc.method, v.quantity, v.amount
    from acc ${parts.joins ?? sql``}
    cross join lateral (
      select q.quantity, round((q.quantity * acc.price + ${parts.fee ?? sql`0`}) * 100 / ${divisor}::numeric)::bigint as amount
        from (select ${parts.quantity} as quantity offset 0) q
      offset 0
    ) v
)
select ${s.communityId}::int, ${s.billingRunId}::bigint, account_id, ${s.period}::date, 'charge', method, null, amount,
       ${parts.keepVolume === false ? sql`null` : sql`quantity`}, price, tariff_id, false
  from lines where quantity is not null and amount <> 0`,
    db,
  );
}

/** UAH per m² of total area (management, ОСББ dues) or of heated area (heating without meters). */
export function chargeByArea(db: DbOrTx, s: RunScope): Promise<number> {
  return perAccountLines(db, s, ['area_total', 'area_heated'], {
    quantity: sql`case when acc.method = 'area_total' then acc.total_area else acc.heated_area end`,
    needs: { premise: true },
  });
}

/** A price per registered person plus the subscriber fee per account (waste). */
export function chargePerPerson(db: DbOrTx, s: RunScope): Promise<number> {
  return perAccountLines(db, s, ['per_person'], {
    ctes: personsCte(s),
    joins: sql`left join persons on persons.premise_id = acc.premise_id`,
    quantity: sql`coalesce(persons.n, 0)`,
    fee: sql`coalesce(acc.subscriber_fee, 0)`,
  });
}

/** A fixed monthly fee per account (parking, lift). */
export function chargeFixedPerAccount(db: DbOrTx, s: RunScope): Promise<number> {
  return perAccountLines(db, s, ['fixed_account'], { quantity: sql`1`, keepVolume: false });
}

/** Gas distribution: annual contracted capacity × price ÷ 12. */
export function chargeByCapacity(db: DbOrTx, s: RunScope): Promise<number> {
  return perAccountLines(db, s, ['capacity'], { quantity: sql`acc.annual_capacity`, divisor: 12, needs: { billing: true } });
}

/** A fixed fee per premise: charged once, on the premise's first account of that provider and service. */
export function chargeFixedPerPremise(db: DbOrTx, s: RunScope): Promise<number> {
  return affected(
    sql`
${INSERT_LINE}
with ${accountsWithTariffs(s, ['fixed_premise'])},
firsts as (
  select distinct on (acc.premise_id, acc.tariff_id) acc.account_id, acc.tariff_id, acc.price
    from acc
   order by acc.premise_id, acc.tariff_id, acc.account_id
)
select ${s.communityId}::int, ${s.billingRunId}::bigint, account_id, ${s.period}::date, 'charge', 'fixed_premise', null,
       round(price * 100)::bigint, null, price, tariff_id, false
  from firsts where round(price * 100) <> 0`,
    db,
  );
}

/**
 * Metered, and norm × registered persons, in one pass over the accounts of metered and norm
 * tariffs (the run does it in two halves by premise). Each account meets its premise's consumption
 * for the service, zone by zone:
 * - metered: the period's consumption of the premise's meters (metering's meter_consumption,
 *   already × multiplier, rollovers and estimates reconciled), per zone at price × zone
 *   coefficient, or the zones added up and priced over volume tiers;
 * - by norm × registered persons: a norm tariff, or a metered one where the premise has no meter
 *   consumption this period or a meter past verification (the norm of the tariff, else metering's
 *   norm for the service); with no norm at all, nothing (electricity without a reading).
 */
export function chargeMeteredOrNorm(db: DbOrTx, s: RunScope): Promise<number> {
  const consumption = sql`meter_consumption
   where community_id = ${s.communityId} and period = ${s.period}::date and premise_id is not null ${parity(s, sql`premise_id`)}`;
  return affected(
    sql`
${INSERT_LINE}
with ${accountsWithTariffs(s, ['metered', 'norm'])}, ${personsCte(s)},
cz as (
  select premise_id, service_id, zone, sum(volume) as volume, bool_or(estimated) as estimated
    from ${consumption}
   group by premise_id, service_id, zone
),
-- Premises whose meter is past verification (few): billed by norm.
expired as (
  select distinct premise_id, service_id from ${consumption} and verification_expired
),
-- One row per account and zone of its premise's consumption, or one with no zone when there is none.
each as (
  select acc.account_id, acc.tariff_id, acc.price, acc.tiered, acc.zone_coefficients, cz.zone, cz.volume, cz.estimated,
         acc.method = 'norm' or cz.zone is null or x.premise_id is not null as by_norm,
         coalesce(persons.n, 0) * coalesce(acc.norm_per_person, mn.monthly_per_person) as norm_volume
    from acc
    left join cz on cz.premise_id = acc.premise_id and cz.service_id = acc.service_id
    left join expired x on x.premise_id = acc.premise_id and x.service_id = acc.service_id
    left join persons on persons.premise_id = acc.premise_id
    left join meter_norm mn on mn.community_id = ${s.communityId} and mn.service_id = acc.service_id
),
-- A zone with no volume makes no line (priced or tiered, zero costs nothing).
tiered as (
  select account_id, tariff_id, price, sum(volume) as volume, bool_or(estimated) as estimated
    from each where not by_norm and tiered and volume <> 0
   group by account_id, tariff_id, price
),
lines as (
  select account_id, tariff_id, 'metered' as method, zone, volume, price * coalesce(zone_coefficients[zone], 1) as unit_price,
         round(volume * price * coalesce(zone_coefficients[zone], 1) * 100)::bigint as amount, estimated
    from each where not by_norm and not tiered and volume <> 0
  union all
  select v.account_id, v.tariff_id, 'metered', 1, v.volume, null, round(c.cost * 100)::bigint, v.estimated
    from tiered v
    cross join lateral (
      select case when v.volume < 0 then v.volume * (array_agg(tt.price order by tt.volume_from))[1]
                  else sum(greatest(0, least(v.volume, coalesce(tt.volume_to, v.volume)) - tt.volume_from) * tt.price)
             end as cost
        from tariff_tier tt
       where tt.community_id = ${s.communityId} and tt.tariff_id = v.tariff_id
    ) c
  union all
  -- Once per account: its row with no zone, or that of zone 1 (every meter has one).
  select account_id, tariff_id, 'norm', null, norm_volume, price, round(norm_volume * price * 100)::bigint, false
    from each where by_norm and (zone is null or zone = 1) and norm_volume is not null
)
select ${s.communityId}::int, ${s.billingRunId}::bigint, account_id, ${s.period}::date, 'charge', method, zone, amount,
       volume, unit_price, tariff_id, estimated
  from lines where amount <> 0
 ${IN_ACCOUNT_ORDER}`,
    db,
  );
}

/**
 * Building meter imbalance (building volume − Σ apartment volumes), where the building has a
 * distribution rule for the service: shared among the premises' metered accounts by total area,
 * registered persons or apartment consumption, at each account's tariff price.
 */
export async function chargeBuildingImbalance(db: DbOrTx, s: RunScope): Promise<number> {
  if (!(await anyRow(db, sql`select 1 from building_distribution where community_id = ${s.communityId}`))) return 0;
  return affected(
    sql`
${INSERT_LINE}
with ${accountsWithTariffs(s, ['metered'], { premise: true })}, ${personsCte(s)},
bvol as (
  select building_id, service_id, sum(volume) as volume
    from meter_consumption
   where community_id = ${s.communityId} and period = ${s.period}::date and premise_id is null
   group by building_id, service_id
),
pvol as (
  select premise_id, service_id, sum(volume) as volume
    from meter_consumption
   where community_id = ${s.communityId} and period = ${s.period}::date and premise_id is not null
   group by premise_id, service_id
),
members as (
  select acc.account_id, acc.building_id, acc.service_id, acc.tariff_id, acc.price, coalesce(pvol.volume, 0) as consumption,
         case bd.basis when 'area' then coalesce(acc.total_area, 0)
                       when 'persons' then coalesce(persons.n, 0)
                       else coalesce(pvol.volume, 0) end as w
    from acc
    join building_distribution bd on bd.community_id = ${s.communityId} and bd.building_id = acc.building_id
                                  and bd.service_id = acc.service_id
    left join persons on persons.premise_id = acc.premise_id
    left join pvol on pvol.premise_id = acc.premise_id and pvol.service_id = acc.service_id
),
totals as (
  select m.building_id, m.service_id, sum(m.w) as sum_w, b.volume - sum(m.consumption) as imbalance
    from members m join bvol b on b.building_id = m.building_id and b.service_id = m.service_id
   group by m.building_id, m.service_id, b.volume
)
select ${s.communityId}::int, ${s.billingRunId}::bigint, m.account_id, ${s.period}::date, 'charge', 'building_distribution', null,
       round(t.imbalance * m.w * m.price * 100 / t.sum_w)::bigint, t.imbalance * m.w / t.sum_w, m.price, m.tariff_id, false
  from members m join totals t on t.building_id = m.building_id and t.service_id = m.service_id
 where t.imbalance > 0 and t.sum_w > 0 and m.w > 0 and round(t.imbalance * m.w * m.price * 100 / t.sum_w) <> 0`,
    db,
  );
}

/**
 * Heating without apartment meters: the building meter's heat shared by heated area, the
 * common-area part (weighted by the co-owners' coefficient) by total area; see distributeHeat.
 */
export async function chargeHeatDistribution(db: DbOrTx, s: RunScope): Promise<number> {
  if (!(await anyRow(db, sql`select 1 from tariff where community_id = ${s.communityId} and method = 'heat_distribution'`))) return 0;
  return affected(
    sql`
${INSERT_LINE}
with ${accountsWithTariffs(s, ['heat_distribution'], { premise: true })},
bheat as (
  select building_id, service_id, sum(volume) as volume
    from meter_consumption
   where community_id = ${s.communityId} and period = ${s.period}::date and premise_id is null
   group by building_id, service_id
),
members as (
  select acc.account_id, acc.building_id, acc.service_id, acc.tariff_id, acc.price,
         coalesce(acc.heated_area, 0) as h, coalesce(acc.total_area, 0) as a
    from acc
),
totals as (
  select m.building_id, m.service_id, sum(m.h) as sh, sum(m.a) as st, b.volume as q,
         coalesce(max(bd.common_area * bd.common_area_coefficient), 0) as kc
    from members m
    join bheat b on b.building_id = m.building_id and b.service_id = m.service_id
    left join building_distribution bd on bd.community_id = ${s.communityId} and bd.building_id = m.building_id
                                       and bd.service_id = m.service_id
   group by m.building_id, m.service_id, b.volume
)
select ${s.communityId}::int, ${s.billingRunId}::bigint, m.account_id, ${s.period}::date, 'charge', 'heat_distribution', null,
       round(t.q * (m.h * t.st + t.kc * m.a) * m.price * 100 / (t.st * (t.sh + t.kc)))::bigint,
       t.q * (m.h * t.st + t.kc * m.a) / (t.st * (t.sh + t.kc)), m.price, m.tariff_id, false
  from members m join totals t on t.building_id = m.building_id and t.service_id = m.service_id
 where t.st * (t.sh + t.kc) > 0
   and round(t.q * (m.h * t.st + t.kc * m.a) * m.price * 100 / (t.st * (t.sh + t.kc))) <> 0`,
    db,
  );
}

/** Recalculations by days (absence, poor quality) against the account's charge of this run. */
export function recalculations(db: DbOrTx, s: RunScope): Promise<number> {
  return affected(
    sql`
${INSERT_LINE}
with charged as (
  select account_id, sum(amount) as amount
    from charge_line
   where community_id = ${s.communityId} and billing_run_id = ${s.billingRunId} and kind = 'charge'
   group by account_id
)
select ${s.communityId}::int, ${s.billingRunId}::bigint, r.account_id, ${s.period}::date, 'recalculation', 'recalculation', null,
       -round(c.amount::numeric * least(r.days, ${s.daysInPeriod}) * r.percent / (${s.daysInPeriod} * 100))::bigint,
       null, null, null, false
  from recalculation_request r join charged c on c.account_id = r.account_id
 where r.community_id = ${s.communityId} and r.period = ${s.period}::date
   and round(c.amount::numeric * least(r.days, ${s.daysInPeriod}) * r.percent / (${s.daysInPeriod} * 100)) <> 0`,
    db,
  );
}

/**
 * Benefits: for each account with entitled members registered at the premise, the charge (after
 * recalculations) × the part within the social norm × Σ percents / persons; see benefitAmount.
 * A member with several grants counts once, at the highest percent.
 */
export function benefits(db: DbOrTx, s: RunScope): Promise<number> {
  return affected(
    sql`
${INSERT_LINE}
with persons as (
  select premise_id, count(distinct person_id)::int as n
    from registration
   where community_id = ${s.communityId} and registered_from <= ${s.periodEnd}::date
     and (registered_to is null or registered_to >= ${s.period}::date)
   group by premise_id
),
entitled as (
  select account_id, sum(pct) as pct
    from (
      select a.account_id, g.person_id, max(g.percent) as pct
        from benefit_grant g
        join account a on a.community_id = g.community_id and a.premise_id = g.premise_id
                      and (g.service_id is null or g.service_id = a.service_id)
        join registration r on r.community_id = g.community_id and r.person_id = g.person_id and r.premise_id = g.premise_id
                           and r.registered_from <= ${s.periodEnd}::date
                           and (r.registered_to is null or r.registered_to >= ${s.period}::date)
       where g.community_id = ${s.communityId} and g.valid_from <= ${s.periodEnd}::date
         and (g.valid_to is null or g.valid_to >= ${s.period}::date)
       group by a.account_id, g.person_id
    ) per_person
   group by account_id
),
charged as (
  select cl.account_id, sum(cl.amount)::numeric as amount,
         sum(cl.volume) filter (where cl.kind = 'charge') as q, max(cl.tariff_id) as tariff_id
    from charge_line cl join entitled e on e.account_id = cl.account_id
   where cl.community_id = ${s.communityId} and cl.billing_run_id = ${s.billingRunId}
     and cl.kind in ('charge', 'recalculation')
   group by cl.account_id
),
b as (
  select c.account_id, c.amount, c.q, e.pct, p.n,
         t.social_norm_per_person * p.n + coalesce(t.social_norm_per_household, 0) as norm
    from charged c
    join entitled e on e.account_id = c.account_id
    join account a on a.community_id = ${s.communityId} and a.account_id = c.account_id
    join persons p on p.premise_id = a.premise_id
    left join tariff t on t.community_id = ${s.communityId} and t.tariff_id = c.tariff_id
   where c.amount > 0 and p.n > 0
),
priced as (
  select account_id,
         -round(case when q > 0 and norm is not null and norm < q then amount * norm * pct / (q * n * 100)
                     else amount * pct / (n * 100) end)::bigint as amount
    from b
)
select ${s.communityId}::int, ${s.billingRunId}::bigint, account_id, ${s.period}::date, 'benefit', 'benefit', null, amount,
       null, null, null, false
  from priced where amount <> 0`,
    db,
  );
}

/** Subsidies credited to accounts (monetised ones are paid to the resident and not posted). */
export function subsidies(db: DbOrTx, s: RunScope): Promise<number> {
  return affected(
    sql`
${INSERT_LINE}
select ${s.communityId}::int, ${s.billingRunId}::bigint, sa.account_id, ${s.period}::date, 'subsidy', 'subsidy', null,
       -sa.monthly_amount, null, null, null, false
  from subsidy_award sa
  join account a on a.community_id = sa.community_id and a.account_id = sa.account_id
 where sa.community_id = ${s.communityId} and sa.mode = 'credited'
   and sa.valid_from <= ${s.periodEnd}::date and (sa.valid_to is null or sa.valid_to >= ${s.period}::date)
   and (a.closed_on is null or a.closed_on >= ${s.period}::date)`,
    db,
  );
}

/**
 * What penalties need of each account's ledger (see `led` below), summed over entries `le`. The
 * sums are cast back to bigint (kopecks): sum(bigint) is numeric, and numeric arithmetic over
 * every account in the steps after it took half of a penalty step's time.
 */
const penaltySums = (s: RunScope) => sql`
  coalesce(sum(le.amount) filter (where le.period < ${s.period}::date and le.kind <> 'penalty'), 0)::bigint as principal,
  coalesce(sum(le.amount) filter (where le.period = ${s.previousPeriod}::date
                                   and le.kind not in ('payment', 'penalty', 'opening_balance')), 0)::bigint as last_bill,
  greatest(0, -coalesce(sum(le.amount) filter (where le.period = ${s.period}::date and le.kind = 'payment'), 0))::bigint as paid,
  coalesce(sum(le.amount) filter (where le.period < ${s.period}::date and le.kind = 'penalty'), 0)::bigint as so_far`;

/** `led` from every entry up to the period: the first month, or when no snapshot was written. */
const ledgerWhole = (s: RunScope) => sql`
led as (
  -- Driven from the ledger (an empty ledger costs nothing); a half takes every other account.
  select le.account_id, ${penaltySums(s)}
    from ledger_entry le
   where le.community_id = ${s.communityId} and le.period <= ${s.period}::date ${parity(s, sql`le.account_id`)}
   group by le.account_id
)`;

/**
 * The same `led` from the previous period's snapshot (everything up to its mark) plus the entries
 * after the mark and this period's payments posted before it: one row per account and a month's
 * entries instead of the whole history.
 */
const ledgerFromSnapshot = (s: RunScope, mark: number) => sql`
recent as (
  select le.account_id, ${penaltySums(s)}
    from (select account_id, amount, kind, period from ledger_entry
           where community_id = ${s.communityId} and entry_id > ${mark}::bigint and period <= ${s.period}::date
          union all
          select account_id, amount, kind, period from ledger_entry
           where community_id = ${s.communityId} and entry_id <= ${mark}::bigint and period = ${s.period}::date and kind = 'payment') le
   where true ${parity(s, sql`le.account_id`)}
   group by le.account_id
),
led as (
  select coalesce(o.account_id, r.account_id) as account_id,
         coalesce(o.principal, 0) + coalesce(r.principal, 0) as principal,
         coalesce(o.last_bill, 0) + coalesce(r.last_bill, 0) as last_bill,
         -- paid in this period: none of it is in the snapshot (its period is later)
         coalesce(r.paid, 0) as paid,
         coalesce(o.penalties, 0) + coalesce(r.so_far, 0) as so_far
    from (select * from ledger_snapshot
           where community_id = ${s.communityId} and period = ${s.previousPeriod}::date ${parity(s, sql`account_id`)}) o
    full join recent r on r.account_id = o.account_id
)`;

/**
 * Penalties on the debt the ledger shows, for accounts the platform bills; the set-based twin of
 * penaltyAmount (oldest debt paid first, capped at 100 %).
 */
export function penalties(db: DbOrTx, s: RunScope, p: PenaltyScope): Promise<number> {
  return affected(
    sql`
${INSERT_LINE}
with ${p.snapshotEntryId ? ledgerFromSnapshot(s, p.snapshotEntryId) : ledgerWhole(s)},
billed as (
  -- Accounts the platform bills: their provider has a tariff for the service in this period
  -- (providers' own charges carry their own penalties). Independent of this run's lines, so
  -- penalties run beside the charge methods.
  -- A semi-join: a join on the distinct tariffs, which the planner takes for one row, led it to
  -- repeat the whole ledger side once per tariff (48 times on vinnytsia: minutes).
  select led.*
    from led
    join account a on a.community_id = ${s.communityId} and a.account_id = led.account_id ${parity(s, sql`a.account_id`)}
   where led.principal > 0
     and exists (select 1 from tariff t
                  where t.community_id = ${s.communityId} and t.provider_id = a.provider_id and t.service_id = a.service_id
                    and t.valid_from <= ${s.period}::date and (t.valid_to is null or t.valid_to >= ${s.period}::date))
),
split as (
  select account_id, principal, paid, so_far, least(principal, greatest(0, last_bill)) as recent
    from billed
),
unpaid as (
  select account_id, so_far,
         greatest(0, principal - recent - paid) as older_unpaid,
         greatest(0, recent - greatest(0, paid - (principal - recent))) as recent_unpaid
    from split
),
priced as (
  select account_id,
         least(round((older_unpaid * ${s.daysInPeriod} + recent_unpaid * ${p.overdueDaysOfLastBill}) * ${p.ratePerDay}::numeric),
               greatest(0, older_unpaid + recent_unpaid - so_far))::bigint as amount
    from unpaid
)
select ${s.communityId}::int, ${s.billingRunId}::bigint, account_id, ${s.period}::date, 'penalty', 'penalty', null, amount,
       null, null, null, false
  from priced where amount > 0
 ${IN_ACCOUNT_ORDER}`,
    db,
  );
}

/**
 * The steps of a run. Charges come first and do not depend on each other (on PostgreSQL they run
 * two at a time, one connection each); the adjustments read the charges, in this order.
 */
export interface BillingStep {
  name: string;
  run: (db: DbOrTx, s: RunScope) => Promise<number>;
  /** Plan the step with hash joins only (see CHARGE_STEPS; the penalty halves are planned so too). */
  hashJoinsOnly?: boolean;
}

export const CHARGE_STEPS: readonly BillingStep[] = [
  // Longest first, so the two workers finish together: metered and by norm, two thirds of the
  // lines in a city, in two halves by premise.
  // hashJoinsOnly: the planner takes the accounts reached through the tariff CTEs for a few
  // hundred, and picks index lookups per account and merge joins over sorts of 300,000 rows; hash
  // joins over one scan of the accounts were measured 14 % (volume) and 25 % (area) faster. The
  // other steps were as fast or faster as planned.
  { name: 'volume_even', run: (db, s) => chargeMeteredOrNorm(db, { ...s, premiseParity: 0 }), hashJoinsOnly: true },
  { name: 'volume_odd', run: (db, s) => chargeMeteredOrNorm(db, { ...s, premiseParity: 1 }), hashJoinsOnly: true },
  { name: 'area', run: chargeByArea, hashJoinsOnly: true },
  { name: 'capacity', run: chargeByCapacity },
  { name: 'per_person', run: chargePerPerson },
  { name: 'fixed_premise', run: chargeFixedPerPremise },
  { name: 'fixed_account', run: chargeFixedPerAccount },
  { name: 'building_imbalance', run: chargeBuildingImbalance },
  { name: 'heat', run: chargeHeatDistribution },
];

export const ADJUSTMENT_STEPS: readonly BillingStep[] = [
  { name: 'recalculations', run: recalculations },
  { name: 'benefits', run: benefits },
  { name: 'subsidies', run: subsidies },
];
