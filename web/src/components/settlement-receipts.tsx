import type { AppointmentView } from '../api/types';
import { dynamicKey, useI18n } from '../i18n';
import { formatInstant } from '../lib/zoned-time';
import { useCompany } from '../session';

/**
 * R33: the 54-FZ settlement receipt of each online prepayment, one line each: its state, what it
 * offsets, when it is due (pending) or why it failed / was not needed.
 */
export function SettlementReceipts({ view }: { view: AppointmentView }) {
  const { t, locale } = useI18n();
  const { company } = useCompany();
  if (view.settlementReceipts.length === 0) return null;
  return (
    <div className="settlement-receipts" data-testid="settlement-receipts">
      <h4>{t('settlementReceipt.title')}</h4>
      <ul>
        {view.settlementReceipts.map((r) => (
          <li key={r.id} data-testid="settlement-receipt" data-status={r.status}>
            {t(dynamicKey('settlementReceipt', r.status))}
            {r.amountFormatted && <> · {r.amountFormatted}</>}
            {r.status === 'pending' && (
              <span className="muted">
                {' '}
                · {t('settlementReceipt.due', { at: formatInstant(r.dueAt, company.timezone, locale) })}
              </span>
            )}
            {r.failure && <span className="muted"> ({r.failure})</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}
