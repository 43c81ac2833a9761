import { useState } from 'react';
import { ApiError } from '../api/client';
import type { AppointmentView, SentLink } from '../api/types';
import { dynamicKey, useI18n } from '../i18n';
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

/**
 * "Send by email" and "Send by SMS" beside Copy: each offered when the client has an email
 * address or a phone number. The message is shown first (as the server renders it), then sent
 * on a second click.
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
  const client = useResource((signal) => api.clients.get(view.client.id, signal), [api, view.client.id]);
  const previewAction = useAction();
  const sendAction = useAction();
  const [preview, setPreview] = useState<SentLink>();
  const [sent, setSent] = useState<SentLink>();

  if (!(channel === 'email' ? client.data?.email : client.data?.phone)) return null;
  const id = (name: string) => testId(channel, name);

  const showPreview = async () => {
    setSent(undefined);
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

  const error = previewAction.error ?? sendAction.error;
  return (
    <div className="link-send" data-testid={id('link-send')}>
      {!preview && (
        <button
          type="button"
          className="secondary"
          onClick={() => void showPreview()}
          disabled={disabled || previewAction.pending}
          data-testid={id('send-link')}
        >
          {t(channel === 'email' ? 'link.send' : 'link.sendSms')}
        </button>
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
