import { useState, type FormEvent } from 'react';
import type { AuditFilter } from '../api/endpoints';
import { useFormatMoney } from '../components/money';
import { PagedLoaded } from '../components/paged-list';
import { dynamicKey, useI18n } from '../i18n';
import { Link } from '../lib/router';
import { useResource } from '../lib/use-async';
import { usePagedList } from '../lib/use-paged-list';
import { addDays, formatInstant, isDay, zonedToInstant } from '../lib/zoned-time';
import { companyPath } from '../screens-table';
import { useCompany } from '../session';

const ACTION_GROUPS = [
  '',
  'appointment',
  'item',
  'payment',
  'link',
  'attempt',
  'refund',
  'settings',
  'service',
  'product',
  'client',
  'staff',
  'user',
  'company',
] as const;

interface Draft {
  action: string;
  entityType: string;
  appointmentId: string;
  from: string;
  to: string;
}

const EMPTY: Draft = { action: '', entityType: '', appointmentId: '', from: '', to: '' };

/** The append-only audit log (R27), newest first, filtered by action, entity, appointment and days. */
export function AuditScreen() {
  const { t, locale } = useI18n();
  const { company, api, can } = useCompany();
  const format = useFormatMoney();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [filter, setFilter] = useState<AuditFilter>({});
  const list = usePagedList(filter, (cursor) => api.audit.list({ ...filter, cursor }), [api, filter]);
  const users = useResource(async () => (can('users.manage') ? api.users.list() : []), [api]);
  const nameOf = (id: string | null) => users.data?.find((u) => u.id === id)?.name ?? id ?? '';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFilter({
      action: draft.action || undefined,
      entityType: draft.entityType.trim() || undefined,
      appointmentId: draft.appointmentId.trim() || undefined,
      from: isDay(draft.from) ? zonedToInstant(draft.from, '00:00', company.timezone).toISOString() : undefined,
      to: isDay(draft.to) ? zonedToInstant(addDays(draft.to, 1), '00:00', company.timezone).toISOString() : undefined,
    });
  };
  const set = (changes: Partial<Draft>) => setDraft((d) => ({ ...d, ...changes }));

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
            {ACTION_GROUPS.map((g) => (
              <option key={g} value={g}>
                {g === '' ? t('audit.anyAction') : g}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="au-entity">{t('audit.entityType')}</label>
          <input
            id="au-entity"
            value={draft.entityType}
            onChange={(e) => set({ entityType: e.target.value })}
            placeholder="payment, link…"
          />
        </div>
        <div className="field">
          <label htmlFor="au-appt">{t('audit.appointment')}</label>
          <input
            id="au-appt"
            value={draft.appointmentId}
            onChange={(e) => set({ appointmentId: e.target.value })}
            placeholder="appt_…"
            data-testid="audit-appointment"
          />
        </div>
        <div className="field">
          <label htmlFor="au-from">{t('reports.from')}</label>
          <input id="au-from" type="date" value={draft.from} onChange={(e) => set({ from: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="au-to">{t('reports.to')}</label>
          <input id="au-to" type="date" value={draft.to} onChange={(e) => set({ to: e.target.value })} />
        </div>
        <button type="submit" data-testid="audit-apply">
          {t('common.apply')}
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            setDraft(EMPTY);
            setFilter({});
          }}
        >
          {t('common.reset')}
        </button>
      </form>
      <PagedLoaded list={list} empty={t('audit.empty')}>
        {(items) => (
          <div className="table-scroll">
            <table className="table audit" data-testid="audit">
              <thead>
                <tr>
                  <th scope="col">{t('audit.when')}</th>
                  <th scope="col">{t('audit.who')}</th>
                  <th scope="col">{t('audit.action')}</th>
                  <th scope="col">{t('audit.entity')}</th>
                  <th scope="col" className="num">
                    {t('audit.dueBeforeAfter')}
                  </th>
                  <th scope="col">{t('audit.details')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((e) => (
                  <tr key={e.id} data-testid="audit-entry" data-action={e.action}>
                    <td>{formatInstant(e.at, company.timezone, locale)}</td>
                    <td>
                      {t(dynamicKey('actor', e.actor.type))}
                      {e.actor.type === 'user' && e.actor.id && <small className="muted"> {nameOf(e.actor.id)}</small>}
                    </td>
                    <td>
                      <code>{e.action}</code>
                    </td>
                    <td>
                      {e.entityType} <small className="muted">{e.entityId}</small>
                      {e.appointmentId && (
                        <div>
                          <Link
                            to={`${companyPath(company.id, 'calendar')}?appointment=${encodeURIComponent(e.appointmentId)}`}
                          >
                            {t('audit.openAppointment')}
                          </Link>
                        </div>
                      )}
                    </td>
                    <td className="num">
                      {e.amountBefore !== null || e.amountAfter !== null
                        ? `${e.amountBefore === null ? '—' : format(e.amountBefore)} → ${e.amountAfter === null ? '—' : format(e.amountAfter)}`
                        : ''}
                    </td>
                    <td className="details-cell">
                      {Object.keys(e.details).length > 0 && <code>{JSON.stringify(e.details)}</code>}
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
