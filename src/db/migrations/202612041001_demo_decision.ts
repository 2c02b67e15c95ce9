import type { Kysely } from 'kysely';
import { execSql } from '../index';

// #17: the demo city's approved tariffs cited «Рішення виконкому (демо) / city decision (demo)», two
// languages in one field that the page printed whole in either; they now cite a document number
// (src/billing/demo.ts, DEMO_DECISION). Only that exact demo text is touched.
export async function up(db: Kysely<any>): Promise<void> {
  await execSql(db, `update approved_tariff set decision = '№ 1/2026' where decision = 'Рішення виконкому (демо) / city decision (demo)';`);
}
