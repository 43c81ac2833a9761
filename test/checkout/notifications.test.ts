import { describe, expect, it } from 'vitest';
import type { AttemptRow } from '../../src/modules/checkout/attempts.repository.js';
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
  checkoutIdOf,
  insertCreatingAttempt,
  MINUTE,
  postSandboxWebhook,
  sandboxCheckout,
  sandboxCheckoutsOf,
  sandboxEventBody,
  sandboxNotificationsOf,
  setNotifications,
} from '../helpers/settlement.js';
import { createTestApp } from '../helpers/test-app.js';

const t = await createTestApp({ env: { VISITPAY_PUBLIC_RATE_LIMIT: '0' } });
await t.listen();

async function paying() {
  const company = await t.newCompany();
  await connectSandbox(company);
  const appt = await payableAppointment(t, company, { price: 10_000 });
  const link = await copyLink(company, appt.id);
  return { company, appt, link };
}

async function inboxOf(companyId: string) {
  return t.db.selectFrom('webhook_inbox').selectAll().where('company_id', '=', companyId).orderBy('id').execute();
}

/** The provider call of an attempt made straight at the bank: it happened, but Visitpay never recorded its answer. */
async function createAtBank(attempt: AttemptRow) {
  const { credentials } = (await t.services.cashless.connected(attempt.company_id))!;
  return t.services.sandbox.createCheckout({
    companyId: attempt.company_id,
    credentials,
    attemptId: attempt.id,
    amount: attempt.amount,
    currency: attempt.currency,
    description: 'Test Salon: payment for a visit',
    lineItems: [],
    expiresAt: attempt.expires_at,
    returnUrl: 'http://visitpay.test/pay/return',
    metadata: {
      companyId: attempt.company_id,
      appointmentId: attempt.appointment_id,
      linkId: attempt.link_id,
      attemptId: attempt.id,
    },
  });
}

/** The success notification the bank wrote (and, in drop mode, never sent). */
async function successNotification(companyId: string) {
  const found = (await sandboxNotificationsOf(t, companyId)).find((n) => n.event.type === 'checkout.succeeded');
  expect(found).toBeDefined();
  return found!;
}

