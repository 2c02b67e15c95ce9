// ---------------------------------------------------------------------------------------------
// The desk: a premise's meters with their last readings
// ---------------------------------------------------------------------------------------------

import type { DbOrTx } from '../../db/index';
import type { SessionUser } from '../../server/context';
import { forbidden } from '../../shared/errors';
import { normaliseApartment } from '../../registry/address';
import { deskExamples, lastReadings, linkedPremises, metersOfPremise, premisesOfBuilding, searchPremises } from '../repo';

export async function premiseMeters(db: DbOrTx, actor: SessionUser, premiseId: number) {
  const premises = actor.role === 'resident' ? await linkedPremises(db, actor.communityId, actor.userId) : new Set<number>();
  if (actor.role === 'resident' && !premises.has(premiseId)) throw forbidden();
  let meters = await metersOfPremise(db, actor.communityId, premiseId);
  if (actor.role === 'provider') meters = meters.filter((m) => m.provider_id === actor.providerId);
  const readings = await lastReadings(db, actor.communityId, meters.map((m) => m.meter_id), 3);
  return meters.map((m) => ({ ...m, readings: readings.filter((r) => r.meter_id === m.meter_id) }));
}

/** Splits what the desk operator typed into the ways a premise can be named. */
export function parseLookup(text: string) {
  const t = text.trim().replace(/\s+/g, ' ');
  // The flat part: «кв. 5», «5а», or a non-residential premise «прим. 1», «кв. п1», «офіс 1».
  const address =
    /^(.*?[\p{L}].*?)[ ,]+(?:буд\.?|будинок)?\s*(\d+)[\p{L}]?(?:[ ,/-]+((?:(?:кв|квартира)\.?\s*)?(?:(?:(?:нежитл\.?|нежитлове)\s*)?(?:прим|приміщ|приміщення|пом|оф|офіс)\.?\s*|н\/п\s*|п)?№?\s*\d+(?:\s*-?\s*\p{L})?(?:\/\d+\p{L}?)?))?$/iu.exec(
      t,
    );
  const words = /^[\p{L}'’-]+( [\p{L}'’-]+)*$/u.test(t) ? t.split(' ') : [];
  return {
    text: t,
    street: address ? address[1]!.replace(/^(вул\.?|вулиця|просп\.?|проспект|пров\.?|провулок|бул\.?|бульвар)\s*/iu, '').trim() || null : null,
    house: address ? Number(address[2]) : null,
    // As an apartment key ('5', 'п1'): what premise.apartment_key holds.
    flat: address?.[3] ? (normaliseApartment(address[3]) ?? address[3].toLowerCase()) : null,
    lastName: words[0] ?? null,
    firstName: words[1] ?? null,
  };
}

export async function findPremises(db: DbOrTx, actor: SessionUser, text: string, limit = 20) {
  if (!['admin', 'operator', 'city', 'provider'].includes(actor.role)) throw forbidden();
  const q = parseLookup(text);
  if (q.text.length < 2) return [];
  return searchPremises(db, actor.communityId, q, actor.role === 'provider' ? actor.providerId : null, limit);
}

/** Real names for the desk's hint, so the example it gives can be typed and found. */
export async function lookupExamples(db: DbOrTx, actor: SessionUser) {
  if (!['admin', 'operator', 'city', 'provider'].includes(actor.role)) throw forbidden();
  const row = await deskExamples(db, actor.communityId);
  return { address: row?.address ?? null, unifiedNumber: row?.unified_number ?? null, lastName: row?.last_name ?? null };
}

export async function buildingPremises(db: DbOrTx, actor: SessionUser, buildingId: number) {
  if (!['admin', 'operator', 'city'].includes(actor.role)) throw forbidden();
  return premisesOfBuilding(db, actor.communityId, buildingId);
}
