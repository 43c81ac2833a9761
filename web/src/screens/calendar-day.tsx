import { useId, useState, type KeyboardEvent, type MouseEvent } from 'react';
import type { Appointment, StaffMember } from '../api/types';
import { AppointmentCard } from '../components/appointment-card';
import { useI18n } from '../i18n';
import { PHONE_QUERY, useMediaQuery } from '../lib/use-media';
import { zonedParts, type Day } from '../lib/zoned-time';
import { useCompany } from '../session';

const PX_PER_MINUTE = 1.2;
const SLOT_MINUTES = 15;

interface DayViewProps {
  day: Day;
  staff: StaffMember[];
  appointments: Appointment[];
  now: Date;
  onOpen: (id: string) => void;
  /** pressing an empty hour (pointer or keyboard) starts a new appointment there */
  onSlot?: (staffId: string, time: string) => void;
}

interface Placed {
  appointment: Appointment;
  top: number;
  minutes: number;
  lane: number;
  /** lanes of the group of appointments this one overlaps with, directly or through others */
  lanes: number;
}

/** Lays a column's appointments out in lanes so that overlapping ones sit side by side. */
function place(appointments: Appointment[], timeZone: string): Placed[] {
  const sorted = appointments
    .map((a) => ({
      appointment: a,
      top: zonedParts(a.startsAt, timeZone).minutes,
      minutes: Math.max(a.durationMinutes, 15),
    }))
    .sort((x, y) => x.top - y.top);
  const placed: Placed[] = [];
  let group: Placed[] = [];
  let laneEnds: number[] = [];
  let groupEnd = -1;
  const closeGroup = () => {
    for (const p of group) p.lanes = laneEnds.length;
    group = [];
    laneEnds = [];
  };
  for (const p of sorted) {
    if (p.top >= groupEnd) closeGroup();
    let lane = laneEnds.findIndex((end) => end <= p.top);
    if (lane === -1) lane = laneEnds.length;
    laneEnds[lane] = p.top + p.minutes;
    groupEnd = Math.max(groupEnd, p.top + p.minutes);
    const item = { ...p, lane, lanes: 1 };
    group.push(item);
    placed.push(item);
  }
  closeGroup();
  return placed;
}

/** ArrowUp and ArrowDown move focus to the hour above or below in the same column. */
function moveBetweenSlots(event: KeyboardEvent<HTMLButtonElement>) {
  const step = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : 0;
  if (step === 0) return;
  const slots = [...(event.currentTarget.parentElement?.querySelectorAll<HTMLButtonElement>('.day-slot') ?? [])];
  const next = slots[slots.indexOf(event.currentTarget) + step];
  if (!next) return;
  event.preventDefault();
  for (const slot of slots) slot.tabIndex = slot === next ? 0 : -1;
  next.focus();
}

