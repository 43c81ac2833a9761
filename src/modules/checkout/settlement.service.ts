import type { Db, Executor } from '../../db/database.js';
import type { CheckoutState } from '../../providers/port.js';
import type { Actor } from '../../shared/actor.js';
import type { Clock } from '../../shared/clock.js';
import { newId } from '../../shared/ids.js';
import { amountsFromTotals } from '../appointments/domain/amounts.js';
import { auditRow, recordAudit, type AuditEntry } from '../audit/index.js';
import { canMove, isOpen, type AttemptStatus } from './domain/attempt-status.js';
import { linkIsSettled } from './domain/charge.js';
import type { LiveAnnouncer, UnitOfWork } from '../../live/index.js';
import { recordNeedsReview, successDisagrees } from './needs-review.js';
import { collectedByLink, lockLink, updateLink } from '../links/index.js';
import * as attemptsRepo from './attempts.repository.js';
import type { AttemptRow } from './attempts.repository.js';
import * as money from './settlement.repository.js';
import type { InboxMark } from './settlement.repository.js';
import { insertInboxEvents, markProcessed as markInboxProcessed, type InboxInsert } from '../webhooks/index.js';

export type SettleOutcome = 'applied' | 'duplicate' | 'ignored' | 'unknown_attempt';

/** A provider's word about a checkout, just received as a notification (stored with what it brought). */
export interface ReceivedState {
  received: InboxInsert;
  state: CheckoutState;
  attemptId?: string | undefined;
  actor: Actor;
}

/** How a success is recorded: with the stored notification to mark applied, or knowing the common statement already declined it. */
interface SuccessOptions {
  inbox?: InboxMark | undefined;
  commonTried?: boolean;
}

export interface Applied {
  /** `received`: a notification brought to applyReceivedStates had been received before; nothing was done */
  outcome: SettleOutcome | 'received';
  /** attempts this change ended locally that may still be payable at the provider: expire them there */
  closed: AttemptRow[];
}

/** After the provider's own timeouts (YooKassa cancels a pending payment after about an hour). */
function finalCheckAt(attempt: AttemptRow, now: Date): Date {
  const providerWindowEnds = Math.max(
    attempt.expires_at.getTime(),
    attempt.created_at.getTime() + 70 * 60_000,
    now.getTime(),
  );
  return new Date(providerWindowEnds + 5 * 60_000);
}

/**
 * Applies what a provider says about an attempt to the ledger, exactly once (R17): a success
 * becomes one `online` payment (or, when its currency or amount is not the attempt's, a
 * `needs_review` attempt and no payment, R34), the link is marked paid when it collected what it should (R12),
 * the lock ends with the attempt (R13), and money beyond the amount due is queued for refund (R18).
 * Every path takes the same locks in the same order — link, appointment, attempt — as Pay does.
 */
