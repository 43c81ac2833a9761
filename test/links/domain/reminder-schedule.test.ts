import { describe, expect, it } from 'vitest';
import {
  DEFAULT_REMINDER_SETTINGS,
  outOfQuietHours,
  reminderTimes,
} from '../../../src/modules/links/domain/reminder-schedule.js';

const BERLIN = 'Europe/Berlin';
const iso = (d: Date) => d.toISOString();
const night = { from: '21:00', to: '09:00' };

describe('R35 reminder times', () => {
  it('R35 quiet hours over midnight move a time to their end, the same night', () => {
    // 22:30 Berlin (CET) → 09:00 next day; 02:00 → 09:00 the same day; 12:00 kept; 21:00 sharp is quiet, 09:00 is not
    expect(iso(outOfQuietHours(new Date('2031-03-12T21:30:00Z'), night, BERLIN))).toBe('2031-03-13T08:00:00.000Z');
    expect(iso(outOfQuietHours(new Date('2031-03-13T01:00:00Z'), night, BERLIN))).toBe('2031-03-13T08:00:00.000Z');
    expect(iso(outOfQuietHours(new Date('2031-03-13T11:00:00Z'), night, BERLIN))).toBe('2031-03-13T11:00:00.000Z');
    expect(iso(outOfQuietHours(new Date('2031-03-13T20:00:00Z'), night, BERLIN))).toBe('2031-03-14T08:00:00.000Z');
    expect(iso(outOfQuietHours(new Date('2031-03-13T08:00:00Z'), night, BERLIN))).toBe('2031-03-13T08:00:00.000Z');
  });

  it('R35 quiet hours within a day, none when both ends are equal, and across a DST change', () => {
    const lunch = { from: '12:00', to: '14:00' };
    expect(iso(outOfQuietHours(new Date('2031-03-13T11:30:00Z'), lunch, BERLIN))).toBe('2031-03-13T13:00:00.000Z');
    expect(iso(outOfQuietHours(new Date('2031-03-13T10:30:00Z'), lunch, BERLIN))).toBe('2031-03-13T10:30:00.000Z');
    expect(iso(outOfQuietHours(new Date('2031-03-13T23:00:00Z'), { from: '00:00', to: '00:00' }, BERLIN))).toBe(
      '2031-03-13T23:00:00.000Z',
    );
    // Berlin moves to CEST on 30 March 2031: 23:00 CET on the 29th waits until 09:00 CEST (07:00 UTC)
    expect(iso(outOfQuietHours(new Date('2031-03-29T22:00:00Z'), night, BERLIN))).toBe('2031-03-30T07:00:00.000Z');
  });

  it('R35 the default plan: 24 h after sending and 3 h before the visit, out of quiet hours, in order', () => {
    const times = reminderTimes(
      { sentAt: new Date('2031-03-12T10:00:00Z'), startsAt: new Date('2031-03-14T09:30:00Z'), timezone: BERLIN },
      DEFAULT_REMINDER_SETTINGS,
    );
    expect(times.map(iso)).toEqual(['2031-03-13T10:00:00.000Z', '2031-03-14T08:00:00.000Z']);
  });

  it('R35 drops times not between the send and the visit, merges equal ones, keeps at most the maximum', () => {
    const input = {
      sentAt: new Date('2031-03-13T10:00:00Z'),
      startsAt: new Date('2031-03-13T12:00:00Z'),
      timezone: BERLIN,
    };
    expect(reminderTimes(input, DEFAULT_REMINDER_SETTINGS)).toEqual([]);
    const many = {
      ...DEFAULT_REMINDER_SETTINGS,
      maxCount: 2,
      offsets: [
        { anchor: 'before_visit' as const, minutes: 60 },
        { anchor: 'after_sending' as const, minutes: 60 },
        { anchor: 'after_sending' as const, minutes: 30 },
        { anchor: 'after_sending' as const, minutes: 600 },
      ],
    };
    expect(reminderTimes(input, many).map(iso)).toEqual(['2031-03-13T10:30:00.000Z', '2031-03-13T11:00:00.000Z']);
  });
});
