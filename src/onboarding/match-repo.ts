/**
 * SQL of matching an import's staged rows: streets (exactly, by former names and aliases, then
 * fuzzily), premises, the flat reading of «12/7», accounts of the provider; and why each unmatched
 * address is unmatched, with the candidates an operator may choose. Set-based: a handful of
 * statements over the rows of one import, never one per row.
 */
import { sql } from 'kysely';
import type { DbOrTx, Tx } from '../db/index';
import { timed } from './trace';
import { decideStreet, MATCH_THRESHOLD, nearStreets, type RegisterStreet, type StreetCandidate, type StreetMethod } from './match';
import { otherNameKeys, type Scope } from './staged';

interface Spelling {
  street_type: string;
  street_key: string;
  street_translit_key: string;
}

/**
 * Decides every distinct street spelling of the import at once: candidates by exact key, Latin
 * transliteration, aliases and former names, and pg_trgm neighbours for the spellings that found
 * nothing exact; `decideStreet` ranks them. The result lands in the temporary table
 * street_candidate (every candidate, `picked` marking the one to match on). The street type is
 * '' when the file has none, so that joins on it stay plain equalities (hashable).
 */
async function decideStreets(trx: Tx, s: Scope, opts: { fuzzy: boolean }) {
  const spellings = (
    await sql<Spelling>`
      select distinct coalesce(street_type, '') as street_type, street_key, street_translit_key
        from import_row
       where community_id = ${s.communityId} and import_id = ${s.importId} and status <> 'error' and street_key is not null`.execute(trx)
  ).rows;
  await sql`create temporary table street_candidate (
      street_type text, street_key text, street_id bigint, method text, confidence real, picked boolean, tied boolean) on commit drop`.execute(trx);
  if (spellings.length === 0) return;

  const keys = spellings.map((p) => p.street_key);
  const tkeys = spellings.map((p) => p.street_translit_key);
  type Row = { idx: number; street_id: number; type: string; name_key: string; method: StreetMethod };
  const exact = (
    await sql<Row>`
      with p as (select * from unnest(${keys}::text[], ${tkeys}::text[]) with ordinality as p(k, t, idx))
      select p.idx::int as idx, st.street_id, st.type, st.name_key,
             case when st.name_key = p.k then 'exact' else 'translit' end as method
        from p join street st on st.community_id = ${s.communityId} and st.name_key = p.k
      union all
      select p.idx::int as idx, st.street_id, st.type, st.name_key, 'translit'
        from p join street st on st.community_id = ${s.communityId} and st.translit_key = p.t and st.name_key <> p.k
      union all
      select p.idx::int, st.street_id, st.type, st.name_key, a.source
        from p join street_alias a on a.community_id = ${s.communityId} and a.alias_key in (p.k, p.t)
        join street st on st.community_id = a.community_id and st.street_id = a.street_id`.execute(trx)
  ).rows;
  const byIdx = new Map<number, StreetCandidate[]>();
  const add = (r: Row) => {
    const list = byIdx.get(r.idx) ?? [];
    list.push({ streetId: r.street_id, type: r.type, nameKey: r.name_key, method: r.method });
    byIdx.set(r.idx, list);
  };
  exact.forEach(add);

  // Fuzzy only for the leftovers: spellings with no exact, alias or former-name candidate.
  const leftover = spellings.map((_, i) => i + 1).filter((idx) => !byIdx.has(idx));
  if (opts.fuzzy && leftover.length > 0) {
    const fuzzy = (
      await sql<Row>`
        with p as (select * from unnest(${leftover.map((i) => keys[i - 1])}::text[], ${leftover}::int[]) as p(k, idx))
        select p.idx, c.street_id, c.type, c.name_key, 'fuzzy' as method
          from p cross join lateral (
            select st.street_id, st.type, st.name_key from street st
             where st.community_id = ${s.communityId} and st.name_key % p.k
             order by similarity(st.name_key, p.k) desc limit 5) c`.execute(trx)
    ).rows;
    fuzzy.forEach(add);
    const register = (
      await sql<RegisterStreet>`select street_id as "streetId", type, name_key as "nameKey" from street where community_id = ${s.communityId}`.execute(trx)
    ).rows;
    for (const idx of leftover) {
      for (const c of nearStreets(keys[idx - 1], register)) add({ idx, street_id: c.streetId, type: c.type, name_key: c.nameKey, method: 'fuzzy' });
    }
  }

  const values: Array<[string, string, number, string, number, boolean, boolean]> = [];
  spellings.forEach((p, i) => {
    const decision = decideStreet({ streetType: p.street_type || null, streetKey: p.street_key }, byIdx.get(i + 1) ?? []);
    for (const r of decision.ranked.slice(0, 5)) {
      const tied = decision.tied.some((t) => t.streetId === r.streetId);
      values.push([p.street_type, p.street_key, r.streetId, r.method, r.confidence, decision.pick?.streetId === r.streetId, tied]);
    }
  });
  for (let i = 0; i < values.length; i += 5000) {
    const chunk = values.slice(i, i + 5000);
    await sql`insert into street_candidate (street_type, street_key, street_id, method, confidence, picked, tied)
      select * from unnest(${chunk.map((v) => v[0])}::text[], ${chunk.map((v) => v[1])}::text[], ${chunk.map((v) => v[2])}::bigint[],
                           ${chunk.map((v) => v[3])}::text[], ${chunk.map((v) => v[4])}::real[], ${chunk.map((v) => v[5])}::boolean[],
                           ${chunk.map((v) => v[6])}::boolean[])`.execute(trx);
  }
  await sql`create index on street_candidate (street_key)`.execute(trx);
  await sql`analyze street_candidate`.execute(trx);
}

