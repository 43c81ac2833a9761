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
  /** the entries of the client's appointments and of the client record itself */
  clientId?: string | undefined;
  from?: Date | undefined;
  /** exclusive */
  to?: Date | undefined;
  /** keyset: entries older than this id (ids grow with time, so newest first is id descending) */
  beforeId?: number | undefined;
  limit: number;
}

/**
 * Entries newest first, each with the names a reader needs: the acting user's and the client's
 * of its appointment (or of the client record it is about).
 */
export async function listAudit(db: Executor, q: AuditQuery) {
  let query = db
    .selectFrom('audit_log')
    .selectAll('audit_log')
    .select((eb) => [
      eb
        .selectFrom('users')
        .select('users.name')
        .whereRef('users.id', '=', 'audit_log.actor_id')
        .where('audit_log.actor_type', '=', 'user')
        .as('actor_name'),
      eb
        .selectFrom('appointments')
        .innerJoin('clients', 'clients.id', 'appointments.client_id')
        .select('clients.name')
        .whereRef('appointments.id', '=', 'audit_log.appointment_id')
        .as('appointment_client_name'),
      eb
        .selectFrom('clients')
        .select('clients.name')
        .whereRef('clients.id', '=', 'audit_log.entity_id')
        .where('audit_log.entity_type', '=', 'client')
        .as('entity_client_name'),
    ])
    .where('audit_log.company_id', '=', q.companyId);
  const clientId = q.clientId;
  if (clientId)
    query = query.where((eb) =>
      eb.or([
        eb(
          'audit_log.appointment_id',
          'in',
          eb
            .selectFrom('appointments')
            .select('appointments.id')
            .where('appointments.company_id', '=', q.companyId)
            .where('appointments.client_id', '=', clientId),
        ),
        eb.and([eb('audit_log.entity_type', '=', 'client'), eb('audit_log.entity_id', '=', clientId)]),
      ]),
    );
  if (q.appointmentId) query = query.where('audit_log.appointment_id', '=', q.appointmentId);
  const action = q.action;
  if (action)
    query = query.where((eb) =>
      eb.or([eb('audit_log.action', '=', action), eb('audit_log.action', 'like', `${likeEscape(action)}.%`)]),
    );
  if (q.entityType) query = query.where('audit_log.entity_type', '=', q.entityType);
  if (q.entityId) query = query.where('audit_log.entity_id', '=', q.entityId);
  if (q.from) query = query.where('audit_log.at', '>=', q.from);
  if (q.to) query = query.where('audit_log.at', '<', q.to);
  if (q.beforeId !== undefined) query = query.where('audit_log.id', '<', q.beforeId);
  return query.orderBy('audit_log.id', 'desc').limit(q.limit).execute();
}
