import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/index';
import { seedDemoAcquirer, startDemoAcquirer } from '../../src/payments/demo-acquirer';
import { encodeData, liqpaySignature } from '../../src/payments/liqpay';
import { createTestDatabase } from '../helpers/db';
import { createBillingFixture } from './billing-fixture';

describe("the demo's sandbox card acquirer", () => {
  let h: DatabaseHandle;
  beforeAll(async () => {
    h = await createTestDatabase();
    await createBillingFixture(h.db);
  }, 120_000);
  afterAll(() => h?.close());

  it('never runs for a community without the sandbox agent, nor when a real acquirer is configured', async () => {
    expect(await startDemoAcquirer(h.db, 1, 'http://127.0.0.1:1', {})).toBeNull();
    await seedDemoAcquirer(h.db, 1);
    expect(await startDemoAcquirer(h.db, 1, 'http://127.0.0.1:1', { HROMADA_ACQUIRER_URL: 'https://acquirer.example' })).toBeNull();
    expect(await startDemoAcquirer(h.db, 1, 'http://127.0.0.1:1', { HROMADA_ACQUIRER: 'liqpay' })).toBeNull();
  });

  it('is seeded once and runs with its key, the card settings pointing at it and back at the server', async () => {
    await seedDemoAcquirer(h.db, 1);
    const keys = await h.db.selectFrom('agent_key as k').innerJoin('payment_agent as a', 'a.agent_id', 'k.agent_id').select(['k.key_id', 'k.secret']).where('a.code', '=', 'sandbox').execute();
    expect(keys).toHaveLength(1);
    const env: Record<string, string | undefined> = {};
    const sandbox = (await startDemoAcquirer(h.db, 1, 'http://127.0.0.1:3917', env))!;
    try {
      expect(env).toEqual({ HROMADA_ACQUIRER: 'sandbox', HROMADA_ACQUIRER_URL: sandbox.url, HROMADA_PUBLIC_URL: 'http://127.0.0.1:3917' });
      // It takes an order signed with the seeded key, and no other.
      const data = encodeData({ version: 3, public_key: keys[0]!.key_id, action: 'pay', amount: '1.00', currency: 'UAH', description: 'test', order_id: 'o1', server_url: 'http://127.0.0.1:1/callback' });
      const post = (signature: string) => fetch(`${sandbox.url}/api/3/checkout`, { method: 'POST', body: new URLSearchParams({ data, signature, card: '4000000000000259' }) });
      expect((await post(liqpaySignature('another key', data))).status).toBe(400);
      expect(await (await post(liqpaySignature(keys[0]!.secret, data))).json()).toMatchObject({ status: 'processing', order_id: 'o1' });
    } finally {
      await sandbox.close();
    }
  });
});
