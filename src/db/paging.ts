import { DomainError } from '../shared/errors.js';

/**
 * Opaque page cursors and pages of rows: a cursor is a keyset position (see keyset.ts) that the API
 * hands out and takes back, never an offset.
 */

const invalidCursor = () =>
  new DomainError('validation_failed', 'cursor is not one this API gave out', { field: 'cursor' });

/** The `|`-separated fields of an opaque cursor. */
export function encodeCursorFields(...fields: string[]): string {
  return Buffer.from(fields.join('|')).toString('base64url');
}

export function decodeCursorFields(cursor: string): string[] {
  return Buffer.from(cursor, 'base64url').toString().split('|');
}

const CURSOR_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const CURSOR_ID = /^[A-Za-z0-9_]{1,60}$/;

/**
 * A (timestamp, id) position as `encodeCursor` wrote it. Anything else is refused here rather than
 * reaching the database (a NUL in the id, a year PostgreSQL cannot hold would end as a 500).
 */
export function keysetPosition(at: string | undefined, id: string | undefined): { createdAt: Date; id: string } {
  const createdAt = new Date(at ?? '');
  if (!id || !CURSOR_ID.test(id) || !CURSOR_AT.test(at ?? '') || Number.isNaN(createdAt.getTime()))
    throw invalidCursor();
  return { createdAt, id };
}

/** Keyset cursor over (created_at, id): stable under inserts, opaque to clients. */
export function encodeCursor(createdAt: Date, id: string): string {
  return encodeCursorFields(createdAt.toISOString(), id);
}

export function decodeCursor(cursor: string | undefined): { createdAt: Date; id: string } | undefined {
  if (!cursor) return undefined;
  const [at, id, ...rest] = decodeCursorFields(cursor);
  if (rest.length > 0) throw invalidCursor();
  return keysetPosition(at, id);
}

/**
 * One page out of `rows`, fetched with one row more than `limit`: that extra row only says
 * there is a next page, whose cursor is the position of the last row shown.
 */
export function splitPage<T>(
  rows: T[],
  limit: number,
  cursorOf: (last: T) => string,
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last !== undefined ? cursorOf(last) : null };
}

export function toPage<T extends { id: string; created_at: Date }, D>(rows: T[], limit: number, toDto: (row: T) => D) {
  const { items, nextCursor } = splitPage(rows, limit, (last) => encodeCursor(last.created_at, last.id));
  return { items: items.map(toDto), nextCursor };
}
