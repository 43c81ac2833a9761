import type { Db } from '../../db/database.js';
import { type Backoff, nextDueAfterFailure } from '../../db/durable-queue.js';
import type { CheckoutState, ProviderEvent } from '../../providers/port.js';
import type { ProviderRegistry } from '../../providers/registry.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import { Batcher } from '../../shared/batcher.js';
import { DomainError, notFound } from '../../shared/errors.js';
import type { CashlessSettingsService } from '../cashless/index.js';
import type { CheckoutGateway } from '../checkout/index.js';
import type { ProviderRefundsService, RefundsService } from '../refunds/index.js';
import * as inbox from './inbox.repository.js';

/** `ignored`: verified, of a type Visitpay processes, about nothing of this company: acknowledged, nothing stored. */
export type Receipt = 'applied' | 'duplicate' | 'stored' | 'ignored';

interface CheckoutNotification {
  received: inbox.InboxInsert;
  state: CheckoutState;
  attemptId: string | undefined;
}

/** Back-off of a notification whose application failed: 5 s, 10 s, 20 s … capped at 10 minutes. */
const INBOX_BACKOFF: Backoff = { firstMs: 5_000, capMs: 600_000 };

/**
 * Provider notifications (R17): verified on the raw body, stored in the inbox once per provider
 * event id, then applied. A forged one, or one of a type Visitpay does not process, is refused
 * before anything is written (S5); one that cannot be applied now stays in the inbox for the
 * retry job.
 */
export class WebhooksService {
  constructor(
    private readonly deps: {
      db: Db;
      clock: Clock;
      log: Logger;
      providers: ProviderRegistry;
      cashless: CashlessSettingsService;
      gateway: CheckoutGateway;
      refunds: RefundsService;
      providerRefunds: ProviderRefundsService;
    },
  ) {}

  async receive(
    provider: string,
    companyId: string,
    rawBody: string,
    headers: Record<string, string | string[] | undefined>,
  ): Promise<Receipt> {
    if (!this.deps.providers.has(provider)) throw notFound('provider');
    const credentials = await this.deps.cashless.credentialsFor(companyId, provider);
    // S5: without the company's connection there is nothing to verify the notification with
    if (!credentials)
      throw new DomainError(
        'invalid_signature',
        `this company has no ${provider} connection to verify the notification with`,
      );
    const event = await this.deps.providers
      .get(provider)
      .parseNotification({ companyId, credentials, rawBody, headers });
    if (event.kind === 'ignored') return 'ignored';
    const received: inbox.InboxInsert = {
      companyId,
      provider,
      eventId: event.eventId,
      eventType: event.eventType,
      event,
      receivedAt: this.deps.clock.now(),
    };
    if (event.kind === 'checkout')
      return this.checkoutEvents.submit({ received, state: event.state, attemptId: event.attemptId });
    const id = await inbox.insertInboxEvent(this.deps.db, received);
    if (id === undefined) return 'duplicate';
    const fresh = { company_id: companyId, provider, event: event as unknown, tries: 0, processed_at: null };
    return (await this.process(id, fresh)) ? 'applied' : 'stored';
  }

  /**
   * The common notification, about a checkout: stored and applied in one transaction, shared
   * with those that arrived meanwhile (Batcher). If that transaction fails, each is tried alone.
   */
  private readonly checkoutEvents = new Batcher<CheckoutNotification, Receipt>({
    many: (items) => this.applyCheckoutEvents(items),
    one: (item) => this.receiveCheckoutEventAlone(item),
    batchFailed: (error, items) =>
      this.deps.log.warn(
        { err: error, eventIds: items.map((i) => i.received.eventId) },
        'applying a batch of notifications failed; each is tried alone',
      ),
    maxSize: 64,
    runners: 4,
  });

  private async applyCheckoutEvents(items: CheckoutNotification[]): Promise<Receipt[]> {
    return (await this.deps.gateway.applyNotifications(items)).map((outcome) =>
      outcome === 'received' ? 'duplicate' : 'applied',
    );
  }

  /**
   * One checkout notification alone (its batch failed). If applying it fails too, that rolls
   * back, and the notification is stored on its own for the retry job; if even that fails the
   * provider gets an error and delivers it again.
   */
  private async receiveCheckoutEventAlone(item: CheckoutNotification): Promise<Receipt> {
    const { received } = item;
    try {
      return (await this.applyCheckoutEvents([item]))[0]!;
    } catch (error) {
      this.deps.log.warn(
        { err: error, eventId: received.eventId, attemptId: item.attemptId, companyId: received.companyId },
        'applying the notification failed; stored for the retry job',
      );
      const nextTryAt = nextDueAfterFailure(this.deps.clock.now(), 1, INBOX_BACKOFF);
      const id = await inbox.insertInboxEvent(this.deps.db, received, {
        failedTries: 1,
        nextTryAt,
        error: error instanceof Error ? error.message : String(error),
      });
      return id === undefined ? 'duplicate' : 'stored';
    }
  }

  /** Applies one inbox event (read from the inbox unless just received); on failure schedules a retry. Answers whether it is done. */
  async process(
    id: number,
    received?: { company_id: string; provider: string; event: unknown; tries: number; processed_at: Date | null },
  ): Promise<boolean> {
    const row = received ?? (await inbox.findInboxEvent(this.deps.db, id));
    if (!row || row.processed_at) return true;
    try {
      const applied = await this.apply(id, row.company_id, row.provider, row.event as ProviderEvent);
      if (!applied.marked) await inbox.markProcessed(this.deps.db, id, this.deps.clock.now(), applied.note);
      return true;
    } catch (error) {
      this.deps.log.warn(
        { err: error, inboxId: id, companyId: row.company_id },
        'applying the notification failed; retried later',
      );
      // `tries` counts the failures before this one
      const next = nextDueAfterFailure(this.deps.clock.now(), row.tries + 1, INBOX_BACKOFF);
      await inbox.scheduleRetry(this.deps.db, id, next, error instanceof Error ? error.message : String(error));
      return false;
    }
  }

  /** The inbox retry job: events whose application failed before (database down, a deadlock …). */
  async processDue(limit = 50): Promise<number> {
    const now = this.deps.clock.now();
    const ids = await inbox.claimDueEvents(this.deps.db, now, new Date(now.getTime() + 60_000), limit);
    for (const id of ids) await this.process(id);
    return ids.length;
  }

  /** Applies an event; `marked`: its inbox row was marked processed in the same commit as the change. */
  private async apply(
    inboxId: number,
    companyId: string,
    provider: string,
    event: ProviderEvent,
  ): Promise<{ marked: boolean; note?: string }> {
    // stored before ignored events were answered without a row (S5)
    if (event.kind === 'ignored') return { marked: false, note: 'ignored event type' };
    if (event.kind === 'refund') {
      // stored before R32: only refunds Visitpay asked for are known from these
      if (!event.refund) {
        await this.deps.refunds.recordProviderRefund(companyId, event.refundId, event.status);
        return { marked: false };
      }
      // R32: ours or made at the provider, booked once; one that may be ours but is not identified yet throws and is retried
      const note = await this.deps.providerRefunds.record({
        companyId,
        provider,
        refund: event.refund,
        providerPaymentId: event.providerPaymentId,
        checkoutId: event.checkoutId,
      });
      return { marked: false, note };
    }
    await this.deps.gateway.applyNotification(companyId, provider, event.state, {
      attemptId: event.attemptId,
      inboxId,
    });
    return { marked: true };
  }
}
