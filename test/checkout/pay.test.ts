import { describe, expect, it } from 'vitest';
import { newClient, newService, newStaffMember } from '../helpers/factories.js';
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
  MINUTE,
  SECOND,
  sandboxCheckout,
  sandboxCheckoutsOf,
  setNotifications,
} from '../helpers/settlement.js';
import { createTestApp } from '../helpers/test-app.js';

const TTL_SECONDS = 1800;
const t = await createTestApp({
  env: { PAYLINK_ATTEMPT_TTL_SECONDS: String(TTL_SECONDS), VISITPAY_PUBLIC_RATE_LIMIT: '0' },
});
await t.listen();

async function setUp(price = 10_000) {
  const company = await t.newCompany();
  await connectSandbox(company);
  const appt = await payableAppointment(t, company, { price });
  return { company, appt };
}

/** Past the R13 lock (15 minutes by default) but well inside the attempt's TTL. */
const lapseLock = () => t.clock.advance(t.config.PAYLINK_LOCK_SECONDS * 1000 + SECOND);

describe('R9 the amount is computed when Pay is pressed', () => {
  it('R9 a desk payment made after the link was sent lowers what Pay charges', async () => {
    const { company, appt } = await setUp(10_000);
    const link = await copyLink(company, appt.id);
    expect((await deskPayment(company, appt.id, 3_000)).status).toBe(201);

    const pay = await pressPay(t, link.token);
    expect(pay.status, pay.body).toBe(303);
    const [attempt] = await attemptsOf(t, appt.id);
    expect(attempt).toMatchObject({ amount: 7_000, status: 'pending' });
    expect((await sandboxCheckout(t, checkoutIdOf(pay.location))).amount).toBe(7_000);

    await completeSandbox(t, pay.location!);
    await t.jobs.drain();
    expect((await onlinePayments(t, appt.id)).map((p) => p.amount)).toEqual([7_000]);
    expect(await appointmentOf(company, appt.id)).toMatchObject({ paid: 10_000, due: 0, paymentStatus: 'paid' });
  });

  it('R9 a fixed link amount caps the charge; once collected the link is paid and Pay creates nothing more', async () => {
    const { company, appt } = await setUp(10_000);
    const link = await copyLink(company, appt.id, 6_000);
    const pay = await pressPay(t, link.token);
    expect((await attemptsOf(t, appt.id)).map((a) => a.amount)).toEqual([6_000]);

    await completeSandbox(t, pay.location!);
    await t.jobs.drain();
    expect(await appointmentOf(company, appt.id)).toMatchObject({ due: 4_000, paymentStatus: 'partially_paid' });
    const again = await pressPay(t, link.token);
    expect(again).toMatchObject({ status: 303, location: `/pay/${link.token}` });
    expect(await attemptsOf(t, appt.id)).toHaveLength(1);
    expect((await company.owner.get(`${company.base}/appointments/${appt.id}/payment-link`)).body.status).toBe('paid');
  });

  it('R9 the cap is the fixed amount minus what the link already collected', async () => {
    const { company, appt } = await setUp(10_000);
    const link = await copyLink(company, appt.id, 8_000);
    expect((await deskPayment(company, appt.id, 4_000)).status).toBe(201);
    // The client pays 6 000 at the bank; its notification is slow to arrive.
    await setNotifications(t, company.id, { mode: 'delay', delaySeconds: 3_600 });
    const first = await pressPay(t, link.token);
    await completeSandbox(t, first.location!);

    lapseLock();
    const extra = await newService(t.db, company.id, { title: 'Styling', priceMin: 5_000 });
    expect(
      (await company.owner.post(`${company.base}/appointments/${appt.id}/items`, { serviceId: extra.id })).status,
    ).toBe(201);

    // Pay learns of the 6 000 while expiring that checkout: the link may take 8 000 − 6 000 more.
    const second = await pressPay(t, link.token);
    expect(second.status, second.body).toBe(303);
    const attempts = (await attemptsOf(t, appt.id)).sort((a, b) => b.amount - a.amount);
    expect(attempts.map((a) => [a.amount, a.status])).toEqual([
      [8_000, 'canceled'],
      [6_000, 'succeeded'],
      [2_000, 'pending'],
    ]);
    expect(second.location).toBe(attempts[2]!.redirect_url);
    // the stale 8 000 attempt never reached the bank
    expect((await sandboxCheckoutsOf(t, company.id)).map((c) => c.amount)).toEqual([6_000, 2_000]);
    expect(await appointmentOf(company, appt.id)).toMatchObject({ total: 15_000, paid: 10_000, due: 5_000 });
  });
});

