import { createHash, createHmac } from 'node:crypto';
import type { Db, Executor } from '../../db/database.js';
import type { Clock } from '../../shared/clock.js';
import { DomainError } from '../../shared/errors.js';
import {
  companyDayWindow,
  describeWait,
  hourWindow,
  recipientIdentity,
  secondsUntil,
  type SendChannel,
  type SendQuotaKind,
} from './domain/send-quota.js';
import { deleteEndedCounters, takeUnit, usedUnits, type QuotaCounter } from './send-quotas.repository.js';

/** The R38 limits; 0 switches one off. */
export interface SendQuotaLimits {
  perCompanyDay: Record<SendChannel, number>;
  perRecipientHour: number;
}

/** What one send is counted against. */
export interface SendQuotaSubject {
  companyId: string;
  /** the company's IANA zone: its day runs from its own midnight */
  timezone: string;
  channel: SendChannel;
  /** the address or number the message goes to (normalised by the contact schemas) */
  recipient: string;
}

// A counter is deleted this long after its window ended, so that a process whose clock is a little
// behind never finds a fresh row where the current one was.
const KEEP_ENDED_MS = 3_600_000;

/**
 * R38 sending quotas: per company, channel and day of the company's calendar, and per recipient
 * and hour. Counted in PostgreSQL, so that they hold for the whole installation, however many
 * processes send.
 *
 * The per-recipient quota counts across companies: it is there for the person at the other end,
 * whom a company of its own making could otherwise flood from several companies. Its subject is an
 * HMAC-SHA-256 of the recipient under a key derived from SECRET_KEY, so the table holds no
 * address or number, and a copy of the database alone cannot test guesses against it.
 */
export class SendQuotas {
  private readonly hashKey: Buffer;

  constructor(private readonly deps: { db: Db; clock: Clock; limits: SendQuotaLimits; secretKey: string }) {
    this.hashKey = createHash('sha256').update(`visitpay:send-quota:v1:${deps.secretKey}`).digest();
  }

  /**
   * Refuses a send whose quota is already used up, writing nothing: called before anything else is
   * written for the send (such as a new link). `take` is the one that counts.
   */
  async assertAvailable(subject: SendQuotaSubject): Promise<void> {
    for (const { counter, limit } of this.countersOf(subject)) {
      if ((await usedUnits(this.deps.db, counter)) >= limit) throw this.exceeded(subject, counter, limit);
    }
  }

  /**
   * Takes one unit of every quota of the send, or none: past any of them it throws
   * `send_quota_exceeded` (429) and the caller sends nothing. Given a transaction, takes them in
   * it (a throw then rolls the caller's transaction back, units with it).
   */
  async take(subject: SendQuotaSubject, within?: Executor): Promise<void> {
    const counters = this.countersOf(subject);
    if (counters.length === 0) return;
    // Always the company's counter first, then the recipient's: one order, so concurrent sends never deadlock.
    const takeAll = async (tx: Executor) => {
      for (const { counter, limit } of counters) {
        if ((await takeUnit(tx, counter, limit)) === undefined) throw this.exceeded(subject, counter, limit);
      }
    };
    // In the caller's transaction (R35 reminders: the unit commits with the mark of the send), else in its own.
    if (within) await takeAll(within);
    else await this.deps.db.transaction().execute(takeAll);
    await deleteEndedCounters(within ?? this.deps.db, new Date(this.deps.clock.now().getTime() - KEEP_ENDED_MS));
  }

  private countersOf(subject: SendQuotaSubject): { counter: QuotaCounter; limit: number }[] {
    const now = this.deps.clock.now();
    const { limits } = this.deps;
    const counters: { counter: QuotaCounter; limit: number }[] = [];
    const daily = limits.perCompanyDay[subject.channel];
    if (daily > 0) {
      counters.push({
        counter: {
          quota: 'company_day',
          subject: `${subject.companyId}:${subject.channel}`,
          window: companyDayWindow(now, subject.timezone),
        },
        limit: daily,
      });
    }
    if (limits.perRecipientHour > 0) {
      counters.push({
        counter: { quota: 'recipient_hour', subject: this.recipientHash(subject), window: hourWindow(now) },
        limit: limits.perRecipientHour,
      });
    }
    return counters;
  }

  private recipientHash(subject: SendQuotaSubject): string {
    return createHmac('sha256', this.hashKey)
      .update(recipientIdentity(subject.channel, subject.recipient))
      .digest('base64url');
  }

  private exceeded(subject: SendQuotaSubject, counter: QuotaCounter, limit: number): DomainError {
    const retryAfter = secondsUntil(this.deps.clock.now(), counter.window.resetsAt);
    const wait = describeWait(retryAfter);
    const messages: Record<SendQuotaKind, string> = {
      company_day: `the company's daily quota of ${limit} ${QUOTA_UNITS[subject.channel]} is used up; it resets at midnight (${subject.timezone}), in ${wait}. Nothing was sent; copy the link into a message meanwhile`,
      recipient_hour: `this recipient has already been sent ${limit} messages within the hour, the most one recipient may get; try again in ${wait}. Nothing was sent`,
    };
    return new DomainError('send_quota_exceeded', messages[counter.quota], {
      quota: counter.quota,
      channel: subject.channel,
      limit,
      retryAfter,
      resetsAt: counter.window.resetsAt.toISOString(),
    });
  }
}

const QUOTA_UNITS: Record<SendChannel, string> = { email: 'emails', sms: 'SMS', whatsapp: 'WhatsApp messages' };

/** The limits as the configuration sets them (VISITPAY_SEND_QUOTA_*). */
export function sendQuotaLimitsOf(config: {
  VISITPAY_SEND_QUOTA_EMAIL_PER_DAY: number;
  VISITPAY_SEND_QUOTA_SMS_PER_DAY: number;
  VISITPAY_SEND_QUOTA_WHATSAPP_PER_DAY: number;
  VISITPAY_SEND_QUOTA_PER_RECIPIENT_PER_HOUR: number;
}): SendQuotaLimits {
  return {
    perCompanyDay: {
      email: config.VISITPAY_SEND_QUOTA_EMAIL_PER_DAY,
      sms: config.VISITPAY_SEND_QUOTA_SMS_PER_DAY,
      whatsapp: config.VISITPAY_SEND_QUOTA_WHATSAPP_PER_DAY,
    },
    perRecipientHour: config.VISITPAY_SEND_QUOTA_PER_RECIPIENT_PER_HOUR,
  };
}
