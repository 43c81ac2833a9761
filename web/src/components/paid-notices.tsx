import { useState } from 'react';
import { useI18n } from '../i18n';
import { useCompanyChanges } from '../lib/company-live';
import { Link } from '../lib/router';
import { formatInstant, zonedParts } from '../lib/zoned-time';
import { companyPath } from '../screens-table';
import { useCompany } from '../session';
import { useFormatMoney } from './money';

interface Notice {
  appointmentId: string;
  client: string;
  amount: number;
  startsAt: string;
}

const SHOWN_MS = 15_000;

/**
 * "Anna paid €41.00 by link": a client who pays while no window of theirs is open is noticed at
 * once, wherever the receptionist is in the app. Each notice stays a while, or until dismissed,
 * and opens the appointment.
 */
export function PaidNotices() {
  const { t, locale } = useI18n();
  const { company, api } = useCompany();
  const money = useFormatMoney();
  const [notices, setNotices] = useState<Notice[]>([]);

  const dismiss = (appointmentId: string) => setNotices((all) => all.filter((n) => n.appointmentId !== appointmentId));

  useCompanyChanges((change) => {
    if (change?.reason !== 'attempt.succeeded') return;
    void api.appointments.get(change.appointmentId).then(
      (view) => {
        const paid = view.payments.filter((p) => p.method === 'online' && p.amount > 0 && !p.refundOf);
        const latest = paid[paid.length - 1];
        if (!latest) return;
        const notice = {
          appointmentId: view.id,
          client: view.client.name,
          amount: latest.amount,
          startsAt: view.startsAt,
        };
        setNotices((all) => [...all.filter((n) => n.appointmentId !== view.id), notice]);
        setTimeout(() => dismiss(view.id), SHOWN_MS);
      },
      () => undefined, // removed meanwhile or no longer ours to read: nothing to tell
    );
  });

  if (notices.length === 0) return null;
  return (
    <div className="notices" role="status" aria-live="polite" data-testid="paid-notices">
      {notices.map((n) => {
        const day = zonedParts(n.startsAt, company.timezone).day;
        const to = `${companyPath(company.id, 'calendar')}?date=${day}&appointment=${encodeURIComponent(n.appointmentId)}`;
        return (
          <div className="notice" key={n.appointmentId} data-testid="paid-notice">
            <span>
              {t('notice.paid', { client: n.client, amount: money(n.amount) })}{' '}
              <span className="muted small notice-when">{formatInstant(n.startsAt, company.timezone, locale)}</span>
            </span>
            <Link to={to} onClick={() => dismiss(n.appointmentId)}>
              {t('notice.open')}
            </Link>
            <button
              type="button"
              className="link"
              aria-label={t('notice.dismiss')}
              onClick={() => dismiss(n.appointmentId)}
            >
              ×
            </button>
          </div>
        );
      })}
    </div>
  );
}
