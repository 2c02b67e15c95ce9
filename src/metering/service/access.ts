// ---------------------------------------------------------------------------------------------
// Access
// ---------------------------------------------------------------------------------------------

import type { DbOrTx } from '../../db/index';
import type { SessionUser } from '../../server/context';
import { forbidden, notFound } from '../../shared/errors';
import { kyivToday } from '../../shared/period';
import { linkedPremises, loadMeterContexts } from '../repo';
import type { ReadingChannel } from '../tables';

/** Which channels each role may submit through. */
const CHANNELS_BY_ROLE: Record<SessionUser['role'], readonly ReadingChannel[]> = {
  resident: ['portal', 'app', 'chat_bot'],
  operator: ['call_centre', 'cash_desk', 'portal', 'app', 'chat_bot', 'controller', 'provider_file'],
  admin: ['call_centre', 'cash_desk', 'portal', 'app', 'chat_bot', 'controller', 'provider_file'],
  provider: ['provider_file', 'controller'],
  city: [],
};

export function channelAllowed(role: SessionUser['role'], channel: ReadingChannel): boolean {
  return CHANNELS_BY_ROLE[role].includes(channel);
}

/**
 * A resident: meters of premises linked to them; a provider: meters of the services it supplies
 * through an open account on the meter's premise (its building, for a building meter); staff: any.
 */
export function mayReadMeter(
  actor: SessionUser,
  meter: { premiseId: number | null; providerId: number | null; providerHasAccount?: boolean },
  premises: Set<number>,
): boolean {
  switch (actor.role) {
    case 'admin':
    case 'operator':
    case 'city':
      return true;
    case 'provider':
      // Whoever recorded the meter: the provider must supply its service there (repo.providerServesMeter).
      return meter.providerHasAccount === true;
    case 'resident':
      return meter.premiseId !== null && premises.has(meter.premiseId);
  }
}

export async function assertMeterAccess(db: DbOrTx, actor: SessionUser, meterId: number) {
  const meter = (await loadMeterContexts(db, actor.communityId, [meterId], kyivToday(), actor.role === 'provider' ? actor.providerId : null)).get(meterId);
  if (!meter) throw notFound({ uk: `Лічильник №${meterId}`, en: `Meter #${meterId}` });
  const premises = actor.role === 'resident' ? await linkedPremises(db, actor.communityId, actor.userId) : new Set<number>();
  if (!mayReadMeter(actor, meter, premises)) {
    throw forbidden({ uk: `Лічильник №${meterId} не належить до ваших приміщень`, en: `Meter #${meterId} is not one of your premises' meters` });
  }
}
