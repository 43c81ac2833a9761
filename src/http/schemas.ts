import { z } from 'zod';

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

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const isoDateTime = z.iso.datetime({ offset: true });

/** A calendar day, YYYY-MM-DD. Year 0000 is ISO 8601 but no date PostgreSQL accepts. */
export const isoDay = z.iso.date().refine((day) => !day.startsWith('0000'), 'must be a day from the year 0001 on');

/**
 * The Idempotency-Key header of a money-moving POST (R15, R31): a retry with the same key and body
 * answers the first result and writes nothing. Other headers pass through untouched.
 */
export const idempotencyHeaders = z.looseObject({
  'idempotency-key': z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
    .optional()
    .describe('a retry with the same key and body answers the first result and writes nothing'),
});
