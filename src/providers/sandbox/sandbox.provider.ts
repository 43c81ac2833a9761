import type { Db } from '../../db/database.js';
import type { SandboxCheckoutRow } from '../../db/schema-payment-links.js';
import { logoPath } from '../../shared/logo-path.js';
import type { Clock } from '../../shared/clock.js';
import type { SecretBox } from '../../shared/encryption.js';
import { DomainError } from '../../shared/errors.js';
import type { Origins } from '../../shared/origins.js';
import { randomToken } from '../../shared/secrets.js';
import {
  ProviderRejectedError,
  type CheckoutState,
  type CheckoutStatus,
  type CreateCheckoutInput,
  type Credentials,
  type NotificationInput,
  type PaymentProvider,
  type PaymentRef,
  type ProviderEvent,
  type ProviderRefund,
  type RefundInput,
  type RefundResult,
  type SettlementReceiptInput,
  type SettlementReceiptResult,
  unsupportedEvent,
} from '../port.js';
import type { SandboxCheckoutStatus } from './sandbox-bank.repository.js';
import { effectiveStatus, SandboxBank } from './sandbox-bank.js';
import { sandboxCheckoutPageView, type SandboxCheckoutPageView } from './sandbox-checkout-page.js';
import { paymentIdOf, SANDBOX_EVENT_TYPES, sandboxEventSchema } from './sandbox-events.js';
import { SIGNATURE_HEADER, verifySignature } from '../../shared/webhook-signature.js';
import { sandboxRefusedUnder, sandboxSettings } from './sandbox-settings.js';

export interface SandboxProviderDeps {
  db: Db;
  clock: Clock;
  origins: Origins;
  secrets: SecretBox;
}

const STATUS: Record<SandboxCheckoutStatus, CheckoutStatus> = {
  open: 'pending',
  paid: 'succeeded',
  declined: 'failed',
  expired: 'expired',
};

const MIN_SECRET_LENGTH = 16;

/**
 * The built-in provider: a small bank living in Visitpay's own database (sandbox_* tables),
 * with a hosted page, signed notifications and refunds, and no network to the outside.
 * Credentials are `{webhookSecret}`, generated when a company connects it.
 */
export class SandboxProvider implements PaymentProvider {
  readonly name = 'sandbox' as const;
  readonly bank: SandboxBank;
  readonly refusedUnder = sandboxRefusedUnder;
  readonly settings = sandboxSettings;

  constructor(private readonly deps: SandboxProviderDeps) {
    this.bank = new SandboxBank(deps.db, deps.clock, deps.secrets);
  }

  async validateCredentials(companyId: string, credentials: Credentials): Promise<Credentials> {
    const unknown = Object.keys(credentials).find((key) => key !== 'webhookSecret');
    if (unknown)
      throw new DomainError(
        'validation_failed',
        'The sandbox takes only a webhook signing secret, and that is optional',
        {
          field: `credentials.${unknown}`,
          reason: 'unknown_field',
        },
      );
    const webhookSecret = credentials.webhookSecret ?? randomToken(32);
    if (webhookSecret.length < MIN_SECRET_LENGTH) {
      throw new DomainError(
        'validation_failed',
        `The webhook signing secret must be at least ${MIN_SECRET_LENGTH} characters long`,
        { field: 'credentials.webhookSecret', reason: 'format', minLength: MIN_SECRET_LENGTH },
      );
    }
    await this.bank.registerMerchant(companyId, webhookSecret);
    return { webhookSecret };
  }

  credentialsHint(credentials: Credentials): Record<string, string> {
    const secret = credentials.webhookSecret ?? '';
    return { webhookSecret: secret.length > 0 ? `…${secret.slice(-4)}` : '' };
  }

  async createCheckout(input: CreateCheckoutInput): Promise<CheckoutState> {
    await this.bank.registerMerchant(input.companyId, secretOf(input.credentials));
    return this.stateOf(await this.bank.create(input));
  }

  async getCheckout(input: {
    companyId: string;
    credentials: Credentials;
    checkoutId: string;
  }): Promise<CheckoutState> {
    return this.stateOf(await this.bank.get(input.companyId, input.checkoutId));
  }

  async expireCheckout(input: {
    companyId: string;
    credentials: Credentials;
    checkoutId: string;
  }): Promise<CheckoutState> {
    return this.stateOf(await this.bank.expire(input.companyId, input.checkoutId));
  }

  async refund(input: RefundInput): Promise<RefundResult> {
    await this.bank.registerMerchant(input.companyId, secretOf(input.credentials));
    const { refundId } = await this.bank.refund(input);
    return { refundId, status: 'succeeded', rawStatus: 'succeeded' };
  }

  /** R33: the bank's cash register keeps the settlement receipt (sandbox_receipts) and accepts it at once. */
  async sendSettlementReceipt(input: SettlementReceiptInput): Promise<SettlementReceiptResult> {
    await this.bank.registerMerchant(input.companyId, secretOf(input.credentials));
    const { receiptId } = await this.bank.registerSettlementReceipt(input);
    return { receiptId, rawStatus: 'succeeded' };
  }

