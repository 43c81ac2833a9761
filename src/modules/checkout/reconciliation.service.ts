import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import { type Backoff, claimDue, nextDueAfterFailure } from '../../db/durable-queue.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import { systemActor } from '../../shared/actor.js';
import type { CheckoutGateway } from './checkout-gateway.js';

import * as attemptsRepo from './attempts.repository.js';
import type { AttemptRow } from './attempts.repository.js';
import type { SettlementService } from './settlement.service.js';

/** How long a `creating` attempt may wait for its own Pay request before the job takes it over. */
const CREATING_GRACE_MS = 15_000;
/** While the client may still pay, a lost notification is looked for at least this often (R20: within minutes). */
const MAX_CHECK_GAP_WHILE_PAYABLE_MS = 5 * 60_000;
/** The last look at an open attempt, shortly after its expiry, settles it either way. */
const AFTER_EXPIRY_MS = 60_000;

/** When to look again at an attempt the provider left open: 1, 2, 4 … minutes, at most hourly. */
const CHECK_BACKOFF: Backoff = { firstMs: 60_000, capMs: 3_600_000 };

/** Before its expiry an attempt is asked about every few minutes, then once just after it; later ones back off. */
export function nextCheckAt(attempt: { checks: number; expires_at: Date }, now: Date): Date {
  const backoff = nextDueAfterFailure(now, attempt.checks + 1, CHECK_BACKOFF).getTime();
  const lastLook = attempt.expires_at.getTime() + AFTER_EXPIRY_MS;
  if (now.getTime() >= lastLook) return new Date(backoff);
  return new Date(Math.min(backoff, now.getTime() + MAX_CHECK_GAP_WHILE_PAYABLE_MS, lastLook));
}

/**
 * R11, R20: attempts whose outcome Visitpay does not know — a lost notification, a provider call
 * that never answered, a process killed between the provider call and the commit — are settled by
 * asking the provider. Runs in every process; rows are claimed with SKIP LOCKED.
 */
export class ReconciliationService {
  constructor(
    private readonly deps: {
      db: Db;
      clock: Clock;
      log: Logger;
      gateway: CheckoutGateway;
      settlement: SettlementService;
      graceMs?: number;
    },
  ) {}

  async processDue(limit = 20): Promise<number> {
    const claimed = await this.claim(limit);
    for (const attempt of claimed) {
      try {
        await this.reconcile(attempt);
      } catch (error) {
        // Provider down or refusing: the claim already pushed check_at forward, the next round retries.
        this.deps.log.warn({ err: error, attemptId: attempt.id }, 'reconciling the attempt failed; retried later');
      }
    }
    return claimed.length + (await this.finalChecks(limit));
  }

  /**
   * One last look at attempts we ended ourselves, once the provider's own window has passed:
   * money paid there meanwhile (its notification lost) is credited, then refunded if too much (R18).
   */
  private async finalChecks(limit: number): Promise<number> {
    const { db, clock } = this.deps;
    // Taken off the queue as it is claimed: a failed look below puts it back with its own delay.
    const due = await claimDue(db, {
      table: 'checkout_attempts',
      due: 'final_check_at',
      now: clock.now(),
      limit,
      lease: null,
    });
    for (const attempt of due) {
      try {
        const state = await this.deps.gateway.refresh(attempt);
        // Still open at the provider past its own timeout: look again later rather than guess.
        if (state?.status === 'pending')
          await attemptsRepo.updateAttempt(db, attempt.id, {
            final_check_at: new Date(clock.now().getTime() + 3_600_000),
            updated_at: clock.now(),
          });
      } catch (error) {
        this.deps.log.warn({ err: error, attemptId: attempt.id }, 'final check of the attempt failed; retried later');
        await attemptsRepo.updateAttempt(db, attempt.id, {
          final_check_at: new Date(clock.now().getTime() + 600_000),
          updated_at: clock.now(),
        });
      }
    }
    return due.length;
  }

  /** Each claimed attempt's next look is its lease: a process that dies mid-look leaves it due then. */
  private async claim(limit: number): Promise<AttemptRow[]> {
    const now = this.deps.clock.now();
    return claimDue(this.deps.db, {
      table: 'checkout_attempts',
      due: 'check_at',
      now,
      limit,
      lease: (attempt) => nextCheckAt(attempt, now),
      where: (eb) => eb('status', 'in', [sql.lit('creating'), sql.lit('pending')]),
      count: 'checks',
    });
  }

  /**
   * The client is back from the provider's page: one look at the link's latest pending attempt, so
   * the return page can say the outcome at once instead of waiting for the notification. Bounded:
   * after `withinMs` the page goes on without the answer (the look still finishes and is applied;
   * settlement is idempotent, so the notification arriving as well writes nothing twice). Never throws.
   */
  async lookOnReturn(linkId: string, withinMs: number): Promise<void> {
    const open = await attemptsRepo.openAttemptsOfLink(this.deps.db, linkId);
    const attempt = open.find((a) => a.status === 'pending' && a.provider_checkout_id !== null);
    if (!attempt) return;
    const look = this.deps.gateway.refresh(attempt).then(
      () => undefined,
      (error: unknown) =>
        this.deps.log.warn({ err: error, attemptId: attempt.id }, 'looking at the attempt on return failed'),
    );
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, withinMs);
    });
    try {
      await Promise.race([look, bound]);
    } finally {
      clearTimeout(timer);
    }
  }

  async reconcile(attempt: AttemptRow): Promise<void> {
    const now = this.deps.clock.now();
    if (attempt.status === 'creating') {
      if (
        now.getTime() - attempt.updated_at.getTime() <
        Math.min(CREATING_GRACE_MS, this.deps.graceMs ?? CREATING_GRACE_MS)
      )
        return;
      if (now.getTime() >= attempt.expires_at.getTime())
        return this.expireLocally(attempt, 'never created at the provider before its expiry');
      // Same idempotency key: the provider answers the checkout it may already have made.
      await this.deps.gateway.create(attempt);
      return;
    }
    const state = await this.deps.gateway.refresh(attempt);
    if (state?.status === 'pending' && now.getTime() >= attempt.expires_at.getTime()) {
      await this.deps.gateway.expire((await attemptsRepo.findAttempt(this.deps.db, attempt.id))!);
    }
  }

  private async expireLocally(attempt: AttemptRow, reason: string): Promise<void> {
    await this.deps.settlement.endAttempt(attempt, 'expired', systemActor, reason);
  }
}
