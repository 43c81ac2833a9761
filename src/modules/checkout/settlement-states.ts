import type { Db, Executor } from '../../db/database.js';
import type { CheckoutState } from '../../providers/port.js';
import type { Actor } from '../../shared/actor.js';
import type { Clock } from '../../shared/clock.js';
import { recordAudit } from '../audit/index.js';
import { canMove, isOpen, type AttemptStatus } from './domain/attempt-status.js';
import type { LiveAnnouncer, UnitOfWork } from '../../live/index.js';
import * as attemptsRepo from './attempts.repository.js';
import type { AttemptRow } from './attempts.repository.js';
import { clearLock } from './settlement.repository.js';

export type SettleOutcome = 'applied' | 'duplicate' | 'ignored' | 'unknown_attempt';

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
 * What settlement records of an attempt besides a success: the provider created its checkout
 * (pending), it ended without money, and the appointment's lock lifted when the last open attempt
 * ends (R13). Part of SettlementService, which takes the locks before calling in.
 */
export class AttemptStates {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    /** commits first, then tells watchers (R29) */
    private readonly announcer: LiveAnnouncer,
    /** a few minutes after the provider created a checkout the job first asks about it, in case its notification is lost (R20) */
    private readonly firstCheckMs: number,
  ) {}

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

  /** The provider created the checkout: remember where the client pays. */
  async recordPending(uow: UnitOfWork, attempt: AttemptRow, state: CheckoutState, now: Date): Promise<SettleOutcome> {
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

  /** The lock lasts while an attempt is open (R13); the last one to end lifts it. */
  async releaseLockIfIdle(tx: Executor, appointmentId: string): Promise<void> {
    if (await attemptsRepo.hasOpenAttempt(tx, appointmentId)) return;
    await clearLock(tx, appointmentId);
  }
}
