import { describe, expect, it } from 'vitest';
import {
  appointmentOf,
  completeSandbox,
  connectSandbox,
  copyLink,
  onlinePayments,
  payableAppointment,
  pressPay,
} from '../helpers/links.js';
import {
  attemptsOf,
  auditOf,
  deskPayment,
  expectBalancedLedger,
  ledgerOf,
  MINUTE,
  postSandboxWebhook,
  SECOND,
  sandboxCheckoutsOf,
  sandboxNotificationsOf,
  setNotifications,
} from '../helpers/settlement.js';
import { createTestApp } from '../helpers/test-app.js';

// The per-IP limit of the public pages is off: 200 presses come from one test "client".
const t = await createTestApp({ env: { VISITPAY_PUBLIC_RATE_LIMIT: '0' } });
await t.listen();

async function paying(price = 10_000) {
  const company = await t.newCompany();
  await connectSandbox(company);
  const appt = await payableAppointment(t, company, { price });
  const link = await copyLink(company, appt.id);
  return { company, appt, link };
}

describe('R27 the audit trail of a link payment', () => {
  it('R27 attempts created, expired, canceled and succeeded, the payment and its refund are logged with client, user, provider and system actors', async () => {
    const { company, appt, link } = await paying(10_000);
    // 1. an attempt nobody pays expires at the bank
    await pressPay(t, link.token);
    t.clock.advance(t.config.PAYLINK_ATTEMPT_TTL_SECONDS * 1000 + 2 * MINUTE);
    await t.jobs.drain();
    // 2. staff cancel the next one
    await pressPay(t, link.token);
    expect(
      (await company.owner.post(`${company.base}/appointments/${appt.id}/payment-link/cancel-attempt`, {})).status,
    ).toBe(200);
    // 3. a third is superseded after a desk payment; the client pays the fourth, too late to keep all of it
    await pressPay(t, link.token);
    t.clock.advance(t.config.PAYLINK_LOCK_SECONDS * 1000 + SECOND);
    expect((await deskPayment(company, appt.id, 4_000)).status).toBe(201);
    const last = await pressPay(t, link.token);
    t.clock.advance(t.config.PAYLINK_LOCK_SECONDS * 1000 + SECOND);
    expect((await deskPayment(company, appt.id, 1_000)).status).toBe(201);
    await completeSandbox(t, last.location!);
    await t.jobs.drain();

    const audit = (await auditOf(company, appt.id)).reverse();
    const who = (action: string) => audit.filter((e) => e.action === action).map((e) => e.actor.type);
    expect(who('attempt.created')).toEqual(['client', 'client', 'client', 'client']);
    expect(who('attempt.expired')).toEqual(['provider']);
    expect(who('attempt.canceled')).toEqual(['user', 'system']);
    expect(who('attempt.succeeded')).toEqual(['provider']);
    expect(who('payment.recorded')).toEqual(['user', 'user', 'provider']);
    expect(who('refund.requested')).toEqual(['system']);
    expect(who('refund.succeeded')).toEqual(['provider']);
    expect(who('link.paid')).toEqual(['system']);

    const attempts = await attemptsOf(t, appt.id);
    const succeeded = audit.find((e) => e.action === 'attempt.succeeded')!;
    expect(succeeded).toMatchObject({
      entityType: 'attempt',
      entityId: attempts[3]!.id,
      amountBefore: 5_000,
      amountAfter: -1_000,
      details: { amount: 6_000, provider: 'sandbox' },
    });
    expect(audit.find((e) => e.action === 'attempt.created')).toMatchObject({
      entityId: attempts[0]!.id,
      details: { amount: 10_000, linkId: link.id },
    });
    expect(audit.find((e) => e.action === 'payment.recorded' && e.actor.type === 'provider')).toMatchObject({
      amountBefore: 5_000,
      amountAfter: -1_000,
      details: { method: 'online', amount: 6_000, attemptId: attempts[3]!.id },
    });
    expect(audit.find((e) => e.action === 'refund.succeeded')).toMatchObject({
      amountBefore: -1_000,
      amountAfter: 0,
      details: { amount: 1_000 },
    });
    await expectBalancedLedger(t, appt.id);
  });
});

describe('R27 the audit trail of a plain success', () => {
  it('R27 a link of a fixed amount paid in one go logs attempt.succeeded and payment.recorded with the amounts due before and after, then link.paid, in that order', async () => {
    const company = await t.newCompany();
    await connectSandbox(company);
    const appt = await payableAppointment(t, company, { price: 10_000 });
    const link = await copyLink(company, appt.id, 4_000);
    const pay = await pressPay(t, link.token);
    await completeSandbox(t, pay.location!);
    await t.jobs.drain();

    const [attempt] = await attemptsOf(t, appt.id);
    const [payment] = await onlinePayments(t, appt.id);
    expect(payment).toMatchObject({ amount: 4_000, attempt_id: attempt!.id, link_id: link.id });
    const audit = (await auditOf(company, appt.id)).reverse();
    const actions = audit.map((e) => e.action);
    const at = (action: string) => actions.indexOf(action);
    expect(at('attempt.succeeded')).toBeLessThan(at('payment.recorded'));
    expect(at('payment.recorded')).toBeLessThan(at('link.paid'));
    expect(audit[at('attempt.succeeded')]).toMatchObject({
      actor: { type: 'provider' },
      entityId: attempt!.id,
      amountBefore: 10_000,
      amountAfter: 6_000,
      details: { amount: 4_000, provider: 'sandbox', late: false },
    });
    expect(audit[at('payment.recorded')]).toMatchObject({
      actor: { type: 'provider' },
      entityId: payment!.id,
      amountBefore: 10_000,
      amountAfter: 6_000,
      details: { method: 'online', amount: 4_000, attemptId: attempt!.id, linkId: link.id },
    });
    expect(audit[at('link.paid')]).toMatchObject({
      actor: { type: 'system' },
      entityId: link.id,
      details: { collected: 4_000, amount: 4_000 },
    });
    expect(attempt).toMatchObject({ status: 'succeeded' });
    expect(await appointmentOf(company, appt.id)).toMatchObject({ due: 6_000, lockedUntil: null });
    expect(
      (await t.db.selectFrom('payment_links').select('status').where('id', '=', link.id).executeTakeFirstOrThrow())
        .status,
    ).toBe('paid');
    const ledger = await ledgerOf(t, appt.id);
    expect(ledger).toMatchObject({ onlineSum: 4_000, captured: 4_000, refunded: 0, due: 6_000 });
  });
});

