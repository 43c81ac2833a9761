import type { Attempt } from '../api/types';
import { dynamicKey, useI18n } from '../i18n';
import { formatMoney } from '../lib/money';
import { formatTime } from '../lib/zoned-time';
import { useCompany } from '../session';
import { Money, useFormatMoney } from './money';

/** The link's checkout attempts, newest first: what the client did and what the provider said. */
export function AttemptsTable({ attempts }: { attempts: Attempt[] }) {
  const { t, locale } = useI18n();
  const { company } = useCompany();
  const ours = useFormatMoney();
  if (attempts.length === 0)
    return (
      <p className="muted" data-testid="no-attempts">
        {t('link.noAttempts')}
      </p>
    );
  const sorted = [...attempts].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const time = (iso: string) => formatTime(iso, company.timezone, locale);
  // the provider's currency is its word, not ours: Intl may not know it
  const theirs = (a: Attempt) => {
    try {
      return formatMoney(a.providerAmount!, a.providerCurrency!, locale);
    } catch {
      return a.providerAmountFormatted ?? `${a.providerAmount} ${a.providerCurrency}`;
    }
  };
  return (
    <div className="table-scroll">
      <table className="table attempts" data-testid="attempts">
        <caption>{t('link.attempts')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('link.attemptStarted')}</th>
            <th scope="col">{t('link.status')}</th>
            <th scope="col" className="num">
              {t('link.amount')}
            </th>
            <th scope="col">{t('link.attemptEnds')}</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((a) => (
            <tr key={a.id} data-testid="attempt" data-status={a.status}>
              <td>{time(a.createdAt)}</td>
              <td>
                <span className={`badge attempt-${a.status}`}>{t(dynamicKey('attempt', a.status))}</span>{' '}
                {/* the provider's own status word is for whoever checks at the provider: a tooltip, not the text */}
                <small
                  className="muted"
                  title={a.providerStatus ? t('attempt.providerSaid', { status: a.providerStatus }) : undefined}
                  data-testid="attempt-provider"
                >
                  {a.status === 'failed'
                    ? t('attempt.failedAt', { provider: t(dynamicKey('provider', a.provider)) })
                    : t(dynamicKey('provider', a.provider))}
                </small>
                {a.status === 'needs_review' && a.providerAmount !== null && a.providerCurrency !== null ? (
                  // R34: both figures, so staff can settle the difference at the provider
                  <small className="attempt-review" data-testid="attempt-review">
                    {t('attempt.review.ours', { amount: ours(a.amount) })};{' '}
                    {t('attempt.review.theirs', { amount: theirs(a) })}
                    <span className="muted attempt-failure">{t('attempt.review.hint')}</span>
                  </small>
                ) : (
                  a.failure && <small className="muted attempt-failure">{a.failure}</small>
                )}
              </td>
              <td className="num">
                <Money amount={a.amount} />
              </td>
              <td>{a.endedAt ? time(a.endedAt) : t('link.expiresAt', { time: time(a.expiresAt) })}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
