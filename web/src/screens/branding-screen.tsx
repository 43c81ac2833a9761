import { useState, type ChangeEvent, type FormEvent } from 'react';
import { ApiError, request } from '../api/client';
import type { paths } from '../api/openapi';
import { ErrorNote } from '../components/error-note';
import { SavedNote } from '../components/saved-note';
import { Loaded } from '../components/states';
import { dynamicKey, useI18n } from '../i18n';
import { useServerInfo } from '../lib/server-info';
import { useAction, useResource } from '../lib/use-async';
import { useSaveForm } from '../lib/use-save-form';
import { useCompany } from '../session';

type Branding =
  paths['/api/v1/companies/{companyId}/settings/branding']['get']['responses'][200]['content']['application/json'];

const LOGO_MAX_BYTES = 200 * 1024;
const MIN_CONTRAST = 4.5;
/** The link page's own button colour, when the company has none. */
const DEFAULT_ACCENT = '#1d4ed8';

/** WCAG 2.1 relative luminance, as the server checks it (src/modules/branding/domain/contrast.ts). */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const contrastWithWhite = (hex: string) => 1.05 / (luminance(hex) + 0.05);
const isHex = (value: string) => /^#[0-9a-fA-F]{6}$/.test(value);

function base64Of(bytes: ArrayBuffer): string {
  const view = new Uint8Array(bytes);
  let binary = '';
  for (let i = 0; i < view.length; i += 0x8000) binary += String.fromCharCode(...view.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * R39: Settings → Branding. The logo is read by the server from its bytes (a renamed file or an
 * SVG is refused); the colour's contrast with the button's white text is judged here as it is typed
 * and again by the server.
 */
export function BrandingScreen() {
  const { t } = useI18n();
  const { company } = useCompany();
  const base = `/companies/${encodeURIComponent(company.id)}/settings/branding`;
  const branding = useResource(() => request<Branding>('GET', base), [base]);
  return (
    <section className="screen" aria-labelledby="branding-title">
      <h1 id="branding-title">{t('nav.branding')}</h1>
      <p className="hint">{t('branding.intro')}</p>
      <Loaded data={branding.data} error={branding.error} reload={branding.reload}>
        {(data) => <BrandingForm base={base} initial={data} />}
      </Loaded>
    </section>
  );
}

function BrandingForm({ base, initial }: { base: string; initial: Branding }) {
  const { t, locale } = useI18n();
  const { company } = useCompany();
  const [branding, setBranding] = useState(initial);
  const [accent, setAccentNow] = useState(initial.accentColor ?? '');
  const [contact, setContactNow] = useState(initial.contactLine ?? '');
  const [confirmationEmail, setConfirmationEmailNow] = useState(initial.confirmationEmail);
  // R41: the email goes out only where the server has SMTP_URL; undefined until the server answers
  const emailReady = useServerInfo()?.sendChannels.email;
  const save = useSaveForm();
  const setAccent = (value: string) => {
    setAccentNow(value);
    save.hideSaved();
  };
  const setContact = (value: string) => {
    setContactNow(value);
    save.hideSaved();
  };
  const setConfirmationEmail = (value: boolean) => {
    setConfirmationEmailNow(value);
    save.hideSaved();
  };
  const [logoProblem, setLogoProblem] = useState<string>();
  const logoAction = useAction();

  const hex = accent.trim();
  const accentValid = hex === '' || isHex(hex);
  const ratio = accentValid && hex ? contrastWithWhite(hex.toLowerCase()) : undefined;
  const shown =
    ratio === undefined ? '' : (Math.floor(ratio * 100) / 100).toLocaleString(locale, { minimumFractionDigits: 2 });
  const readable = ratio === undefined || ratio >= MIN_CONTRAST;
  const suggestion =
    save.error instanceof ApiError && typeof save.error.details.suggestion === 'string'
      ? save.error.details.suggestion
      : undefined;
  const previewAccent = hex && accentValid && readable ? hex : DEFAULT_ACCENT;

  const chooseLogo = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    setLogoProblem(undefined);
    logoAction.clear();
    if (!file) return;
    if (file.size > LOGO_MAX_BYTES) {
      setLogoProblem(t('branding.logoTooLarge', { size: String(Math.ceil(file.size / 1024)) }));
      return;
    }
    const bytes = await file.arrayBuffer();
    const next = await logoAction.run(() => request<Branding>('PUT', `${base}/logo`, { logo: base64Of(bytes) }));
    if (next) setBranding(next);
  };
  const removeLogo = async () => {
    const next = await logoAction.run(() => request<Branding>('DELETE', `${base}/logo`));
    if (next) setBranding(next);
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await save.save(
      () =>
        request<Branding>('PUT', base, {
          accentColor: hex === '' ? null : hex,
          contactLine: contact.trim() || null,
          confirmationEmail,
        }),
      (next) => {
        setBranding(next);
        setAccentNow(next.accentColor ?? '');
        setContactNow(next.contactLine ?? '');
        setConfirmationEmailNow(next.confirmationEmail);
      },
    );
  };
  const logoReason =
    logoAction.error instanceof ApiError && typeof logoAction.error.details.reason === 'string'
      ? logoAction.error.details.reason
      : undefined;

  return (
    <div className="stack">
      <fieldset className="stack" aria-describedby="branding-logo-hint">
        <legend>{t('branding.logo')}</legend>
        <p className="hint" id="branding-logo-hint">
          {t('branding.logoHint')}
        </p>
        {branding.logo ? (
          <img
            src={branding.logo.url}
            alt={t('branding.logoAlt')}
            width={branding.logo.width}
            height={branding.logo.height}
            style={{ height: '3rem', width: 'auto', maxWidth: '100%', objectFit: 'contain', alignSelf: 'flex-start' }}
            data-testid="branding-logo"
          />
        ) : (
          <p className="hint">{t('branding.noLogo')}</p>
        )}
        <div className="actions">
          <label className="button secondary">
            {t('branding.logoChoose')}
            <input
              type="file"
              accept="image/png,image/jpeg,image/webp"
              className="visually-hidden"
              onChange={(e) => void chooseLogo(e)}
              disabled={logoAction.pending}
              data-testid="branding-logo-file"
            />
          </label>
          {branding.logo && (
            <button
              type="button"
              className="danger"
              onClick={() => void removeLogo()}
              disabled={logoAction.pending}
              data-testid="branding-logo-remove"
            >
              {t('branding.logoRemove')}
            </button>
          )}
        </div>
        {logoProblem && (
          <div className="error-note" role="alert" data-testid="branding-logo-error">
            {logoProblem}
          </div>
        )}
        {logoReason ? (
          <div className="error-note" role="alert" data-testid="branding-logo-error">
            {t(dynamicKey('branding.logo', logoReason))}
          </div>
        ) : (
          <ErrorNote error={logoAction.error} testId="branding-logo-error" />
        )}
      </fieldset>

      <form className="stack" onSubmit={(e) => void submit(e)} data-testid="branding-form">
        <div className="field">
          <label htmlFor="branding-accent-hex">{t('branding.accent')}</label>
          <div className="row">
            <input
              type="color"
              aria-label={t('branding.accent')}
              value={isHex(hex) ? hex.toLowerCase() : DEFAULT_ACCENT}
              onChange={(e) => setAccent(e.target.value)}
              data-testid="branding-accent-picker"
            />
            <input
              id="branding-accent-hex"
              value={accent}
              placeholder={DEFAULT_ACCENT}
              maxLength={7}
              spellCheck={false}
              autoComplete="off"
              aria-describedby="branding-accent-hint branding-contrast"
              aria-invalid={!accentValid || !readable}
              onChange={(e) => setAccent(e.target.value)}
              data-testid="branding-accent"
            />
            {accent && (
              <button type="button" className="secondary small" onClick={() => setAccent('')}>
                {t('branding.accentDefault')}
              </button>
            )}
          </div>
          <p className="hint" id="branding-accent-hint">
            {t('branding.accentHint')}
          </p>
          <p
            id="branding-contrast"
            aria-live="polite"
            className={readable && accentValid ? 'hint' : 'error-note'}
            data-testid="branding-contrast"
            data-readable={String(readable && accentValid)}
          >
            {!accentValid
              ? t('branding.notHex')
              : ratio === undefined
                ? ''
                : t(readable ? 'branding.contrastOk' : 'branding.contrastLow', { ratio: shown })}
          </p>
          {suggestion && (
            <button
              type="button"
              className="secondary small"
              onClick={() => {
                setAccent(suggestion);
                save.clear();
              }}
              data-testid="branding-suggestion"
            >
              {t('branding.useSuggestion', { color: suggestion })}
            </button>
          )}
        </div>
        <div className="field">
          <label htmlFor="branding-contact">
            {t('branding.contact')} <span className="hint">({t('common.optional')})</span>
          </label>
          <input
            id="branding-contact"
            value={contact}
            maxLength={120}
            aria-describedby="branding-contact-hint"
            onChange={(e) => setContact(e.target.value)}
            data-testid="branding-contact"
          />
          <p className="hint" id="branding-contact-hint">
            {t('branding.contactHint')}
          </p>
        </div>
        <div className="field">
          <label className="checkbox">
            <input
              type="checkbox"
              checked={confirmationEmail}
              aria-describedby="branding-confirmation-hint"
              onChange={(e) => setConfirmationEmail(e.target.checked)}
              data-testid="branding-confirmation-email"
            />
            {t('branding.confirmationEmail')}
          </label>
          <p
            className="hint"
            id="branding-confirmation-hint"
            data-testid="branding-confirmation-hint"
            data-email-ready={emailReady === undefined ? undefined : String(emailReady)}
          >
            {emailReady === undefined
              ? t('branding.confirmationEmailHint')
              : t(emailReady ? 'branding.confirmationEmailReady' : 'branding.confirmationEmailNotReady')}
          </p>
        </div>
        <div className="actions">
          <button type="submit" className="primary" disabled={save.pending || !accentValid} data-testid="branding-save">
            {t('branding.save')}
          </button>
          <SavedNote shown={save.saved} className="hint" testId="branding-saved" />
        </div>
        <ErrorNote error={save.error} testId="branding-save-error" />
      </form>

      <section aria-labelledby="branding-preview-title" data-testid="branding-preview">
        <h2 id="branding-preview-title">{t('branding.preview')}</h2>
        <div
          style={{
            maxWidth: '30rem',
            background: '#fff',
            color: '#111827',
            borderRadius: 14,
            padding: '1.25rem 1rem',
            boxShadow: '0 1px 3px rgba(0,0,0,.12)',
            borderTop: hex && accentValid && readable ? `4px solid ${previewAccent}` : undefined,
          }}
        >
          <div style={{ display: 'flex', alignItems: 'center', gap: '.75rem', marginBottom: '.75rem' }}>
            {branding.logo && (
              <img
                src={branding.logo.url}
                alt=""
                width={branding.logo.width}
                height={branding.logo.height}
                style={{ height: '3rem', width: 'auto', maxWidth: '45%', objectFit: 'contain' }}
              />
            )}
            <div>
              <p style={{ margin: 0, fontWeight: 600, color: '#374151' }}>{company.name}</p>
              {contact.trim() && (
                <p style={{ margin: 0, fontSize: '.875rem', color: '#4b5563' }} data-testid="branding-preview-contact">
                  {contact.trim()}
                </p>
              )}
            </div>
          </div>
          <div
            style={{
              background: previewAccent,
              color: '#fff',
              borderRadius: 12,
              padding: '.875rem 1rem',
              fontWeight: 700,
              textAlign: 'center',
            }}
            data-testid="branding-preview-button"
          >
            {t('branding.previewPay')}
          </div>
        </div>
      </section>
    </div>
  );
}
