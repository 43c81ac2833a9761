/**
 * A checkout attempt's life (glossary): one provider checkout per Pay that needed a new one.
 * `needs_review` (R34): the provider reported a success whose currency or amount is not what the
 * attempt asked for; nothing was booked and staff sort the money out at the provider.
 */
export const ATTEMPT_STATUSES = [
  'creating',
  'pending',
  'succeeded',
  'failed',
  'expired',
  'canceled',
  'needs_review',
] as const;
export type AttemptStatus = (typeof ATTEMPT_STATUSES)[number];

export const OPEN_ATTEMPT_STATUSES = ['creating', 'pending'] as const satisfies readonly AttemptStatus[];

/**
 * Where each status may go. Money that arrived always wins: a provider may report success for an
 * attempt we already gave up on (late notification, a client who paid in the last second), and
 * that money must be credited (then refunded if it is too much, R18) — unless its figures are not
 * the attempt's (R34). Succeeded and needs_review are final.
 */
const NEXT: Record<AttemptStatus, readonly AttemptStatus[]> = {
  creating: ['pending', 'succeeded', 'failed', 'expired', 'canceled', 'needs_review'],
  pending: ['succeeded', 'failed', 'expired', 'canceled', 'needs_review'],
  failed: ['succeeded', 'needs_review'],
  expired: ['succeeded', 'needs_review'],
  canceled: ['succeeded', 'needs_review'],
  succeeded: [],
  // Final like succeeded: no later word of the provider books it or ends it otherwise (R34).
  needs_review: [],
};

export function isOpen(status: string): boolean {
  return (OPEN_ATTEMPT_STATUSES as readonly string[]).includes(status);
}

export function canMove(from: AttemptStatus, to: AttemptStatus): boolean {
  return from === to || NEXT[from].includes(to);
}
