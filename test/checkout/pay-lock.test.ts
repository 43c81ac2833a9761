import { describe, expect, it } from 'vitest';
import { newService } from '../helpers/factories.js';
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
  checkoutIdOf,
  deskPayment,
  insertCreatingAttempt,
  MINUTE,
  SECOND,
  sandboxCheckout,
} from '../helpers/settlement.js';
import { createTestApp, type TestApp, type TestCompany } from '../helpers/test-app.js';

const t = await createTestApp({ env: { VISITPAY_PUBLIC_RATE_LIMIT: '0' } });
await t.listen();
// An installation whose attempts live shorter than the lock.
const short = await createTestApp({ env: { PAYLINK_ATTEMPT_TTL_SECONDS: '300', PAYLINK_LOCK_SECONDS: '900' } });
const LOCK_MS = t.config.PAYLINK_LOCK_SECONDS * 1000;
const TTL_MS = t.config.PAYLINK_ATTEMPT_TTL_SECONDS * 1000;

async function paying(app: TestApp = t) {
  const company = await app.newCompany();
  await connectSandbox(company);
  const appt = await payableAppointment(app, company, { price: 10_000 });
  const link = await copyLink(company, appt.id);
  const pressedAt = app.clock.now();
  const pay = await pressPay(app, link.token);
  expect(pay.status, pay.body).toBe(303);
  return { company, appt, link, pay, pressedAt };
}

/** Every kind of money edit R13 names, each expected to answer 409 appointment_locked with `lockedUntil`. */
async function expectMoneyEditsLocked(company: TestCompany, appointmentId: string, lockedUntil: string) {
  const appointment = (await company.owner.get(`${company.base}/appointments/${appointmentId}`)).body as {
    items: { id: string }[];
  };
  const extra = await newService(t.db, company.id, { title: 'Beard trim', priceMin: 2_000 });
  const base = `${company.base}/appointments/${appointmentId}`;
  const edits = {
    'add an item': () => company.owner.post(`${base}/items`, { serviceId: extra.id }),
    'change a price': () => company.owner.patch(`${base}/items/${appointment.items[0]!.id}`, { price: 12_000 }),
    'remove an item': () => company.owner.delete(`${base}/items/${appointment.items[0]!.id}`),
    'take a desk payment': () => deskPayment(company, appointmentId, 1_000),
    'cancel the appointment': () => company.owner.patch(base, { status: 'cancelled' }),
    'delete the appointment': () => company.owner.delete(base),
  };
  for (const [what, edit] of Object.entries(edits)) {
    const res = await edit();
    expect(res.status, `${what}: ${res.text}`).toBe(409);
    expect(res.body.error, what).toMatchObject({ code: 'appointment_locked', lockedUntil });
  }
}

