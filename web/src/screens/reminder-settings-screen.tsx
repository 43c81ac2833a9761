import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import type { ReminderOffset, ReminderSettings } from '../api/types';
import { ErrorNote } from '../components/error-note';
import { Loaded } from '../components/states';
import { TimeInput } from '../components/time-input';
import { useI18n } from '../i18n';
import { useResource } from '../lib/use-async';
import { useSaveForm } from '../lib/use-save-form';
import { useCompany } from '../session';

const MAX_TIMES = 10;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * Settings → Reminders (R35): whether a sent, unpaid link reminds the client by itself, when
 * (hours after sending or before the visit), how many times at most, and the quiet hours in the
 * company's zone. Needs `finance.settings`, like the other company settings.
 */
export function ReminderSettingsScreen() {
  const { t } = useI18n();
  const { api } = useCompany();
  const settings = useResource(() => api.reminders.get(), [api]);
  return (
    <section className="screen" aria-labelledby="reminders-title">
      <h1 id="reminders-title">{t('reminders.title')}</h1>
      <p className="hint">{t('reminders.intro')}</p>
      <Loaded data={settings.data} error={settings.error} reload={settings.reload}>
        {(data) => <ReminderForm settings={data} onSaved={settings.setData} />}
      </Loaded>
    </section>
  );
}

/** An offset as the form edits it: hours as typed. */
interface OffsetRow {
  anchor: ReminderOffset['anchor'];
  hours: string;
}

const toRow = (o: ReminderOffset): OffsetRow => ({ anchor: o.anchor, hours: String(o.minutes / 60) });

