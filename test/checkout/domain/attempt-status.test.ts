import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ATTEMPT_STATUSES,
  type AttemptStatus,
  canMove,
  isOpen,
  OPEN_ATTEMPT_STATUSES,
} from '../../../src/modules/checkout/domain/attempt-status.js';

const status = fc.constantFrom(...ATTEMPT_STATUSES);
const ENDED_UNPAID: AttemptStatus[] = ['failed', 'expired', 'canceled'];
const FINAL: AttemptStatus[] = ['succeeded', 'needs_review'];

describe('checkout attempt states', () => {
  it('R10 an attempt is open while it is creating or pending, and only then', () => {
    expect(OPEN_ATTEMPT_STATUSES).toEqual(['creating', 'pending']);
    for (const s of ATTEMPT_STATUSES) expect(isOpen(s), s).toBe(s === 'creating' || s === 'pending');
    expect(isOpen('no such status')).toBe(false);
  });

  it('R10 R11 an open attempt may end in any way; creating may also become pending, but pending never goes back', () => {
    for (const to of [...ENDED_UNPAID, ...FINAL]) {
      expect(canMove('creating', to), `creating → ${to}`).toBe(true);
      expect(canMove('pending', to), `pending → ${to}`).toBe(true);
    }
    expect(canMove('creating', 'pending')).toBe(true);
    expect(canMove('pending', 'creating')).toBe(false);
  });

  it('R11 R14 an attempt that ended unpaid never opens again and never ends another unpaid way', () => {
    for (const from of ENDED_UNPAID)
      for (const to of [...OPEN_ATTEMPT_STATUSES, ...ENDED_UNPAID.filter((s) => s !== from)])
        expect(canMove(from, to), `${from} → ${to}`).toBe(false);
  });

  it('R11 money that arrived always wins: a failed, expired or canceled attempt may still succeed', () => {
    for (const from of ENDED_UNPAID) expect(canMove(from, 'succeeded'), from).toBe(true);
  });

  it('R34 a success with the wrong figures may reach needs_review from every state but succeeded', () => {
    for (const from of ATTEMPT_STATUSES) expect(canMove(from, 'needs_review'), from).toBe(from !== 'succeeded');
  });

  it('R34 succeeded and needs_review are final: no later word of the provider moves them', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FINAL), status, (from, to) => {
        expect(canMove(from, to)).toBe(from === to);
      }),
    );
  });

  it('staying in the same state is always allowed (a repeated notification is a no-op)', () => {
    fc.assert(
      fc.property(status, (s) => {
        expect(canMove(s, s)).toBe(true);
      }),
    );
  });

  it('every walk of allowed moves reaches an end: no state is visited twice, open states only at the start', () => {
    fc.assert(
      fc.property(fc.array(status, { maxLength: 12 }), (targets) => {
        const walk: AttemptStatus[] = ['creating'];
        for (const to of targets) {
          const from = walk[walk.length - 1]!;
          if (to !== from && canMove(from, to)) walk.push(to);
        }
        expect(new Set(walk).size).toBe(walk.length);
        const firstEnded = walk.findIndex((s) => !isOpen(s));
        if (firstEnded >= 0) expect(walk.slice(firstEnded).some(isOpen)).toBe(false);
        expect(walk.length).toBeLessThanOrEqual(4);
      }),
    );
  });
});
