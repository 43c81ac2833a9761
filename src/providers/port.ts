import type { z } from 'zod';
import type { Config } from '../config.js';
import type { Executor } from '../db/database.js';
import { DomainError } from '../shared/errors.js';

/**
 * The payment provider port: one small interface, one typed input and output per method.
 * Adapters never touch Visitpay's own tables; the payment-link services call them outside
 * database transactions and record what they answer.
 */

export type ProviderName = 'sandbox' | 'stripe' | 'yookassa';
export const PROVIDER_NAMES: readonly ProviderName[] = ['sandbox', 'stripe', 'yookassa'];

/** Our normalized view of a provider checkout; the provider's own word is kept beside it. */
export type CheckoutStatus = 'pending' | 'succeeded' | 'failed' | 'expired' | 'canceled';

/** Decrypted credentials of one company, shape depending on the provider. */
export type Credentials = Record<string, string>;

export interface LineItem {
  title: string;
  quantity: number;
  /** amount for the whole line, minor units */
  amount: number;
}

/**
 * A 54-FZ style fiscal receipt, provider-neutral; adapters that support receipts translate it.
 * Built by buildReceipt (modules/receipts/domain/receipt-builder.ts); its item amounts sum to the
 * amount charged.
 */
export interface Receipt {
  customer: { email?: string; phone?: string };
  /** one of the country's taxation systems (SPEC §3), e.g. `usn_income` */
  taxSystem: string;
  items: {
    description: string;
    quantity: number;
    /** amount for the whole line, minor units (adapters derive a per-piece price if they need one) */
    amount: number;
    /** one of VAT_CODES, e.g. `vat22` */
    vat: string;
    paymentSubject: 'service' | 'commodity' | 'payment';
    /**
     * 54-FZ "признак способа расчета" (tag 1214), as YooKassa names it: before the service the
     * prepayments, at it `full_payment` / `partial_payment` (partly paid, the rest on credit), after
     * it `credit_payment` (paying off what was left on credit). R25 chooses.
     */
    paymentMode: 'full_prepayment' | 'partial_prepayment' | 'full_payment' | 'partial_payment' | 'credit_payment';
  }[];
}

export interface CreateCheckoutInput {
  companyId: string;
  credentials: Credentials;
  /** our attempt id: also the idempotency key, so a retried create returns the same checkout */
  attemptId: string;
  amount: number;
  currency: string;
  description: string;
  lineItems: LineItem[];
  receipt?: Receipt;
  expiresAt: Date;
  returnUrl: string;
  metadata: { companyId: string; appointmentId: string; linkId: string; attemptId: string };
}

export interface CheckoutState {
  checkoutId: string;
  status: CheckoutStatus;
  /** the provider's status string, stored beside ours */
  rawStatus: string;
  /** where to send the client; only while payable */
  redirectUrl?: string;
  /** set once money moved */
  providerPaymentId?: string;
  /** captured amount in minor units of `currencyPaid`, when succeeded */
  amountPaid?: number;
  /** the ISO 4217 code (upper case) of what the provider captured, when succeeded; R34 compares both with the attempt */
  currencyPaid?: string;
}

export interface RefundInput {
  companyId: string;
  credentials: Credentials;
  checkoutId: string;
  providerPaymentId: string;
  amount: number;
  currency: string;
  /** our refund request id */
  idempotencyKey: string;
  /** the refund's fiscal receipt, when fiscalization is on (YooKassa refuses a refund without one then) */
  receipt?: Receipt;
}

export interface RefundResult {
  refundId: string;
  status: 'succeeded' | 'pending' | 'failed';
  rawStatus: string;
}

/**
 * R32: one refund of a payment as the provider keeps it, made by Visitpay or by anyone in the
 * provider's dashboard. `requestId` is our refund request id when the provider gives back what
 * Visitpay attached to its own refunds (Stripe and YooKassa metadata, the sandbox's key).
 */
export interface ProviderRefund {
  refundId: string;
  status: RefundResult['status'];
  /** minor units of `currency` */
  amount: number;
  /** ISO 4217, upper case */
  currency: string;
  requestId?: string;
}

/** Which payment: the checkout Visitpay opened and, once paid, the provider's payment id. */
export interface PaymentRef {
  companyId: string;
  credentials: Credentials;
  checkoutId: string;
  providerPaymentId: string;
}

/**
 * R33: the 54-FZ settlement receipt ("чек зачета предоплаты") of a payment receipted as a
 * prepayment, sent when the service is delivered: the same customer and lines, each
 * `full_payment`, paid by offsetting `amount` of the prepayment.
 */
export interface SettlementReceiptInput {
  companyId: string;
  credentials: Credentials;
  checkoutId: string;
  providerPaymentId: string;
  currency: string;
  /** the prepayment offset, minor units; the receipt's item amounts sum to it */
  amount: number;
  receipt: Receipt;
  /** our settlement receipt id: a retry never registers a second receipt */
  idempotencyKey: string;
}

