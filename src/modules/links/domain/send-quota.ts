import { addDays, localDate, zonedInstant } from '../../../shared/zoned-time.js';

/**
 * R38 sending quotas, the pure part: which counting window an instant falls in, and how a
 * recipient is spelled before it is hashed. The counters themselves live in PostgreSQL.
 */

export type SendChannel = 'email' | 'sms' | 'whatsapp';

/** `company_day`: a company's messages on one channel per day of its own calendar; `recipient_hour`: messages to one address or number per hour. */
export type SendQuotaKind = 'company_day' | 'recipient_hour';

export interface QuotaWindow {
  start: Date;
  resetsAt: Date;
}

/** The company's calendar day (in its IANA zone) that `now` falls in: from its midnight to the next (23 or 25 hours on DST days). */
export function companyDayWindow(now: Date, timeZone: string): QuotaWindow & { day: string } {
  const day = localDate(now, timeZone);
  return { day, start: zonedInstant(day, 0, 0, timeZone), resetsAt: zonedInstant(addDays(day, 1), 0, 0, timeZone) };
}

const HOUR_MS = 3_600_000;

/**
 * The clock hour (UTC) that `now` falls in. A fixed window rather than a sliding one: one row per
 * recipient and hour, taken by one statement; at worst twice the limit arrives around the turn of an hour.
 */
export function hourWindow(now: Date): QuotaWindow {
  const start = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
  return { start: new Date(start), resetsAt: new Date(start + HOUR_MS) };
}

/**
 * The recipient as the per-recipient quota counts it: an address in lower case without its
 * `+tag` (`anna+1@x` and `Anna+2@x` reach one mailbox), a phone number as the schema normalised it —
 * one identity for SMS and WhatsApp alike: the quota protects the person holding the phone, however it is reached.
 */
export function recipientIdentity(channel: SendChannel, recipient: string): string {
  if (channel !== 'email') return `phone:${recipient}`;
  const address = recipient.trim().toLowerCase();
  const at = address.lastIndexOf('@');
  const local = at > 0 ? address.slice(0, at) : address;
  const plus = local.indexOf('+');
  return `email:${plus > 0 ? local.slice(0, plus) : local}${at > 0 ? address.slice(at) : ''}`;
}

/** Whole seconds until `resetsAt`, at least 1 (what Retry-After says). */
export function secondsUntil(now: Date, resetsAt: Date): number {
  return Math.max(1, Math.ceil((resetsAt.getTime() - now.getTime()) / 1000));
}

/** "3 h 12 min", "42 min", "40 s": how long until a quota resets, for the refusal's message. */
export function describeWait(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.ceil(seconds / 60);
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${minutes} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}
