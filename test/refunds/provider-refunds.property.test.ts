import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deliverDueSandboxNotifications } from '../../src/providers/sandbox/sandbox-notifier.js';
import { completeSandbox, connectSandbox, copyLink, payableAppointment, pressPay } from '../helpers/links.js';
import { refundBooksOf } from '../helpers/provider-refunds.js';
import {
  checkoutIdOf,
  deskPayment,
  ledgerOf,
  MINUTE,
  postSandboxWebhook,
  SECOND,
  sandboxNotificationsOf,
  setNotifications,
} from '../helpers/settlement.js';
import { createTestApp, type TestCompany } from '../helpers/test-app.js';

/**
 * R32's invariant under random sequences, on real PostgreSQL with the sandbox bank: an online
 * payment (and, when staff took cash meanwhile, Visitpay's own R18 refund of the excess), refunds
 * made on the bank's merchant page, notifications delivered at once, twice, late or never and
 * delivered again, the refund job, the reconciliation read and the clock in any order. At every
 * step Visitpay has booked no money the bank did not capture and no refund it did not make; once everything has settled, per
 * appointment Σ online payments + Σ tips net of their refunds (R40) = captured − refunded at the bank, each refund booked once.
 */

const t = await createTestApp({ env: { VISITPAY_PUBLIC_RATE_LIMIT: '0' } });
await t.listen();
const PRICE = 10_000;

interface World {
  company: TestCompany;
  appointmentId: string;
  checkoutId: string;
}

type Action =
  | { kind: 'dashboard-refund'; share: number }
  | { kind: 'mode'; mode: 'normal' | 'duplicate' | 'delay' | 'drop' }
  | { kind: 'deliver' }
  | { kind: 'redeliver'; pick: number }
  | { kind: 'refund-job' }
  | { kind: 'notify-first'; withKey: boolean }
  | { kind: 'read' }
  | { kind: 'inbox-retry' }
  | { kind: 'advance'; minutes: number }
  | { kind: 'drain' };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('dashboard-refund' as const), share: fc.integer({ min: 1, max: 100 }) }),
  fc.record({ kind: fc.constant('mode' as const), mode: fc.constantFrom('normal', 'duplicate', 'delay', 'drop') }),
  fc.constant({ kind: 'deliver' as const }),
  fc.record({ kind: fc.constant('redeliver' as const), pick: fc.nat() }),
  fc.constant({ kind: 'refund-job' as const }),
  fc.record({ kind: fc.constant('notify-first' as const), withKey: fc.boolean() }),
  fc.constant({ kind: 'read' as const }),
  fc.constant({ kind: 'inbox-retry' as const }),
  fc.record({ kind: fc.constant('advance' as const), minutes: fc.integer({ min: 1, max: 180 }) }),
  fc.constant({ kind: 'drain' as const }),
);

const deliver = () =>
  deliverDueSandboxNotifications({
    db: t.db,
    clock: t.clock,
    origins: t.services.origins,
    secrets: t.services.secrets,
  });

/**
 * Paid online at the bank, with a tip of `tip` % when not 0 (R40); with `cash`, staff took cash
 * after the lock lapsed, so Visitpay owes some of it back (R18).
 */
async function newWorld(cash: number, tip: number): Promise<World> {
  const company = await t.newCompany();
  await connectSandbox(company);
  if (tip > 0) expect((await company.owner.put(`${company.base}/settings/tips`, { enabled: true })).status).toBe(200);
  const appt = await payableAppointment(t, company, { price: PRICE });
  const link = await copyLink(company, appt.id);
  const pay = await pressPay(t, link.token, tip > 0 ? { tip: String(tip) } : {});
  if (cash > 0) {
    t.clock.advance(t.config.PAYLINK_LOCK_SECONDS * SECOND + SECOND);
    expect((await deskPayment(company, appt.id, cash)).status).toBe(201);
  }
  await completeSandbox(t, pay.location!);
  return { company, appointmentId: appt.id, checkoutId: checkoutIdOf(pay.location) };
}

async function run(w: World, a: Action): Promise<void> {
  switch (a.kind) {
    case 'dashboard-refund': {
      const checkout = await t.db
        .selectFrom('sandbox_checkouts')
        .select(['amount', 'refunded'])
        .where('id', '=', w.checkoutId)
        .executeTakeFirstOrThrow();
      const left = checkout.amount - checkout.refunded;
      if (left > 0)
        await t.services.sandbox.bank.refundAtMerchantPage(
          w.company.id,
          w.checkoutId,
          Math.max(1, Math.floor((left * a.share) / 100)),
        );
      return;
    }
    case 'mode':
      return setNotifications(
        t,
        w.company.id,
        a.mode === 'delay' ? { mode: 'delay', delaySeconds: 1_800 } : { mode: a.mode },
      );
    case 'deliver':
      await deliver();
      return;
    case 'redeliver': {
      const sent = (await sandboxNotificationsOf(t, w.company.id)).filter((n) => !n.dropped && n.delivered_at);
      if (sent.length > 0) await postSandboxWebhook(t, w.company.id, sent[a.pick % sent.length]!.body);
      return;
    }
    case 'refund-job':
      await t.services.refunds.processDue();
      return;
    case 'notify-first':
      notifyFirst(w, a.withKey);
      return;
    case 'read':
      await t.services.providerRefunds.processDue();
      return;
    case 'inbox-retry':
      await t.services.webhooks.processDue();
      return;
    case 'advance':
      t.clock.advance(a.minutes * MINUTE);
      return;
    case 'drain':
      await t.jobs.drain();
      return;
  }
}

