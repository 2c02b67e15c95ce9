/**
 * The README's set-up sequence, run line by line through the `hromada` command on a fresh
 * embedded database: a community, its register, a provider and its service, and the provider's
 * hand-written file (docs/examples/accounts-by-hand.csv, its last column the premise each row
 * means, «—» where no machine may decide).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/index';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/hromada.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hromada-cli-'));
fs.symlinkSync(path.join(ROOT, 'docs'), path.join(dir, 'docs'));
const env: NodeJS.ProcessEnv = { ...process.env, HROMADA_DATA_DIR: path.join(dir, 'data') };
delete env.DATABASE_URL;

/** Words of a shell line, with "double-quoted" words kept whole. */
const words = (line: string) => [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
const hromada = (args: string[]) => run(process.execPath, [BIN, ...args], { cwd: dir, env, timeout: 120_000 });

function readmeSequence(): string[][] {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Set up a new community with the CLI alone'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1];
  return block.trim().split('\n').map((line) => words(line).slice(2)); // drop «npx hromada»
}

describe('a new community set up with the CLI alone, following the README', () => {
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates the community, its register, provider and service, and imports the hand-written file', async () => {
    const steps = readmeSequence();
    expect(steps.map((s) => s.slice(0, 2).join(' '))).toEqual(['community add', 'import -', 'provider add', 'service add', 'import 32855961', 'import 32855961']);
    const outputs: string[] = [];
    for (const args of steps) outputs.push((await hromada(args)).stdout);
    expect(outputs[0]).toContain('Community created: 7');

    const h = await openDatabase({ dataDir: path.join(dir, 'data') });
    try {
      const dry = await sql<{ row_no: number; status: string; account: string; got: string | null }>`
        select m.row_no, m.status, r.account_number as account,
               case when p.premise_id is null then null else premise_address(st.type, st.name, b.house_key, p.apartment_key) end as got
          from data_import i
          join import_match m on m.community_id = i.community_id and m.import_id = i.import_id
          join import_row r on r.community_id = m.community_id and r.import_id = m.import_id and r.row_no = m.row_no
          left join premise p on p.community_id = m.community_id and p.premise_id = m.premise_id
          left join building b on b.community_id = p.community_id and b.building_id = p.building_id
          left join street st on st.community_id = b.community_id and st.street_id = b.street_id
         where i.community_id = 7 and i.kind = 'accounts' and i.dry_run
         order by m.row_no`.execute(h.db);
      expect(dry.rows.length).toBeGreaterThan(20);
      const expectedOf = async (account: string) => {
        const line = fs.readFileSync(path.join(ROOT, 'docs/examples/accounts-by-hand.csv'), 'utf8').split('\n').find((l) => l.startsWith(`${account};`))!;
        return line.split(';')[3].trim();
      };
      let existing = 0;
      let matched = 0;
      for (const row of dry.rows) {
        const expected = await expectedOf(row.account);
        if (expected === '—') {
          expect(['review', 'new'], `${row.account}: nothing may be matched`).toContain(row.status);
          continue;
        }
        existing++;
        if (row.status === 'matched') {
          expect(row.got, `${row.account}: a false match`).toBe(expected);
          matched++;
        }
      }
      expect(matched / existing).toBeGreaterThanOrEqual(0.95);
      expect(outputs[4]).toContain(`"dryRun":true`);
      expect(outputs[4]).toContain(`"matched":${matched},`);

      // The real import created an account for every matched row.
      const accounts = await h.db.selectFrom('account').select(sql<number>`count(*)::int`.as('n')).where('community_id', '=', 7).executeTakeFirstOrThrow();
      expect(accounts.n).toBe(matched);
    } finally {
      await h.close();
    }

    // Bad input names the field: a ЄДРПОУ with a wrong check digit.
    const bad = await hromada(['provider', 'add', '--community', '7', '--edrpou', '32855962', '--iban', 'UA213223130000026007233566001', '--name', 'X']).then(
      () => null,
      (err: { stderr: string; code: number }) => err,
    );
    expect(bad?.code).toBe(1);
    expect(bad?.stderr).toContain('EDRPOU');
  }, 300_000);
});
