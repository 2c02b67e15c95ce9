import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/db';
import type { DatabaseHandle } from '../../src/db/index';

describe('metering schema', () => {
  let h: DatabaseHandle;
  beforeAll(async () => {
    h = await createTestDatabase();
  }, 30_000);
  afterAll(() => h?.close());

  it('has the tables billing reads', async () => {
    const rows = await h.db.selectFrom('meter_consumption').selectAll().execute();
    expect(rows).toEqual([]);
  });
});
