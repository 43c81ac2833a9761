import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { setSandboxNotificationMode } from '../../src/providers/sandbox/sandbox-notifier.js';
import { connectSandbox, copyLink, payableAppointment } from '../helpers/links.js';
import { createTestApp, type TestCompany } from '../helpers/test-app.js';

/**
 * A model test of the whole payment-link ledger (SPEC §7 Reliability, R9–R18): random sequences
 * of what staff, the client, the sandbox bank, the clock and the background jobs do to one
 * appointment, with the ledger's invariants checked after every step and, once everything has
 * settled, the books balanced against the bank's.
 */

const t = await createTestApp({ env: { VISITPAY_PUBLIC_RATE_LIMIT: '0' } });
await t.listen();

const PRICE = 10_000;
const MINUTE = 60_000;

interface World {
  company: TestCompany;
  appointmentId: string;
  itemId: string;
  priceMax: number;
  /** every link the appointment had, oldest first */
  links: { id: string; token: string }[];
  /** a link's attempts and checkouts when it was first seen paid: they never grow after that */
  paidLinks: Map<string, { attempts: string[]; checkouts: string[] }>;
}
type Model = Record<string, never>;
type Step = fc.AsyncCommand<Model, World>;

let requestCounter = 0;
/** Each request from its own address, so the fixed rate limits of the sandbox page stay out of the way. */
const remoteAddress = () =>
  `10.${(requestCounter >> 16) & 255}.${(requestCounter >> 8) & 255}.${requestCounter++ & 255}`;

async function appointment(w: World) {
  const res = await w.company.owner.get(`${w.company.base}/appointments/${w.appointmentId}`);
  expect(res.status, res.text).toBe(200);
  return res.body as {
    total: number;
    paid: number;
    due: number;
    lockedUntil: string | null;
    items: { id: string; unitPrice: number }[];
  };
}

const isLocked = (appt: { lockedUntil: string | null }) =>
  appt.lockedUntil !== null && Date.parse(appt.lockedUntil) > t.clock.now().getTime();

const linkRow = (id: string) =>
  t.db.selectFrom('payment_links').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const attemptsOf = (w: World) =>
  t.db
    .selectFrom('checkout_attempts')
    .selectAll()
    .where('appointment_id', '=', w.appointmentId)
    .orderBy('created_at')
    .execute();
const checkoutsOf = (w: World) =>
  t.db
    .selectFrom('sandbox_checkouts')
    .selectAll()
    .where('company_id', '=', w.company.id)
    .orderBy('created_at', 'desc')
    .execute();
const paymentsOf = (w: World) =>
  t.db.selectFrom('payments').selectAll().where('appointment_id', '=', w.appointmentId).execute();

class DeskPayment implements Step {
  constructor(
    readonly percent: number,
    readonly method: 'cash' | 'card',
  ) {}
  check = () => true;
  async run(_m: Model, w: World) {
    const before = await appointment(w);
    const amount = before.due > 0 ? Math.max(1, Math.floor((before.due * this.percent) / 100)) : 100;
    const res = await w.company.owner.post(`${w.company.base}/appointments/${w.appointmentId}/payments`, {
      method: this.method,
      amount,
    });
    if (isLocked(before)) {
      expect(res.status, res.text).toBe(409);
      expect(res.body.error.code).toBe('appointment_locked');
    } else if (before.due <= 0) {
      expect(res.status, res.text).toBe(422);
      expect(res.body.error.code).toBe('nothing_due');
    } else {
      expect(res.status, res.text).toBe(201);
      expect((await appointment(w)).due).toBe(before.due - amount);
    }
  }
  toString = () => `desk(${this.method} ${this.percent}% of due)`;
}

class RaisePrice implements Step {
  constructor(readonly by: number) {}
  check = () => true;
  async run(_m: Model, w: World) {
    const before = await appointment(w);
    const item = before.items.find((i) => i.id === w.itemId)!;
    const price = Math.min(item.unitPrice + this.by, w.priceMax);
    const res = await w.company.owner.patch(`${w.company.base}/appointments/${w.appointmentId}/items/${w.itemId}`, {
      price,
    });
    if (isLocked(before)) {
      // R13: while the client pays, the price stays as the checkout has it
      expect(res.status, res.text).toBe(409);
      expect(res.body.error.code).toBe('appointment_locked');
    } else {
      expect(res.status, res.text).toBe(200);
      expect(res.body.appointment.total).toBe(before.total + price - item.unitPrice);
    }
  }
  toString = () => `raise price by ${this.by}`;
}

