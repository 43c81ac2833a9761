import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { AppointmentItemRow } from '../../db/schema.js';
import { auditRow, type AuditEntry } from '../audit/index.js';
import type { AttemptRow } from './attempts.repository.js';

/**
 * SQL of the client's Pay, in as few round trips as the rules allow: Pay is the one write a
 * crowd can make, so each statement saved is throughput (SPEC §7 measures it against a bare
 * lock + insert + update).
 */

/** What of the link Pay decides on. */
export interface PayLink {
  id: string;
  company_id: string;
  appointment_id: string;
  status: string;
  /** a link for a fixed amount (R5), else null */
  amount: number | null;
  token_sealed: string;
}

export interface PayLock {
  link: PayLink;
  appointment: { id: string; status: string; deleted: boolean; startsAt: Date };
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

interface LockAndReadRow {
  outcome: 'locked' | 'busy';
  link_id: string;
  company_id: string;
  appointment_id: string;
  link_status: string;
  link_amount: number | null;
  token_sealed: string;
  appointment_status: string;
  appointment_deleted: boolean;
  starts_at: Date;
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

/**
 * Locks the link and its appointment, in that order (the order of every settlement), then reads
 * everything Pay decides on, in one round trip (migration 0030's `pay_lock_and_read`: the read is
 * a statement of its own after the lock, so it sees what the previous holder committed). Answers
 * `busy` at once when another transaction holds either row, since a waiting press must not hold a
 * connection; undefined for no such link.
 */
export async function lockAndReadForPay(
  tx: Executor,
  tokenHash: Buffer,
): Promise<(PayLock & { context: PayContext }) | 'busy' | undefined> {
  const { rows } = await sql<LockAndReadRow>`SELECT * FROM pay_lock_and_read(${tokenHash})`.execute(tx);
  const row = rows[0];
  if (!row) return undefined;
  if (row.outcome === 'busy') return 'busy';
  return {
    link: {
      id: row.link_id,
      company_id: row.company_id,
      appointment_id: row.appointment_id,
      status: row.link_status,
      amount: row.link_amount,
      token_sealed: row.token_sealed,
    },
    appointment: {
      id: row.appointment_id,
      status: row.appointment_status,
      deleted: row.appointment_deleted,
      startsAt: row.starts_at,
    },
    context: {
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
