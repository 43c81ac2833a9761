import { useState } from 'react';
import type { AppointmentView } from '../api/types';
import { dynamicKey, useI18n } from '../i18n';
import { copyWhenReady } from '../lib/clipboard';
import { parseDecimal } from '../lib/money';
import { companyPath } from '../screens-table';
import { Link } from '../lib/router';
import { useAction } from '../lib/use-async';
import { formatInstant } from '../lib/zoned-time';
import { useCompany } from '../session';
import { AttemptsTable } from './attempts-table';
import { Dialog } from './dialog';
import { LinkRemindersLine } from './payment-link-panel-reminders';
import { ErrorNote } from './error-note';
import { LinkReachNote } from './link-reach';
import { SendLinkControl } from './send-link-control';
import { Money, MoneyInput, useFormatMoney } from './money';

interface PanelProps {
  view: AppointmentView;
  locked: boolean;
  reload: () => void;
  /** compact: the copy control only (Details); full: state, attempts, QR, disable (Checkout, Status) */
  variant: 'compact' | 'full';
}

/**
 * "Copy payment link" (R4: on every tab of the window) and, in full, the link's live state and
 * attempts (R29), its QR code and the disable control. Shown only with cashless_payment (R2), and
 * only while pay-by-link is available (R1).
 */
export function PaymentLinkPanel({ view, locked, reload, variant }: PanelProps) {
  const { t, locale } = useI18n();
  const { company, api, can, cashless, linksOffered } = useCompany();
  const format = useFormatMoney();
  const copyAction = useAction();
  const linkAction = useAction();
  const [fixed, setFixed] = useState(false);
  const [amountText, setAmountText] = useState('');
  const [copied, setCopied] = useState<{ url: string; ok: boolean }>();
  // the link whose QR code is shown, in a dialog that fits any screen
  const [qrOf, setQrOf] = useState<{ id: string; url: string }>();
  const qrAction = useAction();
  const [confirmDisable, setConfirmDisable] = useState(false);
  const [problem, setProblem] = useState<string>();

  if (!can('cashless_payment')) {
    // Say why the panel is missing, once per window (on Details), so nobody hunts for it.
    // (whether the company offers links is not this user's to read: the hint names the right only)
    if (variant !== 'compact') return null;
    return (
      <p className="muted small" data-testid="link-panel-no-right">
        {t('link.noRight', { right: t('right.cashless_payment') })}
      </p>
    );
  }
  if (!linksOffered) {
    if (cashless.loading && !cashless.data) return null;
    return (
      <section className="link-panel unavailable" data-testid="link-panel" aria-label={t('link.title')}>
        <p className="muted">
          {t('link.unavailable')}{' '}
          {can('finance.settings') && (
            <Link to={companyPath(company.id, 'finance/cashless')}>{t('link.openSettings')}</Link>
          )}
        </p>
      </section>
    );
  }

  const link = view.paymentLink;
  const active = link?.status === 'active' ? link : undefined;
  const refusal =
    view.status === 'cancelled' ? t('link.cancelledAppointment') : view.due <= 0 ? t('link.nothingDue') : undefined;

  // Not async: the clipboard write has to begin within the click itself.
  const copy = () => {
    setCopied(undefined);
    setProblem(undefined);
    const amount = fixed ? parseDecimal(amountText, company.currency) : undefined;
    if (fixed && !amount) return setProblem(t('link.amountInvalid'));
    const request = api.links.copy(view.id, amount);
    const clipboard = copyWhenReady(request.then((l) => l.url));
    void copyAction
      .run(() => request)
      .then(async (result) => {
        if (!result) return;
        setCopied({ url: result.url, ok: await clipboard });
        reload();
      });
  };

  // One click from a window without a link: the link is made (as Copy does) and its QR shown.
  const openQr = async () => {
    setProblem(undefined);
    const current = view.paymentLink?.status === 'active' ? view.paymentLink : undefined;
    if (current) return setQrOf({ id: current.id, url: current.url });
    const made = await qrAction.run(() => api.links.copy(view.id));
    if (made) {
      setQrOf({ id: made.id, url: made.url });
      reload();
    }
  };

  const disable = async () => {
    setConfirmDisable(false);
    const done = await linkAction.run(() => api.links.disable(view.id));
    if (done) {
      setQrOf(undefined);
      setCopied(undefined);
      reload();
    }
  };

  return (
    <section className={`link-panel ${variant}`} data-testid="link-panel" aria-label={t('link.title')}>
      <h3>{t('link.title')}</h3>
      <div className="link-copy">
        {variant === 'full' && !refusal && (
          <div className="fixed-amount">
            <label className="checkbox">
              <input
                type="checkbox"
                checked={fixed}
                onChange={(e) => setFixed(e.target.checked)}
                data-testid="link-fixed-toggle"
              />
              {t('link.fixedAmount')}
            </label>
            {fixed && (
              <MoneyInput
                label={t('link.amount')}
                value={amountText}
                onChange={setAmountText}
                hint={t('link.amountHint', { due: format(view.due) })}
                data-testid="link-fixed-amount"
              />
            )}
          </div>
        )}
        <div className="link-buttons">
          <button
            type="button"
            className="primary"
            onClick={copy}
            disabled={copyAction.pending || !!refusal}
            data-testid="copy-payment-link"
          >
            {t('link.copy')}
          </button>
          {!refusal && (
            <button
              type="button"
              className="secondary"
              onClick={() => void openQr()}
              disabled={copyAction.pending || qrAction.pending}
              data-testid="show-qr"
            >
              {t('link.showQr')}
            </button>
          )}
          {!refusal && <SendLinkControl view={view} channel="email" disabled={copyAction.pending} onSent={reload} />}
          {!refusal && <SendLinkControl view={view} channel="sms" disabled={copyAction.pending} onSent={reload} />}
          {!refusal && <SendLinkControl view={view} channel="whatsapp" disabled={copyAction.pending} onSent={reload} />}
        </div>
        {refusal && <small className="hint">{refusal}</small>}
      </div>
      <div aria-live="polite" data-testid="link-copied">
        {copied && (
          <div className={copied.ok ? 'notice success' : 'notice'}>
            <p>{copied.ok ? t('link.copied') : t('link.copyByHand')}</p>
            <input
              className="link-url"
              readOnly
              value={copied.url}
              aria-label={t('link.url')}
              onFocus={(e) => e.target.select()}
              data-testid="link-url"
            />
            <LinkReachNote />
          </div>
        )}
      </div>
      {problem && (
        <div className="error-note" role="alert" data-testid="link-error">
          {problem}
        </div>
      )}
      <ErrorNote error={copyAction.error ?? qrAction.error} testId="link-error" />

      {variant === 'full' && link && (
        <div className="link-state" data-testid="link-state" data-status={link.status}>
          <dl className="facts">
            <dt>{t('link.status')}</dt>
            <dd>
              <span className={`badge link-${link.status}`}>{t(dynamicKey('link.state', link.status))}</span>
            </dd>
            <dt>{t('link.amount')}</dt>
            <dd>{link.amount === null ? t('link.whateverIsDue') : <Money amount={link.amount} />}</dd>
            <dt>{t('link.collected')}</dt>
            <dd>
              <Money amount={link.collected} />
            </dd>
            <dt>{t('link.created')}</dt>
            <dd>{formatInstant(link.createdAt, company.timezone, locale)}</dd>
            <dt>{t('link.opened')}</dt>
            <dd data-testid="link-opened">
              {link.openedAt ? formatInstant(link.openedAt, company.timezone, locale) : t('link.notOpened')}
            </dd>
          </dl>
          {active && <LinkRemindersLine view={view} reload={reload} />}
          {active && (
            <div className="actions">
              {!confirmDisable ? (
                <button
                  type="button"
                  className="danger"
                  onClick={() => setConfirmDisable(true)}
                  disabled={linkAction.pending || locked}
                  data-testid="disable-link"
                >
                  {t('link.disable')}
                </button>
              ) : (
                <fieldset className="plain confirm" aria-label={t('link.disableConfirm')}>
                  {t('link.disableConfirm')}{' '}
                  <button
                    type="button"
                    className="danger"
                    onClick={() => void disable()}
                    data-testid="disable-link-confirm"
                  >
                    {t('link.disableYes')}
                  </button>{' '}
                  <button type="button" className="secondary" onClick={() => setConfirmDisable(false)}>
                    {t('common.cancel')}
                  </button>
                </fieldset>
              )}
            </div>
          )}
          <ErrorNote error={linkAction.error} />
          <AttemptsTable attempts={link.attempts} />
        </div>
      )}
      {qrOf && (
        <Dialog title={t('link.qrTitle')} onClose={() => setQrOf(undefined)} testId="qr-dialog" wide>
          <QrForClient view={view} link={qrOf} />
        </Dialog>
      )}
    </section>
  );
}

