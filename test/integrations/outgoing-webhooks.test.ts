import { afterAll, describe, expect, it } from 'vitest';
import { verifySignature } from '../../src/shared/webhook-signature.js';
import { completeSandbox, connectSandbox, copyLink, payableAppointment, pressPay } from '../helpers/links.js';
import { deskPayment, SECOND } from '../helpers/settlement.js';
import { createTestApp, type TestCompany } from '../helpers/test-app.js';
import { startWebhookReceiver, type ReceivedRequest } from '../helpers/webhook-receiver.js';

/** Signed webhooks for integrators (SPEC §9): endpoints, the events, their signature and their retries. */
// The receiver listens on 127.0.0.1: S4 lets endpoints point there only with the development setting.
const t = await createTestApp({ env: { VISITPAY_PUBLIC_RATE_LIMIT: '0', VISITPAY_ALLOW_PRIVATE_WEBHOOKS: 'true' } });
await t.listen();
const receiver = await startWebhookReceiver();
afterAll(() => receiver.close());

let paths = 0;
async function endpoint(company: TestCompany, body: Record<string, unknown> = {}) {
  const path = `/hooks/${++paths}`;
  const res = await company.owner.post(`${company.base}/webhook-endpoints`, {
    url: `http://127.0.0.1:${receiver.port}${path}`,
    ...body,
  });
  expect(res.status, res.text).toBe(201);
  return { ...(res.body as { id: string; secret: string; events: string[] }), path };
}

/** An appointment known to a booking system as `externalId`, with a link, paid through the sandbox. */
async function paidByLink(company: TestCompany, externalId = 'booking-77') {
  const appt = await payableAppointment(t, company, { price: 10_000 });
  await t.db.updateTable('appointments').set({ external_id: externalId }).where('id', '=', appt.id).execute();
  const link = await copyLink(company, appt.id);
  const pay = await pressPay(t, link.token);
  await completeSandbox(t, pay.location!);
  await t.jobs.drain();
  return { appt, link, pay };
}

const events = (requests: ReceivedRequest[]) =>
  requests.map(
    (r) => JSON.parse(r.body) as { id: string; type: string; created: string; data: Record<string, unknown> },
  );

