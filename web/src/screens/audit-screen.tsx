import { useState, type FormEvent } from 'react';
import type { AuditFilter } from '../api/endpoints';
import { ClientPicker, type ClientChoice } from '../components/client-picker';
import { DateInput } from '../components/date-input';
import { useFormatMoney } from '../components/money';
import { PagedLoaded } from '../components/paged-list';
import { dynamicKey, useI18n } from '../i18n';
import { Link } from '../lib/router';
import { auditSentence } from '../lib/audit-sentence';
import { usePagedList } from '../lib/use-paged-list';
import { addDays, formatInstant, isDay, zonedToInstant } from '../lib/zoned-time';
import { companyPath } from '../screens-table';
import { useCompany } from '../session';

const ACTION_GROUPS = [
  'appointment',
  'item',
  'payment',
  'link',
  'attempt',
  'refund',
  'settings',
  'cashless',
  'message_template',
  'service',
  'product',
  'client',
  'staff',
  'user',
  'company',
] as const;

interface Draft {
  action: string;
  client: ClientChoice | undefined;
  from: string;
  to: string;
}

const EMPTY: Draft = { action: '', client: undefined, from: '', to: '' };

/**
 * The append-only audit log (R27), newest first, each entry a sentence in the user's language;
 * filtered by kind of action, client, days (in the company's time zone) and one appointment.
 */
export function AuditScreen() {
  const { t, locale } = useI18n();
  const { company, api } = useCompany();
  const format = useFormatMoney();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [filter, setFilter] = useState<AuditFilter>({});
  // one appointment's entries, chosen from a row; said by its client's name, never its id
  const [only, setOnly] = useState<{ appointmentId: string; clientName: string | null } | undefined>();
  const list = usePagedList(filter, (cursor) => api.audit.list({ ...filter, cursor }), [api, filter]);

  const apply = (next: Draft, appointment = only) =>
    setFilter({
      action: next.action || undefined,
      clientId: next.client?.kind === 'existing' ? next.client.client.id : undefined,
      appointmentId: appointment?.appointmentId,
      from: isDay(next.from) ? zonedToInstant(next.from, '00:00', company.timezone).toISOString() : undefined,
      to: isDay(next.to) ? zonedToInstant(addDays(next.to, 1), '00:00', company.timezone).toISOString() : undefined,
    });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    apply(draft);
  };
  const set = (changes: Partial<Draft>) => setDraft((d) => ({ ...d, ...changes }));
  const showOnly = (appointment: typeof only) => {
    setOnly(appointment);
    apply(draft, appointment);
  };

  return (
    <section className="screen" aria-labelledby="audit-title">
      <h1 id="audit-title">{t('nav.audit')}</h1>
      <form className="toolbar wrap" onSubmit={submit} data-testid="audit-filter">
        <div className="field">
          <label htmlFor="au-action">{t('audit.action')}</label>
          <select
            id="au-action"
            value={draft.action}
            onChange={(e) => set({ action: e.target.value })}
            data-testid="audit-action"
          >
            <option value="">{t('audit.anyAction')}</option>
            {ACTION_GROUPS.map((g) => (
              <option key={g} value={g}>
                {t(dynamicKey('audit.action', g))}
              </option>
            ))}
          </select>
        </div>
        <div className="audit-client" data-testid="audit-client">
          <ClientPicker
            value={draft.client}
            onChange={(client) => set({ client })}
            allowNew={false}
            legend={t('audit.client')}
          />
        </div>
        <div className="field">
          <label htmlFor="au-from">{t('reports.from')}</label>
          <DateInput id="au-from" value={draft.from} onChange={(from) => set({ from })} />
        </div>
        <div className="field">
          <label htmlFor="au-to">{t('reports.to')}</label>
          <DateInput id="au-to" value={draft.to} onChange={(to) => set({ to })} />
        </div>
        <button type="submit" data-testid="audit-apply">
          {t('common.apply')}
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            setDraft(EMPTY);
            setOnly(undefined);
            setFilter({});
          }}
        >
          {t('common.reset')}
        </button>
      </form>
      {only && (
        <p className="muted" data-testid="audit-only-appointment">
          {t('audit.onlyAppointment', { client: only.clientName ?? '—' })}{' '}
          <button type="button" className="link-button" onClick={() => showOnly(undefined)}>
            {t('audit.allAppointments')}
          </button>
        </p>
      )}
      <PagedLoaded list={list} empty={t('audit.empty')}>
        {(items) => (
          <div className="table-scroll">
            <table className="table audit" data-testid="audit">
              <thead>
                <tr>
                  <th scope="col">{t('audit.when')}</th>
                  <th scope="col">{t('audit.what')}</th>
                  <th scope="col" className="num">
                    {t('audit.dueBeforeAfter')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((e) => (
                  <tr key={e.id} data-testid="audit-entry" data-action={e.action}>
                    <td>{formatInstant(e.at, company.timezone, locale)}</td>
                    <td>
                      <span data-testid="audit-sentence">{auditSentence(e, t, format)}</span>
                      {(e.clientName || e.appointmentId) && (
                        <div className="muted small">
                          {e.clientName}
                          {e.appointmentId && (
                            <>
                              {e.clientName && ' · '}
                              <Link
                                to={`${companyPath(company.id, 'calendar')}?appointment=${encodeURIComponent(e.appointmentId)}`}
                              >
                                {t('audit.openAppointment')}
                              </Link>
                              {only?.appointmentId !== e.appointmentId && (
                                <>
                                  {' · '}
                                  <button
                                    type="button"
                                    className="link-button"
                                    onClick={() =>
                                      showOnly({ appointmentId: e.appointmentId!, clientName: e.clientName })
                                    }
                                    data-testid="audit-show-appointment"
                                  >
                                    {t('audit.showAppointment')}
                                  </button>
                                </>
                              )}
                            </>
                          )}
                        </div>
                      )}
                    </td>
                    <td className="num">
                      {e.amountBefore !== null || e.amountAfter !== null
                        ? `${e.amountBefore === null ? '—' : format(e.amountBefore)} → ${e.amountAfter === null ? '—' : format(e.amountAfter)}`
                        : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </PagedLoaded>
    </section>
  );
}
