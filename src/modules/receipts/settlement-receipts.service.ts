import type { Db } from '../../db/database.js';
import { type Backoff, nextDueAfterFailure } from '../../db/durable-queue.js';
import { announceChange } from '../../live/index.js';
import { ProviderRejectedError, type Receipt } from '../../providers/port.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import { recordAudit } from '../audit/index.js';
import type { CashlessSettingsService } from '../cashless/index.js';
import { isPrepaymentReceipt, settlementReceipt } from './domain/settlement-receipt.js';
import * as repo from './settlement-receipts.repository.js';
import type { SettlementReceiptRow } from './settlement-receipts.repository.js';

/** Back-off between tries: 1 min, 2 min, 4 min … capped at 1 hour. */
const SETTLEMENT_BACKOFF: Backoff = { firstMs: 60_000, capMs: 3_600_000 };
/** How long one try holds its row before another process may take it. */
const LEASE_MS = 120_000;

/** Appointment statuses under which the service was not delivered. */
const NOT_DELIVERED = new Set(['cancelled', 'no_show']);

/**
 * R33: the 54-FZ settlement receipt ("чек зачета предоплаты") of each online payment receipted as
 * a prepayment. A row is written with the payment (settlement-receipts.repository.ts), due when the
 * appointment turns arrived or at the end of its day in the company's zone; this job sends it
 * through the provider that took the payment, once: rows are claimed with FOR UPDATE SKIP LOCKED
 * and a lease, the idempotency key is the row's id with the amount, so a second process or a
 * retry after an unknown outcome registers nothing twice. Unavailable → retried with back-off;
 * refused → failed with the provider's reason; both audited and announced to the window.
 *
 * Not sent:
 * - for what was refunded before delivery: the receipt offsets the payment less its refunds (and
 *   refunds on their way); nothing left → not_needed. A refund's own receipt (R24) already
 *   returned that part of the prepayment, and 54-FZ offsets only prepayment the client still has
 *   with the seller.
 * - when the visit was cancelled or missed (no_show) at due time: nothing was handed over, and a
 *   settlement receipt is issued when the service is (54-FZ art. 1.2; YooKassa: "при выдаче
 *   товара", https://yookassa.ru/developers/payment-acceptance/receipts/54fz/yoomoney/payments).
 *   The prepayment receipt stands until the money is refunded (with a refund receipt) or staff
 *   decide otherwise; the row is not_needed without an amount, and comes back if the appointment
 *   turns arrived after all (a no_show corrected).
 * - when the provider keeps no 54-FZ receipts (Stripe): not_needed, the reason says why.
 */
export class SettlementReceiptsService {
  constructor(private readonly deps: { db: Db; clock: Clock; log: Logger; cashless: CashlessSettingsService }) {}

  /** The job: sends every due receipt. Answers how many it handled. */
  async processDue(limit = 20): Promise<number> {
    const now = this.deps.clock.now();
    const due = await repo.claimDueSettlementReceipts(this.deps.db, now, new Date(now.getTime() + LEASE_MS), limit);
    for (const row of due) {
      try {
        await this.send(row);
      } catch (error) {
        this.deps.log.error({ err: error, settlementReceiptId: row.id }, 'sending a settlement receipt failed');
        await this.retryLater(row, error instanceof Error ? error.message : String(error));
      }
    }
    return due.length;
  }