/**
 * The bank's next refund is notified before the refund job hears the bank's answer (a fast
 * notification and a slow answer): as the bank sent it, or without the key Visitpay gave it.
 */
function notifyFirst(w: World, withKey: boolean) {
  const sandbox = t.services.sandbox;
  const original = sandbox.refund.bind(sandbox);
  vi.spyOn(sandbox, 'refund').mockImplementationOnce(async (input) => {
    const result = await original(input);
    if (withKey) await deliver();
    else {
      const sent = (await sandboxNotificationsOf(t, w.company.id)).filter(
        (n) => n.event.type === 'refund.succeeded' && JSON.parse(n.body).data.refundId === result.refundId,
      );
      for (const n of sent) {
        const event = JSON.parse(n.body);
        delete event.data.refundKey;
        await postSandboxWebhook(t, w.company.id, JSON.stringify(event));
      }
    }
    return result;
  });
}
afterEach(() => vi.restoreAllMocks());

/** Never more booked than the bank refunded, and no refund of the bank booked twice. */
async function checkStep(w: World) {
  const ledger = await ledgerOf(t, w.appointmentId);
  const booked = (sign: 1 | -1) =>
    ledger.online.filter((p) => Math.sign(p.amount) === sign).reduce((s, p) => s + Math.abs(p.amount), 0);
  expect(booked(1) + ledger.tips).toBeLessThanOrEqual(ledger.captured);
  expect(booked(-1) + ledger.tipRefunds).toBeLessThanOrEqual(ledger.refunded);
  const { payments, tipRefunds } = await refundBooksOf(t, w.appointmentId);
  const ids = payments.map((p) => p.provider_refund_id);
  expect(new Set(ids).size).toBe(ids.length);
  // a tip is never given back beyond itself
  expect(ledger.tipsNet).toBeGreaterThanOrEqual(0);
  expect(new Set(tipRefunds.map((r) => r.refund_request_id)).size).toBe(tipRefunds.length);
}

/** Notifications resume; weeks pass with the jobs running, so that every payment's refunds are read. */
async function settle(w: World) {
  await setNotifications(t, w.company.id, { mode: 'normal' });
  await t.jobs.drain();
  for (let i = 0; i < 6; i++) {
    t.clock.advance(8 * 24 * 60 * MINUTE);
    await t.jobs.drain();
  }
  const ledger = await ledgerOf(t, w.appointmentId);
  // R32 with R40: Σ online payments + Σ tips net of their refunds = captured − refunded
  expect(ledger.onlineSum + ledger.tipsNet).toBe(ledger.captured - ledger.refunded);
  const books = await refundBooksOf(t, w.appointmentId);
  const bank = await t.db.selectFrom('sandbox_refunds').selectAll().where('checkout_id', '=', w.checkoutId).execute();
  const succeeded = books.requests.filter((r) => r.status === 'succeeded');
  expect(succeeded.map((r) => r.provider_refund_id).sort()).toEqual(bank.map((r) => r.id).sort());
  expect(books.requests.filter((r) => r.status === 'requested')).toEqual([]);
  for (const request of succeeded) {
    // each refund booked once: its visit part a negative payment, its tip part a tip refund
    const payments = books.payments.filter((p) => p.provider_refund_id === request.provider_refund_id);
    expect(payments.map((p) => p.amount)).toEqual(request.amount > request.tip ? [request.tip - request.amount] : []);
    const tips = books.tipRefunds.filter((r) => r.refund_request_id === request.id);
    expect(tips.map((r) => r.amount)).toEqual(request.tip > 0 ? [request.tip] : []);
  }
}

describe('R32 the ledger equals the bank under random sequences (property)', () => {
  it('R32 R40 property: tipped payments, Visitpay refunds, dashboard refunds, duplicated/late/lost notifications and reconciliation reads: Σ online + Σ tips net = captured − refunded', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(0, 3_000, 10_000),
        fc.constantFrom(0, 5, 15),
        fc.constantFrom<boolean | undefined>(undefined, true, false),
        fc.array(action, { minLength: 1, maxLength: 14 }),
        async (cash, tip, notifyFirstWithKey, actions) => {
          const world = await newWorld(cash, tip);
          try {
            if (notifyFirstWithKey !== undefined) notifyFirst(world, notifyFirstWithKey);
            for (const a of actions) {
              await run(world, a);
              await checkStep(world);
            }
            await settle(world);
          } finally {
            vi.restoreAllMocks();
          }
        },
      ),
      { numRuns: Number(process.env.R32_RUNS ?? 20) },
    );
  }, 600_000);
});
