/**
 * The closed list of error codes the API can answer, each with its HTTP status.
 * Domain code throws DomainError with one of these; one mapper turns it into the envelope.
 */
export const ERROR_STATUS = {
  validation_failed: 400,
  invalid_signature: 400,
  /** S5: a provider notification of an event type Visitpay does not process */
  unsupported_event: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  csrf_failed: 403,
  not_found: 404,
  conflict: 409,
  appointment_locked: 409,
  idempotency_key_reused: 409,
  /** R31: a refund is refused while a checkout of the appointment is open */
  attempt_open: 409,
  /** R1: a provider is not disconnected while checkout attempts through it are open */
  attempts_open: 409,
  /** R1, R31–R33: nor while refunds or settlement receipts through it wait for its answer */
  provider_work_open: 409,
  /** R40: tips are not switched on while fiscalization is on */
  tips_unavailable: 409,
  email_taken: 409,
  sku_taken: 409,
  price_out_of_range: 422,
  invalid_tax_system: 422,
  /** a user tried to take users.manage away from themselves, which would lock them out */
  cannot_revoke_own_users_manage: 422,
  appointment_cancelled: 422,
  invalid_status_transition: 422,
  /** a user tried to remove their own membership, which could leave a company nobody manages */
  cannot_remove_self: 422,
  nothing_due: 422,
  amount_exceeds_due: 422,
  payment_already_voided: 422,
  payment_not_voidable: 422,
  appointment_has_payments: 422,
  /** R31: desk payments are voided, not refunded */
  desk_payment_not_refundable: 422,
  /** R31: only an online payment is refunded, not a refund */
  payment_not_refundable: 422,
  /** R31: never more than what is left of the payment */
  amount_exceeds_refundable: 422,
  mixed_tax_systems: 422,
  contact_required: 422,
  pay_by_link_unavailable: 422,
  provider_not_connected: 422,
  /** sending a link: no SMTP server is configured (SMTP_URL) */
  email_unavailable: 422,
  /** sending a link: the channel has no gateway on this server (SMS) */
  channel_unavailable: 422,
  /** R36: sending a link by WhatsApp: no WhatsApp sender on this server, or no template in the company's language */
  whatsapp_unavailable: 422,
  /** R37: a WhatsApp text is the template registered with WhatsApp (docs/messaging.md); it is not edited here */
  template_fixed_by_whatsapp: 422,
  /** sending a link by email to a client who has no email address, and none was given */
  client_email_missing: 422,
  client_phone_missing: 422,
  provider_error: 502,
  /** the SMTP server refused or could not be reached */
  email_send_failed: 502,
  sms_send_failed: 502,
  /** R36: the WhatsApp Cloud API or Twilio refused the message or could not be reached; details carry its `gatewayCode` */
  whatsapp_send_failed: 502,
  rate_limited: 429,
  /** R38: a sending quota (company per day and channel, or recipient per hour) is used up; details say which and `retryAfter` */
  send_quota_exceeded: 429,
  payload_too_large: 413,
  unsupported_media_type: 415,
  internal_error: 500,
  not_ready: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const notFound = (what: string, id?: string) =>
  new DomainError('not_found', `${what} not found`, id ? { id } : {});

export const forbidden = (right: string) => new DomainError('forbidden', `this needs the ${right} right`, { right });

export const validation = (field: string, message: string) => new DomainError('validation_failed', message, { field });