function ReminderForm({ settings, onSaved }: { settings: ReminderSettings; onSaved: (s: ReminderSettings) => void }) {
  const { t } = useI18n();
  const { api, company } = useCompany();
  const action = useSaveForm();
  const [enabled, setEnabled] = useState(settings.enabled);
  const [rows, setRows] = useState<OffsetRow[]>(settings.offsets.map(toRow));
  const [maxCount, setMaxCount] = useState(String(settings.maxCount));
  const [quietFrom, setQuietFrom] = useState(settings.quietHours.from);
  const [quietTo, setQuietTo] = useState(settings.quietHours.to);
  const [problem, setProblem] = useState<{ field: string; text: string }>();

  // The server names the field it refused (`offsets.1`, `quietHours.from` …); the form says why in the user's language.
  const refused =
    problem ??
    (action.error instanceof ApiError && action.error.code === 'validation_failed'
      ? fieldProblem(String(action.error.details.field ?? ''), t)
      : undefined);
  const errorOf = (field: string) => (refused?.field === field ? refused.text : undefined);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    action.hideSaved();
    action.clear();
    const offsets: ReminderOffset[] = [];
    for (const [i, row] of rows.entries()) {
      const hours = Number(row.hours.replace(',', '.'));
      const minutes = Math.round(hours * 60);
      if (!Number.isFinite(hours) || minutes < 1 || minutes > 720 * 60)
        return setProblem({ field: `offsets.${i}`, text: t('reminders.invalid.hours') });
      offsets.push({ anchor: row.anchor, minutes });
    }
    if (enabled && offsets.length === 0) return setProblem({ field: 'offsets', text: t('reminders.invalid.noTimes') });
    const max = Number(maxCount);
    if (!Number.isInteger(max) || max < 1 || max > MAX_TIMES)
      return setProblem({ field: 'maxCount', text: t('reminders.invalid.maxCount', { max: MAX_TIMES }) });
    if (!TIME.test(quietFrom)) return setProblem({ field: 'quietHours.from', text: t('reminders.invalid.time') });
    if (!TIME.test(quietTo)) return setProblem({ field: 'quietHours.to', text: t('reminders.invalid.time') });
    setProblem(undefined);
    await action.save(
      () => api.reminders.update({ enabled, offsets, maxCount: max, quietHours: { from: quietFrom, to: quietTo } }),
      onSaved,
    );
  };

  const change = (i: number, patch: Partial<OffsetRow>) => {
    action.hideSaved();
    setRows((now) => now.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  };

  return (
    <form className="card stack" onSubmit={(e) => void submit(e)} data-testid="reminder-settings" noValidate>
      <label className="switch">
        <input
          type="checkbox"
          role="switch"
          aria-checked={enabled}
          checked={enabled}
          onChange={(e) => {
            action.hideSaved();
            setEnabled(e.target.checked);
          }}
          data-testid="reminders-enabled"
        />
        {t('reminders.enabled')}
      </label>
      <fieldset className="stack" aria-describedby={errorOf('offsets') ? 'rem-offsets-error' : undefined}>
        <legend>{t('reminders.times')}</legend>
        {rows.map((row, i) => {
          const error = errorOf(`offsets.${i}`) ?? errorOf(`offsets.${i}.minutes`);
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their place
            <div className="reminder-time" key={i} data-testid="reminder-time">
              <div className="field">
                <label htmlFor={`rem-hours-${i}`}>{t('reminders.hours')}</label>
                <input
                  id={`rem-hours-${i}`}
                  type="text"
                  inputMode="decimal"
                  value={row.hours}
                  aria-invalid={error ? true : undefined}
                  aria-describedby={error ? `rem-hours-${i}-error` : undefined}
                  onChange={(e) => change(i, { hours: e.target.value })}
                  data-testid={`reminder-hours-${i}`}
                />
              </div>
              <div className="field">
                <label htmlFor={`rem-anchor-${i}`}>{t('reminders.anchor')}</label>
                <select
                  id={`rem-anchor-${i}`}
                  value={row.anchor}
                  onChange={(e) => change(i, { anchor: e.target.value as OffsetRow['anchor'] })}
                  data-testid={`reminder-anchor-${i}`}
                >
                  <option value="after_sending">{t('reminders.anchor.after_sending')}</option>
                  <option value="before_visit">{t('reminders.anchor.before_visit')}</option>
                </select>
              </div>
              <button
                type="button"
                className="secondary small"
                onClick={() => {
                  action.hideSaved();
                  setRows((now) => now.filter((_, j) => j !== i));
                }}
                aria-label={t('reminders.removeTime', { n: i + 1 })}
                data-testid={`reminder-remove-${i}`}
              >
                {t('reminders.remove')}
              </button>
              {error && (
                <div className="error-note" role="alert" id={`rem-hours-${i}-error`} data-testid="reminders-error">
                  {error}
                </div>
              )}
            </div>
          );
        })}
        {rows.length < MAX_TIMES && (
          <div className="actions">
            <button
              type="button"
              className="secondary"
              onClick={() => {
                action.hideSaved();
                setRows((now) => [...now, { anchor: 'before_visit', hours: '3' }]);
              }}
              data-testid="reminder-add"
            >
              {t('reminders.add')}
            </button>
          </div>
        )}
        {errorOf('offsets') && (
          <div className="error-note" role="alert" id="rem-offsets-error" data-testid="reminders-error">
            {errorOf('offsets')}
          </div>
        )}
      </fieldset>
      <div className="field">
        <label htmlFor="rem-max">{t('reminders.maxCount')}</label>
        <input
          id="rem-max"
          type="number"
          min={1}
          max={MAX_TIMES}
          step={1}
          value={maxCount}
          aria-invalid={errorOf('maxCount') ? true : undefined}
          aria-describedby={errorOf('maxCount') ? 'rem-max-error' : undefined}
          onChange={(e) => {
            action.hideSaved();
            setMaxCount(e.target.value);
          }}
          data-testid="reminders-max"
        />
        {errorOf('maxCount') && (
          <div className="error-note" role="alert" id="rem-max-error" data-testid="reminders-error">
            {errorOf('maxCount')}
          </div>
        )}
      </div>
      <fieldset className="stack">
        <legend>{t('reminders.quietHours', { zone: company.timezone })}</legend>
        <div className="reminder-quiet">
          <div className="field">
            <label htmlFor="rem-quiet-from">{t('reminders.quietFrom')}</label>
            <TimeInput
              id="rem-quiet-from"
              value={quietFrom}
              aria-invalid={errorOf('quietHours.from') ? true : undefined}
              onChange={(v) => {
                action.hideSaved();
                setQuietFrom(v);
              }}
              data-testid="reminders-quiet-from"
            />
          </div>
          <div className="field">
            <label htmlFor="rem-quiet-to">{t('reminders.quietTo')}</label>
            <TimeInput
              id="rem-quiet-to"
              value={quietTo}
              aria-invalid={errorOf('quietHours.to') ? true : undefined}
              onChange={(v) => {
                action.hideSaved();
                setQuietTo(v);
              }}
              data-testid="reminders-quiet-to"
            />
          </div>
        </div>
        {(errorOf('quietHours.from') ?? errorOf('quietHours.to')) && (
          <div className="error-note" role="alert" data-testid="reminders-error">
            {errorOf('quietHours.from') ?? errorOf('quietHours.to')}
          </div>
        )}
        <small className="hint">{t('reminders.quietHint')}</small>
      </fieldset>
      {!refused && <ErrorNote error={action.error} testId="reminders-save-error" />}
      <div className="actions">
        <button type="submit" className="primary" disabled={action.pending} data-testid="reminders-save">
          {t('reminders.save')}
        </button>
        <span aria-live="polite" className="muted" data-testid="reminders-saved">
          {action.saved ? t('reminders.saved') : ''}
        </span>
      </div>
    </form>
  );
}

/** A field the server refused, said in the user's language. */
function fieldProblem(field: string, t: ReturnType<typeof useI18n>['t']): { field: string; text: string } {
  if (field.startsWith('quietHours')) return { field, text: t('reminders.invalid.time') };
  if (field === 'maxCount') return { field, text: t('reminders.invalid.maxCount', { max: MAX_TIMES }) };
  if (field === 'offsets') return { field, text: t('reminders.invalid.noTimes') };
  const row = /^offsets\.(\d+)/.exec(field);
  if (row) return { field: `offsets.${row[1]}`, text: t('reminders.invalid.hours') };
  return { field, text: t('reminders.invalid.other') };
}
