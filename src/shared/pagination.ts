import { z } from 'zod';
import { AppError } from './errors';

/**
 * Keyset pagination. A page is read as "the next `limit` rows after this key" (never OFFSET, which
 * slows down with every page), and the key travels to the client as an opaque cursor string.
 */
export const MAX_PAGE_LIMIT = 200;
export const DEFAULT_PAGE_LIMIT = 50;

export type CursorKey = Array<string | number>;

/** Query string of every paged list: `?cursor=…&limit=…`. */
export const pageQuerySchema = z.object({
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_LIMIT).default(DEFAULT_PAGE_LIMIT),
});

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: string | null;
}

/** The response schema of a page of `item`. */
export const pageSchema = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/**
 * The key inside a cursor, checked against the types the list expects (e.g. ['string', 'number']),
 * so that a tampered or stale cursor is a clear 400 rather than a database error.
 */
export function decodeCursor(cursor: string | undefined, types: Array<'string' | 'number'>): CursorKey | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  if (!Array.isArray(key) || key.length !== types.length || key.some((v, i) => typeof v !== types[i])) {
    throw new AppError(
      'invalid_cursor',
      400,
      { uk: 'Некоректний курсор сторінки (поле cursor)', en: 'Invalid page cursor (field cursor)' },
      { field: 'cursor' },
    );
  }
  return key as CursorKey;
}

/** Repos read `limit + 1` rows: the extra one only tells whether another page follows. */
export function pageOf<T, U = T>(rows: T[], limit: number, keyOf: (row: T) => CursorKey, map?: (row: T) => U): Page<U> {
  const items = rows.slice(0, limit);
  const more = rows.length > limit;
  return {
    items: map ? items.map(map) : (items as unknown as U[]),
    nextCursor: more && items.length > 0 ? encodeCursor(keyOf(items[items.length - 1])) : null,
  };
}
