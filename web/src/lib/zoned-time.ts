/**
 * Dates and times in the company's time zone. The API speaks UTC instants; the calendar and every
 * "day" (appointment date, report day) are the company's, whatever the browser's zone is.
 */

export type Day = string; // YYYY-MM-DD

const partFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = partFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partFormatters.set(timeZone, f);
  }
  return f;
}

export interface ZonedParts {
  day: Day;
  /** HH:MM */
  time: string;
  /** minutes since the zone's midnight */
  minutes: number;
}

function numericParts(instant: Date, timeZone: string) {
  const parts: Record<string, number> = {};
  for (const p of partsFormatter(timeZone).formatToParts(instant)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    y: parts.year ?? 1970,
    mo: parts.month ?? 1,
    d: parts.day ?? 1,
    h: (parts.hour ?? 0) % 24,
    mi: parts.minute ?? 0,
    s: parts.second ?? 0,
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

export function zonedParts(instant: Date | string, timeZone: string): ZonedParts {
  const p = numericParts(new Date(instant), timeZone);
  return { day: `${p.y}-${pad(p.mo)}-${pad(p.d)}`, time: `${pad(p.h)}:${pad(p.mi)}`, minutes: p.h * 60 + p.mi };
}

function offsetMs(instant: number, timeZone: string): number {
  const p = numericParts(new Date(instant), timeZone);
  return Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s) - Math.floor(instant / 1000) * 1000;
}

/** The instant of a wall-clock time (day + HH:MM) in the zone; a time skipped by DST moves forward. */
export function zonedToInstant(day: Day, time: string, timeZone: string): Date {
  const [y, mo, d] = day.split('-').map(Number) as [number, number, number];
  const [h, mi] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  let instant = wall - offsetMs(wall, timeZone);
  instant = wall - offsetMs(instant, timeZone);
  return new Date(instant);
}

export function todayIn(timeZone: string): Day {
  return zonedParts(new Date(), timeZone).day;
}

export function addDays(day: Day, count: number): Day {
  const [y, mo, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, mo - 1, d + count)).toISOString().slice(0, 10);
}

/** Monday of the day's week. */
export function weekStart(day: Day): Day {
  const [y, mo, d] = day.split('-').map(Number) as [number, number, number];
  const weekday = (new Date(Date.UTC(y, mo - 1, d)).getUTCDay() + 6) % 7;
  return addDays(day, -weekday);
}

export function isDay(value: string | null | undefined): value is Day {
  return !!value && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
}

/** A day shown in the UI's language, e.g. "Tue, 14 May". The day is a calendar date, so UTC formats it. */
export function formatDay(day: Day, locale: string, style: 'short' | 'long' = 'short'): string {
  const options: Intl.DateTimeFormatOptions =
    style === 'short'
      ? { weekday: 'short', day: 'numeric', month: 'short' }
      : { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' };
  return new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
}

/** An instant as date and time in the company's zone, in the UI's language. */
export function formatInstant(instant: string | Date, timeZone: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(instant),
  );
}

export function formatTime(instant: string | Date, timeZone: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit' }).format(new Date(instant));
}
