import { addDays, localDate, zonedInstant, zoneOffsetMinutes } from '../../../shared/zoned-time.js';

/** R35: when a reminder goes out, counted from the send or back from the visit. */
export const REMINDER_ANCHORS = ['after_sending', 'before_visit'] as const;
export type ReminderAnchor = (typeof REMINDER_ANCHORS)[number];

export interface ReminderOffset {
  anchor: ReminderAnchor;
  minutes: number;
}

/** A company's R35 setting. */
export interface ReminderSettings {
  enabled: boolean;
  offsets: ReminderOffset[];
  maxCount: number;
  /** quiet hours in the company's zone, `HH:MM`; equal times mean none */
  quietHours: { from: string; to: string };
}

/** Off until the company turns it on (R35); the rest is what it gets when it does. */
export const DEFAULT_REMINDER_SETTINGS: ReminderSettings = {
  enabled: false,
  offsets: [
    { anchor: 'after_sending', minutes: 24 * 60 },
    { anchor: 'before_visit', minutes: 3 * 60 },
  ],
  maxCount: 2,
  quietHours: { from: '21:00', to: '09:00' },
};

export const MAX_REMINDERS = 10;

const minutesOf = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
};

/** Minutes since local midnight of an instant in a zone. */
function localMinutes(instant: Date, timeZone: string): number {
  const utcMinutes = Math.floor(instant.getTime() / 60_000) + zoneOffsetMinutes(instant, timeZone);
  return ((utcMinutes % 1440) + 1440) % 1440;
}

/**
 * The instant moved out of quiet hours: a time inside them becomes their end (the same night's
 * morning) in the company's zone; a time outside is kept. Quiet hours may run over midnight
 * (21:00–09:00) or not (12:00–14:00).
 */
export function outOfQuietHours(at: Date, quiet: { from: string; to: string }, timeZone: string): Date {
  const from = minutesOf(quiet.from);
  const to = minutesOf(quiet.to);
  if (from === to) return at;
  const local = localMinutes(at, timeZone);
  const overMidnight = from > to;
  const inside = overMidnight ? local >= from || local < to : local >= from && local < to;
  if (!inside) return at;
  // The end of quiet hours: today's when it is still ahead on the wall clock, else tomorrow's.
  const today = localDate(at, timeZone);
  const day = local < to ? today : addDays(today, 1);
  return zonedInstant(day, Math.floor(to / 60), to % 60, timeZone);
}

/**
 * The reminders of one send (R35): each offset from the send or back from the visit, moved out of
 * quiet hours; those not after the send or not before the visit dropped; in time order, at most
 * `maxCount`, one per instant.
 */
export function reminderTimes(
  input: { sentAt: Date; startsAt: Date; timezone: string },
  settings: Pick<ReminderSettings, 'offsets' | 'maxCount' | 'quietHours'>,
): Date[] {
  const sent = input.sentAt.getTime();
  const visit = input.startsAt.getTime();
  const times = settings.offsets
    .map((o) => new Date(o.anchor === 'after_sending' ? sent + o.minutes * 60_000 : visit - o.minutes * 60_000))
    .map((at) => outOfQuietHours(at, settings.quietHours, input.timezone).getTime())
    .filter((at) => at > sent && at < visit)
    .sort((a, b) => a - b);
  return [...new Set(times)].slice(0, settings.maxCount).map((at) => new Date(at));
}

/** A later try (an attempt was pending, a quota was used up) is moved out of quiet hours too. */
export function postponed(until: Date, quiet: { from: string; to: string }, timeZone: string): Date {
  return outOfQuietHours(until, quiet, timeZone);
}
