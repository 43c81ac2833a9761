import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { RECEIPT_DELIVERY, type CashlessSettings, type ProviderName } from '../api/types';
import { ErrorNote } from '../components/error-note';
import { WebhookReachNote } from '../components/link-reach';
import { SavedNote } from '../components/saved-note';
import { Loaded } from '../components/states';
import { TaxSystemSelect } from '../components/tax-system-select';
import { dynamicKey, hasMessage, useI18n, type Translate } from '../i18n';
import { copyText } from '../lib/clipboard';
import { useAction } from '../lib/use-async';
import { useSaveForm } from '../lib/use-save-form';
import { formatInstant } from '../lib/zoned-time';
import { useCompany } from '../session';

/** The credentials each provider takes (SPEC §5); `optional` ones may stay empty. */
const CREDENTIALS: Record<ProviderName, readonly { name: string; secret: boolean; optional?: boolean }[]> = {
  sandbox: [],
  stripe: [
    { name: 'secretKey', secret: true },
    { name: 'webhookSecret', secret: true },
    { name: 'publishableKey', secret: false, optional: true },
  ],
  yookassa: [
    { name: 'shopId', secret: false },
    { name: 'secretKey', secret: true },
  ],
};

/**
 * A refusal of one credential, said in the user's language at the field it concerns: the API
 * names the field (`credentials.secretKey`) and why (`reason`), never a sentence to show as is.
 */
function credentialRefusal(
  error: Error | undefined,
  provider: ProviderName,
  t: Translate,
): { field: string; text: string } | undefined {
  if (!(error instanceof ApiError) || error.code !== 'validation_failed') return undefined;
  const path = typeof error.details.field === 'string' ? error.details.field : '';
  if (!path.startsWith('credentials.')) return undefined;
  const field = path.slice('credentials.'.length);
  const reason = typeof error.details.reason === 'string' ? error.details.reason : 'unknown';
  const specific = `cashless.invalid.${provider}.${field}.${reason}`;
  const vars = { label: t(dynamicKey('cashless.credential', field)), provider: t(dynamicKey('provider', provider)) };
  return { field, text: hasMessage(specific) ? t(specific) : t(dynamicKey('cashless.invalid', reason), vars) };
}