/**
 * Errors found across rows: an unknown service code, and the same account and service twice in
 * one file (the later rows name the first). Into the temporary table row_error.
 */
async function findRowErrors(trx: Tx, s: Scope, columns: { service: string; account: string }, checkServices: boolean) {
  await sql`
    create temporary table row_error on commit drop as
    select row_no, jsonb_agg(error) as errors from (
      select r.row_no, jsonb_build_object('field', 'service', 'column', ${columns.service}::text, 'value', coalesce(r.service_code, ''),
               'uk', 'невідома послуга: ' || coalesce(r.service_code, '(порожньо)'), 'en', 'unknown service: ' || coalesce(r.service_code, '(empty)')) as error
        from import_row r
       where ${checkServices} and r.community_id = ${s.communityId} and r.import_id = ${s.importId} and r.status <> 'error'
         and not exists (select 1 from service sv where sv.community_id = r.community_id and sv.code = r.service_code)
      union all
      select r.row_no, jsonb_build_object('field', 'account', 'column', ${columns.account}::text, 'value', r.account_number,
               'uk', 'рахунок повторюється (уперше в рядку ' || d.first_row || ')', 'en', 'the account is repeated (first in row ' || d.first_row || ')')
        from (select account_number, coalesce(service_code, '') as service_code, min(row_no) as first_row
                from import_row
               where community_id = ${s.communityId} and import_id = ${s.importId} and status <> 'error' and account_number is not null
               group by 1, 2 having count(*) > 1) d
        join import_row r on r.community_id = ${s.communityId} and r.import_id = ${s.importId} and r.status <> 'error'
                         and r.account_number = d.account_number and coalesce(r.service_code, '') = d.service_code and r.row_no <> d.first_row
    ) x group by row_no`.execute(trx);
  await sql`analyze row_error`.execute(trx);
}

/** The premise of the flat reading of «12/7» (house 12, flat 7) on the street of candidate `c`: `pf`. */
const flatReadingJoin = (c: string, r: string) => sql`
  left join building bf on bf.community_id = ${sql.ref(`${r}.community_id`)} and bf.street_id = ${sql.ref(`${c}.street_id`)}
                       and bf.house_key = ${sql.ref(`${r}.flat_house_key`)}
  left join premise pf on pf.community_id = bf.community_id and pf.building_id = bf.building_id and pf.apartment_key = ${sql.ref(`${r}.flat_apartment_key`)}`;

