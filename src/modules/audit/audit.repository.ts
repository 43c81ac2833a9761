import type { Executor } from '../../db/database.js';
import { likeEscape } from '../../db/keyset.js';
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

/** The audit_log row of an entry, for callers that write it as part of a larger statement. */
export function auditRow(entry: AuditEntry) {
  return {
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
  };
}

/**
 * Appends to the audit log, inside the caller's transaction so the entry commits with the change.
 * Only the row: a change watchers should see is announced by its caller (R29).
 */
export async function recordAudit(db: Executor, entry: AuditEntry): Promise<void> {
  await db.insertInto('audit_log').values(auditRow(entry)).execute();
}

export interface AuditQuery {
  companyId: string;
  appointmentId?: string | undefined;
  /** `payment.recorded` matches itself; `payment` matches every `payment.*` action */
  action?: string | undefined;
  entityType?: string | undefined;
  entityId?: string | undefined;
  from?: Date | undefined;
  /** exclusive */
  to?: Date | undefined;
  /** keyset: entries older than this id (ids grow with time, so newest first is id descending) */
  beforeId?: number | undefined;
  limit: number;
}

export async function listAudit(db: Executor, q: AuditQuery) {
  let query = db.selectFrom('audit_log').selectAll().where('company_id', '=', q.companyId);
  if (q.appointmentId) query = query.where('appointment_id', '=', q.appointmentId);
  const action = q.action;
  if (action)
    query = query.where((eb) => eb.or([eb('action', '=', action), eb('action', 'like', `${likeEscape(action)}.%`)]));
  if (q.entityType) query = query.where('entity_type', '=', q.entityType);
  if (q.entityId) query = query.where('entity_id', '=', q.entityId);
  if (q.from) query = query.where('at', '>=', q.from);
  if (q.to) query = query.where('at', '<', q.to);
  if (q.beforeId !== undefined) query = query.where('id', '<', q.beforeId);
  return query.orderBy('id', 'desc').limit(q.limit).execute();
}
