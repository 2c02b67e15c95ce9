// ---------------------------------------------------------------------------------------------
// Settings: the submission window, estimation months, plausibility factor; norms per service
// ---------------------------------------------------------------------------------------------

import type { Db, DbOrTx } from '../../db/index';
import type { SessionUser } from '../../server/context';
import { forbidden, invalid, notFound } from '../../shared/errors';
import { writeAudit } from '../../auth/audit';

export interface MeteringSettingsInput {
  /** null: the community's own rules; a provider id: that provider's rules, overriding them. */
  providerId: number | null;
  windowOpensDay: number;
  windowClosesDay: number;
  estimateMonths: number;
  plausibilityFactor: string;
}

export async function listMeteringSettings(db: DbOrTx, actor: SessionUser) {
  if (!['admin', 'operator', 'city'].includes(actor.role)) throw forbidden();
  const rows = await db.selectFrom('metering_settings').selectAll().where('community_id', '=', actor.communityId).orderBy('settings_id').execute();
  const norms = await db.selectFrom('meter_norm').selectAll().where('community_id', '=', actor.communityId).orderBy('service_id').execute();
  return { settings: rows, norms };
}

/** Sets the rules of the community (providerId null) or of one provider; audited. */
export async function saveMeteringSettings(db: Db, actor: SessionUser, input: MeteringSettingsInput) {
  if (!['admin', 'operator'].includes(actor.role)) throw forbidden();
  const [open, close] = [input.windowOpensDay, input.windowClosesDay];
  // Compare as they resolve in a 31-day month: −4..0 is fine (27..31), 25..−1 is fine (25..30).
  const resolve = (d: number) => (d > 0 ? d : 31 + d);
  if (resolve(open) > resolve(close)) {
    throw invalid('window_order', { uk: `Вікно приймання: день початку (${open}) пізніше за день кінця (${close})`, en: `Submission window: the first day (${open}) comes after the last (${close})` }, { field: 'windowOpensDay' });
  }
  return db.transaction().execute(async (trx) => {
    let scope = trx.selectFrom('metering_settings').selectAll().where('community_id', '=', actor.communityId);
    scope = input.providerId === null ? scope.where('provider_id', 'is', null) : scope.where('provider_id', '=', input.providerId);
    const before = await scope.executeTakeFirst();
    const values = {
      window_opens_day: open,
      window_closes_day: close,
      estimate_months: input.estimateMonths,
      plausibility_factor: input.plausibilityFactor,
    };
    const after = before
      ? await trx.updateTable('metering_settings').set(values).where('community_id', '=', actor.communityId).where('settings_id', '=', before.settings_id).returningAll().executeTakeFirstOrThrow()
      : await trx.insertInto('metering_settings').values({ community_id: actor.communityId, provider_id: input.providerId, ...values }).returningAll().executeTakeFirstOrThrow();
    await writeAudit(trx, actor, before ? 'update' : 'create', 'metering_settings', after.settings_id, before ?? null, after);
    return after;
  });
}

/** The monthly norm per registered person of a metered service (plausibility and estimates); audited. */
export async function saveMeterNorm(db: Db, actor: SessionUser, serviceId: number, monthlyPerPerson: string) {
  if (!['admin', 'operator'].includes(actor.role)) throw forbidden();
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('meter_norm').selectAll().where('community_id', '=', actor.communityId).where('service_id', '=', serviceId).executeTakeFirst();
    const service = await trx.selectFrom('service').select('service_id').where('community_id', '=', actor.communityId).where('service_id', '=', serviceId).executeTakeFirst();
    if (!service) throw notFound({ uk: `Послуга №${serviceId}`, en: `Service #${serviceId}` });
    const after = await trx
      .insertInto('meter_norm')
      .values({ community_id: actor.communityId, service_id: serviceId, monthly_per_person: monthlyPerPerson })
      .onConflict((oc) => oc.columns(['community_id', 'service_id']).doUpdateSet({ monthly_per_person: monthlyPerPerson }))
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, actor, before ? 'update' : 'create', 'meter_norm', serviceId, before ?? null, after);
    return after;
  });
}
