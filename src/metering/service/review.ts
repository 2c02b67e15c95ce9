// ---------------------------------------------------------------------------------------------
// Review queue
// ---------------------------------------------------------------------------------------------

import { sql } from 'kysely';
import type { Db, DbOrTx } from '../../db/index';
import type { SessionUser } from '../../server/context';
import { AppError, forbidden, notFound, type Bilingual } from '../../shared/errors';
import { writeAudit } from '../../auth/audit';
import { decodeCursor, pageOf } from '../../shared/pagination';
import { lastReadings, providerServesMeter } from '../repo';

export async function listReviewQueue(db: DbOrTx, actor: SessionUser, page: { limit: number; cursor?: string }) {
  if (!['admin', 'operator', 'provider'].includes(actor.role)) throw forbidden();
  const after = decodeCursor(page.cursor, ['number']);
  let query = db
    .selectFrom('meter_reading as r')
    .innerJoin('meter as m', (j) => j.onRef('m.community_id', '=', 'r.community_id').onRef('m.meter_id', '=', 'r.meter_id'))
    .innerJoin('service as s', (j) => j.onRef('s.community_id', '=', 'm.community_id').onRef('s.service_id', '=', 'm.service_id'))
    .leftJoin('premise as p', (j) => j.onRef('p.community_id', '=', 'm.community_id').onRef('p.premise_id', '=', 'm.premise_id'))
    .innerJoin('building as b', (j) => j.onRef('b.community_id', '=', 'm.community_id').onRef('b.building_id', '=', 'm.building_id'))
    .innerJoin('street as st', (j) => j.onRef('st.community_id', '=', 'b.community_id').onRef('st.street_id', '=', 'b.street_id'))
    .select([
      // The whole address (a building meter's without a flat): «кв. 1» alone says nothing in a city's queue.
      sql<string>`premise_address(st.type, st.name, b.house_key, p.apartment_key)`.as('address'),
      'r.reading_id',
      'r.meter_id',
      'm.serial',
      'm.premise_id',
      'm.building_id',
      'p.number as premise_number',
      's.name_uk as service_name_uk',
      's.name_en as service_name_en',
      's.unit',
      'r.read_on',
      'r.period',
      'r.value1',
      'r.value2',
      'r.value3',
      'r.channel',
      'r.submitted_at',
      'r.reason_code',
      'r.reason_uk',
      'r.reason_en',
    ])
    .where('r.community_id', '=', actor.communityId)
    .where('r.status', '=', 'needs_review');
  if (actor.role === 'provider') query = query.where(providerServesMeter(actor.providerId));
  if (after) query = query.where('r.reading_id', '>', after[0] as number);
  const rows = await query.orderBy('r.reading_id').limit(page.limit + 1).execute();
  const previous = await lastAcceptedBefore(db, actor.communityId, rows.map((r) => ({ meterId: r.meter_id, readingId: r.reading_id })));
  return pageOf(rows, page.limit, (r) => [r.reading_id], (r) => ({
    ...r,
    submitted_at: new Date(r.submitted_at).toISOString(),
    previous: previous.get(r.reading_id) ?? null,
  }));
}

async function lastAcceptedBefore(db: DbOrTx, communityId: number, items: { meterId: number; readingId: number }[]) {
  const out = new Map<number, { read_on: string; value1: string; value2: string | null; value3: string | null }>();
  if (items.length === 0) return out;
  const meterIds = [...new Set(items.map((i) => i.meterId))];
  const accepted = await lastReadings(db, communityId, meterIds, 50);
  for (const item of items) {
    const prev = accepted.find((a) => a.meter_id === item.meterId && a.status === 'accepted' && a.reading_id !== item.readingId);
    if (prev) out.set(item.readingId, { read_on: prev.read_on, value1: prev.value1, value2: prev.value2, value3: prev.value3 });
  }
  return out;
}

/** An operator (or the meter's provider) accepts or rejects a reading held for review. */
export async function reviewReading(db: Db, actor: SessionUser, readingId: number, decision: { accept: true } | { accept: false; reason: string }) {
  if (!['admin', 'operator', 'provider'].includes(actor.role)) throw forbidden();
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('meter_reading as r')
      .innerJoin('meter as m', (j) => j.onRef('m.community_id', '=', 'r.community_id').onRef('m.meter_id', '=', 'r.meter_id'))
      .selectAll('r')
      .select(providerServesMeter(actor.providerId).as('served'))
      .where('r.community_id', '=', actor.communityId)
      .where('r.reading_id', '=', readingId)
      .forUpdate()
      .executeTakeFirst();
    if (!row || (actor.role === 'provider' && !row.served)) throw notFound({ uk: `Показник №${readingId}`, en: `Reading #${readingId}` });
    if (row.status !== 'needs_review') {
      throw new AppError('not_in_review', 409, { uk: `Показник №${readingId} не чекає на перевірку (стан: ${row.status})`, en: `Reading #${readingId} is not awaiting review (status: ${row.status})` });
    }
    const reason: Bilingual = decision.accept
      ? { uk: `Прийнято після перевірки. ${row.reason_uk ?? ''}`.trim(), en: `Accepted on review. ${row.reason_en ?? ''}`.trim() }
      : { uk: `Відхилено під час перевірки: ${decision.reason}`, en: `Rejected on review: ${decision.reason}` };
    const after = await trx
      .updateTable('meter_reading')
      .set({
        status: decision.accept ? 'accepted' : 'rejected',
        reason_code: decision.accept ? row.reason_code : 'rejected_on_review',
        reason_uk: reason.uk,
        reason_en: reason.en,
        reviewed_by: actor.userId,
        reviewed_at: new Date(),
      })
      .where('community_id', '=', actor.communityId)
      .where('reading_id', '=', readingId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, actor, decision.accept ? 'accept_reading' : 'reject_reading', 'meter_reading', readingId, row, after);
    return after;
  });
}
