import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { APPOINTMENT_STATUSES, canTransition, transition } from '../../../src/modules/appointments/domain/status.js';
import { DomainError } from '../../../src/shared/errors.js';

const status = fc.constantFrom(...APPOINTMENT_STATUSES);

describe('appointment status changes', () => {
  it('the live statuses reach each other, so a wrong click is undone', () => {
    for (const from of ['booked', 'confirmed'] as const)
      for (const to of ['booked', 'confirmed', 'arrived', 'no_show', 'cancelled'] as const)
        expect(canTransition(from, to), `${from} → ${to}`).toBe(true);
    expect(canTransition('arrived', 'booked')).toBe(true);
    expect(canTransition('no_show', 'arrived')).toBe(true);
  });

  it('an arrived client was served: the visit cannot become a no-show or be cancelled', () => {
    expect(canTransition('arrived', 'no_show')).toBe(false);
    expect(canTransition('arrived', 'cancelled')).toBe(false);
  });

  it('cancelled is final; staying in the same status is always allowed', () => {
    fc.assert(
      fc.property(status, status, (from, to) => {
        if (from === to) expect(canTransition(from, to)).toBe(true);
        else if (from === 'cancelled') expect(canTransition(from, to)).toBe(false);
      }),
    );
  });

  it('transition answers the new status, or refuses with invalid_status_transition and what is allowed', () => {
    expect(transition('booked', 'arrived')).toBe('arrived');
    let refused: unknown;
    try {
      transition('arrived', 'cancelled');
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({
      code: 'invalid_status_transition',
      details: { field: 'status', from: 'arrived', to: 'cancelled', allowed: ['booked', 'confirmed'] },
    });
  });

  it('transition and canTransition agree on every pair', () => {
    fc.assert(
      fc.property(status, status, (from, to) => {
        if (canTransition(from, to)) expect(transition(from, to)).toBe(to);
        else expect(() => transition(from, to)).toThrow(DomainError);
      }),
    );
  });
});