export interface SettlementReceiptResult {
  receiptId: string;
  /** the provider's status string (YooKassa: pending, succeeded, canceled) */
  rawStatus: string;
}

/**
 * A verified notification, normalized. `checkout` events carry the checkout's new state.
 * `ignored`: verified and of a type Visitpay processes, but about nothing of this company (a
 * session another company made on a shared Stripe account); it is acknowledged and not stored.
 * A type Visitpay does not process is not an event at all: the adapter refuses it (S5).
 */
export type ProviderEvent =
  | { kind: 'checkout'; eventId: string; eventType: string; attemptId?: string; state: CheckoutState }
  | {
      kind: 'refund';
      eventId: string;
      eventType: string;
      refundId: string;
      checkoutId?: string;
      /** the provider's payment id the refund gives back (R32 finds the payment by it or by checkoutId) */
      providerPaymentId?: string;
      status: RefundResult['status'];
      /** R32: the refund as the adapter verified it; absent in events stored before R32 */
      refund?: ProviderRefund;
    }
  | { kind: 'ignored'; eventId: string; eventType: string };

export interface NotificationInput {
  companyId: string;
  credentials: Credentials;
  rawBody: string;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * Settings a provider keeps of its own for a company (the sandbox's notification mode): the
 * cashless settings show and change them under `field` without knowing what they mean.
 */
export interface ProviderSettings<T = unknown> {
  /** the field of the cashless settings API that carries them */
  readonly field: string;
  readonly schema: z.ZodType<T>;
  read(db: Executor, companyId: string): Promise<T>;
  write(db: Executor, companyId: string, value: T, at: Date): Promise<void>;
}

export interface PaymentProvider {
  readonly name: ProviderName;
  /** Why this installation may not offer the provider (the sandbox in production), or undefined; absent: always offered. */
  refusedUnder?(config: Config): string | undefined;
  /** The provider's own settings, when it has any. */
  readonly settings?: ProviderSettings;
  /** Checks credentials by shape and, where the provider allows, by a harmless API call. */
  validateCredentials(companyId: string, credentials: Credentials): Promise<Credentials>;
  /** A masked, displayable hint of the credentials (never a secret). */
  credentialsHint(credentials: Credentials): Record<string, string>;
  /** Creates (or, for the same attemptId, returns again) a hosted checkout. */
  createCheckout(input: CreateCheckoutInput): Promise<CheckoutState>;
  /** Asks the provider for the checkout's current state (reconciliation). */
  getCheckout(input: { companyId: string; credentials: Credentials; checkoutId: string }): Promise<CheckoutState>;
  /** Makes the checkout unpayable where the provider supports it; answers its final state. */
  expireCheckout(input: { companyId: string; credentials: Credentials; checkoutId: string }): Promise<CheckoutState>;
  refund(input: RefundInput): Promise<RefundResult>;
  /** R32: every refund of the payment at the provider, whoever made it (reconciliation). */
  listRefunds(input: PaymentRef): Promise<ProviderRefund[]>;
  /**
   * R33: registers a settlement receipt with the provider's online cash register. Only providers
   * that keep 54-FZ receipts have it (YooKassa, and the sandbox so that the flow can be tried).
   * Throws ProviderRejectedError when refused for good, ProviderUnavailableError to retry later.
   */
  sendSettlementReceipt?(input: SettlementReceiptInput): Promise<SettlementReceiptResult>;
  /**
   * Verifies the signature (or re-reads from the API) and normalizes. Throws DomainError
   * invalid_signature (cannot be verified), validation_failed (not the provider's shape) or
   * unsupported_event (a type Visitpay does not process), before anything is written (S5).
   */
  parseNotification(input: NotificationInput): Promise<ProviderEvent>;
}

/**
 * S5: a notification of a type Visitpay does not process is refused (400) and nothing is written,
 * so that nobody can fill the inbox with events that merely look like a provider's.
 */
export function unsupportedEvent(provider: ProviderName, eventType: string, processed: readonly string[]): DomainError {
  const type = eventType.slice(0, 100);
  return new DomainError(
    'unsupported_event',
    `Visitpay does not process ${provider} notifications of type ${type}; it processes ${processed.join(', ')}`,
    {
      eventType: type,
    },
  );
}

/** A provider call that failed in a way worth retrying later (timeouts, 5xx, 429). */
export class ProviderUnavailableError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ProviderUnavailableError';
  }
}

/** A provider refused the request for good (bad credentials, amount below minimum…). */
export class ProviderRejectedError extends Error {
  constructor(
    message: string,
    readonly providerCode?: string,
  ) {
    super(message);
    this.name = 'ProviderRejectedError';
  }
}
