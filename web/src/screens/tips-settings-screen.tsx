import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import type { TipSettings } from '../api/types';
import { ErrorNote } from '../components/error-note';
import { SavedNote } from '../components/saved-note';
import { Loaded } from '../components/states';
import { useI18n } from '../i18n';
import { useResource } from '../lib/use-async';
import { useSaveForm } from '../lib/use-save-form';
import { useCompany } from '../session';

/** Settings → Tips (R40): tips on the link page, off by default, never offered with fiscalization on. */
export function TipsSettingsScreen() {
  const { t } = useI18n();
  const { api } = useCompany();
  const settings = useResource(() => api.tips.get(), [api]);
  return (
    <section className="screen" aria-labelledby="tips-title">
      <h1 id="tips-title">{t('tips.title')}</h1>
      <p className="hint">{t('tips.intro')}</p>
      <Loaded data={settings.data} error={settings.error} reload={settings.reload}>
        {(data) => <TipsForm settings={data} onSaved={settings.setData} />}
      </Loaded>
    </section>
  );
}

const SLOTS = [0, 1, 2, 3] as const;

function TipsForm({ settings, onSaved }: { settings: TipSettings; onSaved: (s: TipSettings) => void }) {
  const { t } = useI18n();
  const { api } = useCompany();
  const [enabled, setEnabled] = useState(settings.enabled);
  const [presets, setPresets] = useState<string[]>(SLOTS.map((i) => String(settings.presets[i] ?? '')));
  const action = useSaveForm();
  const refused = action.error instanceof ApiError ? action.error : undefined;
  const presetsRefused = refused?.details.field === 'presets' || refused?.code === 'validation_failed';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    action.hideSaved();
    const values = presets
      .map((p) => p.trim())
      .filter((p) => p !== '')
      .map(Number);
    await action.save(() => api.tips.update({ ...(settings.available ? { enabled } : {}), presets: values }), onSaved);
  };

  return (
    <form
      className="card stack"
      onSubmit={(e) => void submit(e)}
      aria-labelledby="tips-card-title"
      data-testid="tips-card"
    >
      <h2 id="tips-card-title">{t('tips.linkPage')}</h2>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={enabled && settings.available}
          disabled={!settings.available || action.pending}
          onChange={(e) => setEnabled(e.target.checked)}
          aria-describedby="tips-state"
          data-testid="tips-enabled"
        />
        {t('tips.enabled')}
      </label>
      <p className="muted small" id="tips-state" data-testid="tips-state">
        {!settings.available ? t('tips.fiscalization') : settings.offered ? t('tips.offered') : t('tips.off')}
      </p>
      {settings.available && (
        <fieldset className="stack" aria-describedby="tips-presets-hint">
          <legend>{t('tips.presets')}</legend>
          <small className="hint" id="tips-presets-hint">
            {t('tips.presetsHint')}
          </small>
          <div className="tip-presets">
            {SLOTS.map((i) => (
              <div className="field" key={i}>
                <label htmlFor={`tip-preset-${i}`}>{t('tips.preset', { n: i + 1 })}</label>
                <input
                  id={`tip-preset-${i}`}
                  type="number"
                  inputMode="numeric"
                  min={0}
                  max={30}
                  step={1}
                  value={presets[i]}
                  aria-invalid={presetsRefused || undefined}
                  onChange={(e) => setPresets((now) => now.map((p, k) => (k === i ? e.target.value : p)))}
                  data-testid={`tip-preset-${i}`}
                />
              </div>
            ))}
          </div>
        </fieldset>
      )}
      {refused?.code === 'tips_unavailable' ? (
        <div className="error-note" role="alert" data-testid="tips-error">
          {t('tips.fiscalization')}
        </div>
      ) : presetsRefused ? (
        <div className="error-note" role="alert" data-testid="tips-error">
          {t('tips.presetsInvalid')}
        </div>
      ) : (
        <ErrorNote error={action.error} testId="tips-error" />
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={action.pending} data-testid="tips-save">
          {t('common.save')}
        </button>
        <SavedNote shown={action.saved} className="muted" testId="tips-saved" />
      </div>
    </form>
  );
}
