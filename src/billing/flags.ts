/**
 * The city's control of providers: a provider-computed (imported) charge whose price differs from
 * the approved tariff for its date is flagged. One flag per provider, service, period and implied
 * price, counting the entries and the money over or under the approved price. Set-based: one
 * INSERT…SELECT per check, repeatable (a re-check updates the counts).
 */
import { sql } from 'kysely';
import type { DbOrTx } from '../db/index';

export async function flagTariffMismatches(db: DbOrTx, communityId: number, period: string): Promise<number> {
  const r = await sql`
insert into tariff_flag (community_id, provider_id, service_id, period, implied_price, approved_price, entries, amount, overcharge)
with imported as (
  select a.provider_id, a.service_id, le.period, le.amount, le.volume,
         round(coalesce(le.tariff, le.amount::numeric / 100 / le.volume), 4) as implied_price
    from ledger_entry le
    join account a on a.community_id = le.community_id and a.account_id = le.account_id
   where le.community_id = ${communityId} and le.period = ${period}::date
     and le.source = 'import' and le.kind = 'charge' and le.volume > 0
),
approved as (
  -- The provider's own approved price wins over the service-wide one; the latest decision in force.
  select distinct on (i.provider_id, i.service_id) i.provider_id, i.service_id, ap.price
    from (select distinct provider_id, service_id from imported) i
    join approved_tariff ap on ap.community_id = ${communityId} and ap.service_id = i.service_id
                           and (ap.provider_id is null or ap.provider_id = i.provider_id)
                           and ap.valid_from <= ${period}::date and (ap.valid_to is null or ap.valid_to >= ${period}::date)
   order by i.provider_id, i.service_id, ap.provider_id nulls last, ap.valid_from desc
)
select ${communityId}::int, i.provider_id, i.service_id, i.period, i.implied_price, ap.price, count(*)::int, sum(i.amount)::bigint,
       sum(i.amount - round(i.volume * ap.price * 100))::bigint
  from imported i join approved ap on ap.provider_id = i.provider_id and ap.service_id = i.service_id
 -- more than a rounding kopeck away from volume × approved price
 where abs(i.amount - round(i.volume * ap.price * 100)) > 1
 group by i.provider_id, i.service_id, i.period, i.implied_price, ap.price
on conflict (community_id, provider_id, service_id, period, implied_price)
do update set approved_price = excluded.approved_price, entries = excluded.entries, amount = excluded.amount,
              overcharge = excluded.overcharge`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}
