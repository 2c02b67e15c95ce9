import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/index';
import { createJobQueue } from '../../src/jobs/handlers';
import { verifyPassword } from '../../src/auth/password';
import { runSeed } from '../../src/registry/seed/cli';
import { SEED_JOB } from '../../src/registry/seed/job';
import { SCALES } from '../../src/registry/seed/plan';
import { seedCity, type SeedResult } from '../../src/registry/seed/seed';
import { isValidIban, isValidUnifiedAccountNumber, validateEdrpou, validateRnokpp } from '../../src/shared/identifiers';
import { createTestDatabase } from '../helpers/db';

/** A digest of a community's rows by content (no ids), to compare cities across communities. */
async function contentHash(h: DatabaseHandle, communityId: number): Promise<string> {
  const { rows } = await sql<{ accounts: string; persons: string }>`
    select
      (select md5(string_agg(line, E'\n' order by line)) from (
         select concat_ws('|', s.type, s.name, b.house_key, b.total_area, b.management, p.apartment_key, p.kind, p.total_area,
                          p.heated_area, p.rooms, sv.code, pr.edrpou, pr.iban, a.number, a.opened_on) as line
           from account a
           join premise p on p.community_id = a.community_id and p.premise_id = a.premise_id
           join building b on b.community_id = p.community_id and b.building_id = p.building_id
           join street s on s.community_id = b.community_id and s.street_id = b.street_id
           join service sv on sv.community_id = a.community_id and sv.service_id = a.service_id
           join provider pr on pr.community_id = a.community_id and pr.provider_id = a.provider_id
          where a.community_id = ${communityId}) x) as accounts,
      (select md5(string_agg(line, E'\n' order by line)) from (
         select concat_ws('|', b.house_key, p.apartment_key, pe.last_name, pe.first_name, pe.patronymic, pe.rnokpp, pe.phone,
                          r.registered_from, r.registered_to) as line
           from registration r
           join person pe on pe.community_id = r.community_id and pe.person_id = r.person_id
           join premise p on p.community_id = r.community_id and p.premise_id = r.premise_id
           join building b on b.community_id = p.community_id and b.building_id = p.building_id
          where r.community_id = ${communityId}) y) as persons`.execute(h.db);
  return `${rows[0].accounts}:${rows[0].persons}`;
}

const count = async (h: DatabaseHandle, table: 'premise' | 'account' | 'unified_account' | 'person' | 'registration' | 'provider', communityId: number) =>
  Number(
    (await h.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where('community_id', '=', communityId).executeTakeFirstOrThrow()).n,
  );

