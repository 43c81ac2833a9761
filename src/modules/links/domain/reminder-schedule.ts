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

/** What a planned reminder's time counts from, as its row keeps it: the send or the visit. */
export type ReminderRowAnchor = 'sent' | 'visit';

/** A planned reminder: when, and what its time counts from (kept so a moved visit moves it). */
export interface PlannedReminder {
  at: Date;
  anchor: ReminderRowAnchor;
  minutes: number;
}

/** When a reminder is due: its offset from the send or back from the (current) visit, out of quiet hours. */
export function reminderDueAt(
  reminder: { anchor: ReminderRowAnchor; minutes: number },
  input: { sentAt: Date; startsAt: Date; timezone: string },
  quiet: { from: string; to: string },
): Date {
  const at =
    reminder.anchor === 'sent'
      ? input.sentAt.getTime() + reminder.minutes * 60_000
      : input.startsAt.getTime() - reminder.minutes * 60_000;
  return outOfQuietHours(new Date(at), quiet, input.timezone);
}

/**
 * The reminders of one send (R35): each offset from the send or back from the visit, moved out of
 * quiet hours; those not after the send or not before the visit dropped; in time order, at most
 * `maxCount`, one per instant.
 */
export function plannedReminders(
  input: { sentAt: Date; startsAt: Date; timezone: string },
  settings: Pick<ReminderSettings, 'offsets' | 'maxCount' | 'quietHours'>,
): PlannedReminder[] {
  const sent = input.sentAt.getTime();
  const visit = input.startsAt.getTime();
  const seen = new Set<number>();
  return settings.offsets
    .map((o) => {
      const anchor: ReminderRowAnchor = o.anchor === 'after_sending' ? 'sent' : 'visit';
      return {
        anchor,
        minutes: o.minutes,
        at: reminderDueAt({ anchor, minutes: o.minutes }, input, settings.quietHours),
      };
    })
    .filter((r) => r.at.getTime() > sent && r.at.getTime() < visit)
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .filter((r) => !seen.has(r.at.getTime()) && seen.add(r.at.getTime()))
    .slice(0, settings.maxCount);
}

/** The times of `plannedReminders`. */
export function reminderTimes(
  input: { sentAt: Date; startsAt: Date; timezone: string },
  settings: Pick<ReminderSettings, 'offsets' | 'maxCount' | 'quietHours'>,
): Date[] {
  return plannedReminders(input, settings).map((r) => r.at);
}

/** A later try (an attempt was pending, a quota was used up) is moved out of quiet hours too. */
export function postponed(until: Date, quiet: { from: string; to: string }, timeZone: string): Date {
  return outOfQuietHours(until, quiet, timeZone);
}
