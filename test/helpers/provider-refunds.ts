import { expect } from 'vitest';
import type { TestApp, TestCompany } from './test-app.js';
import { auditOf } from './settlement.js';

/** R32: the refunds of an appointment as Visitpay booked them: requests and negative online payments. */
export async function refundBooksOf(t: TestApp, appointmentId: string) {
  const requests = await t.db
    .selectFrom('refund_requests')
    .selectAll()
    .where('appointment_id', '=', appointmentId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const payments = await t.db
    .selectFrom('payments')
    .selectAll()
    .where('appointment_id', '=', appointmentId)
    .where('method', '=', 'online')
    .where('refund_of', 'is not', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const tipRefunds = await t.db
    .selectFrom('tip_refunds')
    .selectAll()
    .where('appointment_id', '=', appointmentId)
    .orderBy('created_at')
    .execute();
  return { requests, payments, tipRefunds };
}

/**
 * R32: each of `refundIds` was booked exactly once as made at the provider: a succeeded request
 * (origin and actor `provider`) and a negative online payment by the actor `provider`, both
 * carrying the provider's refund id, audited (`refund.requested` for integrators, then
 * `refund.succeeded`).
 */
export async function expectBookedAtProvider(
  t: TestApp,
  company: TestCompany,
  appointmentId: string,
  refunds: { refundId: string; amount: number }[],
) {
  const books = await refundBooksOf(t, appointmentId);
  const made = books.requests.filter((r) => r.origin === 'provider');
  expect(made.map((r) => [r.provider_refund_id, r.amount]).sort()).toEqual(
    refunds.map((r) => [r.refundId, r.amount]).sort(),
  );
  for (const request of made) {
    expect(request).toMatchObject({ status: 'succeeded', actor_type: 'provider', reason: 'Refunded at the provider' });
    // R40: the visit's part is a negative payment, the tip's part a tip refund (each only when not 0)
    const booked = books.payments.filter((p) => p.provider_refund_id === request.provider_refund_id);
    const visit = request.amount - request.tip;
    expect(booked).toHaveLength(visit > 0 ? 1 : 0);
    if (visit > 0)
      expect(booked[0]).toMatchObject({ amount: -visit, actor_type: 'provider', refund_of: request.payment_id });
    const tipBack = books.tipRefunds.filter((r) => r.refund_request_id === request.id);
    expect(tipBack.map((r) => r.amount)).toEqual(request.tip > 0 ? [request.tip] : []);
  }
  const audit = await auditOf(company, appointmentId);
  for (const request of made) {
    const actions = audit.filter((a) => a.entityId === request.id).map((a) => [a.action, a.actor.type]);
    expect(actions.sort()).toEqual([
      ['refund.requested', 'provider'],
      ['refund.succeeded', 'provider'],
    ]);
  }
  return books;
}

/** Every notification the company's inbox holds was applied (none is left failing and retried). */
export async function expectInboxSettled(t: TestApp, companyId: string) {
  const open = await t.db
    .selectFrom('webhook_inbox')
    .select(['event_type', 'last_error'])
    .where('company_id', '=', companyId)
    .where('processed_at', 'is', null)
    .execute();
  expect(open).toEqual([]);
}
