import { createHmac } from 'node:crypto';
import { DomainError } from './errors.js';
import { constantTimeEqual } from './secrets.js';

/**
 * How Visitpay signs the webhooks it sends — the sandbox bank's notifications and the events
 * integrators subscribe to — and how a receiver checks them:
 * `Visitpay-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
 * The timestamp is signed with the body, so an old notification cannot be replayed later.
 */
export const SIGNATURE_HEADER = 'visitpay-signature';
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export function signatureOf(secret: string, timestamp: number, rawBody: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${rawBody}`, 'utf8').digest('hex');
}

export function signatureHeader(secret: string, at: Date, rawBody: string): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${signatureOf(secret, t, rawBody)}`;
}

function parseHeader(header: string): { t: number; v1: string[] } | undefined {
  let t: number | undefined;
  const v1: string[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && value && /^\d{1,12}$/.test(value)) t = Number(value);
    else if (key === 'v1' && value) v1.push(value);
  }
  return t === undefined || v1.length === 0 ? undefined : { t, v1 };
}

/** Throws invalid_signature unless the header signs this exact raw body with `secret`, recently. */
export function verifySignature(input: {
  secret: string;
  header: string | string[] | undefined;
  rawBody: string;
  now: Date;
  toleranceSeconds?: number;
}): void {
  const header = Array.isArray(input.header) ? input.header[0] : input.header;
  const parsed = header ? parseHeader(header) : undefined;
  if (!parsed) throw new DomainError('invalid_signature', 'Visitpay-Signature header is missing or malformed');
  const expected = signatureOf(input.secret, parsed.t, input.rawBody);
  // Every candidate is compared, so the time taken does not tell which one matched.
  const matches = parsed.v1.map((candidate) => constantTimeEqual(candidate, expected)).some(Boolean);
  if (!matches) throw new DomainError('invalid_signature', 'notification signature does not match');
  const age = Math.abs(input.now.getTime() / 1000 - parsed.t);
  if (age > (input.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS)) {
    throw new DomainError('invalid_signature', 'notification timestamp is outside the tolerance', {
      timestamp: parsed.t,
    });
  }
}
