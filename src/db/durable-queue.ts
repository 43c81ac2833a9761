import { type Expression, type ExpressionBuilder, type Kysely, type Selectable, type SqlBool, sql } from 'kysely';
import type { Executor } from './database.js';
import type { Database } from './schema.js';

/**
 * One durable queue for every background job that works through due rows (R11, R17, R18, R20,
 * outgoing webhooks, the sandbox bank, R35 reminders). A row is due when its due column is at or before the
 * caller's `now`; claiming takes due rows with FOR UPDATE SKIP LOCKED, so concurrent claimers
 * never take the same row, and in the same commit moves each row's due time to its lease end:
 * the row is hidden from others until then, and comes back by itself if its worker dies.
 *
 * The tables and columns a queue may name are this fixed list, checked again at run time, so a
 * name never comes from anywhere else; the id's SQL type is needed to pass ids as an array.
 */
const QUEUES = {
  checkout_attempts: { id: 'text', due: ['check_at', 'final_check_at'], count: ['checks'], touch: ['updated_at'] },
  refund_requests: { id: 'text', due: ['check_at'], count: ['tries'], touch: ['updated_at'] },
  payments: { id: 'text', due: ['refunds_check_at'], count: ['refunds_checks'], touch: [] },
  settlement_receipts: { id: 'text', due: ['check_at'], count: ['tries'], touch: ['updated_at'] },
  webhook_inbox: { id: 'int8', due: ['next_try_at'], count: ['tries'], touch: [] },
  webhook_deliveries: { id: 'int8', due: ['next_try_at'], count: ['tries'], touch: [] },
  sandbox_notifications: { id: 'text', due: ['deliver_at'], count: ['tries'], touch: [] },
  link_reminders: { id: 'text', due: ['send_at'], count: ['tries'], touch: ['updated_at'] },
  payment_confirmations: { id: 'text', due: ['send_at'], count: ['tries'], touch: [] },
} as const;

export type QueueTable = keyof typeof QUEUES;
type Listed<T extends QueueTable, K extends 'due' | 'count' | 'touch'> = (typeof QUEUES)[T][K][number];
export type QueueRow<T extends QueueTable> = Selectable<Database[T]>;

export interface ClaimDue<T extends QueueTable> {
  table: T;
  /** the column holding when the row is next due */
  due: Listed<T, 'due'>;
  /** the caller's clock: due means `due <= now` */
  now: Date;
  limit: number;
  /**
   * Where a claimed row's due time moves: one lease end for all, one per row (from the row as it
   * was due), or null to take it off the queue (then a worker that dies loses it).
   */
  lease: Date | null | ((row: QueueRow<T>) => Date);
  /** which rows are in the queue at all (open, not yet delivered …); literals keep partial indexes usable */
  where?: (eb: ExpressionBuilder<Database, T>) => Expression<SqlBool>;
  /** ties among rows due at the same instant, after the due column */
  thenBy?: readonly (keyof Database[T] & string)[];
  /** a column counting claims: one more per claim */
  count?: Listed<T, 'count'>;
  /** a column set to `now` by the claim */
  touch?: Listed<T, 'touch'>;
}

type LooseDb = Record<string, Record<string, unknown>>;

function listed(table: QueueTable, kind: 'due' | 'count' | 'touch', column: string | undefined): void {
  if (column !== undefined && !(QUEUES[table][kind] as readonly string[]).includes(column))
    throw new Error(`durable queue: ${table}.${column} is not a listed ${kind} column`);
}

/**
 * Claims up to `limit` due rows, oldest due first, and answers them as they stand after the
 * claim (lease, count) in that order. Runs in its own short transaction, or in the caller's if
 * `db` is one (to read what belongs to the claimed rows in the same commit).
 */
export async function claimDue<T extends QueueTable>(db: Executor, options: ClaimDue<T>): Promise<QueueRow<T>[]> {
  const { table, due, now, limit, lease, where, thenBy = [], count, touch } = options;
  const queue = QUEUES[table];
  if (!queue) throw new Error(`durable queue: ${String(table)} is not a listed queue`);
  listed(table, 'due', due);
  listed(table, 'count', count);
  listed(table, 'touch', touch);
  const claim = async (tx: Executor): Promise<QueueRow<T>[]> => {
    const loose = tx as unknown as Kysely<LooseDb>;
    let query = loose.selectFrom(table).selectAll().where(sql.ref<Date>(due), '<=', now);
    if (where) query = query.where(where as unknown as (eb: ExpressionBuilder<LooseDb, string>) => Expression<SqlBool>);
    query = query.orderBy(due);
    for (const column of thenBy) query = query.orderBy(column);
    const rows = (await query.limit(limit).forUpdate().skipLocked().execute()) as QueueRow<T>[];
    if (rows.length === 0) return [];
    const ids = rows.map((row) => String((row as { id: unknown }).id));
    const leases = rows.map((row) => {
      const until = typeof lease === 'function' ? lease(row) : lease;
      return until === null ? null : until.toISOString();
    });
    const sets = [sql`${sql.ref(due)} = v.due`];
    if (count) sets.push(sql`${sql.ref(count)} = t.${sql.ref(count)} + 1`);
    if (touch) sets.push(sql`${sql.ref(touch)} = ${now}`);
    const { rows: claimed } = await sql<QueueRow<T>>`
      UPDATE ${sql.table(table)} t SET ${sql.join(sets)}
        FROM unnest(${ids}::${sql.raw(queue.id)}[], ${leases}::timestamptz[]) AS v(id, due)
       WHERE t.id = v.id
      RETURNING t.*`.execute(tx);
    const byId = new Map(claimed.map((row) => [String((row as { id: unknown }).id), row]));
    return ids.map((id) => byId.get(id)!);
  };
  return db.isTransaction ? claim(db) : db.transaction().execute(claim);
}

/** An exponential back-off: `firstMs` after the first failure, doubling, never more than `capMs`. */
export interface Backoff {
  firstMs: number;
  capMs: number;
}

/** The wait after the `failures`-th failure in a row (1 for the first). */
export function backoffDelayMs(failures: number, backoff: Backoff): number {
  return Math.min(backoff.firstMs * 2 ** Math.max(0, failures - 1), backoff.capMs);
}

/** When a row that failed for the `failures`-th time is due again. */
export function nextDueAfterFailure(now: Date, failures: number, backoff: Backoff): Date {
  return new Date(now.getTime() + backoffDelayMs(failures, backoff));
}
