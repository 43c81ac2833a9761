import { z } from 'zod';
import { companyOf } from '../../http/authenticate.js';
import { companyParams, isoDateTime, page, pageQuery } from '../../http/schemas.js';
import type { App } from '../../http/types.js';
import { ACTOR_TYPES } from '../../shared/actor.js';
import { formatMoney } from '../../shared/money.js';
import type { AuditService } from './audit.service.js';

const auditQuery = pageQuery.extend({
  entityType: z.string().max(40).optional(),
  entityId: z.string().max(80).optional(),
  action: z.string().max(80).optional(),
  appointmentId: z.string().max(40).optional(),
  clientId: z.string().max(40).optional(),
  from: isoDateTime.optional(),
  to: isoDateTime.optional(),
});

/** One audit entry: who did what, when, and the amount due before/after for money-relevant actions. */
export const auditEntryDto = z.object({
  id: z.string(),
  at: z.string(),
  /** `name`: the user's name for a user, null otherwise (a provider's id is its name: `stripe`) */
  actor: z.object({ type: z.enum(ACTOR_TYPES), id: z.string().nullable(), name: z.string().nullable() }),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  appointmentId: z.string().nullable(),
  /** the client of the entry's appointment, or the client the entry is about */
  clientName: z.string().nullable(),
  amountBefore: z.number().int().nullable(),
  amountAfter: z.number().int().nullable(),
  amountBeforeFormatted: z.string().nullable(),
  amountAfterFormatted: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});

type AuditRow = Awaited<ReturnType<AuditService['list']>>['entries'][number];

const formatted = (amount: number | null, currency: string) => (amount === null ? null : formatMoney(amount, currency));

export const toAuditEntryDto = (e: AuditRow, currency: string): z.infer<typeof auditEntryDto> => ({
  id: String(e.id),
  at: e.at.toISOString(),
  actor: { type: e.actor_type as (typeof ACTOR_TYPES)[number], id: e.actor_id, name: e.actor_name ?? null },
  action: e.action,
  entityType: e.entity_type,
  entityId: e.entity_id,
  appointmentId: e.appointment_id,
  clientName: e.appointment_client_name ?? e.entity_client_name ?? null,
  amountBefore: e.amount_before,
  amountAfter: e.amount_after,
  amountBeforeFormatted: formatted(e.amount_before, currency),
  amountAfterFormatted: formatted(e.amount_after, currency),
  details: e.details,
});

export function registerAuditRoutes(app: App, audit: AuditService): void {
  app.get(
    '/api/v1/companies/:companyId/audit',
    {
      config: { access: 'reports.read' },
      schema: {
        tags: ['audit'],
        description:
          'Newest first. `action=payment` matches every payment.* action; `clientId` matches the entries of the client’s appointments and of the client record; `from` inclusive, `to` exclusive.',
        params: companyParams,
        querystring: auditQuery,
        response: { 200: page(auditEntryDto) },
      },
    },
    async (req) => {
      const { from, to, ...rest } = req.query;
      const result = await audit.list(companyOf(req), {
        ...rest,
        from: from ? new Date(from) : undefined,
        to: to ? new Date(to) : undefined,
      });
      return { items: result.entries.map((e) => toAuditEntryDto(e, result.currency)), nextCursor: result.nextCursor };
    },
  );
}
