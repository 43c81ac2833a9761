import { useState } from 'react';
import { ApiError } from '../api/client';
import type { AppointmentView, SentLink } from '../api/types';
import { dynamicKey, useI18n } from '../i18n';
import { copyText } from '../lib/clipboard';
import { useServerInfo } from '../lib/server-info';
import { useAction, useResource } from '../lib/use-async';
import { formatTime } from '../lib/zoned-time';
import { useCompany } from '../session';
import { ErrorNote } from './error-note';
import { LinkReachNote } from './link-reach';

const EXPLAINED = new Set([
  'email_unavailable',
  'email_send_failed',
  'client_email_missing',
  'channel_unavailable',
  'sms_send_failed',
  'client_phone_missing',
]);

type Channel = 'email' | 'sms';

/** Test ids: the email control keeps the plain ones, the SMS control's start with `sms-`. */
const testId = (channel: Channel, name: string) => (channel === 'email' ? name : `sms-${name}`);

/** The message opened in the staff member's own mail or messages app, for a server that cannot send it. */
function handOffUrl(message: SentLink): string {
  const to = encodeURIComponent(message.to).replace(/%2B/g, '+').replace(/%40/g, '@');
  if (message.channel === 'sms') return `sms:${to}?body=${encodeURIComponent(message.text)}`;
  return `mailto:${to}?subject=${encodeURIComponent(message.subject ?? '')}&body=${encodeURIComponent(message.text)}`;
}

/**
 * "Send by email" and "Send by SMS" beside Copy: each offered when the client has an email
 * address or a phone number. The message is shown first (as the server renders it), then sent
 * on a second click. A channel this server is not set up for (no SMTP_URL, no SMS gateway) is
 * disabled with a one-line hint; its text is still shown, to copy or open in the staff member's
 * own mail or messages app.
 */
