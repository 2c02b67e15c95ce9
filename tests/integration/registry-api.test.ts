import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { DatabaseHandle, Db } from '../../src/db/index';
import { buildApp } from '../../src/server/app';
import { createUser } from '../../src/auth/service';
import { normaliseStreetName, streetSearchKeys, translitKey } from '../../src/registry/address';
import { edrpouCheckDigit, generateValidIban, makeUnifiedAccountNumber } from '../../src/shared/identifiers';
import { kyivToday, periodOf, prevPeriod } from '../../src/shared/period';
import { createTestDatabase } from '../helpers/db';
import { signInAs, testContext, type Signed } from '../helpers/http';

const PASSWORD = 'registry password';
const C = 1;

/** A small city the tests build themselves: the ids they need to check answers against. */
interface Fixture {
  kyivska: number;
  kyivskyiLane: number;
  soborna: number;
  b12: number;
  b12a: number;
  b12slash2: number;
  b120: number;
  soborna12a: number;
  flat5: number;
  flat5Account: string;
  flat15: number;
  /** Non-residential «прим. 1» of Київська 12а, keyed 'п1' as the city seeder keys it. */
  premise1: number;
  house120Premise: number;
  house120Account: string;
  vodokanal: number;
  energo: number;
  coldWater: number;
  electricity: number;
}

async function insertStreet(db: Db, type: string, name: string, formerNames: string[] = []): Promise<number> {
  const row = await db
    .insertInto('street')
    .values({ community_id: C, type, name, name_key: normaliseStreetName(name), translit_key: translitKey(name), former_names: formerNames, postal_code: '21001' })
    .returning('street_id')
    .executeTakeFirstOrThrow();
  const aliases = formerNames.flatMap((f) => streetSearchKeys(f));
  if (aliases.length > 0) {
    await db
      .insertInto('street_alias')
      .values(aliases.map((alias_key) => ({ community_id: C, alias_key, street_id: row.street_id, source: 'former' as const })))
      .execute();
  }
  return row.street_id;
}

async function insertBuilding(db: Db, streetId: number, number: number, extra: { letter?: string; fraction?: string } = {}): Promise<number> {
  const houseKey = `${number}${extra.letter ?? ''}${extra.fraction ? `/${extra.fraction}` : ''}`;
  const row = await db
    .insertInto('building')
    .values({
      community_id: C,
      street_id: streetId,
      number,
      letter: extra.letter ?? null,
      fraction: extra.fraction ?? null,
      house_key: houseKey,
      floors: 9,
      total_area: '3120.50',
      management: 'osbb',
      management_name: 'ОСББ «Київська 12а»',
    })
    .returning('building_id')
    .executeTakeFirstOrThrow();
  return row.building_id;
}

async function insertPremises(db: Db, buildingId: number, numbers: Array<string | null>): Promise<Map<string, { id: number; account: string }>> {
  const out = new Map<string, { id: number; account: string }>();
  for (const number of numbers) {
    const p = await db
      .insertInto('premise')
      .values({ community_id: C, building_id: buildingId, number, apartment_key: number ?? '', total_area: '54.30', heated_area: '50.10', rooms: 2 })
      .returning('premise_id')
      .executeTakeFirstOrThrow();
    const account = makeUnifiedAccountNumber(100_000 + p.premise_id);
    await db.insertInto('unified_account').values({ community_id: C, premise_id: p.premise_id, number: account }).execute();
    out.set(number ?? '', { id: p.premise_id, account });
  }
  return out;
}

