import { ApiError } from '../api/client';
import { dynamicKey, useI18n } from '../i18n';
import { useCompany } from '../session';
import { formatTime } from '../lib/zoned-time';
import { useFormatMoney } from './money';

interface MixedItem {
  id: string;
  title: string;
  taxSystem: string;
}

/** An API refusal shown next to the control that caused it, with what its details add. */
export function ErrorNote({ error, testId }: { error: Error | undefined; testId?: string }) {
  if (!error) return null;
  return (
    <div
      className="error-note"
      role="alert"
      data-testid={testId ?? 'error-note'}
      data-code={error instanceof ApiError ? error.code : undefined}
    >
      <ErrorText error={error} />
    </div>
  );
}

function ErrorText({ error }: { error: Error }) {
  const { t } = useI18n();
  if (!(error instanceof ApiError)) return <>{error.message}</>;
  if (error.code === 'mixed_tax_systems' && Array.isArray(error.details.items)) {
    const items = error.details.items as MixedItem[];
    return (
      <>
        <p>{t('error.mixedTaxSystems')}</p>
        <ul>
          {items.map((item) => (
            <li key={item.id}>
              {item.title} — {t(dynamicKey('tax', item.taxSystem))} <code>{item.taxSystem}</code>
            </li>
          ))}
        </ul>
      </>
    );
  }
  if (error.code === 'appointment_locked' && typeof error.details.lockedUntil === 'string') {
    return <LockedText until={error.details.lockedUntil} message={error.message} />;
  }
  if (error.code === 'forbidden') return <>{t('error.forbidden', { message: error.message })}</>;
  if (error.code === 'network_error') return <>{t('error.network')}</>;
  return <MoneyRefusal error={error} />;
}

/** Refusals about amounts read better in the company's money than in the API's minor units. */
function MoneyRefusal({ error }: { error: ApiError }) {
  const { t } = useI18n();
  const format = useFormatMoney();
  const { due, priceMin, priceMax, refundable } = error.details;
  if (error.code === 'amount_exceeds_due' && typeof due === 'number')
    return <>{t('error.amountExceedsDue', { due: format(due) })}</>;
  // R31: refusals of a staff refund
  if (error.code === 'amount_exceeds_refundable')
    return (
      <>
        {typeof refundable === 'number'
          ? t('error.amountExceedsRefundable', { left: format(refundable) })
          : t('error.amountExceedsRefundableAny')}
      </>
    );
  if (error.code === 'attempt_open') return <>{t('error.attemptOpen')}</>;
  // R1: a provider is neither switched nor disconnected while a client is paying through it
  if (error.code === 'attempts_open' || (error.code === 'conflict' && error.details.reason === 'attempts_pending'))
    return <>{t('error.attemptsOpen')}</>;
  if (error.code === 'provider_work_open') return <>{t('error.providerWorkOpen')}</>;
  if (error.code === 'desk_payment_not_refundable') return <>{t('error.deskPaymentNotRefundable')}</>;
  if (error.code === 'payment_not_refundable') return <>{t('error.paymentNotRefundable')}</>;
  if (error.code === 'idempotency_key_reused') return <>{t('error.idempotencyKeyReused')}</>;
  if (error.code === 'price_out_of_range' && typeof priceMin === 'number' && typeof priceMax === 'number') {
    return <>{t('error.priceOutOfRange', { min: format(priceMin), max: format(priceMax) })}</>;
  }
  if (error.code === 'nothing_due') return <>{t('link.nothingDue')}</>;
  if (error.code === 'pay_by_link_unavailable') return <>{t('link.unavailable')}</>;
  if (error.code === 'appointment_has_payments') return <>{t('statusTab.deleteHint')}</>;
  if (error.code === 'csrf_failed') return <>{t('error.csrf')}</>;
  return <>{error.message}</>;
}

function LockedText({ until, message }: { until: string; message: string }) {
  const { t, locale } = useI18n();
  const { company } = useCompany();
  return (
    <>
      {message} — {t('error.lockedUntil', { time: formatTime(until, company.timezone, locale) })}
    </>
  );
}
