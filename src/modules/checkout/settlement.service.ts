import type { Db, Executor } from '../../db/database.js';
import type { CheckoutState } from '../../providers/port.js';
import type { Actor } from '../../shared/actor.js';
import type { Clock } from '../../shared/clock.js';
import { isOpen, type AttemptStatus } from './domain/attempt-status.js';
import type { LiveAnnouncer, UnitOfWork } from '../../live/index.js';
import { successDisagrees } from './needs-review.js';
import type { AttemptRow } from './attempts.repository.js';
import { writeCommonSuccesses } from './common-success.repository.js';
import * as money from './settlement.repository.js';
import { SettlementSuccess, type Applied, type SuccessOptions, type SuccessPlan } from './settlement-success.js';
import { AttemptStates, type SettleOutcome } from './settlement-states.js';
import { insertInboxEvents, markProcessed as markInboxProcessed, type InboxInsert } from '../webhooks/index.js';

export type { Applied } from './settlement-success.js';
export type { SettleOutcome } from './settlement-states.js';

/** A provider's word about a checkout, just received as a notification (stored with what it brought). */
export interface ReceivedState {
  received: InboxInsert;
  state: CheckoutState;
  attemptId?: string | undefined;
  actor: Actor;
}

/**
 * Applies what a provider says about an attempt to the ledger, exactly once (R17): a success
 * becomes one `online` payment (or, when its currency or amount is not the attempt's, a
 * `needs_review` attempt and no payment, R34), the link is marked paid when it collected what it should (R12),
 * the lock ends with the attempt (R13), and money beyond the amount due is queued for refund (R18).
 * Every path takes the same locks in the same order — link, appointment, attempt — as Pay does.
 * The success path is in settlement-success.ts; pending, ends and the lock's release in settlement-states.ts.
 */
export class SettlementService {
  private readonly states: AttemptStates;
  private readonly success: SettlementSuccess;

  constructor(
    db: Db,
    private readonly clock: Clock,
    /** commits first, then tells watchers (R29) */
    private readonly announcer: LiveAnnouncer,
    /** a few minutes after the provider created a checkout the job first asks about it, in case its notification is lost (R20) */
    firstCheckMs = 120_000,
  ) {
    this.states = new AttemptStates(db, clock, announcer, firstCheckMs);
    this.success = new SettlementSuccess(this.states);
  }

  async applyCheckoutState(attempt: AttemptRow, state: CheckoutState, actor: Actor): Promise<Applied> {
    return this.announcer.transaction(async (uow) =>
      this.applyLocked(uow, await this.lockAttempt(uow.tx, attempt), state, actor),
    );
  }

  /**
   * A provider's word about one of its checkouts, from a notification stored in the inbox before
   * (the retry job): the attempt is found by the checkout id, else by our id in the checkout's
   * metadata (the notification overtook the create call's answer), locked and updated in the same
   * transaction, and the inbox row is marked applied in the same commit. Notifications just
   * received go through applyReceivedStates.
   */
  async applyProviderState(
    companyId: string,
    provider: string,
    state: CheckoutState,
    actor: Actor,
    from: { attemptId?: string | undefined; inboxId: number },
  ): Promise<Applied> {
    return this.announcer.transaction(async (uow) => {
      const { tx } = uow;
      const inbox = { id: from.inboxId, at: this.clock.now() };
      const current =
        (await money.lockAttemptWithOwners(tx, { companyId, provider, checkoutId: state.checkoutId })) ??
        (from.attemptId
          ? await money.lockAttemptWithOwners(tx, { id: from.attemptId, companyId, provider })
          : undefined);
      if (!current) {
        await markInboxProcessed(tx, inbox.id, inbox.at, 'no attempt of ours');
        return { outcome: 'unknown_attempt', closed: [] };
      }
      const applied = await this.applyLocked(uow, current, state, actor, { inbox });
      if (!applied.inboxMarked) await markInboxProcessed(tx, inbox.id, inbox.at);
      return { outcome: applied.outcome, closed: applied.closed };
    });
  }