/** The masked credentials shown for the connected provider, each under the label of its field. */
function CredentialsHint({ hint }: { hint: Record<string, string> }) {
  const { t } = useI18n();
  if (Object.keys(hint).length === 0) return null;
  return (
    <dl className="facts small" data-testid="credentials-hint">
      {Object.entries(hint).map(([k, v]) => (
        <div key={k} className="fact">
          <dt>{t(dynamicKey('cashless.credential', k))}</dt>
          <dd>{k === 'mode' ? t(dynamicKey('cashless.mode', v)) : <code>{v}</code>}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Finance → Cashless payment: connect a provider (R1), switch pay-by-link, online cash register (R24). */
export function CashlessSettingsScreen() {
  const { t } = useI18n();
  const { cashless } = useCompany();
  return (
    <section className="screen" aria-labelledby="cashless-title">
      <h1 id="cashless-title">{t('cashless.title')}</h1>
      <Loaded data={cashless.data} error={cashless.error} reload={cashless.reload}>
        {(settings) => (
          <div className="settings-grid">
            <ProviderCard settings={settings} onSaved={cashless.setData} />
            <PayByLinkCard settings={settings} onSaved={cashless.setData} />
            <FiscalizationCard settings={settings} onSaved={cashless.setData} />
          </div>
        )}
      </Loaded>
    </section>
  );
}

interface CardProps {
  settings: CashlessSettings;
  onSaved: (settings: CashlessSettings) => void;
}

function ProviderCard({ settings, onSaved }: CardProps) {
  const { t, locale } = useI18n();
  const { company, api } = useCompany();
  const [provider, setProvider] = useState<ProviderName>(settings.provider ?? settings.providers[0] ?? 'sandbox');
  const [values, setValues] = useState<Record<string, string>>({});
  const [copied, setCopied] = useState(false);
  const action = useAction();
  const origin = settings.webhookUrl ? new URL(settings.webhookUrl).origin : window.location.origin;
  const webhookUrl = `${origin}/webhooks/${provider}/${company.id}`;
  const refusal = credentialRefusal(action.error, provider, t);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const credentials = Object.fromEntries(
      CREDENTIALS[provider].map((f) => [f.name, (values[f.name] ?? '').trim()]).filter(([, v]) => v !== ''),
    );
    const saved = await action.run(() => api.cashless.connect(provider, credentials));
    if (saved) {
      setValues({});
      onSaved(saved);
    }
  };

  return (
    <form
      className="card stack"
      onSubmit={(e) => void submit(e)}
      aria-labelledby="provider-title"
      data-testid="provider-card"
    >
      <h2 id="provider-title">{t('cashless.provider')}</h2>
      <p data-testid="provider-state">
        {settings.connected && settings.provider ? (
          <>
            {t('cashless.connectedTo', { provider: t(dynamicKey('provider', settings.provider)) })}
            {settings.connectedAt && (
              <span className="muted"> · {formatInstant(settings.connectedAt, company.timezone, locale)}</span>
            )}
          </>
        ) : (
          t('cashless.notConnected')
        )}
      </p>
      {settings.connected && settings.provider === 'sandbox' && (
        <p className="small" data-testid="sandbox-merchant-link">
          <a href={`/sandbox/merchant/companies/${encodeURIComponent(company.id)}`} target="_blank" rel="noopener">
            {t('cashless.sandboxMerchantPage')}
          </a>{' '}
          <span className="muted">{t('cashless.sandboxMerchantHint')}</span>
        </p>
      )}
      <CredentialsHint hint={settings.credentialsHint} />
      <div className="field">
        <label htmlFor="cl-provider">{t('cashless.chooseProvider')}</label>
        <select
          id="cl-provider"
          value={provider}
          onChange={(e) => {
            setProvider(e.target.value as ProviderName);
            action.clear();
          }}
          data-testid="provider-select"
        >
          {settings.providers.map((p) => (
            <option key={p} value={p}>
              {t(dynamicKey('provider', p))}
            </option>
          ))}
        </select>
      </div>
      {CREDENTIALS[provider].map((field) => {
        const id = `cl-${field.name}`;
        const refused = refusal?.field === field.name;
        const hintKey = `cashless.credentialHint.${provider}.${field.name}`;
        return (
          <div className="field" key={`${provider}-${field.name}`}>
            <label htmlFor={id}>
              {t(dynamicKey('cashless.credential', field.name))}
              {field.optional && <span className="muted"> ({t('common.optional')})</span>}
            </label>
            <input
              id={id}
              type={field.secret ? 'password' : 'text'}
              autoComplete="off"
              required={!field.optional}
              value={values[field.name] ?? ''}
              aria-invalid={refused || undefined}
              aria-describedby={`${id}-hint${refused ? ` ${id}-error` : ''}`}
              onChange={(e) => setValues((v) => ({ ...v, [field.name]: e.target.value }))}
              data-testid={`credential-${field.name}`}
            />
            <small className="hint" id={`${id}-hint`}>
              {hasMessage(hintKey) ? t(hintKey) : ''}
            </small>
            {refused && (
              <div className="error-note" role="alert" id={`${id}-error`} data-testid="credential-error">
                {refusal.text}
              </div>
            )}
          </div>
        );
      })}
      {provider === 'sandbox' && <p className="muted small">{t('cashless.sandboxHint')}</p>}
      <div className="field">
        <span className="label">{t('cashless.webhookUrl')}</span>
        <div className="copy-row">
          <code className="webhook-url" data-testid="webhook-url">
            {webhookUrl}
          </code>
          <button type="button" className="secondary small" onClick={() => void copyText(webhookUrl).then(setCopied)}>
            {copied ? t('common.copied') : t('common.copy')}
          </button>
        </div>
        <small className="hint">{t(dynamicKey('cashless.webhookHint', provider))}</small>
        {provider !== 'sandbox' && <WebhookReachNote />}
      </div>
      {!refusal && <ErrorNote error={action.error} testId="connect-error" />}
      {refusal && !CREDENTIALS[provider].some((f) => f.name === refusal.field) && (
        <div className="error-note" role="alert" data-testid="connect-error">
          {refusal.text}
        </div>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={action.pending} data-testid="connect-provider">
          {action.pending
            ? t('cashless.connecting')
            : settings.connected
              ? t('cashless.reconnect')
              : t('cashless.connect')}
        </button>
      </div>
      {settings.provider && <DisconnectProvider provider={settings.provider} onSaved={onSaved} />}
    </form>
  );
}

/** Disconnecting wipes the credentials and turns pay-by-link off; the server refuses while a client is paying. */
function DisconnectProvider({ provider, onSaved }: { provider: ProviderName; onSaved: CardProps['onSaved'] }) {
  const { t } = useI18n();
  const { api } = useCompany();
  const action = useAction();
  const [confirming, setConfirming] = useState(false);
  const name = t(dynamicKey('provider', provider));
  const disconnect = async () => {
    const saved = await action.run(() => api.cashless.disconnect());
    setConfirming(false);
    if (saved) onSaved(saved);
  };
  return (
    <div className="stack" data-testid="disconnect-provider">
      {!confirming ? (
        <div className="actions">
          <button
            type="button"
            className="danger"
            disabled={action.pending}
            onClick={() => {
              action.clear();
              setConfirming(true);
            }}
            data-testid="disconnect"
          >
            {t('cashless.disconnect', { provider: name })}
          </button>
        </div>
      ) : (
        <p className="confirm">
          {t('cashless.disconnectConfirm', { provider: name })}{' '}
          <button
            type="button"
            className="danger"
            disabled={action.pending}
            onClick={() => void disconnect()}
            data-testid="disconnect-confirm"
          >
            {t('cashless.disconnectYes')}
          </button>{' '}
          <button type="button" className="secondary" onClick={() => setConfirming(false)}>
            {t('common.cancel')}
          </button>
        </p>
      )}
      <ErrorNote error={action.error} testId="disconnect-error" />
    </div>
  );
}

function PayByLinkCard({ settings, onSaved }: CardProps) {
  const { t } = useI18n();
  const { api } = useCompany();
  const action = useAction();
  // The switch moves at once; a refusal puts it back. Otherwise it shows the settings (a disconnect turns it off).
  const [moving, setMoving] = useState<boolean | undefined>(undefined);
  const on = moving ?? settings.payByLinkEnabled;
  const toggle = async (enabled: boolean) => {
    setMoving(enabled);
    const saved = await action.run(() => api.cashless.update({ payByLinkEnabled: enabled }));
    if (saved) onSaved(saved);
    setMoving(undefined);
  };
  return (
    <section className="card stack" aria-labelledby="pbl-title" data-testid="pay-by-link-card">
      <h2 id="pbl-title">{t('cashless.payByLink')}</h2>
      <label className="switch">
        <input
          type="checkbox"
          role="switch"
          aria-checked={on}
          checked={on}
          disabled={!settings.connected || action.pending}
          onChange={(e) => void toggle(e.target.checked)}
          data-testid="pay-by-link-toggle"
        />
        {t('cashless.payByLinkToggle')}
      </label>
      <p className="muted small" data-testid="pay-by-link-state">
        {settings.available
          ? t('cashless.available')
          : settings.connected
            ? t('cashless.switchedOff')
            : t('cashless.connectFirst')}
      </p>
      <ErrorNote error={action.error} />
    </section>
  );
}

function FiscalizationCard({ settings, onSaved }: CardProps) {
  const { t } = useI18n();
  const { company, api } = useCompany();
  const [enabled, setEnabled] = useState(settings.fiscalization.enabled);
  const [taxSystem, setTaxSystem] = useState(settings.fiscalization.taxSystem ?? company.defaultTaxSystem);
  const [delivery, setDelivery] = useState(settings.fiscalization.delivery);
  const action = useSaveForm();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    action.hideSaved();
    await action.save(() => api.cashless.update({ fiscalization: { enabled, taxSystem, delivery } }), onSaved);
  };
  return (
    <form
      className="card stack"
      onSubmit={(e) => void submit(e)}
      aria-labelledby="fisc-title"
      data-testid="fiscalization-card"
    >
      <h2 id="fisc-title">{t('cashless.fiscalization')}</h2>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={enabled}
          onChange={(e) => setEnabled(e.target.checked)}
          data-testid="fiscalization-enabled"
        />
        {t('cashless.fiscalizationEnabled')}
      </label>
      <TaxSystemSelect id="fc-tax" value={taxSystem} onChange={setTaxSystem} testId="fiscalization-tax-system" />
      <div className="field">
        <label htmlFor="fc-delivery">{t('cashless.delivery')}</label>
        <select
          id="fc-delivery"
          value={delivery}
          onChange={(e) => setDelivery(e.target.value as typeof delivery)}
          data-testid="fiscalization-delivery"
        >
          {RECEIPT_DELIVERY.map((d) => (
            <option key={d} value={d}>
              {t(dynamicKey('cashless.deliveryOption', d))}
            </option>
          ))}
        </select>
      </div>
      <ErrorNote error={action.error} />
      <div className="actions">
        <button type="submit" disabled={action.pending} data-testid="save-fiscalization">
          {t('common.save')}
        </button>
        <SavedNote shown={action.saved} className="muted" />
      </div>
    </form>
  );
}