/** Why each unmatched address is unmatched, and the candidate premises an operator may choose. */
async function explainLeftovers(trx: Tx, s: Scope) {
  await sql`
    update import_match m
       set status = x.status, reason_uk = x.reason[1], reason_en = x.reason[2], confidence = x.confidence, candidates = x.candidates
      from (
        select r.row_no,
               case when c.street_id is not null and c.confidence >= 0.98 and r.house_key is not null and pf.premise_id is null then 'new'
                    else 'review' end as status,
               -- The reason in Ukrainian and in English, from one set of conditions.
               case
                 when r.house_key is null then array['адреса неповна: вказано квартиру, але не номер будинку', 'the address is incomplete: a flat but no house number']
                 when c.street_id is null and u.confidence is null then array['вулицю не знайдено в реєстрі', 'the street is not in the registry']
                 when c.street_id is null and u.several then array['кілька вулиць підходять однаково', 'several streets fit equally well']
                 when c.street_id is null then array['вулицю впізнано невпевнено (' || round(u.confidence::numeric * 100) || '%)', 'the street is recognised with low confidence (' || round(u.confidence::numeric * 100) || '%)']
                 when pf.premise_id is not null then array['у реєстрі є обидва прочитання: будинок ' || r.house_key || ' і квартира ' || r.flat_apartment_key || ' будинку ' || r.flat_house_key,
                                                          'both readings are in the registry: house ' || r.house_key || ' and flat ' || r.flat_apartment_key || ' of house ' || r.flat_house_key]
                 when b.building_id is null then array['будинку ' || r.house_key || ' на цій вулиці немає в реєстрі', 'house ' || r.house_key || ' on this street is not in the registry']
                 when r.apartment_key = '' then array['у будинку немає приміщення без номера', 'the building has no premise without a number']
                 else array['квартири ' || r.apartment_key || ' в цьому будинку немає в реєстрі', 'apartment ' || r.apartment_key || ' of this building is not in the registry']
               end as reason,
               coalesce(c.confidence, u.confidence, 0) as confidence,
               cand.candidates
          from import_match m0
          join import_row r on r.community_id = m0.community_id and r.import_id = m0.import_id and r.row_no = m0.row_no
          left join street_candidate c on c.picked and c.street_key = r.street_key and c.street_type = coalesce(r.street_type, '')
          left join building b on b.community_id = r.community_id and b.street_id = c.street_id and b.house_key = r.house_key
          ${flatReadingJoin('c', 'r')}
          left join lateral (
            select max(c2.confidence) as confidence, count(*) > 1 and max(c2.confidence) >= ${MATCH_THRESHOLD} as several
              from street_candidate c2 where c2.street_key = r.street_key and c2.street_type = coalesce(r.street_type, '')) u on true
          left join lateral (
            -- the same house and apartment on every candidate street
            select jsonb_agg(jsonb_build_object('premiseId', p.premise_id, 'confidence', c3.confidence, 'method', c3.method)
                             order by c3.confidence desc, p.premise_id) as candidates
              from street_candidate c3
              join building b3 on b3.community_id = r.community_id and b3.street_id = c3.street_id
                              and (b3.house_key = r.house_key or b3.house_key = r.flat_house_key)
              join premise p on p.community_id = b3.community_id and p.building_id = b3.building_id
                            and p.apartment_key = case when b3.house_key = r.house_key then r.apartment_key else r.flat_apartment_key end
             where c3.street_key = r.street_key and c3.street_type = coalesce(r.street_type, '')) cand on true
         where m0.community_id = ${s.communityId} and m0.import_id = ${s.importId} and m0.status = 'review'
           and m0.resolution is null and r.street_key is not null) x
     where m.community_id = ${s.communityId} and m.import_id = ${s.importId} and m.row_no = x.row_no`.execute(trx);
}

/**
 * Matches the staged addresses of an import in one INSERT … SELECT: a remembered spelling, or the
 * picked street with the exact house and apartment keys. What is left is explained for the queue:
 * 'new' when the street is certain but the house or apartment is not in the registry, 'review'
 * when the street is unknown, uncertain or ambiguous.
 */