describe('synthetic city seeder (tiny scale)', () => {
  let h: DatabaseHandle;
  let first: SeedResult;

  beforeAll(async () => {
    h = await createTestDatabase();
    first = await seedCity(h, { scale: 'tiny', seed: 7, communityId: 1 });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('writes exactly the planned rows, and reports the counts it wrote', async () => {
    expect(await count(h, 'premise', 1)).toBe(SCALES.tiny.premises);
    expect(await count(h, 'account', 1)).toBe(SCALES.tiny.accounts);
    expect(await count(h, 'provider', 1)).toBe(SCALES.tiny.providers);
    expect(first.counts).toMatchObject({
      premises: SCALES.tiny.premises,
      accounts: SCALES.tiny.accounts,
      unifiedAccounts: SCALES.tiny.premises,
      persons: await count(h, 'person', 1),
      registrations: await count(h, 'registration', 1),
      services: 12,
    });
  });

  it('gives every premise one valid unified account number', async () => {
    const rows = await h.db
      .selectFrom('premise as p')
      .leftJoin('unified_account as ua', (j) => j.onRef('ua.community_id', '=', 'p.community_id').onRef('ua.premise_id', '=', 'p.premise_id'))
      .select(['p.premise_id', 'ua.number'])
      .where('p.community_id', '=', 1)
      .execute();
    expect(rows).toHaveLength(SCALES.tiny.premises);
    expect(rows.filter((r) => r.number === null || !isValidUnifiedAccountNumber(r.number))).toEqual([]);
  });

  it('stores only valid ЄДРПОУ, IBAN and РНОКПП', async () => {
    const providers = await h.db.selectFrom('provider').select(['edrpou', 'iban']).where('community_id', '=', 1).execute();
    expect(providers.filter((p) => !validateEdrpou(p.edrpou).ok || !isValidIban(p.iban))).toEqual([]);
    const persons = await h.db.selectFrom('person').select('rnokpp').where('community_id', '=', 1).where('rnokpp', 'is not', null).execute();
    expect(persons.length).toBeGreaterThan(0);
    expect(persons.filter((p) => !validateRnokpp(p.rnokpp!).ok)).toEqual([]);
  });

  it('contains вулиця Київська 12а with flats, accounts, and a resident who may act for кв. 1', async () => {
    const building = await h.db
      .selectFrom('building as b')
      .innerJoin('street as s', (j) => j.onRef('s.community_id', '=', 'b.community_id').onRef('s.street_id', '=', 'b.street_id'))
      .select(['b.building_id', 's.translit_key'])
      .where('b.community_id', '=', 1)
      .where('s.type', '=', 'вулиця')
      .where('s.name_key', '=', 'київська')
      .where('b.house_key', '=', '12а')
      .executeTakeFirstOrThrow();
    expect(building.translit_key).toBe('kyivska');
    const flats = await h.db
      .selectFrom('premise as p')
      .innerJoin('account as a', (j) => j.onRef('a.community_id', '=', 'p.community_id').onRef('a.premise_id', '=', 'p.premise_id'))
      .select(['p.premise_id', 'p.apartment_key'])
      .where('p.community_id', '=', 1)
      .where('p.building_id', '=', building.building_id)
      .execute();
    expect(new Set(flats.map((f) => f.premise_id)).size).toBeGreaterThanOrEqual(60);
    const resident = await h.db
      .selectFrom('app_user as u')
      .innerJoin('user_premise as up', (j) => j.onRef('up.community_id', '=', 'u.community_id').onRef('up.user_id', '=', 'u.user_id'))
      .innerJoin('premise as p', (j) => j.onRef('p.community_id', '=', 'up.community_id').onRef('p.premise_id', '=', 'up.premise_id'))
      .select(['p.building_id', 'p.apartment_key', 'u.password_hash'])
      .where('u.login', '=', 'resident')
      .executeTakeFirstOrThrow();
    expect(resident).toMatchObject({ building_id: building.building_id, apartment_key: '1' });
    expect(await verifyPassword('resident-demo', resident.password_hash)).toBe(true);
  });

  it('creates the documented demo sign-ins, provider users scoped to their provider', async () => {
    expect(first.users.map((u) => [u.login, u.password, u.role])).toEqual([
      ['admin', 'admin-demo', 'admin'],
      ['operator', 'operator-demo', 'operator'],
      ['city', 'city-demo', 'city'],
      ['provider-water', 'provider-water-demo', 'provider'],
      ['provider-heat', 'provider-heat-demo', 'provider'],
      ['provider-gas', 'provider-gas-demo', 'provider'],
      ['resident', 'resident-demo', 'resident'],
    ]);
    const water = await h.db
      .selectFrom('app_user as u')
      .innerJoin('provider as p', (j) => j.onRef('p.community_id', '=', 'u.community_id').onRef('p.provider_id', '=', 'u.provider_id'))
      .select(['p.short_name', 'u.password_hash'])
      .where('u.login', '=', 'provider-water')
      .executeTakeFirstOrThrow();
    expect(water.short_name).toContain('водоканал');
    expect(await verifyPassword('provider-water-demo', water.password_hash)).toBe(true);
  });

  it('refuses before loading when the demo logins belong to another community', async () => {
    await expect(seedCity(h, { scale: 'tiny', seed: 1, communityId: 5 })).rejects.toMatchObject({ code: 'demo_logins_taken' });
    expect(await count(h, 'premise', 5)).toBe(0);
  });

  it('records former street names as aliases', async () => {
    const aliases = await h.db
      .selectFrom('street_alias as a')
      .innerJoin('street as s', (j) => j.onRef('s.community_id', '=', 'a.community_id').onRef('s.street_id', '=', 'a.street_id'))
      .select(['a.alias_key', 'a.source', 's.former_names'])
      .where('a.community_id', '=', 1)
      .where('a.source', '=', 'former')
      .execute();
    expect(aliases.length).toBeGreaterThan(0);
    for (const a of aliases) expect(a.former_names.length).toBeGreaterThan(0);
  });

  it('refuses to seed a community twice, and with force wipes it and seeds the same city again', async () => {
    const before = await contentHash(h, 1);
    await expect(seedCity(h, { scale: 'tiny', seed: 7, communityId: 1, users: false })).rejects.toMatchObject({
      code: 'community_already_seeded',
      messages: { uk: expect.stringContaining('--force'), en: expect.stringContaining('--force') },
    });
    const again = await seedCity(h, { scale: 'tiny', seed: 7, communityId: 1, force: true, users: false });
    expect(again.counts).toEqual(first.counts);
    expect(await count(h, 'account', 1)).toBe(SCALES.tiny.accounts);
    expect(await contentHash(h, 1)).toBe(before);
  });

  it('is deterministic: the same seed gives the same city in another community, another seed another city', async () => {
    await seedCity(h, { scale: 'tiny', seed: 7, communityId: 2, users: false });
    await seedCity(h, { scale: 'tiny', seed: 8, communityId: 3, users: false });
    const [one, two, three] = [await contentHash(h, 1), await contentHash(h, 2), await contentHash(h, 3)];
    expect(two).toBe(one);
    expect(three).not.toBe(one);
  });

  it('runs as a job with progress recorded in the job table', async () => {
    const ctx = { handle: h, db: h.db, communityId: 4, jobs: createJobQueue(h) };
    const result = await runSeed(ctx, { scale: 'tiny', seed: 9, communityId: 4, users: false }, true);
    expect(result.counts.accounts).toBe(SCALES.tiny.accounts);
    const job = await h.db
      .selectFrom('job')
      .selectAll()
      .where('community_id', '=', 4)
      .where('kind', '=', SEED_JOB)
      .executeTakeFirstOrThrow();
    expect(job.status).toBe('succeeded');
    expect(job.progress_total).toBeGreaterThan(0);
    expect(job.progress_done).toBe(job.progress_total);
  });
});
