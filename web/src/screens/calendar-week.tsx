import type { Appointment, StaffMember } from '../api/types';
import { AppointmentCard } from '../components/appointment-card';
import { useI18n } from '../i18n';
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

/** Seven days by staff member: one row per person, one cell per day, appointments in time order. */
export function CalendarWeek({ start, today, staff, appointments, now, onOpen, onDay }: WeekViewProps) {
  const { t, locale } = useI18n();
  const { company } = useCompany();
  const days = Array.from({ length: 7 }, (_, i) => addDays(start, i));
  const byCell = new Map<string, Appointment[]>();
  for (const a of [...appointments].sort((x, y) => x.startsAt.localeCompare(y.startsAt))) {
    const key = `${a.staff.id}|${zonedParts(a.startsAt, company.timezone).day}`;
    byCell.set(key, [...(byCell.get(key) ?? []), a]);
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