export async function matchAddresses(trx: Tx, s: Scope, columns: { service: string; account: string }, opts: { fuzzy?: boolean } = {}) {
  await sql`delete from import_match where community_id = ${s.communityId} and import_id = ${s.importId}`.execute(trx);
  await timed('row errors', () => findRowErrors(trx, s, columns, true));
  await timed('streets', () => decideStreets(trx, s, { fuzzy: opts.fuzzy ?? true }));
  await timed('match insert', () => sql`
    insert into import_match (community_id, import_id, row_no, status, premise_id, confidence, method, errors)
    select r.community_id, r.import_id, r.row_no,
           case when r.status = 'error' or e.row_no is not null then 'error'
                when coalesce(al.premise_id, x.premise_id) is not null then 'matched' else 'review' end,
           case when r.status <> 'error' and e.row_no is null then coalesce(al.premise_id, x.premise_id) end,
           case when r.status = 'error' or e.row_no is not null then null when al.premise_id is not null then 1 when x.premise_id is not null then coalesce(c.confidence, t.confidence) end,
           case when r.status = 'error' or e.row_no is not null then null when al.premise_id is not null then 'alias' when x.premise_id is not null then coalesce(c.method, t.method) end,
           case when r.errors is null then e.errors when e.errors is null then r.errors else r.errors || e.errors end
      from import_row r
      left join row_error e on e.row_no = r.row_no
      left join address_alias al on al.community_id = r.community_id and al.alias_key = r.address_key
      left join street_candidate c on c.picked and c.street_key = r.street_key and c.street_type = coalesce(r.street_type, '')
      left join building b on b.community_id = r.community_id and b.street_id = c.street_id and b.house_key = r.house_key
      left join premise p on p.community_id = b.community_id and p.building_id = b.building_id and p.apartment_key = r.apartment_key
      ${flatReadingJoin('c', 'r')}
      -- streets of one name and no type in the file: the one premise of them that has this house and flat (either reading)
      left join lateral (
        select min(pt.premise_id) as premise_id, count(*) as n, max(ct.confidence) as confidence, min(ct.method) as method
          from street_candidate ct
          join building bt on bt.community_id = r.community_id and bt.street_id = ct.street_id
                          and (bt.house_key = r.house_key or bt.house_key = r.flat_house_key)
          join premise pt on pt.community_id = bt.community_id and pt.building_id = bt.building_id
                         and pt.apartment_key = case when bt.house_key = r.house_key then r.apartment_key else r.flat_apartment_key end
         where ct.tied and ct.street_key = r.street_key and ct.street_type = coalesce(r.street_type, '')) t on c.street_id is null
      -- «12/7»: the one reading that exists; when both do, a person chooses (address-keys.ts)
      cross join lateral (select case when p.premise_id is not null and pf.premise_id is not null then null
                                      when t.n = 1 then t.premise_id
                                      else coalesce(p.premise_id, pf.premise_id) end as premise_id) x
     where r.community_id = ${s.communityId} and r.import_id = ${s.importId}`.execute(trx));
  await sql`analyze import_match`.execute(trx);
  await timed('explain leftovers', () => explainLeftovers(trx, s));
}

/** Rows of an address register: an existing premise matches; any other address is new. */
export async function matchRegister(trx: Tx, s: Scope) {
  await sql`delete from import_match where community_id = ${s.communityId} and import_id = ${s.importId}`.execute(trx);
  await sql`
    insert into import_match (community_id, import_id, row_no, status, premise_id, confidence, method, reason_uk, reason_en, errors)
    select r.community_id, r.import_id, r.row_no,
           case when r.status = 'error' then 'error'
                when coalesce(al.premise_id, x.premise_id) is not null then 'matched'
                when r.street_type is null and x.street_id is null then 'error'
                else 'new' end,
           coalesce(al.premise_id, x.premise_id), 1, case when coalesce(al.premise_id, x.premise_id) is not null then 'exact' end,
           case when r.status <> 'error' and coalesce(al.premise_id, x.premise_id) is null then 'нова адреса: буде створена' end,
           case when r.status <> 'error' and coalesce(al.premise_id, x.premise_id) is null then 'a new address: it will be created' end,
           case when r.status = 'error' then r.errors
                when coalesce(al.premise_id, x.premise_id) is null and r.street_type is null and x.street_id is null then
                  jsonb_build_array(jsonb_build_object('field', 'street_type', 'column', 'street_type', 'value', coalesce(r.address_raw, ''),
                    'uk', 'для нової вулиці потрібен тип (вулиця, провулок…)', 'en', 'a new street needs its type (street, lane…)')) end
      from import_row r
      left join address_alias al on al.community_id = r.community_id and al.alias_key = r.address_key
      left join lateral (
        select st.street_id, p.premise_id
          from street st
          left join building b on b.community_id = st.community_id and b.street_id = st.street_id and b.house_key = r.house_key
          left join premise p on p.community_id = b.community_id and p.building_id = b.building_id and p.apartment_key = r.apartment_key
         where st.community_id = r.community_id and st.name_key = r.street_key and st.type = coalesce(r.street_type, st.type)
         order by p.premise_id nulls last, st.street_id limit 1) x on true
     where r.community_id = ${s.communityId} and r.import_id = ${s.importId}`.execute(trx);
  await refuseNamesOfOtherStreets(trx, s);
}

