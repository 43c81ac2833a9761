import type { Clock } from '../../shared/clock.js';
import { DomainError } from '../../shared/errors.js';
import {
  ProviderRejectedError,
  ProviderUnavailableError,
  type CheckoutState,
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
import { YooKassaApiError, YooKassaClient, type YooKassaAuth, type YooKassaClientOptions } from './yookassa-client.js';
import {
  checkoutStateOf,
  clip,
  EXPIRES_AT_KEY,
  meSchema,
  notificationSchema,
  paymentSchema,
  providerRefundOf,
  REFUND_REQUEST_KEY,
  refundListSchema,
  refundResultOf,
  receiptObjectSchema,
  refundSchema,
  toAmount,
  toSettlementReceiptBody,
  toYooKassaReceipt,
  type YooKassaPayment,
  type YooKassaRefund,
  YOOKASSA_EVENT_TYPES,
} from './yookassa-mapping.js';

export interface YooKassaProviderDeps {
  clock: Clock;
  /** VISITPAY_YOOKASSA_API_URL and, for tests, faster timeouts and retries */
  client: YooKassaClientOptions;
}

const SHOP_ID = /^[0-9]{1,20}$/;
const SECRET_KEY = /^(live|test)_[A-Za-z0-9_-]{8,200}$/;

/**
 * YooKassa (API v3): hosted payment page by redirect, one-stage payments (capture:true), 54-FZ
 * receipts, refunds. Credentials are `{shopId, secretKey}`. Notifications carry no signature, so
 * each one is confirmed by reading its object back from the API with the company's own
 * credentials, and only that answer is acted on.
 */
export class YooKassaProvider implements PaymentProvider {
  readonly name = 'yookassa' as const;
  private readonly api: YooKassaClient;

  constructor(private readonly deps: YooKassaProviderDeps) {
    this.api = new YooKassaClient(deps.client);
  }

  async validateCredentials(_companyId: string, credentials: Credentials): Promise<Credentials> {
    const unknown = Object.keys(credentials).find((key) => key !== 'shopId' && key !== 'secretKey');
    if (unknown)
      throw new DomainError('validation_failed', 'YooKassa takes a shop ID and a secret key; nothing else', {
        field: `credentials.${unknown}`,
        reason: 'unknown_field',
      });
    const shopId = (credentials.shopId ?? '').trim();
    const secretKey = (credentials.secretKey ?? '').trim();
    if (!SHOP_ID.test(shopId))
      throw new DomainError('validation_failed', 'The shop ID must be the number shown in the YooKassa account', {
        field: 'credentials.shopId',
        reason: 'format',
      });
    if (!SECRET_KEY.test(secretKey)) {
      throw new DomainError('validation_failed', 'The secret key must start with live_ or test_', {
        field: 'credentials.secretKey',
        reason: 'format',
      });
    }
    let me: unknown;
    try {
      me = await this.api.get({ shopId, secretKey }, '/me');
    } catch (error) {
      if (error instanceof YooKassaApiError && (error.status === 401 || error.status === 403)) {
        throw new DomainError('validation_failed', 'YooKassa did not accept this shop ID and secret key', {
          field: 'credentials.secretKey',
          reason: 'not_accepted',
        });
      }
      if (error instanceof ProviderUnavailableError)
        throw new DomainError('provider_error', 'YooKassa is not answering; please try again in a moment');
      throw error;
    }
    const account = meSchema.safeParse(me);
    if (!account.success || account.data.account_id !== shopId) {
      throw new DomainError('validation_failed', 'This secret key belongs to another YooKassa shop', {
        field: 'credentials.shopId',
        reason: 'other_shop',
      });
    }
    if (account.data.status === 'disabled')
      throw new DomainError('validation_failed', 'This YooKassa shop is disabled', {
        field: 'credentials.shopId',
        reason: 'disabled',
      });
    return { shopId, secretKey };
  }

  credentialsHint(credentials: Credentials): Record<string, string> {
    const key = credentials.secretKey ?? '';
    const mode = /^(live|test)_/.exec(key)?.[1];
    return {
      shopId: credentials.shopId ?? '',
      secretKey: key.length > 0 ? `${mode ? `${mode}_` : ''}…${key.slice(-4)}` : '',
    };
  }

  async createCheckout(input: CreateCheckoutInput): Promise<CheckoutState> {
    const body = {
      amount: toAmount(input.amount, input.currency),
      capture: true,
      confirmation: { type: 'redirect', return_url: input.returnUrl },
      description: clip(input.description),
      metadata: { ...input.metadata, [EXPIRES_AT_KEY]: input.expiresAt.toISOString() },
      ...(input.receipt ? { receipt: toYooKassaReceipt(input.receipt, input.currency) } : {}),
    };
    const payment = await this.api.post<unknown>(auth(input.credentials), '/payments', body, input.attemptId);
    return checkoutStateOf(parsePayment(payment), this.deps.clock.now());
  }

  async getCheckout(input: {
    companyId: string;
    credentials: Credentials;
    checkoutId: string;
  }): Promise<CheckoutState> {
    return checkoutStateOf(await this.payment(auth(input.credentials), input.checkoutId), this.deps.clock.now());
  }

  /**
   * Only a `waiting_for_capture` payment can be canceled through the API. A `pending` one can't:
   * the attempt ends on our side (expired) and YooKassa cancels the payment itself within
   * about an hour; a payment made meanwhile still arrives and is credited (see checkoutStateOf).
   */
  async expireCheckout(input: {
    companyId: string;
    credentials: Credentials;
    checkoutId: string;
  }): Promise<CheckoutState> {
    const credentials = auth(input.credentials);
    let payment = await this.payment(credentials, input.checkoutId);
    if (payment.status === 'waiting_for_capture') {
      payment = parsePayment(
        await this.api.post<unknown>(
          credentials,
          `/payments/${encodeURIComponent(payment.id)}/cancel`,
          {},
          `${payment.id}:cancel`,
        ),
      );
    }
    const state = checkoutStateOf(payment, this.deps.clock.now());
    if (state.status !== 'pending') return state;
    const { redirectUrl: _gone, ...rest } = state;
    return { ...rest, status: 'expired' };
  }

  async refund(input: RefundInput): Promise<RefundResult> {
    const credentials = auth(input.credentials);
    const body = {
      payment_id: input.providerPaymentId || input.checkoutId,
      amount: toAmount(input.amount, input.currency),
      // R32: a notification of this refund that comes before our call has recorded its id is known by it
      metadata: { [REFUND_REQUEST_KEY]: input.idempotencyKey },
      ...(input.receipt ? { receipt: toYooKassaReceipt(input.receipt, input.currency) } : {}),
    };
    let refund = parseRefund(await this.api.post<unknown>(credentials, '/refunds', body, input.idempotencyKey));
    // A repeated create answers the refund as it was first created; ask where it stands now.
    if (refund.status === 'pending') refund = await this.refundObject(credentials, refund.id);
    return refundResultOf(refund);
  }

  /**
   * R33: POST /v3/receipts with the settlement receipt (toSettlementReceiptBody); the
   * Idempotence-Key is our settlement receipt's id, so a retry after an unknown outcome answers
   * the receipt first registered. YooKassa answers the receipt `pending` while the cash register
   * fiscalizes it; accepted is what the job needs, `canceled` is a refusal.
   */
  async sendSettlementReceipt(input: SettlementReceiptInput): Promise<SettlementReceiptResult> {
    const body = toSettlementReceiptBody({
      providerPaymentId: input.providerPaymentId || input.checkoutId,
      amount: input.amount,
      currency: input.currency,
      receipt: input.receipt,
    });
    const answer = await this.api.post<unknown>(auth(input.credentials), '/receipts', body, input.idempotencyKey);
    const parsed = receiptObjectSchema.safeParse(answer);
    if (!parsed.success) throw new ProviderUnavailableError('YooKassa answered something that is not a receipt');
    if (parsed.data.status === 'canceled')
      throw new ProviderRejectedError(`YooKassa canceled the settlement receipt ${parsed.data.id}`, 'receipt_canceled');
    return { receiptId: parsed.data.id, rawStatus: parsed.data.status };
  }

  /** R32: GET /v3/refunds?payment_id=…, page after page (at most 100 a page). */
  async listRefunds(input: PaymentRef): Promise<ProviderRefund[]> {
    const credentials = auth(input.credentials);
    const paymentId = input.providerPaymentId || input.checkoutId;
    const refunds: ProviderRefund[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 100; page++) {
      const query = new URLSearchParams({ payment_id: paymentId, limit: '100', ...(cursor ? { cursor } : {}) });
      const parsed = refundListSchema.safeParse(await this.api.get<unknown>(credentials, `/refunds?${query}`));
      if (!parsed.success)
        throw new ProviderUnavailableError('YooKassa answered something that is not a list of refunds');
      refunds.push(...parsed.data.items.filter((r) => r.payment_id === paymentId).map(providerRefundOf));
      cursor = parsed.data.next_cursor;
      if (!cursor) break;
    }
    return refunds;
  }

  async parseNotification(input: NotificationInput): Promise<ProviderEvent> {
    let json: unknown;
    try {
      json = JSON.parse(input.rawBody);
    } catch {
      throw new DomainError('validation_failed', 'notification body is not JSON', { field: 'body' });
    }
    const parsed = notificationSchema.safeParse(json);
    if (!parsed.success)
      throw new DomainError('validation_failed', 'notification body is not a YooKassa notification', { field: 'body' });
    const { event, object } = parsed.data;
    if (!(YOOKASSA_EVENT_TYPES as readonly string[]).includes(event))
      throw unsupportedEvent('yookassa', event, YOOKASSA_EVENT_TYPES);
    const credentials = auth(input.credentials);
    // The body is only a hint of which object changed; its state is read back from the API, and
    // the event id names the state YooKassa confirmed, so a forged "succeeded" for a payment that
    // is still pending can't stand in for (and deduplicate away) the real notification later.
    if (event.startsWith('payment.')) {
      const payment = await this.confirm(() => this.payment(credentials, object.id));
      const state = checkoutStateOf(payment, this.deps.clock.now());
      const eventType = `payment.${payment.status}`;
      const attemptId = payment.metadata?.attemptId;
      return {
        kind: 'checkout',
        eventId: `${eventType}:${payment.id}`,
        eventType,
        ...(typeof attemptId === 'string' ? { attemptId } : {}),
        state,
      };
    }
    const refund = await this.confirm(() => this.refundObject(credentials, object.id));
    const eventType = `refund.${refund.status}`;
    return {
      kind: 'refund',
      eventId: `${eventType}:${refund.id}`,
      eventType,
      refundId: refund.id,
      checkoutId: refund.payment_id,
      providerPaymentId: refund.payment_id,
      status: refundResultOf(refund).status,
      refund: providerRefundOf(refund),
    };
  }

  private async payment(credentials: YooKassaAuth, id: string): Promise<YooKassaPayment> {
    return parsePayment(await this.api.get<unknown>(credentials, `/payments/${encodeURIComponent(id)}`));
  }

  private async refundObject(credentials: YooKassaAuth, id: string): Promise<YooKassaRefund> {
    return parseRefund(await this.api.get<unknown>(credentials, `/refunds/${encodeURIComponent(id)}`));
  }

  /** A notification about an object this shop's API doesn't know is not YooKassa's: refused, nothing written. */
  private async confirm<T>(read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      if (error instanceof YooKassaApiError && (error.status === 404 || error.status === 400)) {
        throw new DomainError('invalid_signature', 'YooKassa does not know the object this notification names');
      }
      throw error;
    }
  }
}

function auth(credentials: Credentials): YooKassaAuth {
  const { shopId, secretKey } = credentials;
  if (!shopId || !secretKey)
    throw new YooKassaApiError(401, 'invalid_credentials', 'the stored YooKassa credentials are incomplete', undefined);
  return { shopId, secretKey };
}

function parsePayment(json: unknown): YooKassaPayment {
  const parsed = paymentSchema.safeParse(json);
  if (!parsed.success) throw new ProviderUnavailableError('YooKassa answered something that is not a payment');
  return parsed.data;
}

function parseRefund(json: unknown): YooKassaRefund {
  const parsed = refundSchema.safeParse(json);
  if (!parsed.success) throw new ProviderUnavailableError('YooKassa answered something that is not a refund');
  return parsed.data;
}
