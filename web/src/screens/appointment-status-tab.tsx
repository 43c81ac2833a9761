import { useState } from 'react';
import { NEXT_STATUSES, type AppointmentStatus } from '../api/types';
import { MoneyBadge, moneyStateOf, StatusBadge } from '../components/badges';
import { ErrorNote } from '../components/error-note';
import { PaymentLinkPanel } from '../components/payment-link-panel';
import { dynamicKey, useI18n } from '../i18n';
import { useAction } from '../lib/use-async';
import { useCompany } from '../session';
import type { TabProps } from './appointment-window';

/** Status: the visit's status and where its money and its link stand, live (R29). */
export function StatusTab({ view, locked, reload, onDeleted }: TabProps & { onDeleted: () => void }) {
  const { t } = useI18n();
  const { api, can } = useCompany();
  const action = useAction();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const next = NEXT_STATUSES[view.status];

  const change = async (status: AppointmentStatus) => {
    if (await action.run(() => api.appointments.update(view.id, { status }))) reload();
  };
  const remove = async () => {
    setConfirmDelete(false);
    const done = await action.run(async () => {
      await api.appointments.remove(view.id);
      return true;
    });
    if (done) onDeleted();
  };

  return (
    <div className="tab-grid">
      <div className="stack">
        <section aria-labelledby="status-title">
          <h3 id="status-title">{t('statusTab.visit')}</h3>
          <p data-testid="current-status">
            <StatusBadge status={view.status} /> <MoneyBadge state={moneyStateOf(view, new Date())} />
          </p>
          {can('appointments.write') && next.length > 0 && (
            <fieldset className="plain actions" aria-label={t('statusTab.changeTo')}>
              {next.map((status) => (
                <button
                  key={status}
                  type="button"
                  className={status === 'cancelled' ? 'danger' : 'secondary'}
                  // cancelling changes the money, so the lock holds it back (R13)
                  disabled={action.pending || (status === 'cancelled' && locked)}
                  onClick={() => void change(status)}
                  data-testid={`status-${status}`}
                >
                  {t(dynamicKey('statusTab.to', status))}
                </button>
              ))}
            </fieldset>
          )}
          {view.status === 'cancelled' && <p className="muted">{t('statusTab.cancelledFinal')}</p>}
          <ErrorNote error={action.error} testId="status-error" />
        </section>
        {can('appointments.write') && (
          <section aria-labelledby="delete-title" className="danger-zone">
            <h3 id="delete-title">{t('statusTab.delete')}</h3>
            <p className="muted small">{t('statusTab.deleteHint')}</p>
            {!confirmDelete ? (
              <button
                type="button"
                className="danger"
                disabled={locked || action.pending}
                onClick={() => setConfirmDelete(true)}
                data-testid="delete-appointment"
              >
                {t('statusTab.delete')}
              </button>
            ) : (
              <span className="confirm">
                {t('statusTab.deleteConfirm')}{' '}
                <button
                  type="button"
                  className="danger"
                  onClick={() => void remove()}
                  data-testid="delete-appointment-confirm"
                >
                  {t('statusTab.deleteYes')}
                </button>{' '}
                <button type="button" className="secondary" onClick={() => setConfirmDelete(false)}>
                  {t('common.cancel')}
                </button>
              </span>
            )}
          </section>
        )}
      </div>
      <PaymentLinkPanel view={view} locked={locked} reload={reload} variant="full" />
    </div>
  );
}
