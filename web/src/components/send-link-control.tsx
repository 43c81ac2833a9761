import { useState } from 'react';
import { ApiError } from '../api/client';
import type { AppointmentView, SentLink } from '../api/types';
import { dynamicKey, useI18n } from '../i18n';
import { useAction, useResource } from '../lib/use-async';
import { useCompany } from '../session';
import { ErrorNote } from './error-note';

const EXPLAINED = new Set(['email_unavailable', 'email_send_failed', 'client_email_missing']);

/**
 * "Send by email" beside Copy: offered when the client has an email. The message is shown first
 * (subject and text, as the server renders it), then sent on a second click.
 */
export function SendLinkControl({ view, disabled, onSent }: { view: AppointmentView; disabled: boolean; onSent: () => void }) {
  const { t } = useI18n();
  const { api } = useCompany();
  const client = useResource((signal) => api.clients.get(view.client.id, signal), [api, view.client.id]);
  const previewAction = useAction();
  const sendAction = useAction();
  const [preview, setPreview] = useState<SentLink>();
  const [sent, setSent] = useState<SentLink>();

  if (!client.data?.email) return null;

  const showPreview = async () => {
    setSent(undefined);
    sendAction.clear();
    const result = await previewAction.run(() => api.links.sendEmail(view.id, { preview: true }));
    setPreview(result);
    // The preview made the link when there was none: show it in the window.
    if (result) onSent();
  };

  const send = async () => {
    if (!preview) return;
    const result = await sendAction.run(() => api.links.sendEmail(view.id, { to: preview.to }));
    if (!result) return;
    setPreview(undefined);
    setSent(result);
    onSent();
  };

  const error = previewAction.error ?? sendAction.error;
  return (
    <div className="link-send" data-testid="link-send">
      {!preview && (
        <button type="button" className="secondary" onClick={() => void showPreview()} disabled={disabled || previewAction.pending} data-testid="send-link">
          {t('link.send')}
        </button>
      )}
      {preview && (
        <section className="send-preview notice" aria-label={t('link.sendTitle')} data-testid="send-preview">
          <h4>{t('link.sendTitle')}</h4>
          <dl className="facts">
            <dt>{t('link.sendTo')}</dt>
            <dd data-testid="send-preview-to">{preview.to}</dd>
            <dt>{t('link.sendSubject')}</dt>
            <dd data-testid="send-preview-subject">{preview.subject}</dd>
          </dl>
          <pre className="send-preview-text" data-testid="send-preview-text">
            {preview.text}
          </pre>
          <div className="actions">
            <button type="button" className="primary" onClick={() => void send()} disabled={sendAction.pending} data-testid="send-link-confirm">
              {t('link.sendConfirm')}
            </button>{' '}
            <button type="button" className="secondary" onClick={() => setPreview(undefined)} disabled={sendAction.pending} data-testid="send-link-cancel">
              {t('common.cancel')}
            </button>
          </div>
        </section>
      )}
      <div aria-live="polite">
        {sent && (
          <p className="notice success" data-testid="link-sent">
            {t('link.sent', { to: sent.to })}
          </p>
        )}
      </div>
      {error instanceof ApiError && EXPLAINED.has(error.code) ? (
        <div className="error-note" role="alert" data-testid="send-error" data-code={error.code}>
          {t(dynamicKey('link.sendError', error.code))}
        </div>
      ) : (
        <ErrorNote error={error} testId="send-error" />
      )}
    </div>
  );
}