export class SettlementService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    /** commits first, then tells watchers (R29) */
    private readonly announcer: LiveAnnouncer,
    /** a few minutes after the provider created a checkout the job first asks about it, in case its notification is lost (R20) */
    private readonly firstCheckMs = 120_000,
  ) {}

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
      const plans: { index: number; plan: ReturnType<SettlementService['successPlan']> }[] = [];
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
        plans.push({ index, plan: this.successPlan(attempt, item.state, item.actor, at) });
      }
      const written = await money.writeCommonSuccesses(
        tx,
        plans.map((p) => p.plan.common),
      );
      for (const [n, common] of written)
        answers[plans[n]!.index] = await this.announceCommonSuccess(uow, plans[n]!.plan, common);
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
    if (state.status === 'pending') return { outcome: await this.recordPending(uow, current, state, now), closed: [] };
    if (state.status === 'succeeded') return this.recordSuccess(uow, current, state, actor, now, options);
    return { outcome: await this.recordEnd(uow, current, state.status, state.rawStatus, actor, now), closed: [] };
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
      return this.recordEnd(uow, current, status, null, actor, this.clock.now(), reason.slice(0, 500));
    });
  }

  /**
   * The provider's answer to Pay's create call, on the common path: the attempt is still
   * `creating`, so one conditional UPDATE makes it `pending` (it takes only the attempt's row
   * lock, so it cannot deadlock with the usual order). Anything else goes the general way.
   */
  async recordCreated(attempt: AttemptRow, state: CheckoutState): Promise<AttemptRow | undefined> {
    if (state.status !== 'pending') return undefined;
    const now = this.clock.now();
    const updated = await attemptsRepo.markPending(this.db, attempt.id, {
      provider_status: state.rawStatus,
      provider_checkout_id: state.checkoutId,
      redirect_url: state.redirectUrl ?? null,
      updated_at: now,
      check_at: this.firstCheckAt(attempt, now),
    });
    if (updated)
      this.announcer.announce({
        companyId: attempt.company_id,
        appointmentId: attempt.appointment_id,
        reason: 'attempt.pending',
      });
    return updated;
  }

  /** R20: a lost notification is looked for a few minutes from now, and again until shortly after the expiry. */
  private firstCheckAt(attempt: AttemptRow, now: Date): Date {
    return new Date(Math.min(now.getTime() + this.firstCheckMs, attempt.expires_at.getTime() + 60_000));
  }

  /** Takes the usual locks — link, appointment, then the attempt — and answers the attempt as committed. */
  private async lockAttempt(tx: Executor, attempt: AttemptRow): Promise<AttemptRow> {
    return (await money.lockAttemptWithOwners(tx, { id: attempt.id }))!;
  }

  /** The provider created the checkout: remember where the client pays. */
  private async recordPending(
    uow: UnitOfWork,
    attempt: AttemptRow,
    state: CheckoutState,
    now: Date,
  ): Promise<SettleOutcome> {
    const { tx } = uow;
    if (attempt.status !== 'creating') {
      // An attempt ended here while its create call was in flight still gets its checkout id, so it can be expired there.
      const learnedCheckout = !attempt.provider_checkout_id;
      if (learnedCheckout || (attempt.status === 'pending' && attempt.provider_status !== state.rawStatus)) {
        await attemptsRepo.updateAttempt(tx, attempt.id, {
          ...(learnedCheckout ? { provider_checkout_id: state.checkoutId } : {}),
          ...(attempt.status === 'pending' ? { provider_status: state.rawStatus } : {}),
          updated_at: now,
        });
      }
      return 'duplicate';
    }
    await attemptsRepo.updateAttempt(tx, attempt.id, {
      status: 'pending',
      provider_status: state.rawStatus,
      provider_checkout_id: state.checkoutId,
      redirect_url: state.redirectUrl ?? null,
      updated_at: now,
      check_at: this.firstCheckAt(attempt, now),
    });
    await uow.afterCommit({
      companyId: attempt.company_id,
      appointmentId: attempt.appointment_id,
      reason: 'attempt.pending',
    });
    return 'applied';
  }

  /**
   * Two statements on the common path — the locks, then the payment with everything it changes
   * (writeCommonSuccesses) — and the general way when that does not apply: another attempt of the
   * appointment open, money beyond what is due, a notification the retry job brings.
   */
  private async recordSuccess(
    uow: UnitOfWork,
    attempt: AttemptRow,
    state: CheckoutState,
    actor: Actor,
    now: Date,
    { inbox, commonTried }: SuccessOptions,
  ): Promise<Applied & { inboxMarked?: boolean }> {
    // needs_review is final too: a repeated or later success never books it (R34)
    if (attempt.status === 'succeeded' || attempt.status === 'needs_review')
      return { outcome: 'duplicate', closed: [] };
    if (successDisagrees(attempt, state)) {
      await recordNeedsReview(uow, attempt, state, actor, now);
      return { outcome: 'applied', closed: [] };
    }
    const plan = this.successPlan(attempt, state, actor, now);
    if (!inbox && !commonTried) {
      const common = (await money.writeCommonSuccesses(uow.tx, [plan.common])).get(0);
      if (common) return this.announceCommonSuccess(uow, plan, common);
    }
    return this.recordSuccessGenerally(
      uow,
      attempt,
      plan.common.payment,
      plan.common.attemptPatch,
      plan.audits,
      now,
      inbox,
    );
  }

  /** What a success of this attempt writes, whichever way it goes. */
  private successPlan(attempt: AttemptRow, state: CheckoutState, actor: Actor, now: Date) {
    const payment = this.onlinePayment(attempt, state, actor, state.amountPaid ?? attempt.amount, now);
    const audits = (due?: { before: number; after: number }) => successEntries(attempt, state, actor, payment, due);
    const common: money.CommonSuccessInput = {
      payment,
      attemptPatch: {
        status: 'succeeded',
        provider_status: state.rawStatus,
        provider_checkout_id: attempt.provider_checkout_id ?? state.checkoutId,
        provider_payment_id: state.providerPaymentId ?? null,
        ended_at: now,
        updated_at: now,
      },
      audits: audits().map(auditRow),
      linkPaidAudit: auditRow(
        linkPaidEntry(
          { id: attempt.link_id, company_id: attempt.company_id, appointment_id: attempt.appointment_id, amount: null },
          0,
          now,
        ),
      ),
    };
    return { attempt, now, common, audits };
  }

  /** Tells watchers (after the commit) what a common success wrote. */
  private async announceCommonSuccess(
    uow: UnitOfWork,
    plan: ReturnType<SettlementService['successPlan']>,
    common: money.CommonSuccess,
  ): Promise<Applied> {
    const { attempt, now } = plan;
    const paid = common.linkPaid
      ? [
          linkPaidEntry(
            {
              id: attempt.link_id,
              company_id: attempt.company_id,
              appointment_id: attempt.appointment_id,
              amount: common.linkAmount,
            },
            common.collected,
            now,
          ),
        ]
      : [];
    for (const entry of [...plan.audits(), ...paid])
      await uow.afterCommit({
        companyId: entry.companyId,
        appointmentId: attempt.appointment_id,
        reason: entry.action,
      });
    return { outcome: 'applied', closed: [] };
  }

  private onlinePayment(
    attempt: AttemptRow,
    state: CheckoutState,
    actor: Actor,
    amount: number,
    now: Date,
  ): money.OnlinePayment {
    return {
      id: newId('payment'),
      company_id: attempt.company_id,
      appointment_id: attempt.appointment_id,
      amount,
      currency: attempt.currency,
      paid_at: now,
      actor_type: actor.type,
      actor_id: actor.id ?? null,
      attempt_id: attempt.id,
      link_id: attempt.link_id,
      provider: attempt.provider,
      provider_payment_id: state.providerPaymentId ?? null,
    };
  }

  /**
   * Every case of a success, in three statements plus what the case needs: the payment with the
   * ledger before it, the rest of the writes, then a refund of money beyond what is due (R18) and
   * the end of other checkouts left with nothing to pay.
   */
  private async recordSuccessGenerally(
    uow: UnitOfWork,
    attempt: AttemptRow,
    payment: money.OnlinePayment,
    attemptPatch: money.CommonSuccessInput['attemptPatch'],
    audits: (due: { before: number; after: number }) => AuditEntry[],
    now: Date,
    inbox?: InboxMark,
  ): Promise<Applied & { inboxMarked?: boolean }> {
    const { tx } = uow;
    const { amount, id: paymentId } = payment;
    const { inserted, ledger } = await money.insertPaymentReadingLedger(tx, attempt, payment);
    const before = amountsFromTotals(ledger.total, ledger.paid);
    if (!inserted) return { outcome: 'duplicate', closed: [] };
    // the payment is the only change since the ledger, under the locks
    const dueAfter = before.due - amount;
    const collected = ledger.collected + amount;
    const linkPaid =
      ledger.link.status === 'active' && linkIsSettled({ due: dueAfter, linkAmount: ledger.link.amount, collected });
    const entries: AuditEntry[] = [
      ...audits({ before: before.due, after: dueAfter }),
      ...(linkPaid
        ? [
            linkPaidEntry(
              {
                id: attempt.link_id,
                company_id: attempt.company_id,
                appointment_id: attempt.appointment_id,
                amount: ledger.link.amount,
              },
              collected,
              now,
            ),
          ]
        : []),
    ];
    await money.writeSuccess(tx, {
      attemptId: attempt.id,
      attemptPatch,
      link: { id: attempt.link_id, paid: linkPaid, at: now },
      // R13: the lock lasts while an attempt is open; this was the last one
      appointment: { id: attempt.appointment_id, unlock: ledger.otherOpenOfAppointment === 0 },
      audits: entries.map(auditRow),
      inbox,
    });
    for (const entry of entries)
      await uow.afterCommit({
        companyId: entry.companyId,
        appointmentId: attempt.appointment_id,
        reason: entry.action,
      });
    // What is owed back beyond refunds already on their way (R18); never more than this payment.
    const owed = dueAfter < 0 ? -dueAfter - ledger.outstandingRefunds : 0;
    if (owed > 0) await this.requestRefund(uow, attempt, paymentId, Math.min(owed, amount), now);
    const linkStillPayable = !linkPaid && ledger.link.status === 'active' && dueAfter > 0;
    const closed =
      ledger.otherOpenOfLink > 0 && !linkStillPayable ? await this.closeLeftovers(uow, attempt.link_id, now) : [];
    if (ledger.otherOpenOfAppointment > 0) await this.releaseLockIfIdle(tx, attempt.appointment_id);
    return { outcome: 'applied', closed, inboxMarked: inbox !== undefined };
  }

  /**
   * A late success (an attempt given up on, then paid) can leave another checkout of the link
   * open while nothing is due any more: end it, so the client is not asked to pay twice (R18).
   */
  private async closeLeftovers(uow: UnitOfWork, linkId: string, now: Date): Promise<AttemptRow[]> {
    const closed: AttemptRow[] = [];
    for (const open of await attemptsRepo.openAttemptsOfLink(uow.tx, linkId)) {
      const current = (await attemptsRepo.findAttempt(uow.tx, open.id, { forUpdate: true }))!;
      if (
        (await this.recordEnd(uow, current, 'canceled', null, { type: 'system' }, now, 'nothing is left to pay')) ===
        'applied'
      )
        closed.push(current);
    }
    return closed;
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
    const { tx } = uow;
    if (!isOpen(attempt.status) || !canMove(attempt.status as AttemptStatus, status)) {
      // The provider confirms the end of an attempt we had ended: no last look needed.
      if (rawStatus !== null && attempt.final_check_at)
        await attemptsRepo.updateAttempt(tx, attempt.id, { final_check_at: null, updated_at: now });
      return attempt.status === status ? 'duplicate' : 'ignored';
    }
    await attemptsRepo.updateAttempt(tx, attempt.id, {
      status,
      provider_status: rawStatus ?? attempt.provider_status,
      ended_at: now,
      updated_at: now,
      ...(failure ? { failure } : {}),
      // Ended without money: the provider may keep its page payable a while (YooKassa for an hour after our expiry,
      // a checkout whose expire call failed), so look once more after that window. A decline is final.
      ...(status !== 'failed' && attempt.provider_checkout_id ? { final_check_at: finalCheckAt(attempt, now) } : {}),
    });
    await recordAudit(tx, {
      companyId: attempt.company_id,
      at: now,
      actor,
      action: `attempt.${status}`,
      entityType: 'attempt',
      entityId: attempt.id,
      appointmentId: attempt.appointment_id,
      details: { amount: attempt.amount, provider: attempt.provider, providerStatus: rawStatus },
    });
    await uow.afterCommit({
      companyId: attempt.company_id,
      appointmentId: attempt.appointment_id,
      reason: `attempt.${status}`,
    });
    await this.releaseLockIfIdle(tx, attempt.appointment_id);
    return 'applied';
  }

  /** R12: the link is paid once it collected its fixed amount or nothing is due. */
  async settleLink(uow: UnitOfWork, linkId: string, due: number, now: Date): Promise<void> {
    const { tx } = uow;
    const link = await lockLink(tx, linkId);
    if (link.status !== 'active') return;
    const collected = await collectedByLink(tx, linkId);
    if (!linkIsSettled({ due, linkAmount: link.amount, collected })) return;
    await updateLink(tx, linkId, { status: 'paid', paid_at: now });
    await recordAudit(tx, linkPaidEntry(link, collected, now));
    await uow.afterCommit({ companyId: link.company_id, appointmentId: link.appointment_id, reason: 'link.paid' });
  }

  /** The lock lasts while an attempt is open (R13); the last one to end lifts it. */
  async releaseLockIfIdle(tx: Executor, appointmentId: string): Promise<void> {
    if (await attemptsRepo.hasOpenAttempt(tx, appointmentId)) return;
    await money.clearLock(tx, appointmentId);
  }

  private async requestRefund(
    uow: UnitOfWork,
    attempt: AttemptRow,
    paymentId: string,
    amount: number,
    now: Date,
  ): Promise<void> {
    const { tx } = uow;
    const id = newId('refund');
    await money.insertRefundRequest(tx, {
      id,
      company_id: attempt.company_id,
      appointment_id: attempt.appointment_id,
      payment_id: paymentId,
      amount,
      reason: 'overpayment',
      status: 'requested',
      created_at: now,
      updated_at: now,
      check_at: now,
    });
    await recordAudit(tx, {
      companyId: attempt.company_id,
      at: now,
      actor: { type: 'system' },
      action: 'refund.requested',
      entityType: 'refund',
      entityId: id,
      appointmentId: attempt.appointment_id,
      details: { amount, paymentId, reason: 'overpayment' },
    });
    await uow.afterCommit({
      companyId: attempt.company_id,
      appointmentId: attempt.appointment_id,
      reason: 'refund.requested',
    });
  }
}

