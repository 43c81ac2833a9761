import { decodeCursorFields, encodeCursorFields, keysetPosition } from '../../db/paging.js';
import { validation } from '../../shared/errors.js';
import type { ProductCursor } from './catalog.repository.js';

/**
 * Product listings are ordered by search rank first (exact SKU/barcode matches on top), so their
 * cursor carries the rank beside (created_at, id). Opaque to clients like every other cursor.
 */
export function encodeProductCursor(c: ProductCursor): string {
  return encodeCursorFields(String(c.rank), c.createdAt.toISOString(), c.id);
}

export function decodeProductCursor(cursor: string | undefined): ProductCursor | undefined {
  if (!cursor) return undefined;
  const [rank, at, id, ...rest] = decodeCursorFields(cursor);
  if ((rank !== '0' && rank !== '1') || rest.length > 0)
    throw validation('cursor', 'cursor is not one this API gave out');
  return { rank: Number(rank), ...keysetPosition(at, id) };
}
