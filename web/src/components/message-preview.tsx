import { useState } from 'react';
import type { MessageKey } from '../api/endpoints';
import type { MessagePreview } from '../api/types';
import { useI18n } from '../i18n';
import { useAction, useResource } from '../lib/use-async';
import { formatInstant } from '../lib/zoned-time';
import { useCompany } from '../session';
import { ErrorNote } from './error-note';

const DAY = 86_400_000;

/**
 * R37's preview: the draft as the client of one upcoming appointment would get it — their name,
 * the visit, the amount due — with an example link (a preview makes no link and sends nothing).
 */
export function MessagePreviewCard({
  messageKey,
  draft,
}: {
  messageKey: MessageKey;
  draft: { subject?: string; text: string };
}) {
  const { t, locale } = useI18n();
  const { api, company, can } = useCompany();
  const canList = can('appointments.read');
  const upcoming = useResource(async () => {
    if (!canList) return [];
    const now = Date.now();
    const list = await api.appointments.list(new Date(now).toISOString(), new Date(now + 60 * DAY).toISOString());
    return list.filter((a) => a.status !== 'cancelled').slice(0, 50);
  }, [api, canList]);
  const [chosen, setChosen] = useState('');
  const [preview, setPreview] = useState<MessagePreview>();
  const action = useAction();
  const appointmentId = chosen || upcoming.data?.[0]?.id || '';

  const show = async () => {
    setPreview(undefined);
    const result = await action.run(() => api.messages.preview(messageKey, { appointmentId, ...draft }));
    if (result) setPreview(result);
  };

  return (
    <section className="card stack" aria-labelledby="msg-preview-title" data-testid="message-preview">
      <h2 id="msg-preview-title">{t('messages.preview')}</h2>
      {upcoming.data && upcoming.data.length === 0 ? (
        <p className="hint" data-testid="preview-no-appointments">
          {t(canList ? 'messages.noAppointments' : 'messages.noAppointmentsRight')}
        </p>
      ) : (
        <div className="field">
          <label htmlFor="msg-preview-appointment">{t('messages.previewWith')}</label>
          <select
            id="msg-preview-appointment"
            value={appointmentId}
            onChange={(e) => setChosen(e.target.value)}
            data-testid="preview-appointment"
          >
            {(upcoming.data ?? []).map((a) => (
              <option key={a.id} value={a.id}>
                {formatInstant(a.startsAt, company.timezone, locale)} · {a.client.name} · {a.staff.name}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="actions">
        <button
          type="button"
          className="secondary"
          disabled={!appointmentId || action.pending}
          onClick={() => void show()}
          data-testid="preview-show"
        >
          {t('messages.showPreview')}
        </button>
      </div>
      <ErrorNote error={action.error} testId="preview-error" />
      {preview && (
        <div className="stack" data-testid="preview-result">
          {preview.subject !== null && (
            <p>
              <strong>{t('messages.subject')}:</strong> <span data-testid="preview-subject">{preview.subject}</span>
            </p>
          )}
          <pre className="message-text" data-testid="preview-text">
            {preview.text}
          </pre>
          {preview.segments && (
            <p className="small" data-testid="preview-segments">
              {t('messages.smsLength', { chars: preview.text.length, parts: preview.segments.segments })}
            </p>
          )}
          {preview.html !== null && (
            <iframe
              className="message-html"
              title={t('messages.htmlPreview')}
              sandbox=""
              srcDoc={preview.html}
              data-testid="preview-html"
            />
          )}
          <p className="hint">{t('messages.exampleLink')}</p>
        </div>
      )}
    </section>
  );
}
