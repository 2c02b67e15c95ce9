/**
 * The meter rule (issue #18 item 4), as a table: a provider installs, replaces or reads only meters
 * of the services it supplies through an open account on the meter's premise (its building, for a
 * building meter); an operator any. The billing town: Водоканал (1) supplies cold water on premises
 * 1–3, Енергозбут (2) electricity on 1–3, Теплоенерго (3) heating on 1–6 (building 2 has a heat
 * meter, no. 6). Each row is one call; the rule lives in repo.providerServesMeter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/db';
import type { DatabaseHandle } from '../../src/db/index';
import type { SessionUser } from '../../src/server/context';
import { createBillingFixture } from './billing-fixture';
import { upsertMetersBulk } from '../../src/metering/service/meters';
import { assertMeterAccess } from '../../src/metering/service/access';
import { AppError } from '../../src/shared/errors';

const user = (role: SessionUser['role'], providerId: number | null): SessionUser => ({ userId: 1, communityId: 1, login: role, displayName: role, role, providerId });
const water = user('provider', 1);
const power = user('provider', 2);
const heat = user('provider', 3);
const operator = user('operator', null);

describe('the meter rule: a provider only for the services it supplies there, an operator for any', () => {
  let h: DatabaseHandle;
  beforeAll(async () => {
    h = await createTestDatabase();
    await createBillingFixture(h.db);
  });
  afterAll(async () => h?.close());

  const installs: Array<[string, SessionUser, { serviceId: number; premiseId: number }, boolean]> = [
    ['Водоканал: cold water on premise 3 (its account В-3)', water, { serviceId: 1, premiseId: 3 }, true],
    ['Водоканал: electricity on premise 2 (another provider’s service)', water, { serviceId: 2, premiseId: 2 }, false],
    ['Водоканал: cold water on premise 4 (no account there)', water, { serviceId: 1, premiseId: 4 }, false],
    ['Водоканал: heating on premise 1 (Теплоенерго’s)', water, { serviceId: 3, premiseId: 1 }, false],
    ['Енергозбут: electricity on premise 2 (its account Е-2)', power, { serviceId: 2, premiseId: 2 }, true],
    ['Енергозбут: electricity on premise 5 (no account there)', power, { serviceId: 2, premiseId: 5 }, false],
    ['operator: cold water on premise 5 (any service, any premise)', operator, { serviceId: 1, premiseId: 5 }, true],
  ];
  it.each(installs)('install — %s', async (_name, actor, where, allowed) => {
    const [result] = await upsertMetersBulk(h.db, actor, [{ serial: `RULE-${actor.login}-${where.serviceId}-${where.premiseId}`, ...where, installedOn: '2026-10-01' }]);
    expect(result!.outcome).toBe(allowed ? 'created' : 'rejected');
    if (!allowed) expect(result!.message_en).toMatch(/do not supply this service/);
  });

  // Meters of the fixture: 1 cold water on premise 1, 3 cold water for building 1, 4 electricity on
  // premise 1, 6 heating for building 2.
  const reads: Array<[string, SessionUser, number, boolean]> = [
    ['Водоканал reads its cold-water meter 1', water, 1, true],
    ['Водоканал reads building 1’s cold-water meter 3 (it supplies premises there)', water, 3, true],
    ['Водоканал reads electricity meter 4', water, 4, false],
    ['Водоканал reads building 2’s heat meter 6', water, 6, false],
    ['Енергозбут reads electricity meter 4', power, 4, true],
    ['Теплоенерго reads building 2’s heat meter 6', heat, 6, true],
    ['Теплоенерго reads cold-water meter 1', heat, 1, false],
    ['operator reads heat meter 6', operator, 6, true],
  ];
  it.each(reads)('read, replace — %s', async (_name, actor, meterId, allowed) => {
    const outcome = await assertMeterAccess(h.db, actor, meterId).then(
      () => 'allowed',
      (e: unknown) => (e instanceof AppError ? e.status : e),
    );
    expect(outcome).toBe(allowed ? 'allowed' : 403);
  });
});