describe('R17 one payment per successful attempt', () => {
  it('R17 a successful attempt becomes exactly one online payment with provider, attempt id and provider payment id', async () => {
    const { company, appt, link } = await paying();
    const pay = await pressPay(t, link.token);
    await completeSandbox(t, pay.location!);
    await t.jobs.drain();

    const [attempt] = await attemptsOf(t, appt.id);
    const payments = await onlinePayments(t, appt.id);
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({
      method: 'online',
      amount: 10_000,
      currency: 'EUR',
      provider: 'sandbox',
      attempt_id: attempt!.id,
      link_id: link.id,
      provider_payment_id: checkoutIdOf(pay.location).replace(/^sbx_/, 'sbp_'),
      refund_of: null,
      actor_type: 'provider',
    });
    expect(attempt).toMatchObject({
      status: 'succeeded',
      provider_status: 'paid',
      provider_payment_id: payments[0]!.provider_payment_id,
    });
    expect((await inboxOf(company.id)).every((e) => e.processed_at !== null)).toBe(true);
  });

  it('R17 duplicate notifications (the bank sends each twice) make one payment', async () => {
    const { company, appt, link } = await paying();
    await setNotifications(t, company.id, { mode: 'duplicate' });
    const pay = await pressPay(t, link.token);
    await completeSandbox(t, pay.location!);
    await t.jobs.drain();

    const sent = (await sandboxNotificationsOf(t, company.id)).filter((n) => n.event.type === 'checkout.succeeded');
    expect(sent).toHaveLength(2);
    expect(sent.every((n) => n.delivered_at !== null)).toBe(true);
    expect((await inboxOf(company.id)).filter((e) => e.event_type === 'checkout.succeeded')).toHaveLength(1);
    expect((await onlinePayments(t, appt.id)).map((p) => p.amount)).toEqual([10_000]);
  });

  it('R17 the same signed body POSTed twice is applied once; the same news under a new event id changes nothing', async () => {
    const { company, appt, link } = await paying();
    await setNotifications(t, company.id, { mode: 'drop' });
    const pay = await pressPay(t, link.token);
    await completeSandbox(t, pay.location!);
    const { body, event } = await successNotification(company.id);

    expect(await postSandboxWebhook(t, company.id, body)).toEqual({
      status: 200,
      body: { received: true, result: 'applied' },
    });
    expect(await postSandboxWebhook(t, company.id, body)).toEqual({
      status: 200,
      body: { received: true, result: 'duplicate' },
    });
    const resent = body.replace(event.id, 'evt_redelivered_1');
    expect((await postSandboxWebhook(t, company.id, resent)).status).toBe(200);

    expect((await onlinePayments(t, appt.id)).map((p) => p.amount)).toEqual([10_000]);
    expect(await inboxOf(company.id)).toHaveLength(2);
    expect(await appointmentOf(company, appt.id)).toMatchObject({ due: 0, paymentStatus: 'paid' });
  });

  it('R17 a success that overtakes the create call is applied to the creating attempt found by its metadata', async () => {
    const { company, appt, link } = await paying();
    const attempt = await insertCreatingAttempt(t, link.id);
    const checkout = await createAtBank(attempt);
    await completeSandbox(t, `http://visitpay.test/sandbox/checkout/${checkout.checkoutId}`);
    await t.jobs.drain();

    const [settled] = await attemptsOf(t, appt.id);
    expect(settled).toMatchObject({ id: attempt.id, status: 'succeeded', provider_checkout_id: checkout.checkoutId });
    expect((await appointmentOf(company, appt.id)).lockedUntil).toBeNull();

    // The create call's answer comes back at last: nothing more happens.
    const answered = await t.services.gateway.create(attempt);
    expect(answered.status).toBe('succeeded');
    expect((await onlinePayments(t, appt.id)).map((p) => [p.amount, p.attempt_id])).toEqual([[10_000, attempt.id]]);
    expect(await sandboxCheckoutsOf(t, company.id)).toHaveLength(1);
  });

  it('R17 a notification about a checkout that is none of ours is stored, marked processed with its reason, and books nothing', async () => {
    const { company, appt } = await paying();
    const body = sandboxEventBody({
      type: 'checkout.succeeded',
      checkoutId: 'sbx_not_ours_0000000',
      status: 'paid',
      amount: 10_000,
      currency: 'EUR',
      metadata: { attemptId: 'att_not_ours_0000000' },
      at: t.clock.now(),
    });

    expect(await postSandboxWebhook(t, company.id, body)).toEqual({
      status: 200,
      body: { received: true, result: 'applied' },
    });

    const [stored] = await inboxOf(company.id);
    expect(stored).toMatchObject({ last_error: 'no attempt of ours' });
    expect(stored!.processed_at).not.toBeNull();
    expect(await onlinePayments(t, appt.id)).toEqual([]);
  });

  it('R17 a crowd of notifications arriving at once — successes of many appointments, each delivered twice, a decline, one not ours — is applied in shared transactions, each once', async () => {
    const company = await t.newCompany();
    await connectSandbox(company);
    await setNotifications(t, company.id, { mode: 'drop' });
    const paid: { apptId: string; linkId: string; price: number }[] = [];
    for (let i = 0; i < 12; i++) {
      const price = 5_000 + i * 100;
      const appt = await payableAppointment(t, company, { price });
      const link = await copyLink(company, appt.id);
      const pay = await pressPay(t, link.token);
      await completeSandbox(t, pay.location!);
      paid.push({ apptId: appt.id, linkId: link.id, price });
    }
    const declined = await payableAppointment(t, company, { price: 3_000 });
    const declinedLink = await copyLink(company, declined.id);
    await completeSandbox(t, (await pressPay(t, declinedLink.token)).location!, 'failed');
    const sent = (await sandboxNotificationsOf(t, company.id)).filter(
      (n) => n.event.type !== 'checkout.created' && n.event.type !== 'checkout.pending',
    );
    const notOurs = sandboxEventBody({
      type: 'checkout.succeeded',
      checkoutId: 'sbx_not_ours_crowd_00',
      status: 'paid',
      amount: 1_000,
      currency: 'EUR',
      metadata: {},
      at: t.clock.now(),
    });
    const bodies = [...sent.map((n) => n.body), ...sent.map((n) => n.body), notOurs];

    const answers = await Promise.all(bodies.map((body) => postSandboxWebhook(t, company.id, body)));

    expect(answers.every((a) => a.status === 200)).toBe(true);
    const results = answers.map((a) => (a.body as { result: string }).result);
    expect(results.filter((r) => r === 'applied')).toHaveLength(sent.length + 1);
    expect(results.filter((r) => r === 'duplicate')).toHaveLength(sent.length);
    for (const { apptId, price } of paid) {
      expect((await onlinePayments(t, apptId)).map((p) => p.amount)).toEqual([price]);
      expect(await appointmentOf(company, apptId)).toMatchObject({ due: 0, paymentStatus: 'paid', lockedUntil: null });
    }
    expect(await onlinePayments(t, declined.id)).toEqual([]);
    expect((await attemptsOf(t, declined.id)).map((a) => a.status)).toEqual(['failed']);
    const inbox = await inboxOf(company.id);
    expect(inbox).toHaveLength(sent.length + 1);
    expect(inbox.every((e) => e.processed_at !== null)).toBe(true);
    expect(inbox.filter((e) => e.last_error === 'no attempt of ours')).toHaveLength(1);
    const links = await t.db
      .selectFrom('payment_links')
      .select('status')
      .where(
        'id',
        'in',
        paid.map((p) => p.linkId),
      )
      .execute();
    expect(links.every((l) => l.status === 'paid')).toBe(true);
  });

  it('R17 a failed or expired notification after succeeded changes nothing', async () => {
    const { company, appt, link } = await paying();
    const pay = await pressPay(t, link.token);
    await completeSandbox(t, pay.location!);
    await t.jobs.drain();
    const [attempt] = await attemptsOf(t, appt.id);
    const checkout = await sandboxCheckout(t, attempt!.provider_checkout_id!);

    for (const [type, status] of [
      ['checkout.failed', 'declined'],
      ['checkout.expired', 'expired'],
    ] as const) {
      const body = sandboxEventBody({
        type,
        status,
        checkoutId: checkout.id,
        amount: checkout.amount,
        currency: checkout.currency,
        metadata: checkout.metadata,
        at: t.clock.now(),
      });
      expect((await postSandboxWebhook(t, company.id, body)).status).toBe(200);
    }
    expect((await attemptsOf(t, appt.id))[0]).toMatchObject({ status: 'succeeded', provider_status: 'paid' });
    expect((await onlinePayments(t, appt.id)).map((p) => p.amount)).toEqual([10_000]);
    expect(await appointmentOf(company, appt.id)).toMatchObject({ due: 0, paymentStatus: 'paid' });
  });

  it('R17 a late success, after the attempt was recorded expired, is credited once', async () => {
    const { company, appt, link } = await paying();
    await setNotifications(t, company.id, { mode: 'delay', delaySeconds: 600 });
    const pay = await pressPay(t, link.token);
    await completeSandbox(t, pay.location!);
    // An expiry notice overtakes the slow success notice.
    const checkout = await sandboxCheckout(t, checkoutIdOf(pay.location));
    const expired = sandboxEventBody({
      type: 'checkout.expired',
      status: 'expired',
      checkoutId: checkout.id,
      amount: checkout.amount,
      currency: checkout.currency,
      metadata: checkout.metadata,
      at: t.clock.now(),
    });
    expect((await postSandboxWebhook(t, company.id, expired)).status).toBe(200);
    expect((await attemptsOf(t, appt.id))[0]!.status).toBe('expired');
    expect(await onlinePayments(t, appt.id)).toEqual([]);

    t.clock.advance(11 * MINUTE);
    await t.jobs.drain();
    expect((await attemptsOf(t, appt.id))[0]).toMatchObject({ status: 'succeeded' });
    expect((await onlinePayments(t, appt.id)).map((p) => p.amount)).toEqual([10_000]);
    expect(await appointmentOf(company, appt.id)).toMatchObject({ due: 0, lockedUntil: null });
    const succeeded = (await auditOf(company, appt.id)).find((e) => e.action === 'attempt.succeeded');
    expect(succeeded?.details).toMatchObject({ late: true });
  });

  it('R17 once the webhook secret is rotated, a notification signed with the old one is refused at once', async () => {
    const { company } = await paying();
    const event = (id: string) =>
      sandboxEventBody({
        id,
        type: 'checkout.succeeded',
        checkoutId: `sbx_${id}`,
        status: 'paid',
        amount: 100,
        currency: 'EUR',
        metadata: {},
        at: t.clock.now(),
      });
    const oldSecret = (await t.services.cashless.connected(company.id))!.credentials.webhookSecret!;
    expect((await postSandboxWebhook(t, company.id, event('evt_before_rotation'), { secret: oldSecret })).status).toBe(
      200,
    );

    await connectSandbox(company);

    const refused = await postSandboxWebhook(t, company.id, event('evt_old_secret'), { secret: oldSecret });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('invalid_signature');
    expect((await postSandboxWebhook(t, company.id, event('evt_new_secret'))).status).toBe(200);
    expect((await inboxOf(company.id)).map((e) => e.event_id)).toEqual(['evt_before_rotation', 'evt_new_secret']);
  });

  it('R17 a forged notification is refused with 400 and nothing is written', async () => {
    const { company, appt, link } = await paying();
    await setNotifications(t, company.id, { mode: 'drop' });
    const pay = await pressPay(t, link.token);
    await completeSandbox(t, pay.location!);
    const { body } = await successNotification(company.id);

    const forgeries = [
      await postSandboxWebhook(t, company.id, body, { secret: 'not-the-merchant-secret-at-all' }),
      await postSandboxWebhook(t, company.id, body, { signature: '' }),
      await postSandboxWebhook(t, company.id, body, {
        signature: `t=${Math.floor(t.clock.now().getTime() / 1000)},v1=${'0'.repeat(64)}`,
      }),
    ];
    // a valid signature over another body
    const merchant = await t.db
      .selectFrom('sandbox_merchants')
      .select('webhook_secret')
      .where('company_id', '=', company.id)
      .executeTakeFirstOrThrow();
    const { signatureHeader } = await import('../../src/shared/webhook-signature.js');
    forgeries.push(
      await postSandboxWebhook(t, company.id, body.replace('"amount":10000', '"amount":1'), {
        signature: signatureHeader(t.services.secrets.open(merchant.webhook_secret), t.clock.now(), body),
      }),
    );
    for (const res of forgeries) {
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_signature');
    }
    expect(await inboxOf(company.id)).toEqual([]);
    expect(await onlinePayments(t, appt.id)).toEqual([]);
    expect((await attemptsOf(t, appt.id))[0]!.status).toBe('pending');
  });
});