/** The audit entries of a success; the amounts due before and after it are the ledger's (filled in by the statement when not given). */
function successEntries(
  attempt: AttemptRow,
  state: CheckoutState,
  actor: Actor,
  payment: money.OnlinePayment,
  due?: { before: number; after: number },
): AuditEntry[] {
  const base = {
    companyId: attempt.company_id,
    at: payment.paid_at,
    appointmentId: attempt.appointment_id,
    actor,
    ...(due ? { amountBefore: due.before, amountAfter: due.after } : {}),
  };
  return [
    {
      ...base,
      action: 'attempt.succeeded',
      entityType: 'attempt',
      entityId: attempt.id,
      details: {
        amount: payment.amount,
        provider: attempt.provider,
        providerPaymentId: state.providerPaymentId ?? null,
        late: attempt.status !== 'pending' && attempt.status !== 'creating',
      },
    },
    {
      ...base,
      action: 'payment.recorded',
      entityType: 'payment',
      entityId: payment.id,
      details: { method: 'online', amount: payment.amount, attemptId: attempt.id, linkId: attempt.link_id },
    },
  ];
}

/** R12: the audit entry of a link that collected what it should. */
function linkPaidEntry(
  link: { id: string; company_id: string; appointment_id: string; amount: number | null },
  collected: number,
  now: Date,
): AuditEntry {
  return {
    companyId: link.company_id,
    at: now,
    actor: { type: 'system' },
    action: 'link.paid',
    entityType: 'link',
    entityId: link.id,
    appointmentId: link.appointment_id,
    details: { collected, amount: link.amount },
  };
}
