import { sql } from 'kysely';
import { expect } from 'vitest';
import { amountsOf } from '../../src/modules/appointments/appointment-lock.js';
import { insertAttempt, type AttemptRow } from '../../src/modules/checkout/attempts.repository.js';
import type { NotificationMode } from '../../src/providers/sandbox/sandbox-events.js';
import { setSandboxNotificationMode } from '../../src/providers/sandbox/sandbox-notifier.js';
import { signatureHeader } from '../../src/shared/webhook-signature.js';
import { newId } from '../../src/shared/ids.js';
import type { TestApp, TestCompany } from './test-app.js';

/** Helpers for settlement tests: the ledger as the database and the sandbox bank see it, signed notifications, faults. */

export const SECOND = 1_000;
export const MINUTE = 60_000;

export async function setNotifications(t: TestApp, companyId: string, mode: NotificationMode) {
  await setSandboxNotificationMode({ db: t.db, clock: t.clock }, companyId, mode);
}

/** A desk payment through the API (R15); answers the raw response so callers can expect a refusal. */
export async function deskPayment(company: TestCompany, appointmentId: string, amount: number, method = 'cash') {
  return company.owner.post(`${company.base}/appointments/${appointmentId}/payments`, { method, amount });
}

export async function attemptsOf(t: TestApp, appointmentId: string): Promise<AttemptRow[]> {
  return t.db
    .selectFrom('checkout_attempts')
    .selectAll()
    .where('appointment_id', '=', appointmentId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function sandboxCheckoutsOf(t: TestApp, companyId: string) {
  return t.db
    .selectFrom('sandbox_checkouts')
    .selectAll()
    .where('company_id', '=', companyId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function sandboxCheckout(t: TestApp, id: string) {
  return t.db.selectFrom('sandbox_checkouts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** The sandbox checkout id at the end of a redirect to its hosted page. */
export function checkoutIdOf(url: string | undefined): string {
  const id = new URL(url ?? '', 'http://x').pathname.split('/').pop() ?? '';
  expect(id).toMatch(/^sbx_/);
  return id;
}

/** POSTs a notification body to Visitpay's sandbox webhook, signed with the company's secret unless told otherwise. */
export async function postSandboxWebhook(
  t: TestApp,
  companyId: string,
  body: string,
  options: { secret?: string; signature?: string } = {},
) {
  const merchant = await t.db
    .selectFrom('sandbox_merchants')
    .select('webhook_secret')
    .where('company_id', '=', companyId)
    .executeTakeFirstOrThrow();
  const signature =
    options.signature ??
    signatureHeader(options.secret ?? t.services.secrets.open(merchant.webhook_secret), t.clock.now(), body);
  const res = await t.app.inject({
    method: 'POST',
    url: `/webhooks/sandbox/${companyId}`,
    headers: { 'content-type': 'application/json', 'visitpay-signature': signature },
    payload: body,
  });
  return { status: res.statusCode, body: res.body ? (res.json() as any) : undefined };
}

/** A sandbox event body as the bank writes it, for a checkout of ours. */
export function sandboxEventBody(input: {
  type: string;
  checkoutId: string;
  status: string;
  amount: number;
  currency: string;
  metadata: Record<string, string>;
  id?: string;
  at: Date;
}) {
  return JSON.stringify({
    id: input.id ?? newId('sandbox_event'),
    type: input.type,
    created: Math.floor(input.at.getTime() / 1000),
    data: {
      checkoutId: input.checkoutId,
      status: input.status,
      amount: input.amount,
      currency: input.currency,
      metadata: input.metadata,
      ...(input.status === 'paid' ? { paymentId: input.checkoutId.replace(/^sbx_/, 'sbp_') } : {}),
    },
  });
}

/** The notifications the sandbox bank wrote for a company (delivered, due or dropped). */
export async function sandboxNotificationsOf(t: TestApp, companyId: string) {
  const rows = await t.db
    .selectFrom('sandbox_notifications')
    .selectAll()
    .where('company_id', '=', companyId)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({
    ...r,
    event: JSON.parse(r.body) as { id: string; type: string; data: { checkoutId: string } },
  }));
}

/**
 * What Pay writes before it calls the provider: a `creating` attempt of the link for the amount
 * due, the appointment locked. Used to stand for a process that died before (or during) the call.
 */
export async function insertCreatingAttempt(t: TestApp, linkId: string): Promise<AttemptRow> {
  const link = await t.db.selectFrom('payment_links').selectAll().where('id', '=', linkId).executeTakeFirstOrThrow();
  const company = await t.db
    .selectFrom('companies')
    .select('currency')
    .where('id', '=', link.company_id)
    .executeTakeFirstOrThrow();
  const now = t.clock.now();
  const expiresAt = new Date(now.getTime() + t.config.PAYLINK_ATTEMPT_TTL_SECONDS * 1000);
  const { due } = await amountsOf(t.db, link.appointment_id);
  const row: AttemptRow = {
    id: newId('attempt'),
    company_id: link.company_id,
    appointment_id: link.appointment_id,
    link_id: link.id,
    provider: 'sandbox',
    amount: due,
    currency: company.currency,
    status: 'creating',
    provider_status: null,
    provider_checkout_id: null,
    provider_payment_id: null,
    redirect_url: null,
    contact: null,
    receipt: null,
    failure: null,
    expires_at: expiresAt,
    created_at: now,
    updated_at: now,
    ended_at: null,
    check_at: new Date(now.getTime() + 2 * MINUTE),
    checks: 0,
    final_check_at: null,
    provider_amount: null,
    provider_currency: null,
    tip: 0,
    confirmation_email: null,
  };
  await insertAttempt(t.db, { ...row, receipt: null });
  const lockedUntil = new Date(Math.min(now.getTime() + t.config.PAYLINK_LOCK_SECONDS * 1000, expiresAt.getTime()));
  await t.db
    .updateTable('appointments')
    .set({ locked_until: lockedUntil })
    .where('id', '=', link.appointment_id)
    .execute();
  return row;
}

/**
 * The books of one appointment from both sides: Visitpay's payments, and what the sandbox bank
 * captured and refunded on the appointment's checkouts.
 */
export async function ledgerOf(t: TestApp, appointmentId: string) {
  const payments = await t.db
    .selectFrom('payments')
    .selectAll()
    .where('appointment_id', '=', appointmentId)
    .where('voided_at', 'is', null)
    .execute();
  const attempts = await attemptsOf(t, appointmentId);
  const bank = await t.db
    .selectFrom('sandbox_checkouts')
    .select([
      sql<string>`COALESCE(SUM(amount) FILTER (WHERE status = 'paid'), 0)`.as('captured'),
      sql<string>`COALESCE(SUM(refunded), 0)`.as('refunded'),
    ])
    .where('idempotency_key', 'in', attempts.map((a) => a.id).concat(['-']))
    .executeTakeFirstOrThrow();
  const online = payments.filter((p) => p.method === 'online');
  // R40: tips beside the payments, net of the tips given back (R32, R18)
  const tips = await t.db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('tips')
        .select(sql<string>`COALESCE(SUM(amount), 0)`.as('s'))
        .where('appointment_id', '=', appointmentId)
        .as('given'),
      eb
        .selectFrom('tip_refunds')
        .select(sql<string>`COALESCE(SUM(amount), 0)`.as('s'))
        .where('appointment_id', '=', appointmentId)
        .as('back'),
    ])
    .executeTakeFirstOrThrow();
  return {
    payments,
    online,
    onlineSum: online.reduce((s, p) => s + p.amount, 0),
    tips: Number(tips.given),
    tipRefunds: Number(tips.back),
    tipsNet: Number(tips.given) - Number(tips.back),
    allSum: payments.reduce((s, p) => s + p.amount, 0),
    captured: Number(bank.captured),
    refunded: Number(bank.refunded),
    due: (await amountsOf(t.db, appointmentId)).due,
  };
}

/** R18: Visitpay's online money equals what the provider kept, and nothing is due or owed. */
export async function expectBalancedLedger(t: TestApp, appointmentId: string) {
  const ledger = await ledgerOf(t, appointmentId);
  expect(ledger.onlineSum + ledger.tipsNet).toBe(ledger.captured - ledger.refunded);
  expect(ledger.due).toBe(0);
  const open = await t.db
    .selectFrom('refund_requests')
    .select(['id', 'status'])
    .where('appointment_id', '=', appointmentId)
    .where('status', '<>', 'succeeded')
    .execute();
  expect(open).toEqual([]);
  return ledger;
}

export async function auditOf(company: TestCompany, appointmentId: string) {
  const res = await company.owner.get(`${company.base}/audit?appointmentId=${appointmentId}&limit=100`);
  expect(res.status, res.text).toBe(200);
  return res.body.items as {
    action: string;
    actor: { type: string; id: string | null };
    entityType: string;
    entityId: string;
    amountBefore: number | null;
    amountAfter: number | null;
    details: Record<string, unknown>;
  }[];
}