describe('R10 attempts at the provider', () => {
  it('R10 Pay creates an attempt living PAYLINK_ATTEMPT_TTL_SECONDS and redirects to its provider page', async () => {
    const { company, appt } = await setUp(10_000);
    const link = await copyLink(company, appt.id);
    const now = t.clock.now();
    const pay = await pressPay(t, link.token);
    expect(pay.status).toBe(303);

    const [attempt] = await attemptsOf(t, appt.id);
    const checkout = await sandboxCheckout(t, checkoutIdOf(pay.location));
    expect(attempt).toMatchObject({
      status: 'pending',
      provider: 'sandbox',
      amount: 10_000,
      currency: 'EUR',
      provider_checkout_id: checkout.id,
      redirect_url: pay.location,
    });
    expect(attempt!.expires_at.getTime() - now.getTime()).toBe(TTL_SECONDS * 1000);
    // the provider session carries the same expiry, our attempt id as idempotency key, and our ids as metadata
    expect(checkout.expires_at.getTime()).toBe(attempt!.expires_at.getTime());
    expect(checkout).toMatchObject({ idempotency_key: attempt!.id, amount: 10_000, status: 'open' });
    expect(checkout.metadata).toEqual({
      companyId: company.id,
      appointmentId: appt.id,
      linkId: link.id,
      attemptId: attempt!.id,
    });
  });

  it('R10 a second Pay (double click, another tab) reuses the pending attempt: same redirect, one checkout', async () => {
    const { company, appt } = await setUp();
    const link = await copyLink(company, appt.id);
    const first = await pressPay(t, link.token);
    t.clock.advance(2 * MINUTE);
    const second = await pressPay(t, link.token);
    expect(second).toMatchObject({ status: 303, location: first.location });
    expect(await attemptsOf(t, appt.id)).toHaveLength(1);
    expect(await sandboxCheckoutsOf(t, company.id)).toHaveLength(1);
  });

  it('R10 after a desk payment changes the amount, Pay makes a new attempt and the old one is canceled and expired at the provider', async () => {
    const { company, appt } = await setUp(10_000);
    const link = await copyLink(company, appt.id);
    const first = await pressPay(t, link.token);
    lapseLock();
    expect((await deskPayment(company, appt.id, 4_000)).status).toBe(201);

    const second = await pressPay(t, link.token);
    expect(second.status).toBe(303);
    expect(second.location).not.toBe(first.location);
    const [old, fresh] = await attemptsOf(t, appt.id);
    expect(old).toMatchObject({ status: 'canceled', amount: 10_000 });
    expect(fresh).toMatchObject({ status: 'pending', amount: 6_000, redirect_url: second.location });
    expect((await sandboxCheckout(t, checkoutIdOf(first.location))).status).toBe('expired');
    expect((await sandboxCheckout(t, checkoutIdOf(second.location))).status).toBe('open');

    // The old page can no longer take money.
    await completeSandbox(t, first.location!);
    await t.jobs.drain();
    expect((await sandboxCheckout(t, checkoutIdOf(first.location))).status).toBe('expired');
    expect(await onlinePayments(t, appt.id)).toEqual([]);
  });
});

describe('R11 expiry', () => {
  it('R11 after the TTL the attempt is expired, the provider page cannot be paid, and Pay again makes a new attempt', async () => {
    const { company, appt } = await setUp(10_000);
    const link = await copyLink(company, appt.id);
    const first = await pressPay(t, link.token);
    const checkoutId = checkoutIdOf(first.location);

    t.clock.advance(TTL_SECONDS * 1000 + 2 * MINUTE);
    await t.jobs.drain();
    expect((await attemptsOf(t, appt.id))[0]).toMatchObject({ status: 'expired' });
    expect((await sandboxCheckout(t, checkoutId)).status).toBe('expired');
    const page = await t.anonymous.get(`/sandbox/checkout/${checkoutId}`);
    expect(page.text).toContain('expired and can no longer be paid');
    expect(page.text).not.toContain('value="succeeded"');
    await completeSandbox(t, first.location!);
    await t.jobs.drain();
    expect(await onlinePayments(t, appt.id)).toEqual([]);

    const now = t.clock.now();
    const again = await pressPay(t, link.token);
    expect(again.status).toBe(303);
    expect(again.location).not.toBe(first.location);
    const attempts = await attemptsOf(t, appt.id);
    expect(attempts.map((a) => a.status)).toEqual(['expired', 'pending']);
    expect(attempts[1]!.expires_at.getTime()).toBe(now.getTime() + TTL_SECONDS * 1000);
  });
});

