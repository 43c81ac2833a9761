import type { CheckoutState } from '../../providers/port.js';
import type { Actor } from '../../shared/actor.js';
import { newId } from '../../shared/ids.js';
import { amountsFromTotals } from '../appointments/domain/amounts.js';
import { auditRow, recordAudit, type AuditEntry } from '../audit/index.js';
import { linkIsSettled } from './domain/charge.js';
import { linkPaidEntry, successEntries } from './domain/settlement-audit.js';
import type { UnitOfWork } from '../../live/index.js';
import { recordNeedsReview, successDisagrees } from './needs-review.js';
import { collectedByLink, lockLink, updateLink } from '../links/index.js';
import { insertSettlementReceipt } from '../receipts/index.js';
import * as attemptsRepo from './attempts.repository.js';
import type { AttemptRow } from './attempts.repository.js';
import { insertPaymentReadingLedger } from './attempt-ledger.repository.js';
import { writeCommonSuccesses, type CommonSuccess, type CommonSuccessInput } from './common-success.repository.js';
import * as money from './settlement.repository.js';
import type { InboxMark } from './settlement.repository.js';
import type { AttemptStates, SettleOutcome } from './settlement-states.js';

/** How a success is recorded: with the stored notification to mark applied, or knowing the common statement already declined it. */
export interface SuccessOptions {
  inbox?: InboxMark | undefined;
  commonTried?: boolean;
}

export interface Applied {
  /** `received`: a notification brought to applyReceivedStates had been received before; nothing was done */
  outcome: SettleOutcome | 'received';
  /** attempts this change ended locally that may still be payable at the provider: expire them there */
  closed: AttemptRow[];
}

/**
 * The success path of settlement: one `online` payment (or a `needs_review` attempt, R34), the link
 * marked paid (R12), the lock lifted (R13), money beyond the amount due queued for refund (R18) and
 * checkouts left with nothing to pay ended. Part of SettlementService, which takes the locks before
 * calling in.
 */
export class SettlementSuccess {
  constructor(private readonly states: Pick<AttemptStates, 'recordEnd' | 'releaseLockIfIdle'>) {}

  /**
   * Two statements on the common path — the locks, then the payment with everything it changes
   * (writeCommonSuccesses) — and the general way when that does not apply: another attempt of the
   * appointment open, money beyond what is due, a notification the retry job brings.
   */
  async recordSuccess(
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
      const common = (await writeCommonSuccesses(uow.tx, [plan.common])).get(0);
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
  successPlan(attempt: AttemptRow, state: CheckoutState, actor: Actor, now: Date) {
    // R40: the tip inside the charge is the staff member's, booked beside the payment (the tips
    // table, by trigger): the payment carries the visit's part only, so it is never overpayment (R18)
    const payment = this.onlinePayment(attempt, state, actor, (state.amountPaid ?? attempt.amount) - attempt.tip, now);
    const audits = (due?: { before: number; after: number }) => successEntries(attempt, state, actor, payment, due);
    const common: CommonSuccessInput = {
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
  async announceCommonSuccess(uow: UnitOfWork, plan: SuccessPlan, common: CommonSuccess): Promise<Applied> {
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
    attemptPatch: CommonSuccessInput['attemptPatch'],
    audits: (due: { before: number; after: number }) => AuditEntry[],
    now: Date,
    inbox?: InboxMark,
  ): Promise<Applied & { inboxMarked?: boolean }> {
    const { tx } = uow;
    const { amount, id: paymentId } = payment;
    const { inserted, ledger } = await insertPaymentReadingLedger(tx, attempt, payment);
    const before = amountsFromTotals(ledger.total, ledger.paid);
    if (!inserted) return { outcome: 'duplicate', closed: [] };
    // R33: a payment receipted as a prepayment gets its settlement receipt queued with it
    await insertSettlementReceipt(tx, {
      settlementReceiptId: newId('settlement_receipt'),
      paymentId,
      companyId: attempt.company_id,
      appointmentId: attempt.appointment_id,
      attemptId: attempt.id,
      amount,
      paidAt: payment.paid_at,
    });
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
    // R40: a payment given back whole gives its tip back with it (a client who paid twice tipped twice)
    if (owed > 0) {
      const tip = owed >= amount ? attempt.tip : 0;
      await this.requestRefund(uow, attempt, paymentId, Math.min(owed, amount) + tip, tip, now);
    }
    const linkStillPayable = !linkPaid && ledger.link.status === 'active' && dueAfter > 0;
    const closed =
      ledger.otherOpenOfLink > 0 && !linkStillPayable ? await this.closeLeftovers(uow, attempt.link_id, now) : [];
    if (ledger.otherOpenOfAppointment > 0) await this.states.releaseLockIfIdle(tx, attempt.appointment_id);
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
      const ended = await this.states.recordEnd(
        uow,
        current,
        'canceled',
        null,
        { type: 'system' },
        now,
        'nothing is left to pay',
      );
      if (ended === 'applied') closed.push(current);
    }
    return closed;
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

  private async requestRefund(
    uow: UnitOfWork,
    attempt: AttemptRow,
    paymentId: string,
    amount: number,
    tip: number,
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
      tip,
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
      details: { amount, ...(tip > 0 ? { tip } : {}), paymentId, reason: 'overpayment' },
    });
    await uow.afterCommit({
      companyId: attempt.company_id,
      appointmentId: attempt.appointment_id,
      reason: 'refund.requested',
    });
  }
}

export type SuccessPlan = ReturnType<SettlementSuccess['successPlan']>;