describe('webhooks for integrators', () => {
  it('adds an endpoint with its secret shown once, lists it without the secret, disables it; refuses bad input and other companies', async () => {
    const company = await t.newCompany();
    const created = await company.owner.post(`${company.base}/webhook-endpoints`, {
      url: 'https://booking.example/visitpay',
      description: 'booking site',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      url: 'https://booking.example/visitpay',
      events: ['payment_link.paid', 'attempt.succeeded', 'refund.created'],
      description: 'booking site',
    });
    expect(created.body.secret).toMatch(/^whsec_.{40,}$/);
    const stored = await t.db
      .selectFrom('webhook_endpoints')
      .select('secret_sealed')
      .where('id', '=', created.body.id)
      .executeTakeFirstOrThrow();
    expect(stored.secret_sealed).not.toContain(created.body.secret);

    const list = await company.owner.get(`${company.base}/webhook-endpoints`);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).not.toHaveProperty('secret');
    expect(JSON.stringify(list.body)).not.toContain(created.body.secret);

    for (const [body, field] of [
      [{ url: 'ftp://booking.example/x' }, 'url'],
      [{ url: 'not a url' }, 'url'],
      [{ url: 'https://user:pass@booking.example/x' }, 'url'],
      [{ url: 'https://booking.example/x', events: ['payment.everything'] }, 'events.0'],
      [{ url: 'https://booking.example/x', events: [] }, 'events'],
      [{ url: 'https://booking.example/x', secret: 'mine' }, 'secret'],
    ] as const) {
      const res = await company.owner.post(`${company.base}/webhook-endpoints`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.field).toBe(field);
    }

    const other = await t.newCompany();
    expect((await other.owner.delete(`${company.base}/webhook-endpoints/${created.body.id}`)).status).toBe(404);
    expect((await other.owner.delete(`${other.base}/webhook-endpoints/${created.body.id}`)).status).toBe(404);
    const staff = await t.newUser(company.id, 'staff');
    expect((await staff.api.get(`${company.base}/webhook-endpoints`)).status).toBe(403);

    expect((await company.owner.delete(`${company.base}/webhook-endpoints/${created.body.id}`)).status).toBe(204);
    expect((await company.owner.get(`${company.base}/webhook-endpoints`)).body.items).toEqual([]);
    expect((await company.owner.delete(`${company.base}/webhook-endpoints/${created.body.id}`)).status).toBe(404);
  });

  it('R12 R17 a link paid through the provider sends attempt.succeeded and payment_link.paid, signed, once each, with the booking system’s id', async () => {
    const company = await t.newCompany();
    await connectSandbox(company);
    const hook = await endpoint(company);
    const { appt, link } = await paidByLink(company);
    await t.jobs.drain();

    const received = receiver.to(hook.path);
    expect(received.map((r) => r.headers['visitpay-event-type']).sort()).toEqual([
      'attempt.succeeded',
      'payment_link.paid',
    ]);
    for (const request of received) {
      expect(() =>
        verifySignature({
          secret: hook.secret,
          header: request.headers['visitpay-signature'],
          rawBody: request.body,
          now: t.clock.now(),
        }),
      ).not.toThrow();
      expect(() =>
        verifySignature({
          secret: 'whsec_wrong',
          header: request.headers['visitpay-signature'],
          rawBody: request.body,
          now: t.clock.now(),
        }),
      ).toThrow();
      expect(request.headers['visitpay-event-id']).toBe(JSON.parse(request.body).id);
    }
    const byType = Object.fromEntries(events(received).map((e) => [e.type, e]));
    const common = { companyId: company.id, appointmentId: appt.id, externalId: 'booking-77', currency: 'EUR' };
    expect(byType['payment_link.paid']!.data).toEqual({ ...common, linkId: link.id, collected: 10_000, amount: null });
    expect(byType['attempt.succeeded']!.data).toMatchObject({ ...common, amount: 10_000, provider: 'sandbox' });
    expect(byType['attempt.succeeded']!.data.attemptId).toMatch(/^att_/);
    expect(byType['attempt.succeeded']!.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    // the job running again, in two places at once, sends nothing more
    await Promise.all([t.jobs.drain(), t.jobs.drain()]);
    expect(receiver.to(hook.path)).toHaveLength(2);
    const deliveries = await company.owner.get(`${company.base}/webhook-endpoints/${hook.id}/deliveries`);
    expect(
      deliveries.body.items.map((d: { status: string; tries: number; lastStatus: number }) => [
        d.status,
        d.tries,
        d.lastStatus,
      ]),
    ).toEqual([
      ['delivered', 1, 200],
      ['delivered', 1, 200],
    ]);
  });

  it('a receiver that fails is tried again with back-off until it takes the event, which keeps its id and body', async () => {
    const company = await t.newCompany();
    await connectSandbox(company);
    const hook = await endpoint(company, { events: ['payment_link.paid'] });
    receiver.respond(hook.path, [500, 503]);
    await paidByLink(company);
    expect(receiver.to(hook.path)).toHaveLength(1);
    let [delivery] = (await company.owner.get(`${company.base}/webhook-endpoints/${hook.id}/deliveries`)).body.items;
    expect(delivery).toMatchObject({
      status: 'pending',
      tries: 1,
      lastStatus: 500,
      lastError: expect.stringContaining('HTTP 500'),
    });

    await t.jobs.drain();
    expect(receiver.to(hook.path)).toHaveLength(1); // not due before its back-off
    t.clock.advance(30 * SECOND);
    await t.jobs.drain();
    expect(receiver.to(hook.path)).toHaveLength(2);
    t.clock.advance(60 * SECOND);
    await t.jobs.drain();
    const received = receiver.to(hook.path);
    expect(received).toHaveLength(3);
    expect(new Set(received.map((r) => r.body)).size).toBe(1);
    [delivery] = (await company.owner.get(`${company.base}/webhook-endpoints/${hook.id}/deliveries`)).body.items;
    expect(delivery).toMatchObject({
      type: 'payment_link.paid',
      status: 'delivered',
      tries: 3,
      lastStatus: 200,
      lastError: null,
      nextTryAt: null,
    });
  });

  it('an event the endpoint gave up on is sent again on request, with its id and body; refused for unknown events and disabled endpoints', async () => {
    const company = await t.newCompany();
    await connectSandbox(company);
    const hook = await endpoint(company, { events: ['payment_link.paid'] });
    receiver.respond(hook.path, [500]);
    await paidByLink(company);
    // as if every try had failed: the job gave up on it
    await t.db
      .updateTable('webhook_deliveries')
      .set({ failed_at: t.clock.now(), tries: 16 })
      .where('endpoint_id', '=', hook.id)
      .execute();
    const deliveriesUrl = `${company.base}/webhook-endpoints/${hook.id}/deliveries`;
    const [failed] = (await company.owner.get(deliveriesUrl)).body.items;
    expect(failed).toMatchObject({ status: 'failed', tries: 16 });
    await t.jobs.drain();
    expect(receiver.to(hook.path)).toHaveLength(1);

    const again = await company.owner.post(`${deliveriesUrl}/${failed.eventId}/redeliver`, {});
    expect(again.status, again.text).toBe(202);
    await t.jobs.drain();
    const received = receiver.to(hook.path);
    expect(received).toHaveLength(2);
    expect(received[1]!.body).toBe(received[0]!.body);
    expect((await company.owner.get(deliveriesUrl)).body.items[0]).toMatchObject({
      eventId: failed.eventId,
      status: 'delivered',
      tries: 1,
    });

    expect((await company.owner.post(`${deliveriesUrl}/evt_unknown/redeliver`, {})).status).toBe(404);
    const other = await t.newCompany();
    expect(
      (await other.owner.post(`${other.base}/webhook-endpoints/${hook.id}/deliveries/${failed.eventId}/redeliver`, {}))
        .status,
    ).toBe(404);
    expect((await company.owner.delete(`${company.base}/webhook-endpoints/${hook.id}`)).status).toBe(204);
    const disabled = await company.owner.post(`${deliveriesUrl}/${failed.eventId}/redeliver`, {});
    expect(disabled.status).toBe(409);
  });

  it('a test event on request: a signed ping reaches the endpoint and is listed among its deliveries', async () => {
    const company = await t.newCompany();
    const hook = await endpoint(company, { events: ['refund.created'] });
    const queued = await company.owner.post(`${company.base}/webhook-endpoints/${hook.id}/ping`, {});
    expect(queued.status, queued.text).toBe(202);
    await t.jobs.drain();
    const [ping] = receiver.to(hook.path);
    expect(ping!.headers['visitpay-event-type']).toBe('ping');
    expect(JSON.parse(ping!.body)).toMatchObject({
      id: queued.body.eventId,
      type: 'ping',
      data: { companyId: company.id, endpointId: hook.id },
    });
    expect(() =>
      verifySignature({
        secret: hook.secret,
        header: ping!.headers['visitpay-signature'],
        rawBody: ping!.body,
        now: t.clock.now(),
      }),
    ).not.toThrow();
    const [delivery] = (await company.owner.get(`${company.base}/webhook-endpoints/${hook.id}/deliveries`)).body.items;
    expect(delivery).toMatchObject({ eventId: queued.body.eventId, type: 'ping', status: 'delivered' });

    const other = await t.newCompany();
    expect((await other.owner.post(`${other.base}/webhook-endpoints/${hook.id}/ping`, {})).status).toBe(404);
    expect((await company.owner.delete(`${company.base}/webhook-endpoints/${hook.id}`)).status).toBe(204);
    expect((await company.owner.post(`${company.base}/webhook-endpoints/${hook.id}/ping`, {})).status).toBe(404);
  });

  it('R18 money beyond what is due sends refund.created; an endpoint gets only the events it chose, a disabled one nothing new', async () => {
    const company = await t.newCompany();
    await connectSandbox(company);
    const refunds = await endpoint(company, { events: ['refund.created'] });
    const disabled = await endpoint(company);
    expect((await company.owner.delete(`${company.base}/webhook-endpoints/${disabled.id}`)).status).toBe(204);

    const appt = await payableAppointment(t, company, { price: 10_000 });
    const link = await copyLink(company, appt.id);
    const pay = await pressPay(t, link.token);
    t.clock.advance(t.config.PAYLINK_LOCK_SECONDS * 1000 + SECOND);
    expect((await deskPayment(company, appt.id, 10_000)).status).toBe(201);
    await completeSandbox(t, pay.location!);
    await t.jobs.drain();

    const [refund] = events(receiver.to(refunds.path));
    expect(receiver.to(refunds.path)).toHaveLength(1);
    expect(refund).toMatchObject({
      type: 'refund.created',
      data: { appointmentId: appt.id, amount: 10_000, reason: 'overpayment', currency: 'EUR' },
    });
    expect(refund!.data.refundId).toMatch(/^rfd_/);
    expect(refund!.data.paymentId).toMatch(/^pay_/);
    expect(receiver.to(disabled.path)).toHaveLength(0);
  });

  it('R31 a staff refund sends refund.created with the amount, the payment and the reason given', async () => {
    const company = await t.newCompany();
    await connectSandbox(company);
    const hook = await endpoint(company, { events: ['refund.created'] });
    const { appt } = await paidByLink(company, 'booking-31');
    const [payment] = (await company.owner.get(`${company.base}/appointments/${appt.id}`)).body.payments;
    const made = await company.owner.post(`${company.base}/appointments/${appt.id}/payments/${payment.id}/refunds`, {
      amount: 2_500,
      reason: 'late start',
    });
    expect(made.status, made.text).toBe(201);
    await t.jobs.drain();

    expect(events(receiver.to(hook.path))).toEqual([
      expect.objectContaining({
        type: 'refund.created',
        data: expect.objectContaining({
          refundId: made.body.refund.id,
          paymentId: payment.id,
          amount: 2_500,
          reason: 'late start',
          externalId: 'booking-31',
        }),
      }),
    ]);
  });

  it('a company without endpoints has nothing written for its payments', async () => {
    const company = await t.newCompany();
    await connectSandbox(company);
    await paidByLink(company);
    const rows = await t.db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('company_id', '=', company.id)
      .execute();
    expect(rows).toEqual([]);
  });
});