describe('R20 reconciliation', () => {
  it('R20 a dropped notification: the job finds the payment a few minutes after the attempt was created', async () => {
    const { company, appt, link } = await paying();
    await setNotifications(t, company.id, { mode: 'drop' });
    const pay = await pressPay(t, link.token);
    t.clock.advance(MINUTE);
    await completeSandbox(t, pay.location!);
    await t.jobs.drain();
    expect(await onlinePayments(t, appt.id)).toEqual([]);

    const [attempt] = await attemptsOf(t, appt.id);
    expect(attempt!.check_at.getTime() - attempt!.created_at.getTime()).toBeLessThanOrEqual(5 * MINUTE);
    t.clock.set(new Date(attempt!.check_at.getTime() + 1_000));
    await t.jobs.drain();
    expect((await onlinePayments(t, appt.id)).map((p) => p.amount)).toEqual([10_000]);
    expect((await attemptsOf(t, appt.id))[0]).toMatchObject({ status: 'succeeded' });
    expect(await appointmentOf(company, appt.id)).toMatchObject({ due: 0, lockedUntil: null });
  });

  it('R20 a payment made late in the attempt life, its notification dropped, is found within five minutes', async () => {
    const { company, appt, link } = await paying();
    await setNotifications(t, company.id, { mode: 'drop' });
    const pay = await pressPay(t, link.token);
    // The job keeps asking while nobody pays.
    for (let minute = 0; minute < 25; minute++) {
      t.clock.advance(MINUTE);
      await t.jobs.drain();
    }
    expect((await attemptsOf(t, appt.id))[0]!.status).toBe('pending');
    await completeSandbox(t, pay.location!);
    const paidAt = t.clock.now().getTime();
    while ((await onlinePayments(t, appt.id)).length === 0) {
      expect(t.clock.now().getTime() - paidAt).toBeLessThanOrEqual(5 * MINUTE);
      t.clock.advance(30_000);
      await t.jobs.drain();
    }
    expect((await attemptsOf(t, appt.id))[0]!.status).toBe('succeeded');
  });

  it('R20 a creating attempt whose provider call never happened: the job creates it with the same idempotency key and converges', async () => {
    const { company, appt, link } = await paying();
    const attempt = await insertCreatingAttempt(t, link.id);
    await t.jobs.drain();
    expect((await attemptsOf(t, appt.id))[0]!.status).toBe('creating');

    t.clock.set(new Date(attempt.check_at.getTime() + 1_000));
    await t.jobs.drain();
    const [created] = await attemptsOf(t, appt.id);
    const checkouts = await sandboxCheckoutsOf(t, company.id);
    expect(checkouts.map((c) => [c.idempotency_key, c.amount])).toEqual([[attempt.id, 10_000]]);
    expect(created).toMatchObject({ status: 'pending', provider_checkout_id: checkouts[0]!.id });

    // The client presses Pay again and is sent to that very checkout.
    const pay = await pressPay(t, link.token);
    expect(pay.location).toBe(created!.redirect_url);
    await completeSandbox(t, pay.location!);
    await t.jobs.drain();
    expect((await onlinePayments(t, appt.id)).map((p) => p.amount)).toEqual([10_000]);
    expect(await sandboxCheckoutsOf(t, company.id)).toHaveLength(1);
  });

  it('R20 killed between the provider call and the commit, the client paid, the notice dropped: the job books it once', async () => {
    const { company, appt, link } = await paying();
    await setNotifications(t, company.id, { mode: 'drop' });
    const attempt = await insertCreatingAttempt(t, link.id);
    const checkout = await createAtBank(attempt);
    await completeSandbox(t, `http://visitpay.test/sandbox/checkout/${checkout.checkoutId}`);

    t.clock.set(new Date(attempt.check_at.getTime() + 1_000));
    await t.jobs.drain();
    expect((await attemptsOf(t, appt.id))[0]).toMatchObject({
      status: 'succeeded',
      provider_checkout_id: checkout.checkoutId,
    });
    expect((await onlinePayments(t, appt.id)).map((p) => p.amount)).toEqual([10_000]);
    expect(await sandboxCheckoutsOf(t, company.id)).toHaveLength(1);

    t.clock.advance(2 * 60 * MINUTE);
    await t.jobs.drain();
    expect(await onlinePayments(t, appt.id)).toHaveLength(1);
    expect(await appointmentOf(company, appt.id)).toMatchObject({ due: 0, lockedUntil: null });
  });
});

