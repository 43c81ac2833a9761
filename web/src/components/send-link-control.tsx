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
  'whatsapp_unavailable',
  'whatsapp_send_failed',
]);

type Channel = 'email' | 'sms' | 'whatsapp';

/** Test ids: the email control keeps the plain ones, the SMS and WhatsApp controls' start with `sms-` / `whatsapp-`. */
const testId = (channel: Channel, name: string) => (channel === 'email' ? name : `${channel}-${name}`);

/** The words that differ between the channels. */
const WORDS = {
  email: {
    send: 'link.send',
    title: 'link.sendTitle',
    notSetUp: 'link.emailNotSetUp',
    openApp: 'link.openMailApp',
    companyDay: 'link.sendQuota.companyDayEmail',
  },
  sms: {
    send: 'link.sendSms',
    title: 'link.sendSmsTitle',
    notSetUp: 'link.smsNotSetUp',
    openApp: 'link.openSmsApp',
    companyDay: 'link.sendQuota.companyDaySms',
  },
  whatsapp: {
    send: 'link.sendWhatsApp',
    title: 'link.sendWhatsAppTitle',
    notSetUp: 'link.whatsappNotSetUp',
    openApp: 'link.openWhatsApp',
    companyDay: 'link.sendQuota.companyDayWhatsApp',
  },
} as const;

/** The message opened in the staff member's own mail or messages app, for a server that cannot send it. */
function handOffUrl(message: SentLink): string {
  const to = encodeURIComponent(message.to).replace(/%2B/g, '+').replace(/%40/g, '@');
  if (message.channel === 'sms') return `sms:${to}?body=${encodeURIComponent(message.text)}`;
  // WhatsApp's click-to-chat link: the number in digits only, the text ready to send
  if (message.channel === 'whatsapp')
    return `https://wa.me/${message.to.replace(/\D/g, '')}?text=${encodeURIComponent(message.text)}`;
  return `mailto:${to}?subject=${encodeURIComponent(message.subject ?? '')}&body=${encodeURIComponent(message.text)}`;
}

/**
 * "Send by email", "Send by SMS" and "Send by WhatsApp" (R36) beside Copy: each offered when the
 * client has an email address or a phone number. The message is shown first (as the server renders it), then sent
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
  const words = WORDS[channel];
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
          {t(words.send)}
        </button>
      )}
      {!preview && configured === false && (
        <small className="hint" data-testid={id('send-unavailable')}>
          {t(words.notSetUp)}{' '}
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
        <section className="send-preview notice" aria-label={t(words.title)} data-testid={id('send-preview')}>
          <h4>{t(words.title)}</h4>
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
              <a
                className="button secondary"
                href={handOffUrl(preview)}
                {...(channel === 'whatsapp' ? { target: '_blank', rel: 'noopener noreferrer' } : {})}
                data-testid={id('send-open-app')}
              >
                {t(words.openApp)}
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
  const words = channel === 'sms' || channel === 'whatsapp' ? WORDS[channel] : WORDS.email;
  return <>{t(words.companyDay, vars)}</>;
}