  private async send(row: SettlementReceiptRow): Promise<void> {
    const { db, cashless } = this.deps;
    const context = await repo.findSettlementContext(db, row.payment_id);
    const prepayment = context.receipt as Receipt | null;
    if (!isPrepaymentReceipt(prepayment)) return this.finish(row, 'not_needed', { amount: 0 });
    // Decided and possibly already registered by a try whose answer was lost: only resending is left.
    const decided = row.amount !== null;
    if (!decided && NOT_DELIVERED.has(context.appointment_status)) {
      return this.finish(row, 'not_needed', {
        amount: null,
        reason: `the service was not delivered (appointment ${context.appointment_status.replace('_', ' ')})`,
      });
    }
    // A refund of this payment still at the provider: wait for its outcome, so that the receipt
    // offsets what was really kept (a refund that fails would otherwise leave part unsettled).
    // Once the amount is decided, it is kept whatever comes later.
    if (!decided && Number(context.refunding ?? 0) > 0)
      return this.retryLater(row, 'a refund of this payment is still at the provider');
    const kept = context.amount - Number(context.refunded ?? 0);
    if (!decided && kept <= 0) return this.finish(row, 'not_needed', { amount: 0, reason: 'the payment was refunded' });
    const connected = await cashless.connected(row.company_id);
    if (!connected || connected.provider.name !== context.provider || !context.provider_checkout_id)
      return this.retryLater(row, 'the provider of this payment is not connected');
    const { provider } = connected;
    if (!provider.sendSettlementReceipt) {
      return this.finish(row, 'not_needed', {
        amount: null,
        reason: `${provider.name} keeps no 54-FZ receipts`,
      });
    }
    const left = await repo.decideSettlementAmount(this.deps.db, row.id, row.amount ?? kept);
    const receipt = settlementReceipt(prepayment!, left);
    try {
      const result = await provider.sendSettlementReceipt({
        companyId: row.company_id,
        credentials: connected.credentials,
        checkoutId: context.provider_checkout_id,
        providerPaymentId: context.provider_payment_id ?? '',
        currency: context.currency,
        amount: left,
        receipt,
        // one key per receipt, its body decided once: a retry is answered, never registered twice
        idempotencyKey: row.id,
      });
      await this.finish(row, 'sent', { amount: left, providerReceiptId: result.receiptId });
    } catch (error) {
      const refused = error instanceof ProviderRejectedError;
      this.deps.log.warn(
        { err: error, settlementReceiptId: row.id },
        refused ? 'the provider refused the settlement receipt' : 'the settlement receipt is retried later',
      );
      if (refused) return this.finish(row, 'failed', { amount: left, reason: error.message });
      await this.retryLater(row, error instanceof Error ? error.message : String(error));
    }
  }

  /** A final state, once: audited and announced in the same transaction. */
  private async finish(
    row: SettlementReceiptRow,
    status: 'sent' | 'failed' | 'not_needed',
    outcome: { amount: number | null; reason?: string; providerReceiptId?: string },
  ): Promise<void> {
    const { db, clock } = this.deps;
    await db.transaction().execute(async (tx) => {
      const current = await repo.findSettlementReceipt(tx, row.id, { forUpdate: true });
      if (current?.status !== 'pending') return;
      const now = clock.now();
      await repo.updateSettlementReceipt(tx, row.id, {
        status,
        amount: outcome.amount,
        provider_receipt_id: outcome.providerReceiptId ?? null,
        failure: outcome.reason?.slice(0, 500) ?? null,
        updated_at: now,
      });
      const action = `receipt.settlement_${status}`;
      await recordAudit(tx, {
        companyId: row.company_id,
        at: now,
        actor: { type: 'system' },
        action,
        entityType: 'settlement_receipt',
        entityId: row.id,
        appointmentId: row.appointment_id,
        details: {
          paymentId: row.payment_id,
          amount: outcome.amount,
          ...(outcome.providerReceiptId ? { providerReceiptId: outcome.providerReceiptId } : {}),
          ...(outcome.reason ? { reason: outcome.reason } : {}),
          tries: row.tries,
        },
      });
      await announceChange(tx, { companyId: row.company_id, appointmentId: row.appointment_id, reason: action });
    });
  }

  /** Still pending: the reason shows in the window until the next try. */
  private async retryLater(row: SettlementReceiptRow, reason: string): Promise<void> {
    const { db, clock } = this.deps;
    await db.transaction().execute(async (tx) => {
      const current = await repo.findSettlementReceipt(tx, row.id, { forUpdate: true });
      if (current?.status !== 'pending') return;
      const now = clock.now();
      await repo.updateSettlementReceipt(tx, row.id, {
        failure: reason.slice(0, 500),
        check_at: nextDueAfterFailure(now, row.tries, SETTLEMENT_BACKOFF),
        updated_at: now,
      });
      await announceChange(tx, {
        companyId: row.company_id,
        appointmentId: row.appointment_id,
        reason: 'receipt.settlement_retry',
      });
    });
  }
}
