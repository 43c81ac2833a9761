import type { Db } from '../../db/database.js';
import { nextDueAfterFailure, type Backoff } from '../../db/durable-queue.js';
import { announceChange } from '../../live/index.js';
import type { ProviderRefund } from '../../providers/port.js';
import type { Clock } from '../../shared/clock.js';
import { newId } from '../../shared/ids.js';
import type { Logger } from '../../shared/logger.js';
import { amountsOf } from '../appointments/index.js';
import { recordAudit } from '../audit/index.js';
import type { CashlessSettingsService } from '../cashless/index.js';
import { insertOnlinePayment, lockAppointmentRow } from '../checkout/index.js';
import { lockLink } from '../links/index.js';
import { bookTipRefund, refundableParts } from '../tips/index.js';
import * as repo from './provider-refunds.repository.js';
import type { RefundedPayment } from './provider-refunds.repository.js';
import * as requests from './refunds.repository.js';
import type { RefundRequestRow } from './refunds.repository.js';
import type { RefundsService } from './refunds.service.js';

/** The reason shown for a refund made in the provider's dashboard. */
export const PROVIDER_REFUND_REASON = 'Refunded at the provider';

/**
 * After its first read 10 minutes after the payment, a payment's refunds are read again after
 * 1 h, 2 h, 4 h … at most weekly, until 60 days after the payment: a dashboard refund whose
 * notification was lost is booked within hours while the payment is fresh, and each payment costs
 * about a dozen provider reads in all.
 */
const CHECK_BACKOFF: Backoff = { firstMs: 3_600_000, capMs: 7 * 86_400_000 };
const CHECK_HORIZON_MS = 60 * 86_400_000;
/** A failed read (provider down) is retried after this. */
const RETRY_MS = 15 * 60_000;

/** A refund the provider reported, and where it says the money came from. */
export interface ReportedRefund {
  companyId: string;
  provider: string;
  refund: ProviderRefund;
  providerPaymentId?: string | undefined;
  checkoutId?: string | undefined;
}

/** Thrown so the inbox retries: the refund may be one Visitpay asked for whose id it has not recorded yet. */
export class RefundNotIdentifiedYet extends Error {
  constructor(paymentId: string) {
    super(
      `payment ${paymentId} has a refund requested by Visitpay without a provider refund id yet; tried again later`,
    );
    this.name = 'RefundNotIdentifiedYet';
  }
}

/**
 * R32, R40: how a refund made at the provider of a tipped payment divides. It comes off the visit
 * first, up to what is still refundable of it, and only what exceeds that gives the tip back: the
 * tip is the staff member's, and a salon that gives money back for a service gives back its own
 * money before its staff's (as a staff refund never touches the tip, R31). Anything beyond both
 * (the provider never allows it) is booked against the visit, so the ledger still equals the provider.
 */
export function splitProviderRefund(amount: number, left: { visit: number; tip: number }) {
  const visit = Math.min(amount, left.visit);
  const tip = Math.min(amount - visit, left.tip);
  return { visit: amount - tip, tip };
}

/**
 * R32: refunds made at the provider — in its dashboard, or on the sandbox bank's merchant page —
 * become one refund request (origin `provider`, succeeded) and one negative online payment by the
 * actor `provider`, once, however often and late they are reported, by a notification or by the
 * reconciliation read of a payment's refunds.
 *
 * Visitpay's own refunds (R18, R31) learn their provider id only when the provider answers, and a
 * notification can come first. Such a refund is recognised by the request id the provider gives
 * back (Stripe and YooKassa metadata, the sandbox's key); where it gives none, a refund of a
 * payment that still has a request without a provider id is not booked but deferred (the inbox
 * retries it, the next read looks again) until that request knows its id.
 */
export class ProviderRefundsService {
  constructor(
    private readonly deps: {
      db: Db;
      clock: Clock;
      log: Logger;
      cashless: CashlessSettingsService;
      refunds: RefundsService;
    },
  ) {}

