import type { Db } from '../../db/database.js';
import type { SandboxCheckoutRow } from '../../db/schema-payment-links.js';
import type { SecretBox } from '../../shared/encryption.js';
import type { Clock } from '../../shared/clock.js';
import { newId } from '../../shared/ids.js';
import { isCurrency } from '../../shared/money.js';
import {
  ProviderRejectedError,
  type CreateCheckoutInput,
  type RefundInput,
  type SettlementReceiptInput,
} from '../port.js';
import {
  addRefunded,
  expireOverdueCheckouts,
  findCheckout,
  findCheckoutByKey,
  findCheckoutWithMerchant,
  findReceiptByKey,
  findRefundByKey,
  insertReceipt,
  insertCheckout,
  insertRefund,
  lockCheckout,
  merchantName,
  paidCheckouts,
  refundsOfCheckout,
  setCheckoutStatus,
  upsertMerchantSecret,
  findMerchantSecrets,
  type SandboxCheckoutStatus,
} from './sandbox-bank.repository.js';
import { checkoutEventData, enqueueSandboxEvent, paymentIdOf } from './sandbox-events.js';

export type CompletionOutcome = 'succeeded' | 'failed';

/** An open checkout past its expiry is expired, whether or not the sweep has written it yet. */
export function effectiveStatus(
  row: Pick<SandboxCheckoutRow, 'status' | 'expires_at'>,
  now: Date,
): SandboxCheckoutStatus {
  const status = row.status as SandboxCheckoutStatus;
  return status === 'open' && now.getTime() >= row.expires_at.getTime() ? 'expired' : status;
}

/**
 * The sandbox bank's own use cases. It keeps its books in the sandbox_* tables, as a real
 * bank keeps its own; every change and the notification that reports it commit together.
 */
