import { useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import type { MessageChannel, MessageKind, MessageLocale, MessageTemplate, MessageTemplates } from '../api/types';
import { ErrorNote } from '../components/error-note';
import { MessagePreviewCard } from '../components/message-preview';
import { SavedNote } from '../components/saved-note';
import { Loaded } from '../components/states';
import { dynamicKey, hasMessage, useI18n, type Translate } from '../i18n';
import { smsSegments } from '../../../src/modules/messages/domain/sms-segments';
import { useResource } from '../lib/use-async';
import { useSaveForm } from '../lib/use-save-form';
import { formatInstant } from '../lib/zoned-time';
import { useCompany } from '../session';

const CHANNELS: readonly MessageChannel[] = ['email', 'sms', 'whatsapp'];
const KINDS: readonly MessageKind[] = ['link', 'reminder'];
const LOCALES: readonly MessageLocale[] = ['en', 'ru'];

/**
 * Settings → Messages (R37): the texts clients get — the payment-link message and the reminder —
 * per channel and language, with placeholders, a live SMS length counter and a preview filled
 * from one of the company's appointments.
 */
export function MessagesScreen() {
  const { t } = useI18n();
  const { api } = useCompany();
  const templates = useResource(() => api.messages.list(), [api]);
  return (
    <section className="screen" aria-labelledby="messages-title">
      <h1 id="messages-title">{t('nav.messages')}</h1>
      <p className="hint">{t('messages.intro')}</p>
      <Loaded data={templates.data} error={templates.error} reload={templates.reload}>
        {(overview) => <MessagesEditor overview={overview} onChanged={templates.setData} />}
      </Loaded>
    </section>
  );
}

function MessagesEditor({
  overview,
  onChanged,
}: {
  overview: MessageTemplates;
  onChanged: (overview: MessageTemplates) => void;
}) {
  const { t } = useI18n();
  const [channel, setChannel] = useState<MessageChannel>('email');
  const [kind, setKind] = useState<MessageKind>('link');
  const [locale, setLocale] = useState<MessageLocale>(overview.companyLocale);
  const item = overview.items.find((i) => i.channel === channel && i.kind === kind && i.locale === locale)!;
  const replace = (next: MessageTemplate) =>
    onChanged({
      ...overview,
      items: overview.items.map((i) =>
        i.channel === next.channel && i.kind === next.kind && i.locale === next.locale ? next : i,
      ),
    });
  const pick = <T extends string>(id: string, label: string, value: T, values: readonly T[], set: (v: T) => void) => (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => set(e.target.value as T)} data-testid={id}>
        {values.map((v) => (
          <option key={v} value={v}>
            {t(dynamicKey(id.replace('msg-', 'messages.'), v))}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <div className="stack">
      <div className="field-row" data-testid="message-picker">
        {pick('msg-channel', t('messages.channel'), channel, CHANNELS, setChannel)}
        {pick('msg-kind', t('messages.kind'), kind, KINDS, setKind)}
        {pick('msg-locale', t('messages.locale'), locale, LOCALES, setLocale)}
      </div>
      {locale !== overview.companyLocale && (
        <p className="hint" data-testid="message-locale-note">
          {t('messages.otherLocale', { language: t(dynamicKey('messages.locale', overview.companyLocale)) })}
        </p>
      )}
      {channel === 'whatsapp' && (
        <p className="hint" id="message-whatsapp-note" data-testid="message-whatsapp-note">
          {t('messages.whatsappNote')}
        </p>
      )}
      <TemplateEditor
        key={`${channel}.${kind}.${locale}`}
        item={item}
        samples={overview.samples[locale][channel]}
        placeholders={overview.placeholders}
        onSaved={replace}
      />
    </div>
  );
}

interface Draft {
  subject: string;
  text: string;
}

function TemplateEditor({
  item,
  samples,
  placeholders,
  onSaved,
}: {
  item: MessageTemplate;
  samples: Record<string, string>;
  placeholders: readonly string[];
  onSaved: (item: MessageTemplate) => void;
}) {
  const { t, locale: uiLocale } = useI18n();
  const { api, company } = useCompany();
  const [draft, setDraft] = useState<Draft>({ subject: item.subject ?? '', text: item.text });
  const [confirmReset, setConfirmReset] = useState(false);
  const action = useSaveForm();
  const subjectRef = useRef<HTMLInputElement>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const lastField = useRef<'subject' | 'text'>('text');
  const isEmail = item.channel === 'email';
  const key = { channel: item.channel, kind: item.kind, locale: item.locale };
  const input = () => (isEmail ? { subject: draft.subject, text: draft.text } : { text: draft.text });
  const refusal = fieldRefusal(action.error, t);

  const change = (next: Partial<Draft>) => {
    setDraft((now) => ({ ...now, ...next }));
    action.hideSaved();
  };
  const insert = (name: string) => {
    const field = isEmail && lastField.current === 'subject' ? subjectRef.current : textRef.current;
    if (!field) return;
    const token = `{${name}}`;
    const start = field.selectionStart ?? field.value.length;
    const end = field.selectionEnd ?? start;
    const value = field.value.slice(0, start) + token + field.value.slice(end);
    change(field === subjectRef.current ? { subject: value } : { text: value });
    requestAnimationFrame(() => {
      field.focus();
      field.setSelectionRange(start + token.length, start + token.length);
    });
  };
  const save = async (event: FormEvent) => {
    event.preventDefault();
    await action.save(() => api.messages.save(key, input()), onSaved);
  };
  const reset = async () => {
    const result = await action.run(() => api.messages.reset(key));
    setConfirmReset(false);
    if (!result) return;
    onSaved(result);
    setDraft({ subject: result.subject ?? '', text: result.text });
    action.hideSaved();
  };

  const errorOf = (field: 'subject' | 'text') =>
    refusal?.field === field ? { 'aria-invalid': true, 'aria-describedby': `msg-${field}-error` } : {};
  return (
    <div className="settings-grid">
      <form
        className="card stack"
        onSubmit={(e) => void save(e)}
        aria-labelledby="msg-template-title"
        data-testid="message-form"
      >
        <h2 id="msg-template-title">{t('messages.template')}</h2>
        <p className="small" data-testid="message-state" data-custom={item.custom}>
          {item.fixed
            ? t('messages.fixed')
            : item.custom && item.updatedAt
              ? t('messages.custom', { when: formatInstant(item.updatedAt, company.timezone, uiLocale) })
              : t('messages.builtIn')}
        </p>
        {isEmail && (
          <div className="field">
            <label htmlFor="msg-subject">{t('messages.subject')}</label>
            <input
              id="msg-subject"
              ref={subjectRef}
              value={draft.subject}
              onFocus={() => {
                lastField.current = 'subject';
              }}
              onChange={(e) => change({ subject: e.target.value })}
              data-testid="message-subject"
              {...errorOf('subject')}
            />
            {refusal?.field === 'subject' && <FieldError id="msg-subject-error" text={refusal.text} />}
          </div>
        )}
        <div className="field">
          <label htmlFor="msg-text">{t('messages.text')}</label>
          <textarea
            id="msg-text"
            ref={textRef}
            rows={isEmail ? 14 : 5}
            value={draft.text}
            onFocus={() => {
              lastField.current = 'text';
            }}
            onChange={(e) => change({ text: e.target.value })}
            readOnly={item.fixed}
            data-testid="message-text"
            {...(item.fixed ? { 'aria-describedby': 'message-whatsapp-note' } : errorOf('text'))}
          />
          {refusal?.field === 'text' && <FieldError id="msg-text-error" text={refusal.text} />}
          {item.channel === 'sms' && <SmsCounter text={fill(draft.text, samples)} />}
        </div>
        {!item.fixed && (
          <fieldset className="plain">
            <legend className="small">{t('messages.placeholders')}</legend>
            <div className="actions" data-testid="placeholder-chips">
              {placeholders.map((name) => (
                <button
                  key={name}
                  type="button"
                  className="secondary small"
                  title={t(dynamicKey('messages.placeholder', name))}
                  aria-label={t('messages.insert', {
                    name: `{${name}}`,
                    what: t(dynamicKey('messages.placeholder', name)),
                  })}
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => insert(name)}
                  data-testid={`placeholder-${name}`}
                >
                  {`{${name}}`}
                </button>
              ))}
            </div>
          </fieldset>
        )}
        {!item.fixed && (
          <div className="actions">
            <button type="submit" className="primary" disabled={action.pending} data-testid="message-save">
              {action.pending ? t('common.saving') : t('common.save')}
            </button>
            {confirmReset ? (
              <>
                <span className="small">{t('messages.resetConfirm')}</span>
                <button
                  type="button"
                  className="danger small"
                  onClick={() => void reset()}
                  data-testid="message-reset-confirm"
                >
                  {t('messages.reset')}
                </button>
                <button type="button" className="secondary small" onClick={() => setConfirmReset(false)}>
                  {t('common.cancel')}
                </button>
              </>
            ) : (
              <button
                type="button"
                className="secondary"
                disabled={!item.custom || action.pending}
                onClick={() => setConfirmReset(true)}
                data-testid="message-reset"
              >
                {t('messages.reset')}
              </button>
            )}
            <SavedNote shown={action.saved} className="small" testId="message-saved" />
          </div>
        )}
        {action.error && !refusal && <ErrorNote error={action.error} />}
      </form>
      <MessagePreviewCard messageKey={key} draft={input()} />
    </div>
  );
}

function FieldError({ id, text }: { id: string; text: string }) {
  return (
    <p className="field-error" id={id} role="alert" data-testid={id}>
      {text}
    </p>
  );
}

/** The live SMS length: the text as a client would get it with example values, in parts (GSM-7 or UCS-2). */
function SmsCounter({ text }: { text: string }) {
  const { t } = useI18n();
  const count = smsSegments(text);
  return (
    <p
      className="small"
      aria-live="polite"
      data-testid="sms-counter"
      data-segments={count.segments}
      data-encoding={count.encoding}
    >
      {t('messages.smsLength', { chars: text.length, parts: count.segments })}{' '}
      {t(count.encoding === 'gsm7' ? 'messages.gsm7' : 'messages.ucs2')}
    </p>
  );
}

/** The draft with example values, as the counter measures it (the server's rules: one pass, braces kept otherwise). */
function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{([^{}\n]{1,60})\}/g, (match, name: string) => values[name] ?? match);
}

/** The API's refusal of a template, said at its field in the user's language. */
function fieldRefusal(error: Error | undefined, t: Translate): { field: 'subject' | 'text'; text: string } | undefined {
  if (!(error instanceof ApiError) || error.code !== 'validation_failed') return undefined;
  const field = error.details.field;
  if (field !== 'subject' && field !== 'text') return undefined;
  const reason = typeof error.details.reason === 'string' ? error.details.reason : '';
  const key = `messages.refusal.${reason}`;
  const names = Array.isArray(error.details.placeholders) ? error.details.placeholders.map((n) => `{${n}}`) : [];
  const text = hasMessage(key)
    ? t(key, { placeholders: names.join(', '), max: String(error.details.max ?? '') })
    : error.message;
  return { field, text };
}
