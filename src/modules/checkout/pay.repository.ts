import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { AppointmentItemRow } from '../../db/schema.js';
import { auditRow, type AuditEntry } from '../audit/index.js';
import type { LinkRow } from '../links/index.js';
import type { AttemptRow } from './attempts.repository.js';

/**
 * SQL of the client's Pay, in as few round trips as the rules allow: Pay is the one write a
 * crowd can make, so each statement saved is throughput (SPEC §7 measures it against a bare
 * lock + insert + update).
 */

export interface PayLock {
  link: LinkRow;
  appointment: { id: string; status: string; deleted: boolean; startsAt: Date; clientId: string };
}

/**
 * Locks the link and its appointment, in that order (the order of every settlement), or answers
 * `busy` at once when another transaction holds either: a waiting press must not hold a
 * connection. Undefined: no such link.
 */
export async function lockLinkForPay(tx: Executor, tokenHash: Buffer): Promise<PayLock | 'busy' | undefined> {
  const row = await tx
    .selectFrom('payment_links as l')
    .innerJoin('appointments as a', 'a.id', 'l.appointment_id')
    .selectAll('l')
    .select([
      'a.status as appointment_status',
      'a.starts_at as appointment_starts_at',
      'a.client_id as appointment_client_id',
    ])
    .select(sql<boolean>`a.deleted_at IS NOT NULL`.as('appointment_deleted'))
    .where('l.token_hash', '=', tokenHash)
    .forUpdate(['l', 'a'])
    .skipLocked()
    .executeTakeFirst();
  if (!row)
    return (await tx.selectFrom('payment_links').select('id').where('token_hash', '=', tokenHash).executeTakeFirst())
      ? 'busy'
      : undefined;
  const { appointment_status, appointment_starts_at, appointment_client_id, appointment_deleted, ...link } = row;
  return {
    link,
    appointment: {
      id: link.appointment_id,
      status: appointment_status,
      deleted: appointment_deleted,
      startsAt: appointment_starts_at,
      clientId: appointment_client_id,
    },
  };
}

export interface PayContext {
  items: AppointmentItemRow[];
  /** Σ the appointment's non-voided payments */
  paid: number;
  /** Σ the link's own payments net of refunds */
  collected: number;
  /** any creating/pending attempt of the link (then Pay reads them) */
  hasOpenAttempt: boolean;
  client: { email: string | null; phone: string | null };
  company: { name: string; currency: string; timezone: string; country: string };
  settings:
    | {
        provider: string | null;
        credentials_sealed: string | null;
        pay_by_link_enabled: boolean;
        fiscalization: unknown;
      }
    | undefined;
}

interface ContextRow {
  items: (Omit<AppointmentItemRow, 'created_at'> & { created_at: string })[];
  paid: number;
  collected: number;
  has_open: boolean;
  email: string | null;
  phone: string | null;
  company_name: string;
  currency: string;
  timezone: string;
  country: string;
  provider: string | null;
  credentials_sealed: string | null;
  pay_by_link_enabled: boolean | null;
  fiscalization: unknown;
}

/** Everything Pay decides on, read in one statement after the locks (so it sees what the previous holder committed). */
export async function readPayContext(tx: Executor, lock: PayLock): Promise<PayContext> {
  const { link, appointment } = lock;
  const { rows } = await sql<ContextRow>`
    SELECT
      (SELECT COALESCE(json_agg(i ORDER BY i.created_at, i.id), '[]') FROM appointment_items i WHERE i.appointment_id = ${appointment.id}) AS items,
      pm.paid, pm.collected,
      EXISTS (SELECT 1 FROM checkout_attempts t WHERE t.link_id = ${link.id} AND t.status IN ('creating', 'pending')) AS has_open,
      cl.email, cl.phone, c.name AS company_name, c.currency, c.timezone, c.country,
      cs.provider, cs.credentials_sealed, cs.pay_by_link_enabled, cs.fiscalization
    FROM companies c
    JOIN clients cl ON cl.id = ${appointment.clientId}
    LEFT JOIN cashless_settings cs ON cs.company_id = c.id
    CROSS JOIN LATERAL (
      SELECT COALESCE(SUM(p.amount), 0)::int8 AS paid, COALESCE(SUM(p.amount) FILTER (WHERE p.link_id = ${link.id}), 0)::int8 AS collected
        FROM payments p WHERE p.appointment_id = ${appointment.id} AND p.voided_at IS NULL) pm
    WHERE c.id = ${link.company_id}`.execute(tx);
  const row = rows[0]!;
  return {
    items: row.items.map((i) => ({ ...i, created_at: new Date(i.created_at) })),
    paid: row.paid,
    collected: row.collected,
    hasOpenAttempt: row.has_open,
    client: { email: row.email, phone: row.phone },
    company: { name: row.company_name, currency: row.currency, timezone: row.timezone, country: row.country },
    settings:
      row.pay_by_link_enabled === null
        ? undefined
        : {
            provider: row.provider,
            credentials_sealed: row.credentials_sealed,
            pay_by_link_enabled: row.pay_by_link_enabled,
            fiscalization: row.fiscalization,
          },
  };
}

/** The new `creating` attempt, the appointment's lock (R13) and the audit entry, in one statement. */
export async function startAttempt(
  tx: Executor,
  attempt: AttemptRow,
  lockedUntil: Date,
  audit: AuditEntry,
): Promise<void> {
  await tx
    .with('attempt', (db) =>
      db
        .insertInto('checkout_attempts')
        .values({ ...attempt, receipt: attempt.receipt === null ? null : JSON.stringify(attempt.receipt) }),
    )
    .with('locked', (db) =>
      db.updateTable('appointments').set({ locked_until: lockedUntil }).where('id', '=', attempt.appointment_id),
    )
    .insertInto('audit_log')
    .values(auditRow(audit))
    .execute();
}
