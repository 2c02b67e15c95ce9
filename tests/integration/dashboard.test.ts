import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { DatabaseHandle } from '../../src/db/index';
import { buildApp } from '../../src/server/app';
import { createUser } from '../../src/auth/service';
import { dashboardFor } from '../../src/dashboard/service';
import type { SessionUser } from '../../src/server/context';
import { createTestDatabase } from '../helpers/db';
import { signInAs, testContext } from '../helpers/http';

const PASSWORD = 'correct horse battery';
const TODAY = '2026-11-26';
const operator: SessionUser = { userId: 1, communityId: 1, login: 'operator', displayName: 'Оператор', role: 'operator', providerId: null };

describe('staff dashboard figures', () => {
  let h: DatabaseHandle;
  let app: FastifyInstance;

  beforeAll(async () => {
    h = await createTestDatabase();
    const db = h.db;
    await db
      .insertInto('community')
      .values([
        { community_id: 1, name: 'Тестова громада', katottg: 'UA05020030000031457' },
        { community_id: 2, name: 'Сусідня громада', katottg: 'UA05020030020063505' },
      ])
      .execute();
    await db
      .insertInto('street')
      .values([
        { community_id: 1, street_id: 1, type: 'вулиця', name: 'Київська', name_key: 'київська', translit_key: 'kyivska' },
        { community_id: 2, street_id: 1, type: 'вулиця', name: 'Сусідня', name_key: 'сусідня', translit_key: 'susidnia' },
      ])
      .execute();
    await db
      .insertInto('building')
      .values([
        { community_id: 1, building_id: 1, street_id: 1, number: 12, letter: 'а', house_key: '12а' },
        { community_id: 1, building_id: 2, street_id: 1, number: 14, house_key: '14' },
        { community_id: 2, building_id: 1, street_id: 1, number: 1, house_key: '1' },
      ])
      .execute();
    await db
      .insertInto('premise')
      .values([
        { community_id: 1, premise_id: 1, building_id: 1, number: '1', apartment_key: '1' },
        { community_id: 1, premise_id: 2, building_id: 1, number: '2', apartment_key: '2' },
        { community_id: 1, premise_id: 3, building_id: 2, number: null, apartment_key: '' },
        { community_id: 2, premise_id: 1, building_id: 1, number: null, apartment_key: '' },
      ])
      .execute();
    await db
      .insertInto('provider')
      .values([
        { community_id: 1, provider_id: 1, edrpou: '32855961', iban: 'UA213223130000026007233566001', name: 'Водоканал' },
        { community_id: 2, provider_id: 1, edrpou: '32855961', iban: 'UA213223130000026007233566001', name: 'Водоканал сусідів' },
      ])
      .execute();
    await db
      .insertInto('service')
      .values([
        { community_id: 1, service_id: 1, code: 'cold_water', name_uk: 'Холодна вода', name_en: 'Cold water', unit: 'м³', sort_order: 20 },
        { community_id: 1, service_id: 2, code: 'heat', name_uk: 'Опалення', name_en: 'Heating', unit: 'Гкал', sort_order: 10 },
        { community_id: 1, service_id: 3, code: 'intercom', name_uk: 'Домофон', name_en: 'Intercom', unit: 'міс.', sort_order: 30 },
        { community_id: 2, service_id: 1, code: 'cold_water', name_uk: 'Холодна вода', name_en: 'Cold water', unit: 'м³', sort_order: 20 },
      ])
      .execute();
    await db
      .insertInto('account')
      .values([
        // premise 1: water open; heating closed before today (not counted)
        { community_id: 1, provider_id: 1, premise_id: 1, service_id: 1, number: 'W-1', opened_on: '2020-01-01' },
        { community_id: 1, provider_id: 1, premise_id: 1, service_id: 2, number: 'H-1', opened_on: '2020-01-01', closed_on: '2026-10-31' },
        // premise 2: water that closes at the end of the year is still open today
        { community_id: 1, provider_id: 1, premise_id: 2, service_id: 1, number: 'W-2', opened_on: '2021-03-01', closed_on: '2026-12-31' },
        // premise 3: heating open
        { community_id: 1, provider_id: 1, premise_id: 3, service_id: 2, number: 'H-3', opened_on: '2022-01-01' },
        // the other community's account must not be counted
        { community_id: 2, provider_id: 1, premise_id: 1, service_id: 1, number: 'W-9', opened_on: '2020-01-01' },
      ])
      .execute();
    await db
      .insertInto('person')
      .values([1, 2, 3, 4].map((id) => ({ community_id: 1, person_id: id, last_name: `Прізвище${id}`, first_name: 'Ім’я' })))
      .execute();
    await db
      .insertInto('registration')
      .values([
        { community_id: 1, person_id: 1, premise_id: 1, registered_from: '2020-01-01' }, // counted
        { community_id: 1, person_id: 1, premise_id: 3, registered_from: '2025-01-01' }, // same person: counted once
        { community_id: 1, person_id: 2, premise_id: 1, registered_from: '2020-01-01', registered_to: '2026-06-30' }, // left
        { community_id: 1, person_id: 3, premise_id: 2, registered_from: '2026-12-01' }, // not yet
        { community_id: 1, person_id: 4, premise_id: 2, registered_from: '2019-05-05', registered_to: TODAY }, // last day today
      ])
      .execute();
    await createUser(db, { communityId: 1, login: 'operator', password: PASSWORD, role: 'operator', displayName: 'Оператор ЦОД' });
    await createUser(db, { communityId: 1, login: 'resident', password: PASSWORD, role: 'resident', displayName: 'Мешканка', premiseIds: [1] });
    app = await buildApp(testContext(h));
  });
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  it('counts the registry of one community as it stands today', async () => {
    const dashboard = await dashboardFor(h.db, operator, TODAY);
    expect(dashboard.counts).toEqual({ buildings: 2, premises: 3, registeredPersons: 2, openAccounts: 3, providers: 1, services: 3 });
  });

  it('gives open accounts per service in bill order, services without accounts included', async () => {
    const dashboard = await dashboardFor(h.db, operator, TODAY);
    expect(dashboard.accountsByService.map((s) => [s.code, s.nameUk, s.openAccounts])).toEqual([
      ['heat', 'Опалення', 1],
      ['cold_water', 'Холодна вода', 2],
      ['intercom', 'Домофон', 0],
    ]);
  });

  it('is served to staff at GET /api/dashboard and refused to residents and anonymous callers', async () => {
    const staff = await signInAs(app, 'operator', PASSWORD);
    const ok = await app.inject({ method: 'GET', url: '/api/dashboard', headers: staff.headers });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().counts).toMatchObject({ buildings: 2, premises: 3, providers: 1, services: 3 });

    const resident = await signInAs(app, 'resident', PASSWORD);
    const refused = await app.inject({ method: 'GET', url: '/api/dashboard', headers: resident.headers });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('forbidden');

    const anonymous = await app.inject({ method: 'GET', url: '/api/dashboard' });
    expect(anonymous.statusCode).toBe(401);
  });
});
