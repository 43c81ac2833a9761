import type { Appointment, StaffMember } from '../api/types';
import { AppointmentCard } from '../components/appointment-card';
import { useI18n } from '../i18n';
import { PHONE_QUERY, useMediaQuery } from '../lib/use-media';
import { addDays, formatDay, zonedParts, type Day } from '../lib/zoned-time';
import { useCompany } from '../session';

interface WeekViewProps {
  start: Day;
  today: Day;
  staff: StaffMember[];
  appointments: Appointment[];
  now: Date;
  onOpen: (id: string) => void;
  onDay: (day: Day) => void;
}

/**
 * Seven days by staff member: one row per person, one cell per day, appointments in time order.
 * A phone lists the days one under another instead, each with its staff members' appointments.
 */
export function CalendarWeek({ start, today, staff, appointments, now, onOpen, onDay }: WeekViewProps) {
  const { t, locale } = useI18n();
  const { company } = useCompany();
  const phone = useMediaQuery(PHONE_QUERY);
  const days = Array.from({ length: 7 }, (_, i) => addDays(start, i));
  const byCell = new Map<string, Appointment[]>();
  for (const a of [...appointments].sort((x, y) => x.startsAt.localeCompare(y.startsAt))) {
    const key = `${a.staff.id}|${zonedParts(a.startsAt, company.timezone).day}`;
    byCell.set(key, [...(byCell.get(key) ?? []), a]);
  }
  if (phone) {
    return (
      <ol className="week-list" data-testid="week-view" aria-label={t('calendar.week')}>
        {days.map((day) => {
          const busy = staff.filter((s) => byCell.has(`${s.id}|${day}`));
          return (
            <li key={day} className={day === today ? 'week-list-day today' : 'week-list-day'}>
              <h2>
                <button type="button" className="link-button" onClick={() => onDay(day)} data-testid="week-day">
                  {formatDay(day, locale)}
                </button>
              </h2>
              {busy.length === 0 ? (
                <p className="muted small">{t('calendar.emptyDay')}</p>
              ) : (
                busy.map((s) => (
                  <section key={s.id} className="week-list-staff" aria-label={s.name}>
                    <h3>{s.name}</h3>
                    {(byCell.get(`${s.id}|${day}`) ?? []).map((a) => (
                      <AppointmentCard key={a.id} appointment={a} now={now} onOpen={onOpen} compact />
                    ))}
                  </section>
                ))
              )}
            </li>
          );
        })}
      </ol>
    );
  }
  return (
    <div className="week-scroll">
      <table className="week-view" data-testid="week-view">
        <caption className="visually-hidden">{t('calendar.week')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('calendar.staff')}</th>
            {days.map((day) => (
              <th key={day} scope="col" className={day === today ? 'today' : undefined}>
                <button type="button" className="link-button" onClick={() => onDay(day)} data-testid="week-day">
                  {formatDay(day, locale)}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {staff.map((s) => (
            <tr key={s.id}>
              <th scope="row">{s.name}</th>
              {days.map((day) => (
                <td key={day} className={day === today ? 'today' : undefined}>
                  {(byCell.get(`${s.id}|${day}`) ?? []).map((a) => (
                    <AppointmentCard key={a.id} appointment={a} now={now} onOpen={onOpen} compact />
                  ))}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
