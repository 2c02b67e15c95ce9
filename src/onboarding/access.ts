import type { DbOrTx } from '../db/index';
import type { Role, SessionUser } from '../server/context';
import { forbidden, invalid, notFound } from '../shared/errors';
import { requireRole, STAFF } from '../server/access';
import type { FileKind } from './profile';

// Who may do what with imports. Staff read them all and admin/operator write; a provider user
// imports its own files (accounts, charges, readings) for its own provider only, and sees and
// works through only its own imports and their review queues.

export const IMPORT_READERS = [...STAFF, 'provider'] as const;
export const IMPORT_WRITERS = ['admin', 'operator', 'provider'] as const;
/** What a provider may send: its own accounts, charges and readings (the address register is the community's). */
const PROVIDER_KINDS: FileKind[] = ['accounts', 'charges', 'readings'];

/** The provider an upload is for: staff name any (or none); a provider user only itself. */
export function uploadProvider(actor: SessionUser, kind: FileKind, requested: number | null): number | null {
  requireRole(actor, ...IMPORT_WRITERS);
  if (actor.role !== 'provider') return requested;
  if (requested !== null && requested !== actor.providerId) {
    throw forbidden({ uk: 'Постачальник може імпортувати лише власні файли', en: 'A provider may import only its own files' });
  }
  if (!PROVIDER_KINDS.includes(kind)) {
    throw invalid(
      'kind_not_allowed',
      { uk: 'Постачальник імпортує особові рахунки, нарахування та показники', en: 'A provider imports accounts, charges and readings' },
      { field: 'kind' },
    );
  }
  return actor.providerId;
}

/** The provider whose imports a user may see: null = all (staff). */
export function visibleProvider(actor: SessionUser): number | null {
  requireRole(actor, ...IMPORT_READERS);
  return actor.role === 'provider' ? actor.providerId : null;
}

/**
 * Who decides rows of an import's review queue: the writers, and the city, which decides only the
 * rows held for a price above its approved tariff (queue.ts enforces which rows each may decide).
 */
export const QUEUE_DECIDERS = [...IMPORT_WRITERS, 'city'] as const;

/** Refuses a role not in `who`, an import another provider sent (a provider user), or one that does not exist. */
export async function assertImportAccess(db: DbOrTx, actor: SessionUser, importId: number, who: readonly Role[]): Promise<void> {
  requireRole(actor, ...who);
  const row = await db.selectFrom('data_import').select('provider_id').where('community_id', '=', actor.communityId).where('import_id', '=', importId).executeTakeFirst();
  if (!row) throw notFound({ uk: `Імпорт №${importId}`, en: `Import #${importId}` });
  if (actor.role === 'provider' && row.provider_id !== actor.providerId) throw forbidden();
}