describe('R26 a contact for the fiscal receipt', () => {
  async function fiscalSetUp() {
    const company = await t.newCompany();
    await connectSandbox(company);
    const on = await company.owner.put(`${company.base}/settings/cashless`, { fiscalization: { enabled: true } });
    expect(on.status, on.text).toBe(200);
    const appt = await payableAppointment(t, company, { client: { email: null, phone: null } });
    return { company, appt, link: await copyLink(company, appt.id) };
  }

  it('R26 with fiscal receipts on and a client without email or phone, Pay without a contact answers 422 with a page asking for one', async () => {
    const { appt, link } = await fiscalSetUp();
    expect((await t.anonymous.get(`/pay/${link.token}`)).text).toContain('name="contact"');
    const pay = await pressPay(t, link.token);
    expect(pay.status).toBe(422);
    expect(pay.body).toContain('name="contact"');
    expect(pay.body).toContain('Please enter an email or phone number for your receipt.');
    expect(await attemptsOf(t, appt.id)).toEqual([]);
  });

  it('R26 an invalid contact is refused with the contact field shown again and nothing created', async () => {
    const { company, appt, link } = await fiscalSetUp();
    for (const contact of ['anna', 'anna@', '12345', '+49 abc']) {
      const pay = await pressPay(t, link.token, { contact });
      // a malformed value is a validation error (SPEC §6: 400), rendered as the same page naming the field
      expect(pay.status, contact).toBe(400);
      expect(pay.body).toContain('name="contact"');
      expect(pay.body).toContain('Enter an email address or a phone number with its country code');
    }
    expect(await attemptsOf(t, appt.id)).toEqual([]);
    expect((await appointmentOf(company, appt.id)).lockedUntil).toBeNull();
  });

  it('R26 a valid contact is stored, normalized, on the attempt only: the client record is unchanged', async () => {
    const { appt, link } = await fiscalSetUp();
    const pay = await pressPay(t, link.token, { contact: ' +49 170 123-45-67 ' });
    expect(pay.status, pay.body).toBe(303);
    const [attempt] = await attemptsOf(t, appt.id);
    expect(attempt).toMatchObject({ status: 'pending', contact: '+491701234567' });
    const client = await t.db
      .selectFrom('clients')
      .select(['email', 'phone'])
      .where('id', '=', appt.client.id)
      .executeTakeFirstOrThrow();
    expect(client).toEqual({ email: null, phone: null });

    const other = await fiscalSetUp();
    expect((await pressPay(t, other.link.token, { contact: 'Anna@Example.TEST' })).status).toBe(303);
    expect((await attemptsOf(t, other.appt.id))[0]!.contact).toBe('anna@example.test');
  });

  it('R26 a client with a contact on file is not asked, and nothing is copied to the attempt', async () => {
    const company = await t.newCompany();
    await connectSandbox(company);
    await company.owner.put(`${company.base}/settings/cashless`, { fiscalization: { enabled: true } });
    const appt = await payableAppointment(t, company);
    const link = await copyLink(company, appt.id);
    expect((await t.anonymous.get(`/pay/${link.token}`)).text).not.toContain('name="contact"');
    expect((await pressPay(t, link.token)).status).toBe(303);
    expect((await attemptsOf(t, appt.id))[0]!.contact).toBeNull();
  });
});

describe('R23 one taxation system per link', () => {
  it('R23 mixed_tax_systems: items of two taxation systems are refused at copy and at Pay, naming the items', async () => {
    const company = await t.newCompany({
      name: 'Salon Moskva',
      currency: 'RUB',
      timezone: 'Europe/Moscow',
      country: 'RU',
    });
    await connectSandbox(company);
    const haircut = await newService(t.db, company.id, {
      title: 'Haircut',
      priceMin: 150_000,
      taxSystem: 'osn',
      vat: 'vat20',
    });
    const massage = await newService(t.db, company.id, {
      title: 'Massage',
      priceMin: 200_000,
      taxSystem: 'usn_income',
      vat: 'none',
    });
    const client = await newClient(t.db, company.id);
    const staff = await newStaffMember(t.db, company.id);
    const book = async (services: { id: string }[]) => {
      const res = await company.owner.post(`${company.base}/appointments`, {
        clientId: client.id,
        staffId: staff.id,
        startsAt: new Date(t.clock.now().getTime() + 86_400_000).toISOString(),
        durationMinutes: 60,
        services: services.map((s) => ({ serviceId: s.id })),
      });
      expect(res.status, res.text).toBe(201);
      return res.body as { id: string; items: { id: string; title: string }[] };
    };

    const mixed = await book([haircut, massage]);
    const copy = await company.owner.post(`${company.base}/appointments/${mixed.id}/payment-link`, {});
    expect(copy.status).toBe(422);
    expect(copy.body.error.code).toBe('mixed_tax_systems');
    expect(
      copy.body.error.items.map((i: { title: string; taxSystem: string }) => [i.title, i.taxSystem]).sort(),
    ).toEqual([
      ['Haircut', 'osn'],
      ['Massage', 'usn_income'],
    ]);

    // A link made while the visit had one system, then an item of another added: Pay refuses too.
    const later = await book([haircut]);
    const link = await copyLink(company, later.id);
    expect(
      (await company.owner.post(`${company.base}/appointments/${later.id}/items`, { serviceId: massage.id })).status,
    ).toBe(201);
    const pay = await pressPay(t, link.token);
    expect(pay.status).toBe(422);
    expect(pay.body).toContain('cannot be paid by link');
    const refusal = await t.services.pay
      .pay(link.token, {})
      .catch((e: unknown) => e as { code: string; details: { items: { title: string }[] } });
    expect(refusal).toMatchObject({ code: 'mixed_tax_systems' });
    expect((refusal as { details: { items: { title: string }[] } }).details.items.map((i) => i.title).sort()).toEqual([
      'Haircut',
      'Massage',
    ]);
    expect(await attemptsOf(t, later.id)).toEqual([]);
    expect(await sandboxCheckoutsOf(t, company.id)).toEqual([]);
  });
});