  /**
   * Notifications just received, applied together in one transaction: a crowd of them (a busy
   * evening, a provider catching up) costs a few statements and one commit, not several each. The
   * same as applyProviderState for each, answered in the order given. Their inbox rows go in
   * first, in event-id order; then all their attempts are locked in one statement in checkout-id
   * order — every batch in every process the same orders — so two batches cannot wait on each
   * other in a circle. The common successes are written by one statement; the rest one by one.
   */
  async applyReceivedStates(items: readonly ReceivedState[]): Promise<Applied[]> {
    return this.announcer.transaction(async (uow) => {
      const { tx } = uow;
      const at = this.clock.now();
      const inboxIds = await insertInboxEvents(
        tx,
        items.map((i) => i.received),
        at,
      );
      const answers: Applied[] = new Array<Applied>(items.length);
      // the first delivery of each event stored now; the rest were received before
      const fresh: { item: ReceivedState; index: number; inboxId: number }[] = [];
      const seen = new Set<string>();
      items.forEach((item, index) => {
        const key = `${item.received.companyId} ${item.received.provider} ${item.received.eventId}`;
        const inboxId = inboxIds.get(key);
        if (inboxId === undefined || seen.has(key)) answers[index] = { outcome: 'received', closed: [] };
        else fresh.push({ item, index, inboxId });
        seen.add(key);
      });
      const checkoutKey = (companyId: string, provider: string, checkoutId: string) =>
        `${companyId} ${provider} ${checkoutId}`;
      const locked = await money.lockAttemptsByCheckout(
        tx,
        fresh.map(({ item }) => ({
          companyId: item.received.companyId,
          provider: item.received.provider,
          checkoutId: item.state.checkoutId,
        })),
      );
      // Successes of open attempts, one per appointment, in one statement; everything else one by one below.
      const plans: { index: number; plan: SuccessPlan }[] = [];
      const appointments = new Set<string>();
      for (const { item, index } of fresh) {
        const attempt = locked.get(checkoutKey(item.received.companyId, item.received.provider, item.state.checkoutId));
        if (
          !attempt ||
          item.state.status !== 'succeeded' ||
          !isOpen(attempt.status) ||
          appointments.has(attempt.appointment_id) ||
          successDisagrees(attempt, item.state)
        )
          continue;
        appointments.add(attempt.appointment_id);
        plans.push({ index, plan: this.success.successPlan(attempt, item.state, item.actor, at) });
      }
      const written = await writeCommonSuccesses(
        tx,
        plans.map((p) => p.plan.common),
      );
      for (const [n, common] of written)
        answers[plans[n]!.index] = await this.success.announceCommonSuccess(uow, plans[n]!.plan, common);
      for (const { item, index, inboxId } of fresh) {
        if (answers[index]) continue;
        const { companyId, provider } = item.received;
        // read again under the locks held: an earlier notification of this batch may have changed it
        const current =
          (await money.lockAttemptWithOwners(tx, { companyId, provider, checkoutId: item.state.checkoutId })) ??
          (item.attemptId
            ? await money.lockAttemptWithOwners(tx, { id: item.attemptId, companyId, provider })
            : undefined);
        if (!current) {
          await markInboxProcessed(tx, inboxId, at, 'no attempt of ours');
          answers[index] = { outcome: 'unknown_attempt', closed: [] };
          continue;
        }
        // a success the batch statement did not write goes the general way at once
        const applied = await this.applyLocked(uow, current, item.state, item.actor, {
          commonTried: plans.some((p) => p.index === index),
        });
        answers[index] = { outcome: applied.outcome, closed: applied.closed };
      }
      return answers;
    });
  }

  private async applyLocked(
    uow: UnitOfWork,
    current: AttemptRow,
    state: CheckoutState,
    actor: Actor,
    options: SuccessOptions = {},
  ): Promise<Applied & { inboxMarked?: boolean }> {
    const now = this.clock.now();
    if (state.status === 'pending')
      return { outcome: await this.states.recordPending(uow, current, state, now), closed: [] };
    if (state.status === 'succeeded') return this.success.recordSuccess(uow, current, state, actor, now, options);
    return {
      outcome: await this.states.recordEnd(uow, current, state.status, state.rawStatus, actor, now),
      closed: [],
    };
  }

  /** Ends an open attempt in a transaction of its own, taking the usual locks (provider refusal, local expiry, abandon). */
  async endAttempt(
    attempt: AttemptRow,
    status: 'failed' | 'expired' | 'canceled',
    actor: Actor,
    reason: string,
  ): Promise<SettleOutcome> {
    return this.announcer.transaction(async (uow) => {
      const current = await this.lockAttempt(uow.tx, attempt);
      return this.states.recordEnd(uow, current, status, null, actor, this.clock.now(), reason.slice(0, 500));
    });
  }

  /**
   * The provider's answer to Pay's create call, on the common path: the attempt is still
   * `creating`, so one conditional UPDATE makes it `pending` (it takes only the attempt's row
   * lock, so it cannot deadlock with the usual order). Anything else goes the general way.
   */
  async recordCreated(attempt: AttemptRow, state: CheckoutState): Promise<AttemptRow | undefined> {
    return this.states.recordCreated(attempt, state);
  }

  /** Takes the usual locks — link, appointment, then the attempt — and answers the attempt as committed. */
  private async lockAttempt(tx: Executor, attempt: AttemptRow): Promise<AttemptRow> {
    return (await money.lockAttemptWithOwners(tx, { id: attempt.id }))!;
  }

  /** failed / expired / canceled: only an open attempt moves; money that arrived is never undone. */
  async recordEnd(
    uow: UnitOfWork,
    attempt: AttemptRow,
    status: Exclude<AttemptStatus, 'creating' | 'pending' | 'succeeded'>,
    rawStatus: string | null,
    actor: Actor,
    now: Date,
    failure?: string,
  ): Promise<SettleOutcome> {
    return this.states.recordEnd(uow, attempt, status, rawStatus, actor, now, failure);
  }

  /** R12: the link is paid once it collected its fixed amount or nothing is due. */
  async settleLink(uow: UnitOfWork, linkId: string, due: number, now: Date): Promise<void> {
    return this.success.settleLink(uow, linkId, due, now);
  }

  /** The lock lasts while an attempt is open (R13); the last one to end lifts it. */
  async releaseLockIfIdle(tx: Executor, appointmentId: string): Promise<void> {
    return this.states.releaseLockIfIdle(tx, appointmentId);
  }
}
