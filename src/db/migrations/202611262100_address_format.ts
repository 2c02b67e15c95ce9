import type { Kysely } from 'kysely';
import { execSql } from '../index';

// premise_address(street type, street name, house key, apartment key): the one way SQL prints an
// address, «вул. Київська, буд. 12а, корп. 2, кв. 5» or «…, прим. 1» for a non-residential
// premise (apartment key 'п1'). It gives exactly what formatAddressUk (src/registry/address/format.ts)
// gives for the keys the registry stores; tests/integration/address-format.test.ts compares the
// two. A street type the registry does not know is printed as stored, a null or empty one not at
// all (as displayAddress in src/registry/service.ts does); a null house or apartment is left out.
export async function up(db: Kysely<any>): Promise<void> {
  await execSql(
    db,
    `
create or replace function premise_address(street_type text, street_name text, house_key text, apartment_key text)
returns text
language sql immutable parallel safe
as $$
  select concat_ws(', ',
    case
      when coalesce(street_type, '') = '' then street_name
      else coalesce(case street_type
                      when 'вулиця' then 'вул.'
                      when 'проспект' then 'просп.'
                      when 'провулок' then 'пров.'
                      when 'бульвар' then 'бульв.'
                      when 'площа' then 'пл.'
                      when 'набережна' then 'наб.'
                      when 'тупик' then 'туп.'
                    end, street_type) || ' ' || street_name
    end,
    -- house key '12а/2к1' (number, letter, /fraction, к block) → '12а/2, корп. 1'
    'буд. ' || regexp_replace(house_key, '^([0-9]+[^0-9/]?(/[0-9]+[^0-9/]?)?)к([0-9]+[^0-9/]?)$', '\\1, корп. \\3'),
    case
      when coalesce(apartment_key, '') = '' then null
      when apartment_key like 'п%' then 'прим. ' || substr(apartment_key, 2)
      else 'кв. ' || apartment_key
    end)
$$;
`,
  );
}