async function buildCity(db: Db): Promise<Fixture> {
  await db.insertInto('community').values({ community_id: C, name: 'Тестова громада', katottg: 'UA05020030000031457' }).execute();
  const kyivska = await insertStreet(db, 'вулиця', 'Київська', ['Ленінська']);
  const kyivskyiLane = await insertStreet(db, 'провулок', 'Київський');
  const soborna = await insertStreet(db, 'вулиця', 'Соборна');
  await insertStreet(db, 'вулиця', 'Володимира Винниченка');
  const b12 = await insertBuilding(db, kyivska, 12);
  const b12a = await insertBuilding(db, kyivska, 12, { letter: 'а' });
  const b12slash2 = await insertBuilding(db, kyivska, 12, { fraction: '2' });
  const b120 = await insertBuilding(db, kyivska, 120);
  const soborna12a = await insertBuilding(db, soborna, 12, { letter: 'а' });
  await insertBuilding(db, kyivskyiLane, 12, { letter: 'а' });
  const flats = await insertPremises(db, b12a, ['1', '2', '5', '10', '15', '5а']);
  await insertPremises(db, b12, ['5']);
  const house = await insertPremises(db, b120, [null]);
  const premise1 = (
    await db
      .insertInto('premise')
      .values({ community_id: C, building_id: b12a, number: 'прим. 1', apartment_key: 'п1', kind: 'non_residential', total_area: '120.00', heated_area: '120.00', rooms: 3 })
      .returning('premise_id')
      .executeTakeFirstOrThrow()
  ).premise_id;

  const edrpou2 = `1234567${edrpouCheckDigit('1234567')}`;
  const vodokanal = (
    await db
      .insertInto('provider')
      .values({ community_id: C, edrpou: '32855961', iban: generateValidIban('302076', '26007233566001'), name: 'КП «Вінницяоблводоканал»', short_name: 'Водоканал' })
      .returning('provider_id')
      .executeTakeFirstOrThrow()
  ).provider_id;
  const energo = (
    await db
      .insertInto('provider')
      .values({ community_id: C, edrpou: edrpou2, iban: generateValidIban('305299', '26003000000001'), name: 'ТОВ «Енергозбут»' })
      .returning('provider_id')
      .executeTakeFirstOrThrow()
  ).provider_id;
  const coldWater = (
    await db.insertInto('service').values({ community_id: C, code: 'cold_water', name_uk: 'Холодна вода', name_en: 'Cold water', unit: 'м³', metered: true, sort_order: 10 }).returning('service_id').executeTakeFirstOrThrow()
  ).service_id;
  const electricity = (
    await db.insertInto('service').values({ community_id: C, code: 'electricity', name_uk: 'Електроенергія', name_en: 'Electricity', unit: 'кВт·год', metered: true, sort_order: 20 }).returning('service_id').executeTakeFirstOrThrow()
  ).service_id;
  const flat5 = flats.get('5')!.id;
  await db
    .insertInto('account')
    .values([
      { community_id: C, provider_id: vodokanal, premise_id: flat5, service_id: coldWater, number: 'V-0005', opened_on: '2020-01-01' },
      { community_id: C, provider_id: energo, premise_id: flat5, service_id: electricity, number: 'E-0005', opened_on: '2015-03-01', closed_on: '2019-12-31' },
      { community_id: C, provider_id: energo, premise_id: flat5, service_id: electricity, number: 'E-0105', opened_on: '2020-01-01' },
    ])
    .execute();

  // Two people live in flat 5 this month; a third moved out two months ago.
  const people = await db
    .insertInto('person')
    .values([
      { community_id: C, last_name: 'Коваленко', first_name: 'Олена' },
      { community_id: C, last_name: 'Коваленко', first_name: 'Петро' },
      { community_id: C, last_name: 'Шевчук', first_name: 'Ігор' },
    ])
    .returning('person_id')
    .execute();
  const thisMonth = periodOf(kyivToday());
  await db
    .insertInto('registration')
    .values([
      { community_id: C, person_id: people[0].person_id, premise_id: flat5, registered_from: '2010-05-01' },
      { community_id: C, person_id: people[1].person_id, premise_id: flat5, registered_from: thisMonth },
      { community_id: C, person_id: people[2].person_id, premise_id: flat5, registered_from: '2005-01-01', registered_to: prevPeriod(thisMonth, 2) },
    ])
    .execute();

  return {
    kyivska,
    kyivskyiLane,
    soborna,
    b12,
    b12a,
    b12slash2,
    b120,
    soborna12a,
    flat5,
    flat5Account: flats.get('5')!.account,
    flat15: flats.get('15')!.id,
    premise1,
    house120Premise: house.get('')!.id,
    house120Account: house.get('')!.account,
    vodokanal,
    energo,
    coldWater,
    electricity,
  };
}

