import { amountToCharge, linkIsSettled } from './charge.js';

/** Why a link cannot be paid right now; each has its own page text. */
export type Unavailable = 'switched_off' | 'disabled' | 'cancelled' | 'nothing_due';

export type LinkAvailability =
  | { kind: 'paid' }
  | { kind: 'unavailable'; reason: Unavailable }
  /** what pressing Pay charges now (R9), always more than zero */
  | { kind: 'payable'; amount: number };

/** What decides whether a link can be paid, as one reading of the ledger sees it. */
export interface LinkFacts {
  link: {
    status: string;
    /** the link's fixed amount, or null for "whatever is due" */
    amount: number | null;
    /** the link's own payments net of refunds */
    collected: number;
  };
  appointment: {
    cancelled: boolean;
    deleted: boolean;
    /** total − paid; negative when overpaid */
    due: number;
  };
  /** R1: a provider is connected, offered under this configuration, and pay-by-link is switched on */
  payByLink: boolean;
}

/**
 * Whether a link can be paid now, and for how much: the one answer the link page shows and Pay
 * acts on, asked in this order —
 * 1. paid (R12): marked paid, or active and settled by money it collected itself;
 * 2. disabled: staff switched the link off (or it is otherwise not active);
 * 3. switched_off (R1): no usable provider, or pay-by-link is off;
 * 4. cancelled (R3): the appointment was cancelled or deleted;
 * 5. nothing_due (R3, R9): nothing left to charge (paid at the desk, say);
 * 6. payable for amountToCharge (R9).
 */
export function linkAvailability(facts: LinkFacts): LinkAvailability {
  const { link, appointment } = facts;
  const money = { due: appointment.due, linkAmount: link.amount, collected: link.collected };
  if (link.status === 'paid' || (link.status === 'active' && linkIsSettled(money) && link.collected > 0))
    return { kind: 'paid' };
  if (link.status !== 'active') return { kind: 'unavailable', reason: 'disabled' };
  if (!facts.payByLink) return { kind: 'unavailable', reason: 'switched_off' };
  if (appointment.cancelled || appointment.deleted) return { kind: 'unavailable', reason: 'cancelled' };
  const amount = amountToCharge(money);
  if (amount <= 0) return { kind: 'unavailable', reason: 'nothing_due' };
  return { kind: 'payable', amount };
}
