import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../../src/db/index';
import { inject } from 'vitest';
import { TEMPLATE_DB } from '../global-setup';

/**
 * A fresh, migrated database for one test file: a clone of the template that the global setup
 * migrated once — a PostgreSQL database when TEST_DATABASE_URL is set, PGlite otherwise.
 */
export async function createTestDatabase(): Promise<DatabaseHandle> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const name = `hromada_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database ${name} template ${TEMPLATE_DB}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const handle = await openDatabase({ url: url.toString(), poolSize: 4 });
    const close = handle.close;
    handle.close = async () => {
      await close();
      const dropper = new pg.Client({ connectionString: serverUrl });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    };
    return handle;
  }
  const dump = fs.readFileSync(inject('pgliteTemplateFile'));
  return openDatabase({ dataDir: 'memory://', loadDataDir: new Blob([dump]) });
}