export class SandboxBank {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    /** the bank's books live in Visitpay's database: secrets and return URLs (which hold link tokens) are sealed */
    private readonly secrets: SecretBox,
  ) {}

  /** Secrets this process already knows the bank holds; the credentials passed in are always the authority. */
  private readonly registered = new Map<string, string>();

  async registerMerchant(companyId: string, webhookSecret: string): Promise<void> {
    if (this.registered.get(companyId) === webhookSecret) return;
    // Most calls carry the secret the bank already has: leave the row alone then.
    const known = (await findMerchantSecrets(this.db, [companyId])).get(companyId);
    if (!known || this.secrets.open(known) !== webhookSecret) {
      await upsertMerchantSecret(this.db, companyId, this.secrets.seal(webhookSecret), this.clock.now());
    }
    this.registered.set(companyId, webhookSecret);
  }

  /** Where the client goes back to after the bank page. */
  returnUrlOf(row: Pick<SandboxCheckoutRow, 'return_url'>): string {
    return this.secrets.open(row.return_url);
  }

  /**
   * Opens a checkout, or answers the one already opened under the same idempotency key (a retry
   * of an old request is answered even when it would no longer be accepted as new).
   */
  async create(input: CreateCheckoutInput): Promise<SandboxCheckoutRow> {
    const now = this.clock.now();
    const refusal = refusalOf(input, now);
    if (!refusal) {
      const inserted = await insertCheckout(this.db, {
        id: newId('sandbox_checkout'),
        company_id: input.companyId,
        idempotency_key: input.attemptId,
        amount: input.amount,
        currency: input.currency,
        description: input.description,
        line_items: JSON.stringify(input.lineItems),
        metadata: JSON.stringify(input.metadata),
        return_url: this.secrets.seal(input.returnUrl),
        status: 'open',
        expires_at: input.expiresAt,
        created_at: now,
      });
      if (inserted) return inserted;
    }
    const existing = await findCheckoutByKey(this.db, input.companyId, input.attemptId);
    if (existing) return sameRequest(existing, input);
    if (refusal) throw refusal;
    throw new Error('sandbox checkout vanished after an idempotency conflict');
  }

  async get(companyId: string, checkoutId: string): Promise<SandboxCheckoutRow> {
    const row = await findCheckout(this.db, companyId, checkoutId);
    if (!row) throw new ProviderRejectedError(`no sandbox checkout ${checkoutId}`, 'not_found');
    return row;
  }

  /** For the hosted page, which knows only the checkout id. */
  async page(checkoutId: string) {
    return findCheckoutWithMerchant(this.db, checkoutId);
  }

  /** Open → expired (and notified); a finished checkout stays as it is. */
  async expire(companyId: string, checkoutId: string): Promise<SandboxCheckoutRow> {
    await this.get(companyId, checkoutId);
    return this.db.transaction().execute(async (tx) => {
      const row = await lockCheckout(tx, checkoutId);
      if (row?.status !== 'open') return row ?? this.get(companyId, checkoutId);
      const now = this.clock.now();
      const expired = await setCheckoutStatus(tx, row.id, 'expired', now);
      await enqueueSandboxEvent(tx, now, {
        companyId: row.company_id,
        type: 'checkout.expired',
        data: checkoutEventData(expired),
      });
      return expired;
    });
  }

  /**
   * The client pressed Pay or Decline. Only an open, unexpired checkout changes; a second
   * completion, or one after expiry, leaves it as it is. Undefined for an unknown id.
   */
  async complete(checkoutId: string, outcome: CompletionOutcome): Promise<SandboxCheckoutRow | undefined> {
    return this.db.transaction().execute(async (tx) => {
      const row = await lockCheckout(tx, checkoutId);
      if (row?.status !== 'open') return row;
      const now = this.clock.now();
      const late = effectiveStatus(row, now) === 'expired';
      const status: SandboxCheckoutStatus = late ? 'expired' : outcome === 'succeeded' ? 'paid' : 'declined';
      const done = await setCheckoutStatus(tx, row.id, status, now);
      const type = late ? 'checkout.expired' : outcome === 'succeeded' ? 'checkout.succeeded' : 'checkout.failed';
      await enqueueSandboxEvent(tx, now, { companyId: row.company_id, type, data: checkoutEventData(done) });
      return done;
    });
  }

  /** Gives back part or all of a paid checkout; the same idempotency key answers the same refund. */
  async refund(input: RefundInput): Promise<{ refundId: string }> {
    if (!Number.isSafeInteger(input.amount) || input.amount <= 0)
      throw new ProviderRejectedError('refund amount must be a positive integer', 'invalid_amount');
    await this.get(input.companyId, input.checkoutId);
    return this.db.transaction().execute(async (tx) => {
      // The checkout's row lock serialises refunds of it, so "what is left" cannot be overdrawn.
      const row = await lockCheckout(tx, input.checkoutId);
      if (!row) throw new ProviderRejectedError(`no sandbox checkout ${input.checkoutId}`, 'not_found');
      const previous = await findRefundByKey(tx, input.companyId, input.idempotencyKey);
      if (previous) {
        if (previous.checkout_id !== row.id || previous.amount !== input.amount) {
          throw new ProviderRejectedError('this idempotency key was used for another refund', 'idempotency_key_reused');
        }
        return { refundId: previous.id };
      }
      if (row.status !== 'paid')
        throw new ProviderRejectedError(`checkout ${row.id} is ${row.status}, not paid`, 'not_paid');
      if (input.providerPaymentId !== paymentIdOf(row.id))
        throw new ProviderRejectedError('payment id does not belong to this checkout', 'payment_mismatch');
      if (input.currency !== row.currency)
        throw new ProviderRejectedError(`checkout was paid in ${row.currency}`, 'currency_mismatch');
      const left = row.amount - row.refunded;
      if (input.amount > left) {
        throw new ProviderRejectedError(
          `refund of ${input.amount} exceeds the ${left} left to refund`,
          'amount_exceeds_refundable',
        );
      }
      const now = this.clock.now();
      const refundId = newId('sandbox_refund');
      await insertRefund(tx, {
        id: refundId,
        company_id: row.company_id,
        checkout_id: row.id,
        idempotency_key: input.idempotencyKey,
        amount: input.amount,
        created_at: now,
      });
      const updated = await addRefunded(tx, row.id, input.amount);
      await enqueueSandboxEvent(tx, now, {
        companyId: row.company_id,
        type: 'refund.succeeded',
        data: checkoutEventData(updated, { amount: input.amount, refundId, refundKey: input.idempotencyKey }),
      });
      return { refundId };
    });
  }

  /**
   * R32: the merchant presses Refund on the bank's own page: money goes back without any refund
   * request of Visitpay's, and the bank notifies it as it does for every refund.
   */
  async refundAtMerchantPage(companyId: string, checkoutId: string, amount: number): Promise<{ refundId: string }> {
    const row = await this.get(companyId, checkoutId);
    return this.refund({
      companyId,
      credentials: {},
      checkoutId,
      providerPaymentId: paymentIdOf(row.id),
      amount,
      currency: row.currency,
      idempotencyKey: newId('sandbox_refund'),
    });
  }

  /** R32: every refund of a checkout, as the bank booked it. */
  async refundsOf(companyId: string, checkoutId: string) {
    return refundsOfCheckout(this.db, companyId, checkoutId);
  }

  /** R32: the merchant page: the merchant's name and its paid checkouts, newest first. */
  async merchantPage(companyId: string, limit = 100) {
    return {
      companyName: (await merchantName(this.db, companyId)) ?? companyId,
      checkouts: await paidCheckouts(this.db, companyId, limit),
    };
  }

  /** The bank's own expiry: open checkouts past their time become expired and are notified. */
  /**
   * R33: registers a settlement receipt of a paid checkout, as a cash register behind a bank
   * would: never offsetting more than is left of the payment, lines summing to the offset, all
   * `full_payment`; the same idempotency key answers the same receipt.
   */
  async registerSettlementReceipt(input: SettlementReceiptInput): Promise<{ receiptId: string }> {
    const { receipt, amount } = input;
    if (!Number.isSafeInteger(amount) || amount <= 0)
      throw new ProviderRejectedError('the settlement amount must be a positive integer', 'invalid_amount');
    if (receipt.items.reduce((s, i) => s + i.amount, 0) !== amount)
      throw new ProviderRejectedError('the receipt lines do not sum to the settlement amount', 'invalid_receipt');
    if (receipt.items.some((i) => i.paymentMode !== 'full_payment'))
      throw new ProviderRejectedError(
        'a settlement receipt hands everything over: full_payment only',
        'invalid_receipt',
      );
    if (!receipt.customer.email && !receipt.customer.phone)
      throw new ProviderRejectedError('the receipt needs an email or a phone', 'invalid_receipt');
    await this.get(input.companyId, input.checkoutId);
    return this.db.transaction().execute(async (tx) => {
      const row = await lockCheckout(tx, input.checkoutId);
      if (!row) throw new ProviderRejectedError(`no sandbox checkout ${input.checkoutId}`, 'not_found');
      const previous = await findReceiptByKey(tx, input.companyId, input.idempotencyKey);
      if (previous) {
        if (previous.checkout_id !== row.id || previous.amount !== amount)
          throw new ProviderRejectedError(
            'this idempotency key was used for another receipt',
            'idempotency_key_reused',
          );
        return { receiptId: previous.id };
      }
      if (row.status !== 'paid')
        throw new ProviderRejectedError(`checkout ${row.id} is ${row.status}, not paid`, 'not_paid');
      if (input.providerPaymentId !== paymentIdOf(row.id))
        throw new ProviderRejectedError('payment id does not belong to this checkout', 'payment_mismatch');
      if (input.currency !== row.currency)
        throw new ProviderRejectedError(`checkout was paid in ${row.currency}`, 'currency_mismatch');
      if (amount > row.amount - row.refunded)
        throw new ProviderRejectedError(
          'the offset is more than what is left of the payment',
          'amount_exceeds_payment',
        );
      const id = newId('sandbox_receipt');
      await insertReceipt(tx, {
        id,
        company_id: input.companyId,
        checkout_id: row.id,
        idempotency_key: input.idempotencyKey,
        amount,
        receipt: JSON.stringify(receipt),
        created_at: this.clock.now(),
      });
      return { receiptId: id };
    });
  }

  async expireOverdue(limit = 100): Promise<number> {
    return this.db.transaction().execute(async (tx) => {
      const now = this.clock.now();
      const expired = await expireOverdueCheckouts(tx, now, limit);
      for (const row of expired) {
        await enqueueSandboxEvent(tx, now, {
          companyId: row.company_id,
          type: 'checkout.expired',
          data: checkoutEventData(row),
        });
      }
      return expired.length;
    });
  }
}

function sameRequest(existing: SandboxCheckoutRow, input: CreateCheckoutInput): SandboxCheckoutRow {
  if (existing.amount !== input.amount || existing.currency !== input.currency) {
    throw new ProviderRejectedError('this idempotency key was used for another amount', 'idempotency_key_reused');
  }
  return existing;
}

/** Why the bank refuses a new checkout, if it does. */
function refusalOf(input: CreateCheckoutInput, now: Date): ProviderRejectedError | undefined {
  if (!Number.isSafeInteger(input.amount) || input.amount <= 0)
    return new ProviderRejectedError('amount must be a positive integer of minor units', 'invalid_amount');
  if (!isCurrency(input.currency))
    return new ProviderRejectedError(`${input.currency} is not a currency`, 'invalid_currency');
  if (input.expiresAt.getTime() <= now.getTime())
    return new ProviderRejectedError('expiresAt must be in the future', 'invalid_expiry');
  if (!/^https?:\/\//.test(input.returnUrl))
    return new ProviderRejectedError('returnUrl must be an http(s) URL', 'invalid_return_url');
  return undefined;
}
