import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { appointmentOf, copyLink, onlinePayments, payableAppointment, pressPay } from '../helpers/links.js';
import { attemptsOf, MINUTE, SECOND } from '../helpers/settlement.js';
import { createTestApp, type TestApp, type TestCompany } from '../helpers/test-app.js';
import type { StubAccount } from '../stubs/stripe-stub-bank.js';
import { startStripeStub } from '../stubs/stripe-stub.js';

/** R11 and R20 through Visitpay with the Stripe adapter, as the sandbox tests prove them for the built-in bank. */

type Loss = 'a 500' | 'a dropped connection';

/**
 * The network between Visitpay and Stripe: every request reaches Stripe, and while told to, the
 * answers to matching requests are lost on the way back (Stripe acted, Visitpay never hears it).
 */
async function startNetwork(target: string) {
  let losing: { path: RegExp; loss: Loss } | undefined;
  const body = (req: IncomingMessage) =>
    new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => resolve(Buffer.concat(chunks)));
    });
  const server = createServer(async (req, res) => {
    const raw = await body(req);
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(
        ([name]) => !['host', 'connection', 'content-length', 'transfer-encoding'].includes(name),
      ),
    ) as Record<string, string>;
    const answer = await fetch(`${target}${req.url}`, {
      method: req.method!,
      headers,
      ...(req.method === 'GET' ? {} : { body: raw.toString('utf8') }),
    });
    const text = await answer.text();
    const lost = losing?.path.test(new URL(req.url!, target).pathname) ? losing.loss : undefined;
    if (lost === 'a dropped connection') return req.socket.destroy();
    if (lost === 'a 500') {
      res.writeHead(500, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ error: { type: 'api_error', message: 'An unknown error occurred' } }));
    }
    const passed = Object.fromEntries(
      [...answer.headers].filter(
        ([name]) => !['content-length', 'transfer-encoding', 'connection', 'keep-alive'].includes(name),
      ),
    );
    res.writeHead(answer.status, passed);
    res.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    lose(path: RegExp, loss: Loss) {
      losing = { path, loss };
    },
    heal() {
      losing = undefined;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const clock = new ManualClock(new Date());
const stub = await startStripeStub({ now: () => clock.now() });
const network = await startNetwork(stub.url);
afterAll(async () => {
  await network.close();
  await stub.close();
});

/** A Visitpay talking to Stripe through `network`, with Stripe connected by its companies on demand. */
async function startVisitpay(env: Record<string, string> = {}) {
  const t = await createTestApp({ clock, env: { VISITPAY_STRIPE_API_URL: network.url, ...env } });
  const origin = await t.listen();
  async function connectStripe(company: TestCompany): Promise<StubAccount> {
    const account = stub.newAccount({ webhookUrl: `${origin}/webhooks/stripe/${company.id}` });
    const connected = await company.owner.post(`${company.base}/settings/cashless/connect`, {
      provider: 'stripe',
      credentials: {
        secretKey: account.secretKey,
        webhookSecret: account.webhookSecret,
        publishableKey: account.publishableKey,
      },
    });
    expect(connected.status, connected.text).toBe(200);
    const enabled = await company.owner.put(`${company.base}/settings/cashless`, { payByLinkEnabled: true });
    expect(enabled.status, enabled.text).toBe(200);
    return account;
  }
  /** A company with Stripe, an appointment of 100.00 and its link. */
  async function paying() {
    const company = await t.newCompany();
    const account = await connectStripe(company);
    const appt = await payableAppointment(t, company, { price: 10_000 });
    const link = await copyLink(company, appt.id);
    return { company, account, appt, link };
  }
  return { t, paying };
}

/** The client presses Pay and lands on Stripe's hosted page; answers the session id. */
async function payAtStripe(t: TestApp, token: string) {
  const pay = await pressPay(t, token);
  expect(pay.status, pay.body).toBe(303);
  expect(pay.location).toMatch(new RegExp(`^${stub.url}/c/pay/cs_test_`));
  return pay.location!.split('/').pop()!;
}

const sessionsOf = (account: StubAccount, attemptId: string) =>
  [...account.sessions.values()].filter((s) => s.client_reference_id === attemptId);
const createCalls = (attemptId: string) =>
  stub.requestsTo('POST', /^\/v1\/checkout\/sessions$/).filter((r) => r.headers['idempotency-key'] === attemptId);

const { t, paying } = await startVisitpay();
/** A second Visitpay whose attempts last 10 minutes, less than Stripe lets a session last. */
const short = await startVisitpay({ PAYLINK_ATTEMPT_TTL_SECONDS: '600' });

describe('R20 reconciliation with Stripe', () => {
  it('R20 paid at Stripe, the notification never sent: the job finds it after check_at, once', async () => {
    const { company, appt, link } = await paying();
    const sessionId = await payAtStripe(t, link.token);
    const [attempt] = await attemptsOf(t, appt.id);
    expect(attempt!.check_at.getTime() - attempt!.updated_at.getTime()).toBe(
      t.config.PAYLINK_RECONCILE_AFTER_SECONDS * SECOND,
    );

    const { event, delivery } = await stub.pay(sessionId, { deliver: false });
    expect(delivery).toBeUndefined();
    await t.jobs.drain();
    expect(await onlinePayments(t, appt.id)).toEqual([]);

    clock.set(new Date(attempt!.check_at.getTime() + SECOND));
    await t.jobs.drain();
    const payments = await onlinePayments(t, appt.id);
    expect(payments.map((p) => [p.amount, p.provider, p.provider_payment_id, p.attempt_id])).toEqual([
      [10_000, 'stripe', event.data.object.payment_intent, attempt!.id],
    ]);
    expect(await appointmentOf(company, appt.id)).toMatchObject({ due: 0, paymentStatus: 'paid', lockedUntil: null });
    const linkAfter = await company.owner.get(`${company.base}/appointments/${appt.id}/payment-link`);
    expect(linkAfter.body).toMatchObject({ status: 'paid', attempts: [{ status: 'succeeded' }] });

    const reads = stub.requestsTo('GET', new RegExp(`/v1/checkout/sessions/${sessionId}$`)).length;
    clock.advance(2 * 60 * MINUTE);
    await t.jobs.drain();
    expect(await onlinePayments(t, appt.id)).toEqual(payments);
    expect((await attemptsOf(t, appt.id)).map((a) => a.status)).toEqual(['succeeded']);
    expect(stub.requestsTo('GET', new RegExp(`/v1/checkout/sessions/${sessionId}$`))).toHaveLength(reads);
  });

  for (const loss of ['a 500', 'a dropped connection'] as const) {
    it(`R20 Stripe made the session but its answer was lost (${loss}): the job asks again with the same key and adopts that one session`, async () => {
      const { company, account, appt, link } = await paying();
      network.lose(/^\/v1\/checkout\/sessions$/, loss);
      const pay = await pressPay(t, link.token);
      network.heal();
      expect(pay.status).toBe(502);
      const [attempt] = await attemptsOf(t, appt.id);
      expect(attempt).toMatchObject({ status: 'creating', provider_checkout_id: null, redirect_url: null });
      const made = sessionsOf(account, attempt!.id);
      expect(made).toHaveLength(1);
      // The SDK's own retries used the same key and body, and Stripe replayed its answer to them.
      const tries = createCalls(attempt!.id);
      expect(tries.length).toBeGreaterThan(1);
      expect(new Set(tries.map((r) => r.raw)).size).toBe(1);
      expect((await appointmentOf(company, appt.id)).lockedUntil).not.toBeNull();

      clock.advance(t.config.PAYLINK_RECONCILE_AFTER_SECONDS * SECOND);
      await t.jobs.drain();
      const [created] = await attemptsOf(t, appt.id);
      expect(created).toMatchObject({
        status: 'pending',
        provider_checkout_id: made[0]!.id,
        redirect_url: made[0]!.url,
      });
      expect(sessionsOf(account, attempt!.id)).toHaveLength(1);
      const all = createCalls(attempt!.id);
      expect(all).toHaveLength(tries.length + 1);
      expect(all.at(-1)).toMatchObject({ raw: tries[0]!.raw, status: 200 });

      // The client presses Pay again and is sent to that very session, and pays it.
      const again = await pressPay(t, link.token);
      expect(again.status).toBe(303);
      expect(again.location).toBe(made[0]!.url);
      expect((await stub.pay(made[0]!.id)).delivery?.status).toBe(200);
      await t.jobs.drain();
      expect((await onlinePayments(t, appt.id)).map((p) => p.amount)).toEqual([10_000]);
      expect(sessionsOf(account, attempt!.id)).toHaveLength(1);
      expect(await appointmentOf(company, appt.id)).toMatchObject({ due: 0, lockedUntil: null });
    });
  }
});

describe('R11 expiry with Stripe', () => {
  it('R11 nobody pays: after the expiry the session reads as expired, the attempt is expired, and Pay makes a new session', async () => {
    const { company, appt, link } = await paying();
    const sessionId = await payAtStripe(t, link.token);
    const [attempt] = await attemptsOf(t, appt.id);
    expect(stub.session(sessionId).expires_at).toBe(Math.floor(attempt!.expires_at.getTime() / 1000));

    clock.advance(30 * MINUTE);
    await t.jobs.drain();
    expect((await attemptsOf(t, appt.id))[0]!.status).toBe('pending');

    clock.set(new Date(attempt!.expires_at.getTime() + MINUTE + SECOND));
    await t.jobs.drain();
    expect((await attemptsOf(t, appt.id))[0]).toMatchObject({ status: 'expired', provider_status: 'expired/unpaid' });
    expect(stub.session(sessionId).status).toBe('expired');
    await expect(stub.pay(sessionId)).rejects.toThrow(/expired, it cannot be paid/);
    // R14: nothing else changes.
    expect(await appointmentOf(company, appt.id)).toMatchObject({ due: 10_000, lockedUntil: null });
    expect(await onlinePayments(t, appt.id)).toEqual([]);

    const next = await payAtStripe(t, link.token);
    expect(next).not.toBe(sessionId);
    expect(stub.session(next).status).toBe('open');
    expect((await attemptsOf(t, appt.id)).map((a) => a.status)).toEqual(['expired', 'pending']);
  });

  it("R11 an attempt shorter than Stripe's 30-minute minimum: after our expiry the job expires the session at Stripe", async () => {
    const { company, appt, link } = await short.paying();
    const sessionId = await payAtStripe(short.t, link.token);
    const [attempt] = await attemptsOf(short.t, appt.id);
    expect(stub.session(sessionId).expires_at * 1000).toBeGreaterThan(attempt!.expires_at.getTime() + 20 * MINUTE);

    clock.set(new Date(attempt!.expires_at.getTime() + MINUTE + SECOND));
    await short.t.jobs.drain();
    expect((await attemptsOf(short.t, appt.id))[0]).toMatchObject({ status: 'expired' });
    expect(
      stub.requestsTo('POST', new RegExp(`/v1/checkout/sessions/${sessionId}/expire$`)).map((r) => r.status),
    ).toEqual([200]);
    expect(stub.session(sessionId).status).toBe('expired');
    await expect(stub.pay(sessionId)).rejects.toThrow(/expired, it cannot be paid/);
    expect(await appointmentOf(company, appt.id)).toMatchObject({ due: 10_000, lockedUntil: null });

    const next = await payAtStripe(short.t, link.token);
    expect(next).not.toBe(sessionId);
    expect((await attemptsOf(short.t, appt.id)).map((a) => a.status)).toEqual(['expired', 'pending']);
  });
});
