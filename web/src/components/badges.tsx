import type { AppointmentStatus, PaymentStatus } from '../api/types';
import { dynamicKey, useI18n } from '../i18n';

/** What the calendar colours by: the visit's status and where its money stands. */
export type MoneyState = PaymentStatus | 'paying_now';

export function moneyStateOf(a: { paymentStatus: PaymentStatus; lockedUntil: string | null }, now: Date): MoneyState {
  return a.lockedUntil && Date.parse(a.lockedUntil) > now.getTime() ? 'paying_now' : a.paymentStatus;
}

export function StatusBadge({ status }: { status: AppointmentStatus }) {
  const { t } = useI18n();
  return <span className={`badge status-${status}`}>{t(dynamicKey('status', status))}</span>;
}

export function MoneyBadge({ state }: { state: MoneyState }) {
  const { t } = useI18n();
  return (
    <span className={`badge money-${state}`} data-testid="money-badge" data-state={state}>
      {t(dynamicKey('money', state))}
    </span>
  );
}
