import { z } from 'zod';
import { DomainError } from '../shared/errors.js';

/** Building blocks shared by every route's request and response schemas. */

/** An amount in integer minor units: no fractions, no floats, no negative values. */
export const minorUnits = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
export const positiveMinorUnits = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const text = (max = 200) => z.string().trim().min(1).max(max);

/** An id as the API gives them out; its shape is not checked here, an unknown one is a 404. */
export const entityId = z.string().min(1).max(40);

export const companyParams = z.strictObject({ companyId: entityId });
export const entityParams = companyParams.extend({ id: entityId });

export const pageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const isoDateTime = z.iso.datetime({ offset: true });

/** A calendar day, YYYY-MM-DD. Year 0000 is ISO 8601 but no date PostgreSQL accepts. */
export const isoDay = z.iso.date().refine((day) => !day.startsWith('0000'), 'must be a day from the year 0001 on');

const invalidCursor = () => new DomainError('validation_failed', 'cursor is not one this API gave out', { field: 'cursor' });

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
  if (!id || !CURSOR_ID.test(id) || !CURSOR_AT.test(at ?? '') || Number.isNaN(createdAt.getTime())) throw invalidCursor();
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
export function splitPage<T>(rows: T[], limit: number, cursorOf: (last: T) => string): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last !== undefined ? cursorOf(last) : null };
}

export function toPage<T extends { id: string; created_at: Date }, D>(rows: T[], limit: number, toDto: (row: T) => D) {
  const { items, nextCursor } = splitPage(rows, limit, (last) => encodeCursor(last.created_at, last.id));
  return { items: items.map(toDto), nextCursor };
}
