// ---------------------------------------------------------------------------------------------
// Meters
// ---------------------------------------------------------------------------------------------

import { sql } from 'kysely';
import type { Db, DbOrTx } from '../../db/index';
import type { SessionUser } from '../../server/context';
import { forbidden, invalid } from '../../shared/errors';
import { isIsoDate, periodOf } from '../../shared/period';
import { writeAudit } from '../../auth/audit';
import { insertReadings, type NewReading } from '../repo';
import type { ReadingChannel } from '../tables';
import { assertMeterAccess } from './access';
import { submitReadingsBulk, type ReadingResult } from './submit';

/** A new meter's first reading: what it showed when installed, accepted as it is. */
function initialReading(meterId: number, on: string, values: NewReading['values'], channel: ReadingChannel, submittedBy: number | null): NewReading {
  return {
    meterId,
    readOn: on,
    period: periodOf(on),
    kind: 'initial',
    values,
    channel,
    submittedBy,
    status: 'accepted',
    reasonCode: null,
    reasonUk: null,
    reasonEn: null,
    flags: [],
    externalRef: null,
  };
}

export interface MeterInput {
  serial: string;
  serviceId?: number;
  serviceCode?: string;
  /** An individual meter names its premise; a building meter its building. */
  premiseId?: number | null;
  buildingId?: number;
  providerId?: number | null;
  zones?: number;
  digits?: number;
  multiplier?: string;
  installedOn: string;
  verifiedUntil?: string | null;
  /** The reading at installation (one value per zone): the new meter's starting point. */
  initialValues?: string[];
}

export interface MeterUpsertResult {
  row: number;
  meterId: number | null;
  outcome: 'created' | 'updated' | 'rejected';
  message_uk: string;
  message_en: string;
}