export function CalendarDay({ day, staff: everyone, appointments, now, onOpen, onSlot }: DayViewProps) {
  const { t } = useI18n();
  const { company } = useCompany();
  const chooserId = useId();
  // a phone shows one staff member's column at a time, picked above it
  const phone = useMediaQuery(PHONE_QUERY);
  const [pickedId, setPickedId] = useState<string>();
  const picked = everyone.find((s) => s.id === pickedId) ?? everyone[0];
  const staff = phone && picked ? [picked] : everyone;
  const starts = appointments.map((a) => zonedParts(a.startsAt, company.timezone).minutes);
  const ends = appointments.map((a, i) => (starts[i] ?? 0) + a.durationMinutes);
  const firstHour = Math.min(8, ...starts.map((m) => Math.floor(m / 60)));
  const lastHour = Math.min(24, Math.max(21, ...ends.map((m) => Math.ceil(m / 60))));
  const hours = Array.from({ length: lastHour - firstHour }, (_, i) => firstHour + i);
  const height = (lastHour - firstHour) * 60 * PX_PER_MINUTE;
  const nowParts = zonedParts(now, company.timezone);

  /** An hour's empty slot: a pointer picks the quarter under it, Enter or Space the hour's start. */
  const pickSlot = (staffId: string, hour: number) => (event: MouseEvent<HTMLButtonElement>) => {
    if (!onSlot) return;
    const rect = event.currentTarget.getBoundingClientRect();
    const quarter = event.detail === 0 ? 0 : Math.floor((event.clientY - rect.top) / PX_PER_MINUTE / SLOT_MINUTES);
    const minutes = hour * 60 + Math.min(Math.max(quarter, 0), 60 / SLOT_MINUTES - 1) * SLOT_MINUTES;
    onSlot(staffId, `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`);
  };

  return (
    <>
      {phone && everyone.length > 1 && picked && (
        <div className="field day-staff-chooser">
          <label htmlFor={chooserId}>{t('calendar.staff')}</label>
          <select
            id={chooserId}
            value={picked.id}
            onChange={(event) => setPickedId(event.target.value)}
            data-testid="day-staff"
          >
            {everyone.map((s) => {
              const count = appointments.filter((a) => a.staff.id === s.id && a.status !== 'cancelled').length;
              return (
                <option key={s.id} value={s.id}>
                  {t('calendar.staffWithCount', { name: s.name, count })}
                </option>
              );
            })}
          </select>
        </div>
      )}
      <div
        className="day-view"
        data-testid="day-view"
        style={{ gridTemplateColumns: `4rem repeat(${Math.max(staff.length, 1)}, minmax(9rem, 1fr))` }}
      >
        <div className="day-corner" />
        {staff.map((s) => (
          <div key={s.id} className="day-staff" aria-hidden="true">
            {s.name}
          </div>
        ))}
        <div className="day-hours" style={{ height }} aria-hidden="true">
          {hours.map((h) => (
            <span key={h} style={{ top: (h - firstHour) * 60 * PX_PER_MINUTE }}>
              {String(h).padStart(2, '0')}:00
            </span>
          ))}
        </div>
        {staff.map((s) => {
          const placed = place(
            appointments.filter((a) => a.staff.id === s.id),
            company.timezone,
          );
          return (
            <fieldset
              key={s.id}
              className="day-column"
              style={{ height, backgroundSize: `100% ${60 * PX_PER_MINUTE}px` }}
              data-testid="day-column"
              data-staff-id={s.id}
              aria-label={t('calendar.columnOf', { name: s.name })}
            >
              {onSlot &&
                hours.map((h, i) => (
                  <button
                    key={h}
                    type="button"
                    className="day-slot"
                    style={{ top: i * 60 * PX_PER_MINUTE, height: 60 * PX_PER_MINUTE }}
                    // one Tab stop per column; the arrow keys move between its hours
                    tabIndex={i === 0 ? 0 : -1}
                    onKeyDown={moveBetweenSlots}
                    onClick={pickSlot(s.id, h)}
                    aria-label={t('calendar.newAt', { time: `${String(h).padStart(2, '0')}:00` })}
                  />
                ))}
              {nowParts.day === day && nowParts.minutes >= firstHour * 60 && nowParts.minutes <= lastHour * 60 && (
                <div
                  className="now-line"
                  style={{ top: (nowParts.minutes - firstHour * 60) * PX_PER_MINUTE }}
                  aria-hidden="true"
                />
              )}
              {placed.map((p) => (
                <AppointmentCard
                  key={p.appointment.id}
                  appointment={p.appointment}
                  now={now}
                  onOpen={onOpen}
                  style={{
                    top: (p.top - firstHour * 60) * PX_PER_MINUTE,
                    height: Math.max(p.minutes * PX_PER_MINUTE - 2, 22),
                    left: `calc(${(100 / p.lanes) * p.lane}% + 2px)`,
                    width: `calc(${100 / p.lanes}% - 4px)`,
                  }}
                />
              ))}
            </fieldset>
          );
        })}
      </div>
    </>
  );
}
