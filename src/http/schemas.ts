import { z } from 'zod';
import { DomainError } from '../shared/errors.js';

/** Building blocks shared by every route's request and response schemas. */

/** An amount in integer minor units: no fractions, no floats, no negative values. */
export const minorUnits = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
export const positiveMinorUnits = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const text = (max = 200) => z.string().trim().min(1).max(max);
export const optionalText = (max = 200) => z.string().trim().max(max).optional();

export const companyParams = z.strictObject({ companyId: z.string().max(40) });
export const entityParams = companyParams.extend({ id: z.string().max(40) });

export const errorResponse = z.object({
  error: z.looseObject({ code: z.string(), message: z.string(), requestId: z.string() }),
});

export const pageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const isoDateTime = z.iso.datetime({ offset: true });

/** Keyset cursor over (created_at, id): stable under inserts, opaque to clients. */
export function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(`${createdAt.toISOString()}|${id}`).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): { createdAt: Date; id: string } | undefined {
  if (!cursor) return undefined;
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const createdAt = new Date(at ?? '');
  if (!id || Number.isNaN(createdAt.getTime())) {
    throw new DomainError('validation_failed', 'cursor is not one this API gave out', { field: 'cursor' });
  }
  return { createdAt, id };
}

export function toPage<T extends { id: string; created_at: Date }, D>(rows: T[], limit: number, toDto: (row: T) => D) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map(toDto),
    nextCursor: rows.length > limit && last ? encodeCursor(last.created_at, last.id) : null,
  };
}