/** Creates or updates meters keyed by service and serial, set-based (a few statements per call). */
export async function upsertMetersBulk(db: Db, actor: SessionUser, rows: MeterInput[]): Promise<MeterUpsertResult[]> {
  if (!['admin', 'operator', 'provider'].includes(actor.role)) throw forbidden();
  const c = actor.communityId;
  const results = await db.transaction().execute(async (trx) => {
    const services = await trx.selectFrom('service').select(['service_id', 'code']).where('community_id', '=', c).execute();
    const serviceByCode = new Map(services.map((s) => [s.code, s.service_id]));
    const serviceIds = new Set(services.map((s) => s.service_id));
    const premiseIds = [...new Set(rows.map((r) => r.premiseId).filter((v): v is number => typeof v === 'number'))];
    const premises = premiseIds.length
      ? await trx.selectFrom('premise').select(['premise_id', 'building_id']).where('community_id', '=', c).where('premise_id', 'in', premiseIds).execute()
      : [];
    const buildingOf = new Map(premises.map((p) => [p.premise_id, p.building_id]));
    // A provider installs meters only of the services it supplies there (repo.providerServesMeter).
    const served = actor.role === 'provider' ? await providerServedPlaces(trx, c, actor.providerId, [...new Set([...buildingOf.values(), ...rows.map((r) => r.buildingId).filter((v): v is number => typeof v === 'number')])]) : null;
    const existing = await trx
      .selectFrom('meter')
      .select(['meter_id', 'service_id', 'serial', 'premise_id', 'provider_id', 'zones', 'digits', 'multiplier', 'verified_until'])
      .where('community_id', '=', c)
      .where('status', '<>', 'retired')
      .where('serial', 'in', rows.length ? [...new Set(rows.map((r) => r.serial.trim()))] : [''])
      .execute();
    const live = new Map(existing.map((m) => [`${m.service_id}|${m.serial}`, m]));

    const out: MeterUpsertResult[] = [];
    const valid: { row: number; input: MeterInput; serviceId: number; buildingId: number; providerId: number | null }[] = [];
    const seen = new Set<string>();
    rows.forEach((input, row) => {
      const fail = (uk: string, en: string) => out.push({ row, meterId: null, outcome: 'rejected', message_uk: uk, message_en: en });
      const serviceId = input.serviceId ?? (input.serviceCode ? serviceByCode.get(input.serviceCode) : undefined);
      if (serviceId === undefined || !serviceIds.has(serviceId)) return fail(`Послугу ${input.serviceCode ?? input.serviceId ?? ''} не знайдено`, `Service ${input.serviceCode ?? input.serviceId ?? ''} not found`);
      const serial = input.serial.trim();
      if (!serial) return fail('Не вказано заводський номер лічильника', 'The meter serial is missing');
      if (!isIsoDate(input.installedOn)) return fail(`Дата встановлення «${input.installedOn}» — не дата РРРР-ММ-ДД`, `Installation date "${input.installedOn}" is not YYYY-MM-DD`);
      if (input.verifiedUntil && !isIsoDate(input.verifiedUntil)) return fail(`Дата повірки «${input.verifiedUntil}» — не дата`, `Verification date "${input.verifiedUntil}" is not a date`);
      const zones = input.zones ?? 1;
      if (![1, 2, 3].includes(zones)) return fail(`Кількість зон ${zones}: має бути 1, 2 або 3`, `Zones ${zones}: must be 1, 2 or 3`);
      let buildingId = input.buildingId;
      if (input.premiseId != null) {
        buildingId = buildingOf.get(input.premiseId);
        if (buildingId === undefined) return fail(`Приміщення №${input.premiseId} не знайдено`, `Premise #${input.premiseId} not found`);
      }
      if (buildingId === undefined) return fail('Не вказано ні приміщення, ні будинку лічильника', 'Neither the premise nor the building of the meter is given');
      const providerId = actor.role === 'provider' ? actor.providerId : (input.providerId ?? null);
      if (served && !served.has(input.premiseId != null ? `p${input.premiseId}|${serviceId}` : `b${buildingId}|${serviceId}`)) {
        return fail('Ви не постачаєте цю послугу в цьому приміщенні (немає відкритого особового рахунку)', 'You do not supply this service at this premise (no open account)');
      }
      const key = `${serviceId}|${serial}`;
      if (seen.has(key)) return fail(`Лічильник ${serial} повторюється у файлі`, `Meter ${serial} appears twice in the file`);
      seen.add(key);
      const current = live.get(key);
      if (current) {
        if (actor.role === 'provider' && current.provider_id !== actor.providerId) return fail(`Лічильник ${serial} обслуговує інший постачальник`, `Meter ${serial} belongs to another provider`);
        if (input.zones !== undefined && current.zones !== input.zones) {
          return fail(
            `Лічильник ${serial} має ${current.zones} зон(и), а не ${zones}: інший лічильник — оформіть заміну`,
            `Meter ${serial} has ${current.zones} zone(s), not ${zones}: a different meter is a replacement`,
          );
        }
        if ((current.premise_id ?? null) !== (input.premiseId ?? null)) {
          return fail(`Лічильник ${serial} уже встановлено в іншому приміщенні: спершу замініть або зніміть його`, `Meter ${serial} is installed at another premise: replace or remove it first`);
        }
      }
      // What a file leaves out of an existing meter stays as it is (not the defaults of a new one).
      const kept = current
        ? { zones: current.zones, digits: input.digits ?? current.digits, multiplier: input.multiplier ?? current.multiplier, verifiedUntil: input.verifiedUntil !== undefined ? input.verifiedUntil : current.verified_until }
        : {};
      valid.push({ row, input: { ...input, serial, ...kept }, serviceId, buildingId, providerId });
    });

    if (valid.length) {
      const col = <T>(f: (v: (typeof valid)[number]) => T) => valid.map(f);
      const upserted = await sql<{ meter_id: number; serial: string; service_id: number; created: boolean }>`
insert into meter (community_id, kind, premise_id, building_id, service_id, provider_id, serial, zones, digits, multiplier, installed_on, verified_until)
select ${c}, case when premise_id is null then 'building' else 'individual' end, premise_id, building_id, service_id, provider_id,
       serial, zones, digits, multiplier, installed_on, verified_until
from unnest(${col((v) => v.input.premiseId ?? null)}::bigint[], ${col((v) => v.buildingId)}::bigint[], ${col((v) => v.serviceId)}::bigint[],
            ${col((v) => v.providerId)}::bigint[], ${col((v) => v.input.serial)}::text[], ${col((v) => v.input.zones ?? 1)}::smallint[],
            ${col((v) => v.input.digits ?? 5)}::smallint[], ${col((v) => v.input.multiplier ?? '1')}::numeric[],
            ${col((v) => v.input.installedOn)}::date[], ${col((v) => v.input.verifiedUntil ?? null)}::date[])
  as t(premise_id, building_id, service_id, provider_id, serial, zones, digits, multiplier, installed_on, verified_until)
on conflict (community_id, service_id, serial) where status <> 'retired' do update set
  digits = excluded.digits, multiplier = excluded.multiplier,
  verified_until = excluded.verified_until, provider_id = coalesce(excluded.provider_id, meter.provider_id)
returning meter_id, serial, service_id, (xmax = 0) as created`.execute(trx);
      const idOf = new Map(upserted.rows.map((r) => [`${r.service_id}|${r.serial}`, r]));
      const initial: NewReading[] = [];
      for (const v of valid) {
        const r = idOf.get(`${v.serviceId}|${v.input.serial}`)!;
        out.push({
          row: v.row,
          meterId: r.meter_id,
          outcome: r.created ? 'created' : 'updated',
          message_uk: r.created ? 'Лічильник додано' : 'Лічильник оновлено',
          message_en: r.created ? 'Meter added' : 'Meter updated',
        });
        if (r.created && v.input.initialValues?.length) {
          initial.push(
            initialReading(r.meter_id, v.input.installedOn, v.input.initialValues, actor.role === 'provider' ? 'provider_file' : 'controller', actor.userId > 0 ? actor.userId : null),
          );
        }
      }
      await insertReadings(trx, c, initial);
    }
    out.sort((a, b) => a.row - b.row);
    await writeAudit(trx, actor, 'upsert_meters', 'meter', null, null, {
      community_id: c,
      rows: rows.length,
      created: out.filter((r) => r.outcome === 'created').length,
      updated: out.filter((r) => r.outcome === 'updated').length,
      rejected: out.filter((r) => r.outcome === 'rejected').length,
      meter_ids: rows.length <= 20 ? out.map((r) => r.meterId) : undefined,
    });
    return out;
  });
  return results;
}