describe('R13 the lock while the client pays', () => {
  it('R13 Pay locks the appointment for PAYLINK_LOCK_SECONDS: money edits answer 409 appointment_locked with lockedUntil, a comment is fine', async () => {
    const { company, appt, pressedAt } = await paying();
    const lockedUntil = new Date(pressedAt.getTime() + LOCK_MS).toISOString();
    expect((await appointmentOf(company, appt.id)).lockedUntil).toBe(lockedUntil);
    await expectMoneyEditsLocked(company, appt.id, lockedUntil);

    const comment = await company.owner.patch(`${company.base}/appointments/${appt.id}`, {
      comment: 'Client is paying by link',
    });
    expect(comment.status, comment.text).toBe(200);
    expect(comment.body).toMatchObject({
      comment: 'Client is paying by link',
      status: 'booked',
      total: 10_000,
      lockedUntil,
    });
  });

  it('R13 the lock ends with the attempt when that comes first (the client declines at the bank)', async () => {
    const { company, appt, pay } = await paying();
    await completeSandbox(t, pay.location!, 'failed');
    await t.jobs.drain();
    expect((await attemptsOf(t, appt.id))[0]).toMatchObject({ status: 'failed', provider_status: 'declined' });
    expect((await appointmentOf(company, appt.id)).lockedUntil).toBeNull();
    expect((await deskPayment(company, appt.id, 10_000)).status).toBe(201);
  });

  it('R13 with an attempt TTL shorter than PAYLINK_LOCK_SECONDS the lock ends at the attempt expiry', async () => {
    const { company, appt, pressedAt } = await paying(short);
    const [attempt] = await short.db
      .selectFrom('checkout_attempts')
      .selectAll()
      .where('appointment_id', '=', appt.id)
      .execute();
    expect(attempt!.expires_at.getTime()).toBe(pressedAt.getTime() + 300 * SECOND);
    expect((await appointmentOf(company, appt.id)).lockedUntil).toBe(attempt!.expires_at.toISOString());
  });

  it('R13 staff cancel the attempt: it is expired at the provider and the appointment unlocks', async () => {
    const { company, appt, pay } = await paying();
    const staff = await t.newUser(company.id, 'staff');
    const refused = await staff.api.post(`${company.base}/appointments/${appt.id}/payment-link/cancel-attempt`, {});
    expect(refused.status).toBe(403);

    const cancel = await company.owner.post(`${company.base}/appointments/${appt.id}/payment-link/cancel-attempt`, {});
    expect(cancel.status, cancel.text).toBe(200);
    expect(cancel.body.status).toBe('active');
    expect((await attemptsOf(t, appt.id))[0]).toMatchObject({ status: 'canceled', failure: 'canceled by staff' });
    expect((await sandboxCheckout(t, checkoutIdOf(pay.location))).status).toBe('expired');
    expect((await appointmentOf(company, appt.id)).lockedUntil).toBeNull();

    // Nothing left to cancel now; the old bank page takes no money; the desk can.
    expect(
      (await company.owner.post(`${company.base}/appointments/${appt.id}/payment-link/cancel-attempt`, {})).status,
    ).toBe(409);
    await completeSandbox(t, pay.location!);
    await t.jobs.drain();
    expect(await onlinePayments(t, appt.id)).toEqual([]);
    expect((await deskPayment(company, appt.id, 10_000)).status).toBe(201);
  });

  it('R13 staff cancel an attempt whose provider call is still in flight: the checkout is expired as soon as it exists', async () => {
    const company = await t.newCompany();
    await connectSandbox(company);
    const appt = await payableAppointment(t, company);
    const link = await copyLink(company, appt.id);
    const attempt = await insertCreatingAttempt(t, link.id);
    expect(
      (await company.owner.post(`${company.base}/appointments/${appt.id}/payment-link/cancel-attempt`, {})).status,
    ).toBe(200);
    expect((await appointmentOf(company, appt.id)).lockedUntil).toBeNull();

    // The Pay request that was talking to the bank gets its answer only now.
    const answered = await t.services.gateway.create(attempt);
    expect(answered).toMatchObject({ status: 'canceled', provider_checkout_id: expect.stringMatching(/^sbx_/) });
    expect((await sandboxCheckout(t, answered.provider_checkout_id!)).status).toBe('expired');
    expect((await appointmentOf(company, appt.id)).lockedUntil).toBeNull();
  });

  it('R13 the lock lapses by itself after PAYLINK_LOCK_SECONDS, with no job running', async () => {
    const { company, appt, pressedAt } = await paying();
    t.clock.set(new Date(pressedAt.getTime() + LOCK_MS - SECOND));
    expect((await deskPayment(company, appt.id, 1_000)).status).toBe(409);
    t.clock.set(new Date(pressedAt.getTime() + LOCK_MS));
    expect((await appointmentOf(company, appt.id)).lockedUntil).toBeNull();
    expect((await deskPayment(company, appt.id, 1_000)).status).toBe(201);
    // the attempt itself is still open at the bank: the client may yet pay (R18 refunds any excess)
    expect((await attemptsOf(t, appt.id))[0]!.status).toBe('pending');
  });

  it('R13 pressing Pay again on the pending attempt takes the lock again', async () => {
    const { company, appt, link, pay } = await paying();
    t.clock.advance(LOCK_MS + MINUTE);
    expect((await appointmentOf(company, appt.id)).lockedUntil).toBeNull();
    const pressedAgainAt = t.clock.now();
    const again = await pressPay(t, link.token);
    expect(again.location).toBe(pay.location);
    expect((await appointmentOf(company, appt.id)).lockedUntil).toBe(
      new Date(pressedAgainAt.getTime() + LOCK_MS).toISOString(),
    );
  });
});

describe('R14 an attempt not paid in time', () => {
  it('R14 changes nothing else: the appointment stays, the link stays active, staff can take the payment another way', async () => {
    const { company, appt, link } = await paying();
    t.clock.advance(TTL_MS + 2 * MINUTE);
    await t.jobs.drain();
    expect((await attemptsOf(t, appt.id)).map((a) => a.status)).toEqual(['expired']);

    const after = await appointmentOf(company, appt.id);
    expect(after).toMatchObject({ total: 10_000, paid: 0, due: 10_000, paymentStatus: 'unpaid', lockedUntil: null });
    expect((await company.owner.get(`${company.base}/appointments/${appt.id}`)).body.status).toBe('booked');
    const current = await company.owner.get(`${company.base}/appointments/${appt.id}/payment-link`);
    expect(current.body).toMatchObject({ status: 'active', id: link.id });
    expect((await t.anonymous.get(`/api/v1/pay/${link.token}`)).body).toMatchObject({
      state: 'payable',
      amountNow: 10_000,
    });

    expect((await deskPayment(company, appt.id, 10_000)).status).toBe(201);
    expect(await appointmentOf(company, appt.id)).toMatchObject({ due: 0, paymentStatus: 'paid' });
  });
});