export function SendLinkControl({
  view,
  channel,
  disabled,
  onSent,
}: {
  view: AppointmentView;
  channel: Channel;
  disabled: boolean;
  onSent: () => void;
}) {
  const { t } = useI18n();
  const { api } = useCompany();
  const info = useServerInfo();
  const client = useResource((signal) => api.clients.get(view.client.id, signal), [api, view.client.id]);
  const previewAction = useAction();
  const sendAction = useAction();
  const [preview, setPreview] = useState<SentLink>();
  const [sent, setSent] = useState<SentLink>();
  const [textCopied, setTextCopied] = useState<boolean>();

  if (!(channel === 'email' ? client.data?.email : client.data?.phone)) return null;
  const id = (name: string) => testId(channel, name);
  // unknown until the server answers: the button waits disabled, without a hint
  const configured = info?.sendChannels[channel];

  const showPreview = async () => {
    setSent(undefined);
    setTextCopied(undefined);
    sendAction.clear();
    const result = await previewAction.run(() => api.links.send(view.id, channel, { preview: true }));
    setPreview(result);
    // The preview made the link when there was none: show it in the window.
    if (result) onSent();
  };

  const send = async () => {
    if (!preview) return;
    const result = await sendAction.run(() => api.links.send(view.id, channel, { to: preview.to }));
    if (!result) return;
    setPreview(undefined);
    setSent(result);
    onSent();
  };

  const copyMessage = async () => {
    if (!preview) return;
    const text = preview.subject === null ? preview.text : `${preview.subject}\n\n${preview.text}`;
    setTextCopied(await copyText(text));
  };

  const error = previewAction.error ?? sendAction.error;
  return (
    <div className="link-send" data-testid={id('link-send')} data-configured={String(configured ?? 'unknown')}>
      {!preview && (
        <button
          type="button"
          className="secondary"
          onClick={() => void showPreview()}
          disabled={disabled || previewAction.pending || configured !== true}
          data-testid={id('send-link')}
        >
          {t(channel === 'email' ? 'link.send' : 'link.sendSms')}
        </button>
      )}
      {!preview && configured === false && (
        <small className="hint" data-testid={id('send-unavailable')}>
          {t(channel === 'email' ? 'link.emailNotSetUp' : 'link.smsNotSetUp')}{' '}
          <button
            type="button"
            className="link-button"
            onClick={() => void showPreview()}
            disabled={disabled || previewAction.pending}
            data-testid={id('send-show-text')}
          >
            {t('link.showText')}
          </button>
        </small>
      )}
      {preview && (
        <section
          className="send-preview notice"
          aria-label={t(channel === 'email' ? 'link.sendTitle' : 'link.sendSmsTitle')}
          data-testid={id('send-preview')}
        >
          <h4>{t(channel === 'email' ? 'link.sendTitle' : 'link.sendSmsTitle')}</h4>
          <dl className="facts">
            <dt>{t('link.sendTo')}</dt>
            <dd data-testid={id('send-preview-to')}>{preview.to}</dd>
            {preview.subject !== null && (
              <>
                <dt>{t('link.sendSubject')}</dt>
                <dd data-testid={id('send-preview-subject')}>{preview.subject}</dd>
              </>
            )}
          </dl>
          <pre className="send-preview-text" data-testid={id('send-preview-text')}>
            {preview.text}
          </pre>
          <LinkReachNote testId={id('send-preview-reach-note')} />
          {configured ? (
            <div className="actions">
              <button
                type="button"
                className="primary"
                onClick={() => void send()}
                disabled={sendAction.pending}
                data-testid={id('send-link-confirm')}
              >
                {t('link.sendConfirm')}
              </button>{' '}
              <button
                type="button"
                className="secondary"
                onClick={() => setPreview(undefined)}
                disabled={sendAction.pending}
                data-testid={id('send-link-cancel')}
              >
                {t('common.cancel')}
              </button>
            </div>
          ) : (
            <div className="actions">
              <button
                type="button"
                className="primary"
                onClick={() => void copyMessage()}
                data-testid={id('send-copy-text')}
              >
                {t('link.copyText')}
              </button>{' '}
              <a className="button secondary" href={handOffUrl(preview)} data-testid={id('send-open-app')}>
                {t(channel === 'email' ? 'link.openMailApp' : 'link.openSmsApp')}
              </a>{' '}
              <button
                type="button"
                className="secondary"
                onClick={() => setPreview(undefined)}
                data-testid={id('send-link-cancel')}
              >
                {t('common.close')}
              </button>
              {textCopied !== undefined && (
                <p className="hint" role="status" data-testid={id('send-text-copied')}>
                  {t(textCopied ? 'link.textCopied' : 'link.textCopyByHand')}
                </p>
              )}
            </div>
          )}
        </section>
      )}
      <div aria-live="polite">
        {sent && (
          <>
            <p className="notice success" data-testid={id('link-sent')}>
              {t('link.sent', { to: sent.to })}
            </p>
            <LinkReachNote testId={id('link-sent-reach-note')} />
          </>
        )}
      </div>
      {error instanceof ApiError && error.code === 'send_quota_exceeded' ? (
        <div className="error-note" role="alert" data-testid={id('send-error')} data-code={error.code}>
          <QuotaRefusal error={error} />
        </div>
      ) : error instanceof ApiError && EXPLAINED.has(error.code) ? (
        <div className="error-note" role="alert" data-testid={id('send-error')} data-code={error.code}>
          {t(dynamicKey('link.sendError', error.code))}
        </div>
      ) : (
        <ErrorNote error={error} testId={id('send-error')} />
      )}
    </div>
  );
}

/** R38: which sending quota is used up, and when it resets (the company's midnight, or a time in its zone). */
function QuotaRefusal({ error }: { error: ApiError }) {
  const { t, locale } = useI18n();
  const { company } = useCompany();
  const { quota, channel, limit, resetsAt } = error.details;
  const vars = {
    limit: String(limit),
    time: typeof resetsAt === 'string' ? formatTime(resetsAt, company.timezone, locale) : '',
  };
  if (quota === 'recipient_hour') return <>{t('link.sendQuota.recipientHour', vars)}</>;
  return <>{t(channel === 'sms' ? 'link.sendQuota.companyDaySms' : 'link.sendQuota.companyDayEmail', vars)}</>;
}