/**
 * Replaces a meter: the old one's final reading is taken and it is retired; the new one is
 * installed the same day from its initial reading. Both readings count in consumption.
 */
export async function replaceMeter(
  db: Db,
  actor: SessionUser,
  oldMeterId: number,
  input: { on: string; finalValues: string[]; serial: string; zones?: number; digits?: number; multiplier?: string; verifiedUntil?: string | null; initialValues: string[]; today?: string },
): Promise<{ oldMeterId: number; newMeterId: number; final: ReadingResult }> {
  if (!['admin', 'operator', 'provider'].includes(actor.role)) throw forbidden();
  await assertMeterAccess(db, actor, oldMeterId);
  const old = await db.selectFrom('meter').selectAll().where('community_id', '=', actor.communityId).where('meter_id', '=', oldMeterId).executeTakeFirstOrThrow();
  if (old.status === 'retired') throw invalid('meter_retired', { uk: `Лічильник №${oldMeterId} уже виведено з обліку`, en: `Meter #${oldMeterId} is already retired` });
  const channel: ReadingChannel = 'controller';
  const [final] = await submitReadingsBulk(db, actor, [{ meterId: oldMeterId, readOn: input.on, values: input.finalValues, kind: 'final' }], { channel, today: input.today });
  if (final!.status !== 'accepted') {
    throw invalid('final_reading_refused', { uk: `Кінцевий показник не прийнято: ${final!.message_uk}`, en: `The final reading was not accepted: ${final!.message_en}` }, { reading: final });
  }
  const newMeterId = await db.transaction().execute(async (trx) => {
    const before = old;
    const retired = await trx
      .updateTable('meter')
      .set({ status: 'retired', removed_on: input.on })
      .where('community_id', '=', actor.communityId)
      .where('meter_id', '=', oldMeterId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, actor, 'retire_meter', 'meter', oldMeterId, before, retired);
    const created = await trx
      .insertInto('meter')
      .values({
        community_id: actor.communityId,
        kind: old.kind,
        premise_id: old.premise_id,
        building_id: old.building_id,
        service_id: old.service_id,
        provider_id: old.provider_id,
        serial: input.serial.trim(),
        zones: input.zones ?? old.zones,
        digits: input.digits ?? old.digits,
        multiplier: input.multiplier ?? old.multiplier,
        installed_on: input.on,
        verified_until: input.verifiedUntil ?? null,
        replaces_meter_id: oldMeterId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await insertReadings(trx, actor.communityId, [initialReading(created.meter_id, input.on, input.initialValues, channel, actor.userId)]);
    await writeAudit(trx, actor, 'install_meter', 'meter', created.meter_id, null, created);
    return created.meter_id;
  });
  return { oldMeterId, newMeterId, final: final! };
}

/** Away for verification (no readings, billed by norm) and back again with a new verified-until date. */
export async function setMeterStatus(db: Db, actor: SessionUser, meterId: number, change: { status: 'active' | 'removed_for_verification'; verifiedUntil?: string | null }) {
  if (!['admin', 'operator', 'provider'].includes(actor.role)) throw forbidden();
  await assertMeterAccess(db, actor, meterId);
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('meter').selectAll().where('community_id', '=', actor.communityId).where('meter_id', '=', meterId).forUpdate().executeTakeFirstOrThrow();
    if (before.status === 'retired') throw invalid('meter_retired', { uk: `Лічильник №${meterId} виведено з обліку`, en: `Meter #${meterId} is retired` });
    const after = await trx
      .updateTable('meter')
      .set({ status: change.status, ...(change.verifiedUntil !== undefined ? { verified_until: change.verifiedUntil } : {}) })
      .where('community_id', '=', actor.communityId)
      .where('meter_id', '=', meterId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, actor, 'meter_status', 'meter', meterId, before, after);
    return after;
  });
}

/** Where a provider supplies which service through an open account: 'p<premise>|<service>' and 'b<building>|<service>'. */
async function providerServedPlaces(db: DbOrTx, communityId: number, providerId: number | null, buildingIds: number[]): Promise<Set<string>> {
  if (buildingIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('account as a')
    .innerJoin('premise as p', (j) => j.onRef('p.community_id', '=', 'a.community_id').onRef('p.premise_id', '=', 'a.premise_id'))
    .select(['a.premise_id', 'p.building_id', 'a.service_id'])
    .where('a.community_id', '=', communityId)
    .where('a.provider_id', '=', providerId ?? -1)
    .where('a.closed_on', 'is', null)
    .where('p.building_id', 'in', buildingIds)
    .execute();
  return new Set(rows.flatMap((r) => [`p${r.premise_id}|${r.service_id}`, `b${r.building_id}|${r.service_id}`]));
}
