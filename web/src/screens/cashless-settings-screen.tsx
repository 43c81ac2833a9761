import { useState, type FormEvent } from 'react';
import { RECEIPT_DELIVERY, type CashlessSettings, type ProviderName } from '../api/types';
import { ErrorNote } from '../components/error-note';
import { WebhookReachNote } from '../components/link-reach';
import { Loaded } from '../components/states';
import { TaxSystemSelect } from '../components/tax-system-select';
import { dynamicKey, useI18n } from '../i18n';
import { copyText } from '../lib/clipboard';
import { useAction } from '../lib/use-async';
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
      {Object.keys(settings.credentialsHint).length > 0 && (
        <dl className="facts small">
          {Object.entries(settings.credentialsHint).map(([k, v]) => (
            <div key={k} className="fact">
              <dt>{k}</dt>
              <dd>
                <code>{v}</code>
              </dd>
            </div>
          ))}
        </dl>
      )}
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
      {CREDENTIALS[provider].map((field) => (
        <div className="field" key={`${provider}-${field.name}`}>
          <label htmlFor={`cl-${field.name}`}>
            {t(dynamicKey('cashless.credential', field.name))}
            {field.optional && <span className="muted"> ({t('common.optional')})</span>}
          </label>
          <input
            id={`cl-${field.name}`}
            type={field.secret ? 'password' : 'text'}
            autoComplete="off"
            required={!field.optional}
            value={values[field.name] ?? ''}
            onChange={(e) => setValues((v) => ({ ...v, [field.name]: e.target.value }))}
            data-testid={`credential-${field.name}`}
          />
        </div>
      ))}
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
      <ErrorNote error={action.error} testId="connect-error" />
      <div className="actions">
        <button type="submit" className="primary" disabled={action.pending} data-testid="connect-provider">
          {action.pending
            ? t('cashless.connecting')
            : settings.connected
              ? t('cashless.reconnect')
              : t('cashless.connect')}
        </button>
      </div>
    </form>
  );
}

function PayByLinkCard({ settings, onSaved }: CardProps) {
  const { t } = useI18n();
  const { api } = useCompany();
  const action = useAction();
  // The switch moves at once; a refusal puts it back.
  const [on, setOn] = useState(settings.payByLinkEnabled);
  const toggle = async (enabled: boolean) => {
    setOn(enabled);
    const saved = await action.run(() => api.cashless.update({ payByLinkEnabled: enabled }));
    if (saved) onSaved(saved);
    setOn(saved ? saved.payByLinkEnabled : !enabled);
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
  const [saved, setSaved] = useState(false);
  const action = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const result = await action.run(() => api.cashless.update({ fiscalization: { enabled, taxSystem, delivery } }));
    if (result) {
      onSaved(result);
      setSaved(true);
    }
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
        {saved && (
          <span role="status" className="muted">
            {t('common.saved')}
          </span>
        )}
      </div>
    </form>
  );
}