class CopyLink implements Step {
  check = () => true;
  async run(_m: Model, w: World) {
    const before = await appointment(w);
    const active = await t.db
      .selectFrom('payment_links')
      .select('id')
      .where('appointment_id', '=', w.appointmentId)
      .where('status', '=', 'active')
      .executeTakeFirst();
    const res = await w.company.owner.post(`${w.company.base}/appointments/${w.appointmentId}/payment-link`, {});
    if (active) {
      expect(res.status, res.text).toBe(200);
      expect(res.body.id).toBe(active.id);
    } else if (before.due <= 0) {
      expect(res.status, res.text).toBe(422);
      expect(res.body.error.code).toBe('nothing_due');
    } else {
      // R12: once a link is paid and something is due again, staff make a new one
      expect(res.status, res.text).toBe(200);
      expect(w.links.map((l) => l.id)).not.toContain(res.body.id);
      w.links.push({ id: res.body.id, token: res.body.token });
    }
  }
  toString = () => 'copy link';
}

class ClientPay implements Step {
  constructor(readonly pick: number) {}
  check = () => true;
  async run(_m: Model, w: World) {
    const link = w.links[this.pick % w.links.length]!;
    const before = await appointment(w);
    const status = (await linkRow(link.id)).status;
    const res = await t.app.inject({
      method: 'POST',
      url: `/pay/${link.token}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
      payload: '',
      remoteAddress: remoteAddress(),
    });
    expect(res.statusCode, res.body).toBe(303);
    const location = res.headers.location as string;
    const linkAfter = await linkRow(link.id);
    if (status === 'paid' || before.due <= 0) {
      // R12: a paid link (or one with nothing left to pay) shows its page, no checkout
      expect(location).toBe(`/pay/${link.token}`);
      expect(linkAfter.status).toBe('paid');
      return;
    }
    if (location === `/pay/${link.token}`) {
      // an earlier checkout of the link turned out paid while superseding it: nothing left to charge
      expect(linkAfter.status).toBe('paid');
      return;
    }
    // The client is sent to pay only while the link is active and something is due; the checkout
    // is the link's one open attempt, for the amount due now (R9, R10), and it locks (R13).
    expect(location).toMatch(/\/sandbox\/checkout\/sbx_/);
    const after = await appointment(w);
    expect(linkAfter.status, 'a Pay redirect to the bank leaves the link active').toBe('active');
    expect(after.due, 'a Pay redirect to the bank is for something due').toBeGreaterThan(0);
    const open = (await attemptsOf(w)).filter(
      (a) => a.link_id === link.id && (a.status === 'creating' || a.status === 'pending'),
    );
    expect(open.map((a) => ({ status: a.status, url: a.redirect_url, amount: a.amount }))).toEqual([
      { status: 'pending', url: location, amount: after.due },
    ]);
    expect(isLocked(after)).toBe(true);
  }
  toString = () => `client pays link #${this.pick}`;
}

class CompleteCheckout implements Step {
  constructor(
    readonly newest: number,
    readonly outcome: 'succeeded' | 'failed',
  ) {}
  check = () => true;
  async run(_m: Model, w: World) {
    const checkouts = await checkoutsOf(w);
    if (checkouts.length === 0) return;
    const checkout = checkouts[Math.min(this.newest, checkouts.length - 1)]!;
    const res = await t.app.inject({
      method: 'POST',
      url: `/sandbox/checkout/${checkout.id}/complete`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `outcome=${this.outcome}`,
      remoteAddress: remoteAddress(),
    });
    expect(res.statusCode, res.body).toBe(303);
    const after = await t.db
      .selectFrom('sandbox_checkouts')
      .select('status')
      .where('id', '=', checkout.id)
      .executeTakeFirstOrThrow();
    const payable = checkout.status === 'open' && checkout.expires_at.getTime() > t.clock.now().getTime();
    if (payable) expect(after.status).toBe(this.outcome === 'succeeded' ? 'paid' : 'declined');
    else if (checkout.status !== 'open') expect(after.status).toBe(checkout.status);
  }
  toString = () => `bank: ${this.outcome} on checkout #${this.newest} (newest first)`;
}

class CancelAttempt implements Step {
  check = () => true;
  async run(_m: Model, w: World) {
    const active = await t.db
      .selectFrom('payment_links')
      .select('id')
      .where('appointment_id', '=', w.appointmentId)
      .where('status', '=', 'active')
      .executeTakeFirst();
    const open = active
      ? (await attemptsOf(w)).filter(
          (a) => a.link_id === active.id && (a.status === 'creating' || a.status === 'pending'),
        )
      : [];
    const res = await w.company.owner.post(
      `${w.company.base}/appointments/${w.appointmentId}/payment-link/cancel-attempt`,
      {},
    );
    if (!active) return expect(res.status, res.text).toBe(404);
    if (open.length === 0) return expect(res.status, res.text).toBe(409);
    // R13: staff end the online payment in progress; the appointment unlocks
    expect(res.status, res.text).toBe(200);
    const attempts = await attemptsOf(w);
    expect(
      attempts
        .filter((a) => open.some((o) => o.id === a.id))
        .every((a) => a.status === 'canceled' || a.status === 'succeeded'),
    ).toBe(true);
    const stillOpen = attempts.filter((a) => a.status === 'creating' || a.status === 'pending');
    if (stillOpen.length === 0) expect(isLocked(await appointment(w))).toBe(false);
  }
  toString = () => 'staff cancel the attempt';
}

class MoveClock implements Step {
  constructor(readonly minutes: number) {}
  check = () => true;
  async run() {
    t.clock.advance(this.minutes * MINUTE);
  }
  toString = () => `clock +${this.minutes} min`;
}

class NotificationMode implements Step {
  constructor(readonly mode: 'normal' | 'duplicate' | 'drop') {}
  check = () => true;
  async run(_m: Model, w: World) {
    await setSandboxNotificationMode(t, w.company.id, { mode: this.mode });
  }
  toString = () => `bank notifications: ${this.mode}`;
}

class Drain implements Step {
  check = () => true;
  async run() {
    await t.jobs.drain();
  }
  toString = () => 'jobs drain';
}

const clientPay = fc.integer({ min: 0, max: 3 }).map((pick) => new ClientPay(pick));
const payNewest = fc.constant(new CompleteCheckout(0, 'succeeded'));
const deskPayment = fc
  .tuple(fc.integer({ min: 1, max: 100 }), fc.constantFrom('cash' as const, 'card' as const))
  .map(([p, m]) => new DeskPayment(p, m));
const drain = fc.constant(new Drain());
// minutes mostly within the lock and the attempt's hour, sometimes past both
const moveClock = fc
  .oneof(
    { arbitrary: fc.integer({ min: 1, max: 40 }), weight: 3 },
    { arbitrary: fc.integer({ min: 40, max: 180 }), weight: 1 },
  )
  .map((m) => new MoveClock(m));

/** Repeats weight the choice: the client and the bank act more often than staff reconfigure. */
const steps = [
  clientPay,
  clientPay,
  clientPay,
  payNewest,
  payNewest,
  fc
    .tuple(fc.integer({ min: 0, max: 4 }), fc.constantFrom('succeeded' as const, 'failed' as const))
    .map(([n, o]) => new CompleteCheckout(n, o)),
  deskPayment,
  deskPayment,
  drain,
  drain,
  moveClock,
  moveClock,
  fc.constantFrom('normal' as const, 'duplicate' as const, 'drop' as const).map((mode) => new NotificationMode(mode)),
  fc.integer({ min: 100, max: 6_000 }).map((by) => new RaisePrice(by)),
  fc.constant(new CopyLink()),
  fc.constant(new CancelAttempt()),
];

/** What must hold after every step, whatever happened. */
async function checkInvariants(w: World): Promise<void> {
  // due == total − Σ payments, the API against SQL
  const appt = await appointment(w);
  const items = await t.db
    .selectFrom('appointment_items')
    .select(['unit_price', 'quantity'])
    .where('appointment_id', '=', w.appointmentId)
    .execute();
  const payments = await paymentsOf(w);
  const total = items.reduce((s, i) => s + i.unit_price * i.quantity, 0);
  const paid = payments.filter((p) => p.voided_at === null).reduce((s, p) => s + p.amount, 0);
  expect({ total: appt.total, paid: appt.paid, due: appt.due }).toEqual({ total, paid, due: total - paid });

  // at most one open attempt per link
  const attempts = await attemptsOf(w);
  for (const link of w.links) {
    const open = attempts.filter((a) => a.link_id === link.id && (a.status === 'creating' || a.status === 'pending'));
    expect(open.length, `open attempts of ${link.id}`).toBeLessThanOrEqual(1);
  }

  // R13: the lock lasts while an attempt is open, never past that attempt's expiry
  if (appt.lockedUntil !== null) {
    const holders = attempts.filter(
      (a) =>
        (a.status === 'creating' || a.status === 'pending') && a.expires_at.getTime() >= Date.parse(appt.lockedUntil!),
    );
    expect(holders.length, `an open attempt holding the lock until ${appt.lockedUntil}`).toBeGreaterThan(0);
  }

  // a paid link never gets a new attempt or provider checkout
  const checkouts = await checkoutsOf(w);
  for (const link of w.links) {
    if ((await linkRow(link.id)).status !== 'paid') continue;
    const now = {
      attempts: attempts
        .filter((a) => a.link_id === link.id)
        .map((a) => a.id)
        .sort(),
      checkouts: checkouts
        .filter((c) => (c.metadata as Record<string, string>).linkId === link.id)
        .map((c) => c.id)
        .sort(),
    };
    const then = w.paidLinks.get(link.id);
    if (then) expect(now, `paid link ${link.id}`).toEqual(then);
    else w.paidLinks.set(link.id, now);
  }

  // money at the bank and in the ledger: each paid checkout credited at most once, nothing credited
  // that the bank did not take, refunds booked as the bank made them
  const online = payments.filter((p) => p.method === 'online');
  for (const checkout of checkouts) {
    const credits = online.filter((p) => p.amount > 0 && p.attempt_id === checkout.idempotency_key);
    expect(credits.length, `credits of ${checkout.id}`).toBeLessThanOrEqual(1);
    if (credits.length === 1)
      expect({ status: checkout.status, amount: credits[0]!.amount }).toEqual({
        status: 'paid',
        amount: checkout.amount,
      });
    const refunded = online
      .filter((p) => p.amount < 0 && p.attempt_id === checkout.idempotency_key)
      .reduce((s, p) => s - p.amount, 0);
    expect(refunded, `refunds booked for ${checkout.id}`).toBe(checkout.refunded);
  }
  for (const credit of online.filter((p) => p.amount > 0)) {
    expect(
      checkouts.some((c) => c.idempotency_key === credit.attempt_id),
      `the bank's checkout of ${credit.id}`,
    ).toBe(true);
  }
}

/** After a long quiet time and the jobs: every attempt settled, the books balance, no overpayment left. */
async function checkSettled(w: World): Promise<void> {
  await setSandboxNotificationMode(t, w.company.id, { mode: 'normal' });
  for (let round = 0; round < 2; round++) {
    t.clock.advance(3 * 60 * MINUTE);
    await t.jobs.drain();
  }
  await checkInvariants(w);
  const attempts = await attemptsOf(w);
  expect(attempts.filter((a) => a.status === 'creating' || a.status === 'pending')).toEqual([]);
  const checkouts = await checkoutsOf(w);
  expect(checkouts.filter((c) => c.status === 'open')).toEqual([]);
  const online = (await paymentsOf(w)).filter((p) => p.method === 'online');
  for (const checkout of checkouts.filter((c) => c.status === 'paid')) {
    const credits = online.filter((p) => p.amount > 0 && p.attempt_id === checkout.idempotency_key);
    expect(credits.length, `credits of paid checkout ${checkout.id}`).toBe(1);
  }
  const booked = online.reduce((s, p) => s + p.amount, 0);
  const atTheBank = checkouts.filter((c) => c.status === 'paid').reduce((s, c) => s + c.amount - c.refunded, 0);
  expect(booked, 'Σ online payments == Σ paid at the bank − refunded').toBe(atTheBank);
  const appt = await appointment(w);
  expect(appt.due, 'no overpayment left unrefunded').toBeGreaterThanOrEqual(0);
  const refunds = await t.db
    .selectFrom('refund_requests')
    .select(['id', 'status', 'failure'])
    .where('appointment_id', '=', w.appointmentId)
    .execute();
  expect(refunds.filter((r) => r.status !== 'succeeded')).toEqual([]);
}

async function newWorld(): Promise<World> {
  const company = await t.newCompany();
  await connectSandbox(company);
  const appt = await payableAppointment(t, company, { price: PRICE });
  const created = await appointment({ company, appointmentId: appt.id } as World);
  const link = await copyLink(company, appt.id);
  return {
    company,
    appointmentId: appt.id,
    itemId: created.items[0]!.id,
    priceMax: appt.service.price_max,
    links: [{ id: link.id, token: link.token }],
    paidLinks: new Map(),
  };
}

describe('the payment-link ledger under random sequences (model test)', () => {
  it('R9–R18 desk payments, Pay, bank outcomes, clock, flaky notifications, jobs and price raises keep the ledger exact', async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(steps, { maxCommands: 25, size: 'max' }), async (commands) => {
        const world = await newWorld();
        const checked = [...commands].map((command) => ({
          check: (m: Readonly<Model>) => command.check(m),
          toString: () => command.toString(),
          run: async (m: Model, w: World) => {
            await command.run(m, w);
            await checkInvariants(w);
          },
        }));
        await fc.asyncModelRun(() => ({ model: {} as Model, real: world }), checked);
        await checkSettled(world);
      }),
      { numRuns: Number(process.env.MODEL_RUNS ?? 30) },
    );
  }, 600_000);
});
