import { DomainError } from '../../shared/errors.js';
import type { ProductCursor } from './catalog.repository.js';

/**
 * Product listings are ordered by search rank first (exact SKU/barcode matches on top), so their
 * cursor carries the rank beside (created_at, id). Opaque to clients like every other cursor.
 */
export function encodeProductCursor(c: ProductCursor): string {
  return Buffer.from(`${c.rank}|${c.createdAt.toISOString()}|${c.id}`).toString('base64url');
}

export function decodeProductCursor(cursor: string | undefined): ProductCursor | undefined {
  if (!cursor) return undefined;
  const [rank, at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const createdAt = new Date(at ?? '');
  if (!id || (rank !== '0' && rank !== '1') || Number.isNaN(createdAt.getTime())) {
    throw new DomainError('validation_failed', 'cursor is not one this API gave out', { field: 'cursor' });
  }
  return { rank: Number(rank), createdAt, id };
}