describe('registry API', () => {
  let h: DatabaseHandle;
  let app: FastifyInstance;
  let f: Fixture;
  let operator: Signed;
  let admin: Signed;
  let city: Signed;
  let vodokanalUser: Signed;
  let resident: Signed;

  const get = (who: Signed | undefined, url: string) => app.inject({ method: 'GET', url, headers: who?.headers });
  const send = (who: Signed, method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    app.inject({ method, url, headers: who.headers, ...(payload ? { payload } : {}) });
  const search = async (q: string, who: Signed = operator) => {
    const res = await get(who, `/api/addresses/search?q=${encodeURIComponent(q)}`);
    expect(res.statusCode).toBe(200);
    return res.json() as { parsed: any; items: any[] };
  };

  beforeAll(async () => {
    h = await createTestDatabase();
    f = await buildCity(h.db);
    await createUser(h.db, { communityId: C, login: 'admin', password: PASSWORD, role: 'admin', displayName: 'Адмін' });
    await createUser(h.db, { communityId: C, login: 'operator', password: PASSWORD, role: 'operator', displayName: 'Оператор' });
    await createUser(h.db, { communityId: C, login: 'city', password: PASSWORD, role: 'city', displayName: 'Міськрада' });
    await createUser(h.db, { communityId: C, login: 'vodokanal', password: PASSWORD, role: 'provider', providerId: f.vodokanal, displayName: 'Водоканал' });
    await createUser(h.db, { communityId: C, login: 'resident', password: PASSWORD, role: 'resident', displayName: 'Олена', premiseIds: [f.flat5] });
    app = await buildApp(testContext(h));
    [operator, admin, city, vodokanalUser, resident] = await Promise.all(
      ['operator', 'admin', 'city', 'vodokanal', 'resident'].map((login) => signInAs(app, login, PASSWORD)),
    );
  });
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  describe('address search', () => {
    it.each([
      ['київська 12а'],
      ['Kyivska 12-A'],
      ['КИЇВСЬКА 12 А'],
      ['Київська вул. 12-а'],
      ['вулиця Київська, будинок 12А'],
      ['Kиївськa 12a'], // Latin K and a inside Cyrillic
      ['київська 12а кв'], // still typing the apartment
      ['Київська 12-'], // still typing the letter: the prefix «12» lists 12а among the first
    ])('«%s» lands on вул. Київська, 12а', async (q) => {
      const { items } = await search(q);
      const buildings = items.filter((i) => i.kind === 'building');
      expect(buildings.slice(0, 4).map((b) => b.buildingId)).toContain(f.b12a);
      if (!q.endsWith('12-')) {
        expect(items[0]).toMatchObject({ kind: 'building', buildingId: f.b12a, streetId: f.kyivska, houseKey: '12а', address: 'вул. Київська, буд. 12а' });
      }
    });

    it('finds the flat and its unified account from «вул. Київська, буд. 12-А, кв. 5»', async () => {
      const { parsed, items } = await search('вул. Київська, буд. 12-А, кв. 5');
      expect(parsed).toEqual({ streetName: 'Київська', streetType: 'вулиця', houseKey: '12а', apartment: '5' });
      expect(items[0]).toMatchObject({
        kind: 'premise',
        premiseId: f.flat5,
        buildingId: f.b12a,
        apartment: '5',
        unifiedAccount: f.flat5Account,
        postalCode: '21001',
        address: 'вул. Київська, буд. 12а, кв. 5',
      });
      // «кв. 5» is exact; 5а is a prefix match and comes later; building 12 (no letter) has its own 5 but is not the house typed.
      expect(items.filter((i) => i.kind === 'premise').map((i) => i.apartment)).toEqual(['5', '5а']);
    });

    it.each([['київська 12а прим. 1'], ['вул. Київська, буд. 12а, кв. п1'], ['Київська 12-А, нежитлове приміщення 1'], ['Київська 12а, офіс 1']])(
      'finds the non-residential premise from «%s», never flat 1',
      async (q) => {
        const { parsed, items } = await search(q);
        expect(parsed).toMatchObject({ houseKey: '12а', apartment: 'п1' });
        expect(items[0]).toMatchObject({ kind: 'premise', premiseId: f.premise1, apartment: 'прим. 1', address: 'вул. Київська, буд. 12а, прим. 1' });
        expect(items.filter((i) => i.kind === 'premise').map((i) => i.premiseId)).toEqual([f.premise1]);
      },
    );

    it('finds flat 1, not «прим. 1», from «київська 12а кв. 1»', async () => {
      const { items } = await search('київська 12а кв. 1');
      const premises = items.filter((i) => i.kind === 'premise');
      expect(premises[0]).toMatchObject({ apartment: '1', address: 'вул. Київська, буд. 12а, кв. 1' });
      expect(premises.map((i) => i.premiseId)).not.toContain(f.premise1);
    });

    it('ranks an exact house first and then the longer numbers while typing «київська 12»', async () => {
      const { items } = await search('київська 12');
      const houses = items.filter((i) => i.kind === 'building' && i.streetId === f.kyivska).map((i) => i.houseKey);
      expect(houses[0]).toBe('12');
      expect(houses).toEqual(expect.arrayContaining(['12а', '12/2', '120']));
    });

    it('finds a street by its former name and says so', async () => {
      const { items } = await search('ленінська 12а');
      expect(items[0]).toMatchObject({ kind: 'building', buildingId: f.b12a, byFormerName: true, streetName: 'Київська', formerNames: ['Ленінська'] });
      const latin = await search('Leninska 12a');
      expect(latin.items[0]).toMatchObject({ buildingId: f.b12a, byFormerName: true });
    });

    it('completes half-typed street names and ranks the street type typed', async () => {
      const { items } = await search('київсь');
      expect(items.slice(0, 2).map((i) => i.streetId).sort()).toEqual([f.kyivska, f.kyivskyiLane].sort());
      const lane = await search('пров. Київський 12а');
      expect(lane.items[0]).toMatchObject({ kind: 'building', streetId: f.kyivskyiLane });
      const byLastName = await search('винниченка');
      expect(byLastName.items[0]).toMatchObject({ kind: 'street', streetName: 'Володимира Винниченка' });
      const typo = await search('Кийвська 12а');
      expect(typo.items[0]).toMatchObject({ buildingId: f.b12a });
    });

    it('finds a premise by its unified account number and a private house with its one premise', async () => {
      const { items } = await search(f.flat5Account);
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({ kind: 'premise', premiseId: f.flat5, address: 'вул. Київська, буд. 12а, кв. 5' });
      const house = await search('Київська 120');
      expect(house.items[0]).toMatchObject({ kind: 'building', buildingId: f.b120, premiseId: f.house120Premise, unifiedAccount: f.house120Account });
    });

    it('is for staff and providers only', async () => {
      expect((await get(resident, '/api/addresses/search?q=київська')).statusCode).toBe(403);
      expect((await get(undefined, '/api/addresses/search?q=київська')).statusCode).toBe(401);
      expect((await search('київська', vodokanalUser)).items.length).toBeGreaterThan(0);
    });
  });

  describe('cards', () => {
    it('shows a building with its premises in apartment order, unified accounts and account counts', async () => {
      const res = await get(operator, `/api/buildings/${f.b12a}`);
      expect(res.statusCode).toBe(200);
      const card = res.json();
      expect(card).toMatchObject({
        buildingId: f.b12a,
        address: 'вул. Київська, буд. 12а',
        postalCode: '21001',
        floors: 9,
        totalArea: '3120.50',
        management: 'osbb',
        managementName: 'ОСББ «Київська 12а»',
      });
      expect(card.premises.map((p: any) => p.number)).toEqual(['1', '2', '5', '5а', '10', '15', 'прим. 1']); // flats, then other premises
      const flat5 = card.premises.find((p: any) => p.premiseId === f.flat5);
      expect(flat5).toMatchObject({ unifiedAccount: f.flat5Account, accountCount: 3, totalArea: '54.30', rooms: 2 });
      // A provider counts only its own accounts.
      const mine = (await get(vodokanalUser, `/api/buildings/${f.b12a}`)).json();
      expect(mine.premises.find((p: any) => p.premiseId === f.flat5).accountCount).toBe(1);
      expect((await get(operator, '/api/buildings/999999')).json()).toMatchObject({ code: 'not_found' });
    });

    it('shows a premise with registered persons this month and its accounts, open and closed', async () => {
      const card = (await get(city, `/api/premises/${f.flat5}`)).json();
      expect(card).toMatchObject({
        premiseId: f.flat5,
        address: 'вул. Київська, буд. 12а, кв. 5',
        totalArea: '54.30',
        heatedArea: '50.10',
        rooms: 2,
        registeredPersons: 2,
        period: periodOf(kyivToday()),
        unifiedAccount: f.flat5Account,
      });
      expect(card.accounts.map((a: any) => [a.service.code, a.number, a.provider.providerId, a.open])).toEqual([
        ['cold_water', 'V-0005', f.vodokanal, true],
        ['electricity', 'E-0005', f.energo, false],
        ['electricity', 'E-0105', f.energo, true],
      ]);
      expect(card.accounts[1]).toMatchObject({ openedOn: '2015-03-01', closedOn: '2019-12-31' });
    });

    it('lets a provider see only its accounts and a resident only their home', async () => {
      const provider = (await get(vodokanalUser, `/api/premises/${f.flat5}`)).json();
      expect(provider.accounts.map((a: any) => a.number)).toEqual(['V-0005']);
      expect((await get(resident, `/api/premises/${f.flat5}`)).statusCode).toBe(200);
      expect((await get(resident, `/api/premises/${f.flat15}`)).statusCode).toBe(404); // out of reach: as if it did not exist
      expect((await get(resident, `/api/buildings/${f.b12a}`)).statusCode).toBe(403);
    });

    it('pages through streets with an opaque cursor', async () => {
      const names: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: any = (await get(operator, `/api/streets?limit=1${cursor ? `&cursor=${cursor}` : ''}`)).json();
        names.push(...page.items.map((s: any) => s.name));
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      expect(names).toEqual(['Володимира Винниченка', 'Київська', 'Київський', 'Соборна']);
      expect(pages).toBe(4);
      const first = (await get(operator, '/api/streets')).json().items[1];
      expect(first).toMatchObject({ name: 'Київська', formerNames: ['Ленінська'], buildingCount: 4 });
      expect((await get(operator, '/api/streets?limit=201')).statusCode).toBe(400);
      expect((await get(operator, '/api/streets?cursor=garbage')).json().code).toBe('invalid_cursor');
    });
  });

  describe('providers', () => {
    const valid = () => ({ edrpou: `2000001${edrpouCheckDigit('2000001')}`, iban: generateValidIban('322313', '26007233566001'), name: 'ТОВ «Чисте місто»' });

    it('refuses a bad ЄДРПОУ and a bad IBAN, naming the field and why', async () => {
      const badEdrpou = await send(operator, 'POST', '/api/providers', { ...valid(), edrpou: '32855962' });
      expect(badEdrpou.statusCode).toBe(422);
      expect(badEdrpou.headers['content-type']).toContain('application/problem+json');
      expect(badEdrpou.json()).toMatchObject({ code: 'invalid_edrpou', field: 'edrpou' });
      expect(badEdrpou.json().message_uk).toMatch(/ЄДРПОУ.*контрольна цифра.*1/);
      expect(badEdrpou.json().message_en).toMatch(/EDRPOU.*check digit/);

      const iban = valid().iban;
      const wrongDigit = iban.slice(0, -1) + String((Number(iban.slice(-1)) + 1) % 10);
      const badIban = await send(operator, 'POST', '/api/providers', { ...valid(), iban: wrongDigit });
      expect(badIban.json()).toMatchObject({ code: 'invalid_iban', field: 'iban', status: 422 });
      expect(badIban.json().message_uk).toMatch(/IBAN.*mod 97/);
      const shortIban = await send(operator, 'POST', '/api/providers', { ...valid(), iban: 'UA12 3456' });
      expect(shortIban.json()).toMatchObject({ code: 'invalid_iban', field: 'iban' });
      expect(shortIban.json().message_en).toMatch(/29 characters/);
    });

    it('an empty form is refused for its name, ЄДРПОУ and IBAN at once, each by its label', async () => {
      const empty = await send(operator, 'POST', '/api/providers', { name: ' ', edrpou: '', iban: '' });
      expect(empty.statusCode).toBe(422);
      const body = empty.json();
      expect(body.code).toBe('invalid_fields');
      expect(body.issues.map((i: { field: string }) => i.field)).toEqual(['name', 'edrpou', 'iban']);
      expect(body.issues.map((i: { message_uk: string }) => i.message_uk.match(/^Поле «([^»]+)»/)?.[1])).toEqual(['Повна назва', 'Код ЄДРПОУ', 'IBAN']);
      // Labels, never the internal names.
      for (const text of [body.message_uk, body.message_en, ...body.issues.flatMap((i: { message_uk: string; message_en: string }) => [i.message_uk, i.message_en])]) {
        expect(text).not.toMatch(/\((name|edrpou|iban)\)/);
      }
    });

    it('creates, changes and deletes a provider, auditing each write with before and after', async () => {
      const created = await send(operator, 'POST', '/api/providers', { ...valid(), iban: valid().iban.replace(/(.{4})/g, '$1 ').toLowerCase() });
      expect(created.statusCode).toBe(201);
      const p = created.json();
      expect(p).toMatchObject({ name: 'ТОВ «Чисте місто»', iban: valid().iban, shortName: null });

      const dup = await send(admin, 'POST', '/api/providers', { ...valid(), name: 'Інша назва' });
      expect(dup.statusCode).toBe(409);
      expect(dup.json()).toMatchObject({ code: 'duplicate_edrpou', field: 'edrpou' });

      const patched = await send(operator, 'PATCH', `/api/providers/${p.providerId}`, { shortName: 'Чисте місто', phone: '+380432000000' });
      expect(patched.json()).toMatchObject({ shortName: 'Чисте місто', phone: '+380432000000', edrpou: p.edrpou });
      const badPatch = await send(operator, 'PATCH', `/api/providers/${p.providerId}`, { iban: 'UA00' });
      expect(badPatch.json().code).toBe('invalid_iban');

      const audit = (await get(admin, `/api/audit?entity=provider&entityId=${p.providerId}`)).json().items;
      expect(audit.map((a: any) => a.action)).toEqual(['update', 'create']);
      expect(audit[0]).toMatchObject({ userLogin: 'operator', before: { short_name: null, phone: null }, after: { short_name: 'Чисте місто', phone: '+380432000000' } });
      expect(audit[1]).toMatchObject({ before: null, after: { edrpou: p.edrpou, name: 'ТОВ «Чисте місто»' } });

      const removed = await send(operator, 'DELETE', `/api/providers/${p.providerId}`);
      expect(removed.statusCode).toBe(204);
      expect((await get(operator, `/api/providers/${p.providerId}`)).statusCode).toBe(404);
      const afterDelete = (await get(admin, `/api/audit?entity=provider&entityId=${p.providerId}`)).json().items[0];
      expect(afterDelete).toMatchObject({ action: 'delete', before: { name: 'ТОВ «Чисте місто»' }, after: null });
    });

    it('refuses to delete a provider that has accounts', async () => {
      const res = await send(operator, 'DELETE', `/api/providers/${f.energo}`);
      expect(res.statusCode).toBe(409);
      expect(res.json().code).toBe('provider_has_accounts');
    });

    it('shows a provider user only its own provider and lets it write nothing', async () => {
      const list = (await get(vodokanalUser, '/api/providers')).json();
      expect(list.items.map((p: any) => p.providerId)).toEqual([f.vodokanal]);
      expect((await get(vodokanalUser, `/api/providers/${f.vodokanal}`)).json()).toMatchObject({ accountCount: 1 });
      expect((await get(vodokanalUser, `/api/providers/${f.energo}`)).statusCode).toBe(404);
      expect((await send(vodokanalUser, 'PATCH', `/api/providers/${f.vodokanal}`, { name: 'X' })).statusCode).toBe(403);
      expect((await send(city, 'POST', '/api/providers', valid())).statusCode).toBe(403);
      expect((await get(resident, '/api/providers')).statusCode).toBe(403);
      const staff = (await get(city, '/api/providers?limit=1')).json();
      expect(staff.items).toHaveLength(1);
      expect(staff.nextCursor).toBeTruthy();
      expect((await get(city, '/api/providers?q=водоканал')).json().items.map((p: any) => p.providerId)).toEqual([f.vodokanal]);
    });

    it('refuses a write without the CSRF header', async () => {
      const res = await app.inject({ method: 'POST', url: '/api/providers', headers: { cookie: operator.headers.cookie }, payload: valid() });
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('csrf');
    });
  });

  describe('services catalogue', () => {
    it('lists in bill order, validates, refuses duplicates and deleting a service in use, audits', async () => {
      const list = (await get(vodokanalUser, '/api/services')).json();
      expect(list.items.map((s: any) => s.code)).toEqual(['cold_water', 'electricity']);

      const bad = await send(operator, 'POST', '/api/services', { code: 'Waste Removal', nameUk: 'Вивіз ТПВ', nameEn: 'Waste', unit: 'особа' });
      expect(bad.json()).toMatchObject({ code: 'invalid_service_code', field: 'code', status: 422 });
      // An empty form is refused with every empty field named at once, by its label.
      const blank = (await send(operator, 'POST', '/api/services', { code: '', nameUk: '', nameEn: ' ', unit: '' })).json();
      expect(blank).toMatchObject({ code: 'invalid_fields', status: 422 });
      expect(blank.fields).toEqual(['code', 'nameUk', 'nameEn', 'unit']);
      expect(blank.message_uk).toBe('Поле «Код» не заповнене; Поле «Назва українською» не заповнене; Поле «Назва англійською» не заповнене; Поле «Одиниця виміру» не заповнене');
      const created = await send(operator, 'POST', '/api/services', { code: 'waste', nameUk: 'Вивіз ТПВ', nameEn: 'Waste removal', unit: 'особа', sortOrder: 15 });
      expect(created.statusCode).toBe(201);
      const s = created.json();
      expect(s).toMatchObject({ code: 'waste', metered: false, sortOrder: 15 });
      expect((await get(operator, '/api/services')).json().items.map((x: any) => x.code)).toEqual(['cold_water', 'waste', 'electricity']);
      const dup = await send(operator, 'POST', '/api/services', { code: 'waste', nameUk: 'x', nameEn: 'x', unit: 'x' });
      expect(dup.json()).toMatchObject({ code: 'duplicate_service_code', field: 'code' });
      const empty = await send(operator, 'PATCH', `/api/services/${s.serviceId}`, { nameUk: '  ' });
      expect(empty.json()).toMatchObject({ field: 'nameUk', status: 422 });
      const patched = await send(operator, 'PATCH', `/api/services/${s.serviceId}`, { unit: 'м³' });
      expect(patched.json().unit).toBe('м³');
      expect((await send(operator, 'DELETE', `/api/services/${f.coldWater}`)).json().code).toBe('service_has_accounts');
      expect((await send(resident, 'DELETE', `/api/services/${s.serviceId}`)).statusCode).toBe(403);
      expect((await send(operator, 'DELETE', `/api/services/${s.serviceId}`)).statusCode).toBe(204);
      const audit = (await get(city, `/api/audit?entity=service&entityId=${s.serviceId}`)).json().items;
      expect(audit.map((a: any) => a.action)).toEqual(['delete', 'update', 'create']);
      expect(audit[1]).toMatchObject({ before: { unit: 'особа' }, after: { unit: 'м³' } });
    });
  });

  describe('jobs', () => {
    it('shows progress to staff and to the user who started the job, and to no one else', async () => {
      const users = await h.db.selectFrom('app_user').select(['user_id', 'login']).execute();
      const idOf = (login: string) => users.find((u) => u.login === login)!.user_id;
      const jobs = await h.db
        .insertInto('job')
        .values([
          { community_id: C, kind: 'import', params: JSON.stringify({ file: 'a.csv' }), created_by: idOf('vodokanal'), status: 'running', progress_done: 40, progress_total: 100, message: 'Рядок 40 зі 100' },
          { community_id: C, kind: 'billing-run', params: JSON.stringify({}), created_by: idOf('operator') },
        ])
        .returning('job_id')
        .execute();
      const [mine, other] = jobs.map((j) => j.job_id);
      const own = await get(vodokanalUser, `/api/jobs/${mine}`);
      expect(own.json()).toMatchObject({ jobId: mine, kind: 'import', status: 'running', progressDone: 40, progressTotal: 100, message: 'Рядок 40 зі 100', startedAt: null });
      expect((await get(vodokanalUser, `/api/jobs/${other}`)).statusCode).toBe(403);
      expect((await get(vodokanalUser, '/api/jobs')).json().items.map((j: any) => j.jobId)).toEqual([mine]);
      expect((await get(city, '/api/jobs')).json().items.map((j: any) => j.jobId)).toEqual([other, mine]);
      expect((await get(city, '/api/jobs?kind=import')).json().items.map((j: any) => j.jobId)).toEqual([mine]);
      expect((await get(city, '/api/jobs/999999')).statusCode).toBe(404);
      expect((await get(undefined, `/api/jobs/${mine}`)).statusCode).toBe(401);
    });
  });

  it('publishes every route in the OpenAPI document', async () => {
    const doc = (await get(undefined, '/api/openapi.json')).json();
    for (const path of ['/api/addresses/search', '/api/buildings/{id}', '/api/premises/{id}', '/api/streets', '/api/providers', '/api/providers/{id}', '/api/services', '/api/services/{id}', '/api/jobs/{id}', '/api/jobs', '/api/session', '/api/auth/sign-in', '/api/audit']) {
      expect(doc.paths[path], path).toBeDefined();
    }
  });
});