describe('Reliability on many connections', () => {
  it('Reliability 200 concurrent Pay presses on one link: one checkout, one attempt, every press 303 to the same URL', async () => {
    const { company, appt, link } = await paying();
    const presses = await Promise.all(Array.from({ length: 200 }, () => pressPay(t, link.token)));

    const statuses = new Set(presses.map((p) => p.status));
    const locations = new Set(presses.map((p) => p.location));
    expect([...statuses]).toEqual([303]);
    expect(locations.size).toBe(1);
    const attempts = await attemptsOf(t, appt.id);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ status: 'pending', redirect_url: [...locations][0] });
    expect(await sandboxCheckoutsOf(t, company.id)).toHaveLength(1);
    expect((await auditOf(company, appt.id)).filter((e) => e.action === 'attempt.created')).toHaveLength(1);
    expect((await appointmentOf(company, appt.id)).lockedUntil).toBe(
      new Date(attempts[0]!.created_at.getTime() + t.config.PAYLINK_LOCK_SECONDS * 1000).toISOString(),
    );
  });

  it("R10 a link pressed again right after its answer: the new presses wait a moment and share one answer (the same checkout), while another link's press goes first", async () => {
    const hot = await paying();
    const other = await paying();
    const first = await pressPay(t, hot.link.token);
    const finished: string[] = [];
    const crowd = Array.from({ length: 50 }, () => pressPay(t, hot.link.token).then((p) => (finished.push('hot'), p)));
    const beside = pressPay(t, other.link.token).then((p) => (finished.push('other'), p));
    const presses = await Promise.all(crowd);
    expect((await beside).status).toBe(303);

    expect(finished[0]).toBe('other');
    expect(new Set(presses.map((p) => p.location))).toEqual(new Set([first.location]));
    expect(await attemptsOf(t, hot.appt.id)).toHaveLength(1);
    expect(await sandboxCheckoutsOf(t, hot.company.id)).toHaveLength(1);
  });

  it('Reliability Pay pressed twice on each of 20 links at once: one checkout per link', async () => {
    const company = await t.newCompany();
    await connectSandbox(company);
    const links = [];
    for (let i = 0; i < 20; i++) {
      const appt = await payableAppointment(t, company, { price: 1_000 + i });
      links.push({ appt, link: await copyLink(company, appt.id) });
    }
    const presses = await Promise.all(links.flatMap(({ link }) => [pressPay(t, link.token), pressPay(t, link.token)]));
    expect(presses.every((p) => p.status === 303)).toBe(true);
    const checkouts = await sandboxCheckoutsOf(t, company.id);
    expect(checkouts.map((c) => c.amount).sort((a, b) => a - b)).toEqual(links.map((_, i) => 1_000 + i));
  });

  it('Reliability 40 concurrent deliveries of one success (same event and redeliveries) make one payment', async () => {
    const { company, appt, link } = await paying();
    await setNotifications(t, company.id, { mode: 'drop' });
    const pay = await pressPay(t, link.token);
    await completeSandbox(t, pay.location!);
    const success = (await sandboxNotificationsOf(t, company.id)).find((n) => n.event.type === 'checkout.succeeded')!;
    const bodies = Array.from({ length: 40 }, (_, i) =>
      i % 2 === 0 ? success.body : success.body.replace(success.event.id, `evt_redelivery_${i}`),
    );

    const answers = await Promise.all(bodies.map((body) => postSandboxWebhook(t, company.id, body)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(answers.filter((a) => a.body.result === 'duplicate').length).toBeGreaterThanOrEqual(19);
    await t.jobs.drain();
    expect((await onlinePayments(t, appt.id)).map((p) => p.amount)).toEqual([10_000]);
    await expectBalancedLedger(t, appt.id);
  });

  it('Reliability notifications and a reconciliation round racing over one success book it once', async () => {
    const { company, appt, link } = await paying();
    await setNotifications(t, company.id, { mode: 'duplicate' });
    const pay = await pressPay(t, link.token);
    await completeSandbox(t, pay.location!);
    const [attempt] = await attemptsOf(t, appt.id);
    await Promise.all([
      t.jobs.drain(),
      t.services.reconciliation.reconcile(attempt!),
      t.services.gateway.refresh(attempt!),
      pressPay(t, link.token),
    ]);
    await t.jobs.drain();
    expect((await onlinePayments(t, appt.id)).map((p) => p.amount)).toEqual([10_000]);
    expect((await attemptsOf(t, appt.id)).map((a) => a.status)).toEqual(['succeeded']);
    await expectBalancedLedger(t, appt.id);
  });
});