  /** Books the refund unless it is known; answers what happened (an inbox note). */
  async record(reported: ReportedRefund): Promise<string> {
    const { db } = this.deps;
    const { companyId, refund } = reported;
    if (refund.status !== 'succeeded') return `refund ${refund.status} at the provider`;
    const known = await requests.findRefundRequestByProviderId(db, companyId, refund.refundId);
    if (known) {
      if (known.status !== 'succeeded') await this.deps.refunds.recordSucceeded(known.id, refund.refundId);
      return 'refund known';
    }
    const ours = refund.requestId ? await requests.findRefundRequest(db, refund.requestId) : undefined;
    if (ours && (await this.isOurs(ours, reported))) {
      await this.deps.refunds.recordSucceeded(ours.id, refund.refundId);
      const booked = await requests.findRefundRequest(db, ours.id);
      if (booked?.provider_refund_id === refund.refundId) return 'refund requested by Visitpay';
      // booked meanwhile with another refund: this one is a second refund, made at the provider
    }
    const payment = await repo.findRefundedPayment(db, reported);
    if (!payment) return 'no payment of this company';
    if (payment.currency !== refund.currency) {
      this.deps.log.warn(
        { paymentId: payment.id, providerRefundId: refund.refundId },
        'a refund at the provider is in another currency than its payment; not booked',
      );
      return 'refund currency differs from the payment';
    }
    const booked = await this.book(payment, refund);
    // Booked meanwhile as Visitpay's own (its call answered first): that path finishes it.
    if (booked === 'known') return this.record(reported);
    return booked;
  }

  /**
   * The refund is the one our request asked for only when it is that request's refund: same company,
   * same payment, same amount, and no other provider refund id recorded for it. A second refund
   * carrying our request id (Stripe creates one again once it has forgotten the idempotency key)
   * is money that left too, booked as made at the provider.
   */
  private async isOurs(ours: RefundRequestRow, reported: ReportedRefund): Promise<boolean> {
    const { refund } = reported;
    if (ours.company_id !== reported.companyId || ours.origin === 'provider') return false;
    if (ours.provider_refund_id !== null && ours.provider_refund_id !== refund.refundId) return false;
    if (ours.amount !== refund.amount) return false;
    const payment = await requests.findPaymentForRefund(this.deps.db, ours.payment_id);
    if (payment.provider !== reported.provider) return false;
    return (
      (!!reported.providerPaymentId && payment.provider_payment_id === reported.providerPaymentId) ||
      (!!reported.checkoutId && payment.provider_checkout_id === reported.checkoutId)
    );
  }

