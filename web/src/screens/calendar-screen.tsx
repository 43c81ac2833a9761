import { useEffect, useState } from 'react';
import { Loaded, Empty } from '../components/states';
import { MoneyBadge } from '../components/badges';
import { DateInput } from '../components/date-input';
import { useI18n } from '../i18n';
import { navigate, useLocation, withSearch } from '../lib/router';
import { useCompanyChanges } from '../lib/company-live';
import { useNow, useResource } from '../lib/use-async';
import { addDays, formatDay, isDay, todayIn, weekStart, type Day } from '../lib/zoned-time';
import { useCompany } from '../session';
import { AppointmentWindow } from './appointment-window';
import { CalendarDay } from './calendar-day';
import { CalendarWeek } from './calendar-week';
import { NewAppointmentDialog, type NewAppointmentPrefill } from './new-appointment-dialog';

type View = 'day' | 'week';

/** The receptionist's home: a day (columns by staff) or a week (rows by staff) of appointments. */
export function CalendarScreen() {
  const { t, locale } = useI18n();
  const { company, api, can } = useCompany();
  const location = useLocation();
  const now = useNow(30_000);
  const today = todayIn(company.timezone);
  const dateParam = location.search.get('date');
  const day: Day = isDay(dateParam) ? dateParam : today;
  const view: View = location.search.get('view') === 'week' ? 'week' : 'day';
  const openId = location.search.get('appointment') ?? undefined;
  const [creating, setCreating] = useState<NewAppointmentPrefill>();

  const from = view === 'week' ? weekStart(day) : day;
  const to = view === 'week' ? addDays(from, 6) : day;
  const staff = useResource(() => api.staff.list(), [api]);
  const appointments = useResource(() => api.appointments.list(from, to), [api, from, to]);

  // R29: a card changes the moment its money or link does (a client paying, a colleague's desk payment).
  useCompanyChanges(() => appointments.reload());

  // The desk works all day in this screen: pick up changes made elsewhere (bookings the stream does not carry).
  useEffect(() => {
    const refresh = () => {
      if (document.visibilityState === 'visible') appointments.reload();
    };
    const timer = setInterval(refresh, 60_000);
    window.addEventListener('focus', refresh);
    return () => {
      clearInterval(timer);
      window.removeEventListener('focus', refresh);
    };
  }, [appointments.reload]);

  const go = (changes: Record<string, string | undefined>) => navigate(withSearch(location, changes));
  const step = view === 'week' ? 7 : 1;
  const open = (id: string) => go({ appointment: id });
  const heading =
    view === 'week' ? `${formatDay(from, locale)} – ${formatDay(to, locale)}` : formatDay(day, locale, 'long');

  return (
    <section className="screen calendar" aria-labelledby="calendar-title">
      <div className="toolbar">
        <h1 id="calendar-title">{heading}</h1>
        <fieldset className="plain toolbar-group" aria-label={t('calendar.navigation')}>
          <button
            type="button"
            onClick={() => go({ date: addDays(day, -step) })}
            aria-label={t(view === 'week' ? 'calendar.previousWeek' : 'calendar.previousDay')}
            data-testid="calendar-prev"
          >
            ‹
          </button>
          <button
            type="button"
            onClick={() => go({ date: undefined })}
            disabled={day === today}
            data-testid="calendar-today"
          >
            {t('calendar.today')}
          </button>
          <button
            type="button"
            onClick={() => go({ date: addDays(day, step) })}
            aria-label={t(view === 'week' ? 'calendar.nextWeek' : 'calendar.nextDay')}
            data-testid="calendar-next"
          >
            ›
          </button>
          <span className="inline-field">
            <label htmlFor="calendar-date" className="visually-hidden">
              {t('calendar.date')}
            </label>
            <DateInput
              id="calendar-date"
              value={day}
              onChange={(date) => isDay(date) && go({ date })}
              data-testid="calendar-date"
            />
          </span>
        </fieldset>
        <fieldset className="plain toolbar-group segmented" aria-label={t('calendar.view')}>
          <button
            type="button"
            aria-pressed={view === 'day'}
            onClick={() => go({ view: undefined })}
            data-testid="view-day"
          >
            {t('calendar.day')}
          </button>
          <button
            type="button"
            aria-pressed={view === 'week'}
            onClick={() => go({ view: 'week' })}
            data-testid="view-week"
          >
            {t('calendar.week')}
          </button>
        </fieldset>
        <span className="spacer" />
        {appointments.loading && appointments.data && <span className="muted small">{t('common.refreshing')}</span>}
        {can('appointments.write') && (
          <button type="button" className="primary" onClick={() => setCreating({ day })} data-testid="new-appointment">
            {t('calendar.newAppointment')}
          </button>
        )}
      </div>
      <Legend />
      <Loaded
        data={staff.data && appointments.data ? { staff: staff.data, list: appointments.data } : undefined}
        error={staff.error ?? appointments.error}
        reload={() => {
          staff.reload();
          appointments.reload();
        }}
      >
        {({ staff: people, list }) =>
          people.length === 0 ? (
            <Empty>{t('calendar.noStaff')}</Empty>
          ) : (
            <>
              {list.length === 0 && <Empty>{t(view === 'week' ? 'calendar.emptyWeek' : 'calendar.emptyDay')}</Empty>}
              {view === 'day' ? (
                <CalendarDay
                  day={day}
                  staff={people}
                  appointments={list}
                  now={now}
                  onOpen={open}
                  onSlot={
                    can('appointments.write') ? (staffId, time) => setCreating({ day, staffId, time }) : undefined
                  }
                />
              ) : (
                <CalendarWeek
                  start={from}
                  today={today}
                  staff={people}
                  appointments={list}
                  now={now}
                  onOpen={open}
                  onDay={(d) => go({ date: d, view: undefined })}
                />
              )}
            </>
          )
        }
      </Loaded>
      {openId && (
        <AppointmentWindow
          key={openId}
          appointmentId={openId}
          onClose={() => {
            go({ appointment: undefined });
            appointments.reload();
          }}
        />
      )}
      {creating && staff.data && (
        <NewAppointmentDialog
          prefill={creating}
          staff={staff.data}
          onClose={() => setCreating(undefined)}
          onCreated={(id, startsDay) => {
            setCreating(undefined);
            appointments.reload();
            go({ appointment: id, date: startsDay === today ? undefined : startsDay });
          }}
        />
      )}
    </section>
  );
}

function Legend() {
  const { t } = useI18n();
  return (
    <details className="legend">
      <summary>{t('calendar.legend')}</summary>
      <div className="legend-body">
        <span className="legend-title">{t('calendar.legendMoney')}</span>
        {(['unpaid', 'partially_paid', 'paid', 'paying_now'] as const).map((s) => (
          <MoneyBadge key={s} state={s} />
        ))}
        <span className="legend-title">{t('calendar.legendStatus')}</span>
        {(['booked', 'confirmed', 'arrived', 'no_show', 'cancelled'] as const).map((s) => (
          <span key={s} className={`legend-status status-${s}`}>
            {t(`status.${s}`)}
          </span>
        ))}
      </div>
    </details>
  );
}