  /** R32: the bank's books of the checkout's refunds; every refund of the sandbox has succeeded. */
  async listRefunds(input: PaymentRef): Promise<ProviderRefund[]> {
    const row = await this.bank.get(input.companyId, input.checkoutId);
    return (await this.bank.refundsOf(input.companyId, row.id)).map((refund) => ({
      refundId: refund.id,
      status: 'succeeded',
      amount: refund.amount,
      currency: row.currency,
      requestId: refund.idempotency_key,
    }));
  }

  async parseNotification(input: NotificationInput): Promise<ProviderEvent> {
    const secret = input.credentials.webhookSecret;
    if (!secret)
      throw new DomainError('invalid_signature', 'no sandbox webhook secret to verify the notification with');
    verifySignature({
      secret,
      header: input.headers[SIGNATURE_HEADER],
      rawBody: input.rawBody,
      now: this.deps.clock.now(),
    });
    let json: unknown;
    try {
      json = JSON.parse(input.rawBody);
    } catch {
      throw new DomainError('validation_failed', 'notification body is not JSON', { field: 'body' });
    }
    const parsed = sandboxEventSchema.safeParse(json);
    if (!parsed.success)
      throw new DomainError('validation_failed', 'notification body is not a sandbox event', { field: 'body' });
    const { id: eventId, type: eventType, data } = parsed.data;
    const attemptId = data.metadata.attemptId;
    const checkout = (status: CheckoutStatus, rawStatus: string): ProviderEvent => ({
      kind: 'checkout',
      eventId,
      eventType,
      ...(attemptId ? { attemptId } : {}),
      state: {
        checkoutId: data.checkoutId,
        status,
        rawStatus,
        ...(status === 'succeeded'
          ? {
              providerPaymentId: data.paymentId ?? paymentIdOf(data.checkoutId),
              amountPaid: data.amount,
              currencyPaid: data.currency.toUpperCase(),
            }
          : {}),
      },
    });
    switch (eventType) {
      case 'checkout.succeeded':
        return checkout('succeeded', data.status);
      case 'checkout.failed':
        return checkout('failed', data.status);
      case 'checkout.expired':
        return checkout('expired', data.status);
      case 'refund.succeeded':
        if (!data.refundId)
          throw new DomainError('validation_failed', 'refund notification has no refundId', { field: 'body' });
        return {
          kind: 'refund',
          eventId,
          eventType,
          refundId: data.refundId,
          checkoutId: data.checkoutId,
          providerPaymentId: data.paymentId ?? paymentIdOf(data.checkoutId),
          status: 'succeeded',
          refund: {
            refundId: data.refundId,
            status: 'succeeded',
            amount: data.amount,
            currency: data.currency.toUpperCase(),
            ...(data.refundKey ? { requestId: data.refundKey } : {}),
          },
        };
      default:
        throw unsupportedEvent('sandbox', eventType, SANDBOX_EVENT_TYPES);
    }
  }

  /** What the hosted page shows; undefined for an unknown checkout. */
  async checkoutPage(checkoutId: string): Promise<SandboxCheckoutPageView | undefined> {
    const found = await this.bank.page(checkoutId);
    if (!found) return undefined;
    const {
      company_name: companyName,
      accent_color: accentColor,
      contact_line: contactLine,
      logo_sha256: logoSha256,
      logo_type: logoType,
      logo_width: logoWidth,
      logo_height: logoHeight,
      ...row
    } = found;
    // R39: like a real bank's hosted page, the merchant's logo, colour and contact line
    const brand = {
      accentColor,
      contactLine,
      logo:
        logoSha256 && logoType
          ? { path: logoPath(logoSha256, logoType), width: logoWidth ?? 0, height: logoHeight ?? 0 }
          : null,
    };
    return sandboxCheckoutPageView(
      { ...row, return_url: this.bank.returnUrlOf(row) },
      companyName,
      this.deps.clock.now(),
      brand,
    );
  }

  /** The hosted page of a checkout, where the client pays or declines. */
  checkoutUrl(checkoutId: string): string {
    return `${this.deps.origins.public}/sandbox/checkout/${checkoutId}`;
  }

  private stateOf(row: SandboxCheckoutRow): CheckoutState {
    const raw = effectiveStatus(row, this.deps.clock.now());
    const status = STATUS[raw];
    return {
      checkoutId: row.id,
      status,
      rawStatus: raw,
      ...(status === 'pending' ? { redirectUrl: this.checkoutUrl(row.id) } : {}),
      ...(status === 'succeeded'
        ? { providerPaymentId: paymentIdOf(row.id), amountPaid: row.amount, currencyPaid: row.currency }
        : {}),
    };
  }
}

function secretOf(credentials: Credentials): string {
  const secret = credentials.webhookSecret;
  if (!secret) throw new ProviderRejectedError('sandbox credentials have no webhookSecret', 'invalid_credentials');
  return secret;
}
