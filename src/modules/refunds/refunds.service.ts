import type { Db } from '../../db/database.js';
import { type Backoff, nextDueAfterFailure } from '../../db/durable-queue.js';
import {
  type PaymentProvider,
  type PaymentRef,
  ProviderRejectedError,
  type Receipt,
  type RefundResult,
} from '../../providers/port.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import { newId } from '../../shared/ids.js';
import { amountsOf } from '../appointments/index.js';
import { recordAudit } from '../audit/index.js';
import { announceChange } from '../../live/index.js';
import type { CashlessSettingsService } from '../cashless/index.js';
import { lockLink } from '../links/index.js';
import { insertOnlinePayment, lockAppointmentRow } from '../checkout/index.js';
import { refundReceipt, settlementSentFor } from '../receipts/index.js';
import { bookTipRefund } from '../tips/index.js';
import * as repo from './refunds.repository.js';
import type { RefundRequestRow } from './refunds.repository.js';

/** R31: the user who asked for a staff refund acts in its audit entries. */
const staffActor = (request: { actor_type: string; actor_id: string | null }) =>
  request.actor_type === 'user' && request.actor_id ? { type: 'user' as const, id: request.actor_id } : undefined;

/** Back-off between refund tries: 30 s, 1 min, 2 min … capped at 1 hour. */
const REFUND_BACKOFF: Backoff = { firstMs: 30_000, capMs: 3_600_000 };

/** A refund the provider made, as it lists it now; one it does not list is taken as still pending. */
async function lookUpRefund(provider: PaymentProvider, ref: PaymentRef, refundId: string): Promise<RefundResult> {
  const found = (await provider.listRefunds(ref)).find((r) => r.refundId === refundId);
  return { refundId, status: found?.status ?? 'pending', rawStatus: found?.status ?? 'not listed by the provider' };
}

/**
 * R18: money beyond the amount due goes back through the provider automatically. Requests are
 * written with the overpayment; this service asks the provider (idempotency key = request id,
 * so a retry never refunds twice) and books the refund as a negative online payment.
 */
export class RefundsService {
  constructor(private readonly deps: { db: Db; clock: Clock; log: Logger; cashless: CashlessSettingsService }) {}

  /** The refund job: asks the provider for every due request. Answers how many it handled. */
  async processDue(limit = 20): Promise<number> {
    const now = this.deps.clock.now();
    const due = await repo.claimDueRefunds(this.deps.db, now, new Date(now.getTime() + 120_000), limit);
    for (const request of due) await this.askProvider(request);
    return due.length;
  }

  /**
   * R31: one try right away for a request just written (or asked again), when it is due; claimed
   * like the job claims, so the job does not ask at the same time. A timeout leaves it to the job,
   * which asks again with the same idempotency key.
   */
  async tryNow(requestId: string): Promise<void> {
    const now = this.deps.clock.now();
    const request = await repo.claimRefundRequest(this.deps.db, requestId, now, new Date(now.getTime() + 120_000));
    if (request) await this.askProvider(request);
  }

