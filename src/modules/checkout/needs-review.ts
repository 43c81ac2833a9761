import { expectedCapture } from '../../providers/captured-amount.js';
import type { CheckoutState } from '../../providers/port.js';
import type { Actor } from '../../shared/actor.js';
import { formatMoney } from '../../shared/money.js';
import { recordAudit } from '../audit/index.js';
import { figuresDisagree, type Figures } from './domain/provider-figures.js';
import type { UnitOfWork } from '../../live/index.js';

import * as attemptsRepo from './attempts.repository.js';
import type { AttemptRow } from './attempts.repository.js';
import { clearLock } from './settlement.repository.js';

/** What the attempt asked its provider to capture. */
export function expectedFigures(attempt: Pick<AttemptRow, 'provider' | 'amount' | 'currency'>): Figures {
  return {
    amount: expectedCapture(attempt.provider, attempt.amount, attempt.currency),
    currency: attempt.currency.toUpperCase(),
  };
}

/** R34: a success whose currency or amount is not what the attempt asked for is not booked. */
export function successDisagrees(
  attempt: Pick<AttemptRow, 'provider' | 'amount' | 'currency'>,
  state: CheckoutState,
): boolean {
  return figuresDisagree(expectedFigures(attempt), { amount: state.amountPaid, currency: state.currencyPaid });
}

/**
 * R34: records a success that disagrees with its attempt, under the usual locks, instead of
 * booking it: no payment, no refund, the link stays as it was. The attempt turns `needs_review`
 * with the provider's figures beside ours, and the audit says both. The money stays at the
 * provider for staff to sort out (refund it there, or take it at the desk).
 *
 * needs_review ends the attempt like a final state, so it ends the lock too (R13): money-changing
 * edits would otherwise wait on something only a person can settle. No later notification books
 * it (attempt-status: needs_review moves nowhere).
 */
export async function recordNeedsReview(
  uow: UnitOfWork,
  attempt: AttemptRow,
  state: CheckoutState,
  actor: Actor,
  now: Date,
): Promise<void> {
  const { tx } = uow;
  const expected = expectedFigures(attempt);
  const reported = {
    amount: state.amountPaid ?? null,
    currency: state.currencyPaid?.toUpperCase().slice(0, 16) ?? null,
  };
  await attemptsRepo.updateAttempt(tx, attempt.id, {
    status: 'needs_review',
    provider_status: state.rawStatus,
    provider_checkout_id: attempt.provider_checkout_id ?? state.checkoutId,
    provider_payment_id: state.providerPaymentId ?? null,
    provider_amount: reported.amount,
    provider_currency: reported.currency,
    failure: `the provider reported ${describe(reported)}; the attempt was for ${describe(expected)}`.slice(0, 500),
    ended_at: now,
    updated_at: now,
    // nothing left to look for at the provider: the money is there, for staff to handle
    final_check_at: null,
  });
  await recordAudit(tx, {
    companyId: attempt.company_id,
    at: now,
    actor,
    action: 'attempt.needs_review',
    entityType: 'attempt',
    entityId: attempt.id,
    appointmentId: attempt.appointment_id,
    details: {
      amount: expected.amount,
      currency: expected.currency,
      providerAmount: reported.amount,
      providerCurrency: reported.currency,
      provider: attempt.provider,
      providerPaymentId: state.providerPaymentId ?? null,
    },
  });
  await uow.afterCommit({
    companyId: attempt.company_id,
    appointmentId: attempt.appointment_id,
    reason: 'attempt.needs_review',
  });
  if (!(await attemptsRepo.hasOpenAttempt(tx, attempt.appointment_id))) await clearLock(tx, attempt.appointment_id);
}

/** "5 000,00 RUB"-like wording that never throws on a code Intl does not know. */
function describe(figures: { amount: number | null; currency: string | null }): string {
  if (figures.amount === null || figures.currency === null) return 'no amount or currency';
  try {
    return formatMoney(figures.amount, figures.currency);
  } catch {
    return `${figures.amount} minor units of ${figures.currency}`;
  }
}
