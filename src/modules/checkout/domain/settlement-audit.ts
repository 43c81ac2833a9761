import type { CheckoutState } from '../../../providers/port.js';
import type { Actor } from '../../../shared/actor.js';
import type { AuditEntry } from '../../audit/index.js';

/** The attempt as the audit entries of its success name it. */
interface SucceededAttempt {
  id: string;
  company_id: string;
  appointment_id: string;
  link_id: string;
  provider: string;
  status: string;
}

/** The audit entries of a success; the amounts due before and after it are the ledger's (filled in by the statement when not given). */
export function successEntries(
  attempt: SucceededAttempt,
  state: CheckoutState,
  actor: Actor,
  payment: { id: string; amount: number; paid_at: Date },
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
export function linkPaidEntry(
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