describe('the webhook inbox', () => {
  it('R17 a notification whose application fails is kept in the inbox, answered "stored", and applied once by the retry job', async () => {
    const company = await t.newCompany();
    await connectSandbox(company);
    await setNotifications(t, company.id, { mode: 'drop' });
    const appt = await payableAppointment(t, company, { price: 6_543 });
    const link = await copyLink(company, appt.id);
    const pay = await pressPay(t, link.token);
    await completeSandbox(t, pay.location!);
    const { body } = await successNotification(company.id);
    // The database refuses this one payment for a while (a trigger matching only its amount).
    const { sql } = await import('kysely');
    await sql`CREATE FUNCTION refuse_6543() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.amount = 6543 THEN RAISE EXCEPTION 'refused for the test'; END IF; RETURN NEW; END $$`.execute(
      t.db,
    );
    await sql`CREATE TRIGGER refuse_6543 BEFORE INSERT ON payments FOR EACH ROW EXECUTE FUNCTION refuse_6543()`.execute(
      t.db,
    );
    try {
      expect(await postSandboxWebhook(t, company.id, body)).toEqual({
        status: 200,
        body: { received: true, result: 'stored' },
      });
      expect(await postSandboxWebhook(t, company.id, body)).toEqual({
        status: 200,
        body: { received: true, result: 'duplicate' },
      });
    } finally {
      await sql`DROP TRIGGER refuse_6543 ON payments`.execute(t.db);
      await sql`DROP FUNCTION refuse_6543()`.execute(t.db);
    }
    expect(await onlinePayments(t, appt.id)).toHaveLength(0);
    const [stored] = await inboxOf(company.id);
    expect(stored).toMatchObject({
      processed_at: null,
      tries: 1,
      last_error: expect.stringContaining('refused for the test'),
    });

    t.clock.advance(6_000);
    expect(await t.services.webhooks.processDue()).toBe(1);
    await t.jobs.drain();
    expect((await onlinePayments(t, appt.id)).map((p) => p.amount)).toEqual([6_543]);
    expect((await inboxOf(company.id)).map((e) => e.processed_at !== null)).toEqual([true]);
  });

  it('R17 a notification stored but never applied (the process died in between) is applied by the retry job, once', async () => {
    const company = await t.newCompany();
    await connectSandbox(company);
    await company.owner.put(`${company.base}/settings/cashless`, { sandboxNotifications: { mode: 'drop' } });
    const appt = await payableAppointment(t, company, { price: 7_000 });
    const link = await copyLink(company, appt.id);
    const pay = await pressPay(t, link.token);
    await completeSandbox(t, pay.location!);
    const attempt = await t.db
      .selectFrom('checkout_attempts')
      .selectAll()
      .where('link_id', '=', link.id)
      .executeTakeFirstOrThrow();
    const credentials = (await t.services.cashless.connected(company.id))!.credentials;
    const state = await t.services.sandbox.getCheckout({
      companyId: company.id,
      credentials,
      checkoutId: attempt.provider_checkout_id!,
    });
    expect(state.status).toBe('succeeded');
    const { insertInboxEvent } = await import('../../src/modules/webhooks/inbox.repository.js');
    await insertInboxEvent(t.db, {
      companyId: company.id,
      provider: 'sandbox',
      eventId: 'evt_stranded',
      eventType: 'checkout.succeeded',
      event: {
        kind: 'checkout',
        eventId: 'evt_stranded',
        eventType: 'checkout.succeeded',
        attemptId: attempt.id,
        state,
      },
      receivedAt: t.clock.now(),
    });

    // The receiving request would have applied it at once; the job waits a moment before assuming it did not.
    await t.services.webhooks.processDue();
    expect(await onlinePayments(t, appt.id)).toHaveLength(0);
    t.clock.advance(31_000);
    expect(await t.services.webhooks.processDue()).toBe(1);
    expect((await onlinePayments(t, appt.id)).map((p) => p.amount)).toEqual([7_000]);
    t.clock.advance(120_000);
    await t.jobs.drain();
    expect(await onlinePayments(t, appt.id)).toHaveLength(1);
    const row = await t.db
      .selectFrom('webhook_inbox')
      .selectAll()
      .where('event_id', '=', 'evt_stranded')
      .executeTakeFirstOrThrow();
    expect(row.processed_at).not.toBeNull();
  });
});
