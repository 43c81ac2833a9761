/** A checkout attempt's life (glossary): one provider checkout per Pay that needed a new one. */
export const ATTEMPT_STATUSES = ['creating', 'pending', 'succeeded', 'failed', 'expired', 'canceled'] as const;
export type AttemptStatus = (typeof ATTEMPT_STATUSES)[number];

export const OPEN_ATTEMPT_STATUSES = ['creating', 'pending'] as const satisfies readonly AttemptStatus[];

/**
 * Where each status may go. Money that arrived always wins: a provider may report success for an
 * attempt we already gave up on (late notification, a client who paid in the last second), and
 * that money must be credited (then refunded if it is too much, R18). Succeeded is final.
 */
const NEXT: Record<AttemptStatus, readonly AttemptStatus[]> = {
  creating: ['pending', 'succeeded', 'failed', 'expired', 'canceled'],
  pending: ['succeeded', 'failed', 'expired', 'canceled'],
  failed: ['succeeded'],
  expired: ['succeeded'],
  canceled: ['succeeded'],
  succeeded: [],
};

export function isOpen(status: string): boolean {
  return (OPEN_ATTEMPT_STATUSES as readonly string[]).includes(status);
}

export function canMove(from: AttemptStatus, to: AttemptStatus): boolean {
  return from === to || NEXT[from].includes(to);
}