/**
 * The screen turned to the client at the desk: the amount, the QR code of the link, and "Paid ✓"
 * by itself the moment the payment lands (the window is live, R29), so nobody has to ask.
 */
function QrForClient({ view, link }: { view: AppointmentView; link: { id: string; url: string } }) {
  const { t } = useI18n();
  const { api, company } = useCompany();
  const current = view.paymentLink?.id === link.id ? view.paymentLink : undefined;
  if (current?.status === 'paid') {
    return (
      <div className="qr-view qr-paid" role="status" data-testid="qr-paid">
        <span className="qr-paid-mark" aria-hidden="true">
          ✓
        </span>
        <p className="qr-amount">{t('link.qrPaid')}</p>
        <p>
          <Money amount={current.collected} />
        </p>
      </div>
    );
  }
  const amount = current?.amount ?? view.due;
  return (
    <div className="qr-view" data-testid="qr-for-client">
      <p className="qr-amount" data-testid="qr-amount">
        <Money amount={amount} />
      </p>
      <p className="muted">{company.name}</p>
      <img
        className="qr"
        src={api.links.qrUrl(view.id, link.id)}
        alt={t('link.qrAlt')}
        width={320}
        height={320}
        data-testid="link-qr"
      />
      <p className="muted small">{t('link.qrHint')}</p>
      <input
        className="link-url"
        readOnly
        value={link.url}
        aria-label={t('link.url')}
        onFocus={(e) => e.target.select()}
      />
    </div>
  );
}