  private async askProvider(request: RefundRequestRow): Promise<void> {
    const { db, clock, cashless } = this.deps;
    const payment = await repo.findPaymentForRefund(db, request.payment_id);
    const connected = await cashless.connected(request.company_id);
    if (!connected || connected.provider.name !== payment.provider || !payment.provider_checkout_id) {
      await this.retryLater(request, 'the provider of this payment is not connected');
      return;
    }
    let receipt: Receipt | undefined;
    try {
      // R24: a payment made with a fiscal receipt is refunded with one (YooKassa refuses it otherwise).
      receipt = payment.receipt
        ? refundReceipt(payment.receipt as Receipt, request.amount, await this.afterSettlement(request))
        : undefined;
    } catch (error) {
      this.deps.log.warn({ err: error, refundId: request.id }, 'the refund receipt cannot be built; the refund fails');
      return this.recordFailed(
        request,
        `the refund receipt cannot be built: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    try {
      const ref = {
        companyId: request.company_id,
        credentials: connected.credentials,
        checkoutId: payment.provider_checkout_id,
        providerPaymentId: payment.provider_payment_id ?? '',
      };
      // A refund the provider already made is read, never created again: Stripe forgets idempotency
      // keys after 24 hours, and a second POST would give the money back twice (R32).
      const result = request.provider_refund_id
        ? await lookUpRefund(connected.provider, ref, request.provider_refund_id)
        : await connected.provider.refund({
            ...ref,
            amount: request.amount,
            currency: payment.currency,
            idempotencyKey: request.id,
            ...(receipt ? { receipt } : {}),
          });
      if (result.status === 'succeeded') return await this.recordSucceeded(request.id, result.refundId);
      if (result.status === 'failed') return await this.recordFailed(request, `provider answered ${result.rawStatus}`);
      await repo.updateRefundRequest(db, request.id, {
        provider_refund_id: result.refundId,
        check_at: nextDueAfterFailure(clock.now(), request.tries, REFUND_BACKOFF),
        updated_at: clock.now(),
      });
    } catch (error) {
      // a refused read of a refund the provider already made does not make it failed: read again later
      const refused = error instanceof ProviderRejectedError && !request.provider_refund_id;
      this.deps.log.warn(
        { err: error, refundId: request.id },
        refused ? 'the provider refused the refund' : 'asking the provider for the refund failed; retried later',
      );
      if (refused) return this.recordFailed(request, error.message);
      await this.retryLater(request, error instanceof Error ? error.message : String(error));
    }
  }

  /**
   * Whether the refund's receipt reverses a full payment (R33: the settlement receipt went out, or
   * is decided and on its way) or the prepayment. Decided at the first try and kept: every retry
   * under the request's idempotency key must send the very same body.
   */
  private async afterSettlement(request: RefundRequestRow): Promise<boolean> {
    if (request.after_settlement !== null) return request.after_settlement;
    const decided = await settlementSentFor(this.deps.db, request.payment_id);
    return repo.decideAfterSettlement(this.deps.db, request.id, decided);
  }

  /** A refund notification from the provider (the job may also have learned it first). */
  async recordProviderRefund(
    companyId: string,
    providerRefundId: string,
    status: 'succeeded' | 'pending' | 'failed',
  ): Promise<void> {
    if (status !== 'succeeded') return;
    const request = await repo.findRefundRequestByProviderId(this.deps.db, companyId, providerRefundId);
    // Unknown yet: our own call has not recorded the id; the job's next try learns the outcome.
    if (request) await this.recordSucceeded(request.id, providerRefundId);
  }

  /** Books the refund once: a negative online payment linked to the original (R18, R27). */
  async recordSucceeded(requestId: string, providerRefundId: string): Promise<void> {
    const { db, clock } = this.deps;
    await db.transaction().execute(async (tx) => {
      const peek = (await repo.findRefundRequest(tx, requestId))!;
      const payment = await repo.findPaymentForRefund(tx, peek.payment_id);
      if (payment.link_id) await lockLink(tx, payment.link_id);
      await lockAppointmentRow(tx, peek.appointment_id);
      const request = (await repo.findRefundRequest(tx, requestId, { forUpdate: true }))!;
      if (request.status === 'succeeded') return;
      const now = clock.now();
      const before = await amountsOf(tx, request.appointment_id);
      // R40: the tip part (an overpayment refund of a tipped payment, R18) is the tip's, not the visit's
      const visitPart = Number(request.amount) - Number(request.tip);
      const refundPaymentId = visitPart > 0 ? newId('payment') : null;
      if (refundPaymentId)
        await insertOnlinePayment(tx, {
          id: refundPaymentId,
          company_id: request.company_id,
          appointment_id: request.appointment_id,
          amount: -visitPart,
          currency: payment.currency,
          paid_at: now,
          // R31: a staff refund is the requesting user's; an overpayment one the system's
          actor_type: request.actor_type,
          actor_id: request.actor_id,
          attempt_id: payment.attempt_id!,
          link_id: payment.link_id!,
          provider: payment.provider!,
          provider_payment_id: payment.provider_payment_id,
          refund_of: payment.id,
          provider_refund_id: providerRefundId,
        });
      await bookTipRefund(tx, request, now);
      await repo.updateRefundRequest(tx, request.id, {
        status: 'succeeded',
        provider_refund_id: providerRefundId,
        failure: null,
        updated_at: now,
      });
      const after = await amountsOf(tx, request.appointment_id);
      await recordAudit(tx, {
        companyId: request.company_id,
        at: now,
        actor: staffActor(request) ?? { type: 'provider', id: payment.provider ?? 'unknown' },
        action: 'refund.succeeded',
        entityType: 'refund',
        entityId: request.id,
        appointmentId: request.appointment_id,
        amountBefore: before.due,
        amountAfter: after.due,
        details: {
          amount: request.amount,
          ...(Number(request.tip) > 0 ? { tip: Number(request.tip) } : {}),
          paymentId: payment.id,
          refundPaymentId,
          providerRefundId,
          reason: request.reason,
        },
      });
      const changed = { companyId: request.company_id, appointmentId: request.appointment_id };
      await announceChange(tx, { ...changed, reason: 'refund.succeeded' });
    });
  }

  private async recordFailed(request: RefundRequestRow, reason: string): Promise<void> {
    const { db, clock } = this.deps;
    await db.transaction().execute(async (tx) => {
      const now = clock.now();
      // A notification may have booked it meanwhile: a refund that happened is never marked failed.
      const current = await repo.findRefundRequest(tx, request.id, { forUpdate: true });
      if (current?.status !== 'requested') return;
      await repo.updateRefundRequest(tx, request.id, {
        status: 'failed',
        failure: reason.slice(0, 500),
        updated_at: now,
      });
      await recordAudit(tx, {
        companyId: request.company_id,
        at: now,
        actor: staffActor(request) ?? { type: 'system' },
        action: 'refund.failed',
        entityType: 'refund',
        entityId: request.id,
        appointmentId: request.appointment_id,
        details: { amount: request.amount, reason },
      });
      const changed = { companyId: request.company_id, appointmentId: request.appointment_id };
      await announceChange(tx, { ...changed, reason: 'refund.failed' });
    });
  }

  private async retryLater(request: RefundRequestRow, reason: string): Promise<void> {
    const now = this.deps.clock.now();
    await repo.updateRefundRequest(this.deps.db, request.id, {
      failure: reason.slice(0, 500),
      check_at: nextDueAfterFailure(now, request.tries, REFUND_BACKOFF),
      updated_at: now,
    });
  }
}