  private async book(payment: RefundedPayment, refund: ProviderRefund): Promise<string> {
    const { db, clock } = this.deps;
    return db.transaction().execute(async (tx) => {
      // The locks of every money change of the appointment, in their usual order (R18's refunds take them too).
      if (payment.link_id) await lockLink(tx, payment.link_id);
      await lockAppointmentRow(tx, payment.appointment_id);
      if (await requests.findRefundRequestByProviderId(tx, payment.company_id, refund.refundId)) return 'known';
      if ((await repo.unidentifiedRequests(tx, payment.id)).length > 0) throw new RefundNotIdentifiedYet(payment.id);
      const now = clock.now();
      const before = await amountsOf(tx, payment.appointment_id);
      const requestId = newId('refund');
      const split = splitProviderRefund(refund.amount, await refundableParts(tx, payment));
      const refundPaymentId = split.visit > 0 ? newId('payment') : null;
      await tx
        .insertInto('refund_requests')
        .values({
          id: requestId,
          company_id: payment.company_id,
          appointment_id: payment.appointment_id,
          payment_id: payment.id,
          amount: refund.amount,
          reason: PROVIDER_REFUND_REASON,
          status: 'succeeded',
          provider_refund_id: refund.refundId,
          failure: null,
          created_at: now,
          updated_at: now,
          check_at: now,
          origin: 'provider',
          actor_type: 'provider',
          actor_id: payment.provider,
          tip: split.tip,
        })
        .execute();
      if (refundPaymentId)
        await insertOnlinePayment(tx, {
          id: refundPaymentId,
          company_id: payment.company_id,
          appointment_id: payment.appointment_id,
          amount: -split.visit,
          currency: payment.currency,
          paid_at: now,
          actor_type: 'provider',
          actor_id: payment.provider,
          attempt_id: payment.attempt_id!,
          link_id: payment.link_id!,
          provider: payment.provider!,
          provider_payment_id: payment.provider_payment_id,
          refund_of: payment.id,
          provider_refund_id: refund.refundId,
        });
      await bookTipRefund(tx, { id: requestId, payment_id: payment.id, tip: split.tip }, now);
      const after = await amountsOf(tx, payment.appointment_id);
      const audit = {
        companyId: payment.company_id,
        at: now,
        actor: { type: 'provider' as const, id: payment.provider ?? 'unknown' },
        entityType: 'refund',
        entityId: requestId,
        appointmentId: payment.appointment_id,
      };
      const details = {
        amount: refund.amount,
        ...(split.tip > 0 ? { tip: split.tip } : {}),
        paymentId: payment.id,
        reason: PROVIDER_REFUND_REASON,
        origin: 'provider',
        providerRefundId: refund.refundId,
      };
      // `refund.requested` is what tells integrators (`refund.created`, 0010); here it was made at the provider.
      await recordAudit(tx, { ...audit, action: 'refund.requested', details });
      await recordAudit(tx, {
        ...audit,
        action: 'refund.succeeded',
        amountBefore: before.due,
        amountAfter: after.due,
        details: { ...details, refundPaymentId },
      });
      await announceChange(tx, {
        companyId: payment.company_id,
        appointmentId: payment.appointment_id,
        reason: 'refund.succeeded',
      });
      return 'refund made at the provider booked';
    });
  }

  /**
   * The reconciliation read (R32): online payments whose refunds are due to be read are claimed
   * (SKIP LOCKED, leased), their refunds listed at the provider and each succeeded one recorded.
   */
  async processDue(limit = 20): Promise<number> {
    const { db, clock } = this.deps;
    const now = clock.now();
    const due = await repo.claimPaymentsToCheck(db, now, new Date(now.getTime() + RETRY_MS), limit);
    for (const payment of due) {
      try {
        await this.check(payment);
        const next = nextDueAfterFailure(clock.now(), payment.refunds_checks, CHECK_BACKOFF);
        const horizon = payment.paid_at.getTime() + CHECK_HORIZON_MS;
        await repo.scheduleRefundsCheck(db, payment.id, next.getTime() > horizon ? null : next);
      } catch (error) {
        // the lease already put the next read RETRY_MS away
        this.deps.log.warn(
          { err: error, paymentId: payment.id },
          'reading the refunds of a payment failed; retried later',
        );
      }
    }
    return due.length;
  }

  /** Reads one payment's refunds at its provider now and records them. */
  async check(payment: {
    id: string;
    company_id: string;
    provider: string | null;
    provider_payment_id: string | null;
    attempt_id: string | null;
  }): Promise<void> {
    const connected = await this.deps.cashless.connected(payment.company_id);
    if (!connected || !payment.provider || connected.provider.name !== payment.provider || !payment.attempt_id) return;
    const checkout = await repo.checkoutOfPayment(this.deps.db, payment.attempt_id);
    if (!checkout?.provider_checkout_id) return;
    const refunds = await connected.provider.listRefunds({
      companyId: payment.company_id,
      credentials: connected.credentials,
      checkoutId: checkout.provider_checkout_id,
      providerPaymentId: payment.provider_payment_id ?? '',
    });
    let deferred: unknown;
    for (const refund of refunds) {
      try {
        await this.record({
          companyId: payment.company_id,
          provider: payment.provider,
          refund,
          checkoutId: checkout.provider_checkout_id,
          ...(payment.provider_payment_id ? { providerPaymentId: payment.provider_payment_id } : {}),
        });
      } catch (error) {
        if (!(error instanceof RefundNotIdentifiedYet)) throw error;
        deferred = error;
      }
    }
    if (deferred) throw deferred;
  }
}