/**
 * A former name or alias that is another street's current name (in the registry or in this
 * file) would send that street's addresses here: the row is refused with the reason.
 */
async function refuseNamesOfOtherStreets(trx: Tx, s: Scope) {
  await sql`
    update import_match m
       set status = 'error', premise_id = null, method = null, reason_uk = null, reason_en = null,
           errors = coalesce(m.errors, '[]'::jsonb) || x.errors
      from (
        select o.row_no, jsonb_agg(jsonb_build_object('field', o.field, 'column', o.field, 'value', o.key,
                 'uk', 'назва «' || o.key || '» — поточна назва іншої вулиці', 'en', 'the name "' || o.key || '" is the current name of another street')) as errors
          from (${otherNameKeys(s)}) o
         where o.key <> o.street_key
           and (exists (select 1 from street st where st.community_id = ${s.communityId} and st.name_key = o.key)
             or exists (select 1 from import_row r2 where r2.community_id = ${s.communityId} and r2.import_id = ${s.importId}
                           and r2.status <> 'error' and r2.street_key = o.key))
         group by o.row_no) x
     where m.community_id = ${s.communityId} and m.import_id = ${s.importId} and m.row_no = x.row_no`.execute(trx);
}

/** Charges, payments, readings: each row must name an account of this provider for its service. */
export async function matchAccounts(trx: Tx, s: Scope, providerId: number, columns: { service: string; account: string }) {
  await sql`delete from import_match where community_id = ${s.communityId} and import_id = ${s.importId}`.execute(trx);
  await findRowErrors(trx, s, columns, true);
  // Several rows per account are normal here (months, payments): only the service check applies.
  await sql`delete from row_error where errors @> '[{"field": "account"}]'::jsonb`.execute(trx);
  await sql`
    insert into import_match (community_id, import_id, row_no, status, premise_id, confidence, method, errors)
    select r.community_id, r.import_id, r.row_no,
           case when r.status = 'error' or e.row_no is not null or a.account_id is null then 'error' else 'matched' end,
           a.premise_id, case when a.account_id is not null then 1 end, case when a.account_id is not null then 'account' end,
           case when r.status = 'error' then r.errors when e.row_no is not null then e.errors
                when a.account_id is null then jsonb_build_array(jsonb_build_object('field', 'account', 'column', ${columns.account}::text,
                  'value', coalesce(r.account_number, ''), 'uk', 'у постачальника немає такого особового рахунку з цією послугою',
                  'en', 'the provider has no such account for this service')) end
      from import_row r
      left join row_error e on e.row_no = r.row_no
      left join service sv on sv.community_id = r.community_id and sv.code = r.service_code
      left join account a on a.community_id = r.community_id and a.provider_id = ${providerId} and a.service_id = sv.service_id
                          and a.number = r.account_number
     where r.community_id = ${s.communityId} and r.import_id = ${s.importId}`.execute(trx);
}

export async function countByStatus(db: DbOrTx, s: Scope): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('import_match')
    .select(['status', sql<number>`count(*)::int`.as('n')])
    .where('community_id', '=', s.communityId)
    .where('import_id', '=', s.importId)
    .groupBy('status')
    .execute();
  const out: Record<string, number> = { rows: 0, matched: 0, review: 0, new: 0, error: 0 };
  for (const r of rows) {
    out[r.status] = r.n;
    out.rows += r.n;
  }
  return out;
}
