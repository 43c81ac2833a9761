import type { Executor } from '../../db/database.js';
import { claimDue } from '../../db/durable-queue.js';

/** SQL of the integrators' webhook endpoints and their deliveries (migration 0010). */

const PUBLIC_COLUMNS = ['id', 'url', 'events', 'description', 'created_at', 'disabled_at'] as const;

export async function insertEndpoint(
  db: Executor,
  row: {
    id: string;
    company_id: string;
    url: string;
    events: string[];
    secret_sealed: string;
    description: string | null;
    created_at: Date;
  },
) {
  return db.insertInto('webhook_endpoints').values(row).returning(PUBLIC_COLUMNS).executeTakeFirstOrThrow();
}

export async function listEndpoints(db: Executor, companyId: string) {
  return db
    .selectFrom('webhook_endpoints')
    .select(PUBLIC_COLUMNS)
    .where('company_id', '=', companyId)
    .where('disabled_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function findEndpoint(db: Executor, companyId: string, id: string) {
  return db
    .selectFrom('webhook_endpoints')
    .select(PUBLIC_COLUMNS)
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function disableEndpoint(db: Executor, companyId: string, id: string, now: Date) {
  return db
    .updateTable('webhook_endpoints')
    .set({ disabled_at: now })
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .where('disabled_at', 'is', null)
    .returning(PUBLIC_COLUMNS)
    .executeTakeFirst();
}

export async function listDeliveries(db: Executor, endpointId: string, limit: number) {
  return db
    .selectFrom('webhook_deliveries')
    .select([
      'event_id',
      'event_type',
      'created_at',
      'tries',
      'next_try_at',
      'delivered_at',
      'failed_at',
      'last_status',
      'last_error',
    ])
    .where('endpoint_id', '=', endpointId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** Queues one event for one endpoint, due now (the audit log's trigger queues the real ones). */
export async function insertDelivery(
  db: Executor,
  row: { endpointId: string; companyId: string; eventId: string; eventType: string; body: string; now: Date },
) {
  await db
    .insertInto('webhook_deliveries')
    .values({
      endpoint_id: row.endpointId,
      company_id: row.companyId,
      event_id: row.eventId,
      event_type: row.eventType,
      body: row.body,
      created_at: row.now,
      next_try_at: row.now,
    })
    .execute();
}

/** Puts one event of an endpoint back in the queue, due now, with its tries counted afresh; answers whether there was one. */
export async function requeueDelivery(db: Executor, endpointId: string, eventId: string, now: Date): Promise<boolean> {
  const row = await db
    .updateTable('webhook_deliveries')
    .set({ delivered_at: null, failed_at: null, next_try_at: now, tries: 0, last_error: null })
    .where('endpoint_id', '=', endpointId)
    .where('event_id', '=', eventId)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export interface ClaimedDelivery {
  id: number;
  event_id: string;
  event_type: string;
  body: string;
  tries: number;
  url: string;
  secret_sealed: string;
  disabled: boolean;
}

/**
 * Takes due deliveries for one send each: their try is counted and they are hidden from other
 * processes for `lease` (SKIP LOCKED, so two processes never take the same one). A process that
 * dies mid-send leaves them to be taken again when the lease ends.
 */
export async function claimDueDeliveries(
  db: Executor,
  now: Date,
  lease: Date,
  limit: number,
): Promise<ClaimedDelivery[]> {
  return db.transaction().execute(async (tx) => {
    const due = await claimDue(tx, {
      table: 'webhook_deliveries',
      due: 'next_try_at',
      now,
      limit,
      lease,
      where: (eb) => eb.and([eb('delivered_at', 'is', null), eb('failed_at', 'is', null)]),
      count: 'tries',
    });
    if (due.length === 0) return [];
    const endpoints = await tx
      .selectFrom('webhook_endpoints')
      .select(['id', 'url', 'secret_sealed', 'disabled_at'])
      .where('id', 'in', [...new Set(due.map((d) => d.endpoint_id))])
      .execute();
    const byId = new Map(endpoints.map((e) => [e.id, e]));
    // the foreign key keeps every delivery's endpoint (endpoints are disabled, never deleted)
    return due.map((d) => {
      const endpoint = byId.get(d.endpoint_id)!;
      return {
        id: d.id,
        event_id: d.event_id,
        event_type: d.event_type,
        body: d.body,
        tries: d.tries,
        url: endpoint.url,
        secret_sealed: endpoint.secret_sealed,
        disabled: endpoint.disabled_at !== null,
      };
    });
  });
}

export async function markDelivered(db: Executor, id: number, now: Date, status: number) {
  await db
    .updateTable('webhook_deliveries')
    .set({ delivered_at: now, last_status: status, last_error: null })
    .where('id', '=', id)
    .execute();
}

export async function scheduleRetry(db: Executor, id: number, at: Date, status: number | null, error: string) {
  await db
    .updateTable('webhook_deliveries')
    .set({ next_try_at: at, last_status: status, last_error: error })
    .where('id', '=', id)
    .execute();
}

export async function markFailed(db: Executor, id: number, now: Date, status: number | null, error: string) {
  await db
    .updateTable('webhook_deliveries')
    .set({ failed_at: now, last_status: status, last_error: error })
    .where('id', '=', id)
    .execute();
}
