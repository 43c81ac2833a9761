import type { Executor } from '../../db/database.js';
import type { Actor } from '../../shared/actor.js';

export interface AuditEntry {
  companyId: string;
  at: Date;
  actor: Actor;
  /** dotted verb, e.g. `payment.recorded`, `link.created`, `settings.changed` */
  action: string;
  entityType: string;
  entityId: string;
  appointmentId?: string | null;
  /** amount due before/after, in minor units, for money-relevant actions */
  amountBefore?: number | null;
  amountAfter?: number | null;
  details?: Record<string, unknown>;
}

/** Appends to the audit log, inside the caller's transaction so the entry commits with the change. */
export async function recordAudit(db: Executor, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      company_id: entry.companyId,
      at: entry.at,
      actor_type: entry.actor.type,
      actor_id: entry.actor.id ?? null,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId,
      appointment_id: entry.appointmentId ?? null,
      amount_before: entry.amountBefore ?? null,
      amount_after: entry.amountAfter ?? null,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}

export interface AuditQuery {
  companyId: string;
  appointmentId?: string;
  action?: string;
  entityId?: string;
  from?: Date;
  to?: Date;
  beforeId?: number;
  limit: number;
}

export async function listAudit(db: Executor, q: AuditQuery) {
  let query = db.selectFrom('audit_log').selectAll().where('company_id', '=', q.companyId);
  if (q.appointmentId) query = query.where('appointment_id', '=', q.appointmentId);
  if (q.action) query = query.where('action', 'like', `${q.action.replace(/[%_\\]/g, '\\$&')}%`);
  if (q.entityId) query = query.where('entity_id', '=', q.entityId);
  if (q.from) query = query.where('at', '>=', q.from);
  if (q.to) query = query.where('at', '<', q.to);
  if (q.beforeId) query = query.where('id', '<', q.beforeId);
  return query.orderBy('id', 'desc').limit(q.limit).execute();
}
