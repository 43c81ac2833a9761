import type { CSSProperties } from 'react';
import type { Appointment } from '../api/types';
import { dynamicKey, useI18n } from '../i18n';
import { formatTime } from '../lib/zoned-time';
import { useCompany } from '../session';
import { MoneyBadge, moneyStateOf } from './badges';

interface CardProps {
  appointment: Appointment;
  now: Date;
  onOpen: (id: string) => void;
  style?: CSSProperties;
  compact?: boolean;
}

/** One appointment in the calendar, coloured by its status (left edge) and money (badge and fill). */
export function AppointmentCard({ appointment: a, now, onOpen, style, compact }: CardProps) {
  const { t, locale } = useI18n();
  const { company } = useCompany();
  const money = moneyStateOf(a, now);
  const start = formatTime(a.startsAt, company.timezone, locale);
  const end = formatTime(new Date(Date.parse(a.startsAt) + a.durationMinutes * 60_000), company.timezone, locale);
  const titles = a.items.map((i) => i.title).join(', ');
  const status = t(dynamicKey('status', a.status));
  // The name read out is the card's own text (WCAG 2.5.3, label in name), with the parts the
  // compact card hides and the status the left edge shows kept for screen readers.
  return (
    <button
      type="button"
      className={`appt-card status-${a.status} money-${money}${compact ? ' compact' : ''}`}
      style={style}
      onClick={(event) => {
        event.stopPropagation();
        onOpen(a.id);
      }}
      title={`${start}–${end} ${a.client.name}. ${status}, ${t(dynamicKey('money', money))}${titles ? `. ${titles}` : ''}`}
      data-testid="appointment-card"
      data-appointment-id={a.id}
      data-status={a.status}
      data-money={money}
    >
      <span className="appt-time">
        {start}
        {compact ? <span className="visually-hidden">–{end}</span> : `–${end}`}
      </span>{' '}
      <span className="appt-client">{a.client.name}</span>
      <span className="visually-hidden">. {status}.</span>{' '}
      {titles && (
        <>
          <span className={compact ? 'visually-hidden' : 'appt-items'}>{titles}</span>{' '}
        </>
      )}
      <MoneyBadge state={money} />
    </button>
  );
}
