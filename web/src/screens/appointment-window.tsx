import { useEffect, useState } from 'react';
import type { AppointmentView } from '../api/types';
import { MoneyBadge, moneyStateOf, StatusBadge } from '../components/badges';
import { Dialog } from '../components/dialog';
import { ErrorNote } from '../components/error-note';
import { Money } from '../components/money';
import { Loaded } from '../components/states';
import { Tabs } from '../components/tabs';
import { useI18n } from '../i18n';
import { useAction, useNow, useResource } from '../lib/use-async';
import { useLiveUpdates } from '../lib/use-live';
import { formatInstant, formatTime } from '../lib/zoned-time';
import { useCompany } from '../session';
import { CheckoutTab } from './appointment-checkout-tab';
import { DetailsTab } from './appointment-details-tab';
import { StatusTab } from './appointment-status-tab';

type TabKey = 'details' | 'checkout' | 'status';

/** What every tab of the window gets: the appointment as last read, and a way to read it again. */
export interface TabProps {
  view: AppointmentView;
  locked: boolean;
  reload: () => void;
}

/**
 * The appointment window: Details, Checkout and Status. It follows the appointment's event stream,
 * so the link's state and attempts (R29) and the lock (R13) update without reloading.
 */
export function AppointmentWindow({ appointmentId, onClose }: { appointmentId: string; onClose: () => void }) {
  const { t, locale } = useI18n();
  const { company, api } = useCompany();
  const [tab, setTab] = useState<TabKey>('details');
  const resource = useResource(() => api.appointments.get(appointmentId), [api, appointmentId]);
  const live = useLiveUpdates(api.appointments.eventsUrl(appointmentId), resource.reload);
  const now = useNow(5_000);
  const view = resource.data;
  const locked = !!view?.lockedUntil && Date.parse(view.lockedUntil) > now.getTime();

  // The lock lapses by time alone, with no event: read the appointment again when it should end.
  useEffect(() => {
    if (!view?.lockedUntil) return;
    const wait = Date.parse(view.lockedUntil) - Date.now() + 1_000;
    if (wait <= 0) return;
    const timer = setTimeout(resource.reload, Math.min(wait, 2_147_000_000));
    return () => clearTimeout(timer);
  }, [view?.lockedUntil, resource.reload]);

  const title = view
    ? `${view.client.name} — ${formatInstant(view.startsAt, company.timezone, locale)}`
    : t('appointment.window');

  return (
    <Dialog title={title} onClose={onClose} testId="appointment-window" wide>
      <Loaded data={view} error={resource.error} reload={resource.reload}>
        {(v) => (
          <div className="appointment" data-appointment-id={v.id} data-locked={locked || undefined}>
            <div className="summary-strip" data-testid="appointment-summary">
              <StatusBadge status={v.status} />
              <MoneyBadge state={moneyStateOf(v, now)} />
              <span>
                {t('money.total')}: <Money amount={v.total} testId="total" />
              </span>
              <span>
                {t('money.paidAmount')}: <Money amount={v.paid} testId="paid" />
              </span>
              <span className="due">
                {t('money.due')}: <Money amount={v.due} testId="due" />
              </span>
              <span
                className={`live-state live-${live}`}
                data-testid="live-state"
                data-state={live}
                title={t(`live.${live}Hint`)}
              >
                {t(`live.${live}`)}
              </span>
            </div>
            {locked && v.lockedUntil && (
              <LockBanner
                view={v}
                until={formatTime(v.lockedUntil, company.timezone, locale)}
                reload={resource.reload}
              />
            )}
            <Tabs
              label={t('appointment.window')}
              active={tab}
              onChange={setTab}
              tabs={[
                { key: 'details', label: t('appointment.tabDetails') },
                { key: 'checkout', label: t('appointment.tabCheckout') },
                { key: 'status', label: t('appointment.tabStatus') },
              ]}
            >
              {tab === 'details' && <DetailsTab view={v} locked={locked} reload={resource.reload} />}
              {tab === 'checkout' && <CheckoutTab view={v} locked={locked} reload={resource.reload} />}
              {tab === 'status' && <StatusTab view={v} locked={locked} reload={resource.reload} onDeleted={onClose} />}
            </Tabs>
          </div>
        )}
      </Loaded>
    </Dialog>
  );
}

/** R13: while the client pays by link the money is frozen; staff with cashless_payment may end that. */
function LockBanner({ view, until, reload }: { view: AppointmentView; until: string; reload: () => void }) {
  const { t } = useI18n();
  const { api, can } = useCompany();
  const action = useAction();
  const cancel = async () => {
    const done = await action.run(() => api.links.cancelAttempt(view.id));
    if (done) reload();
  };
  return (
    <div className="lock-banner" role="status" data-testid="lock-banner">
      <span>{t('lock.message', { time: until })}</span>
      {can('cashless_payment') && (
        <button
          type="button"
          className="danger"
          onClick={() => void cancel()}
          disabled={action.pending}
          data-testid="cancel-online-payment"
        >
          {t('lock.cancel')}
        </button>
      )}
      <ErrorNote error={action.error} />
    </div>
  );
}
