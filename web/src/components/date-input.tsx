import { type InputHTMLAttributes, useRef, useState } from 'react';
import { useI18n } from '../i18n';

type DateInputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'value' | 'onChange' | 'min' | 'max'> & {
  /** an ISO day, `YYYY-MM-DD` */
  value: string;
  onChange: (day: string) => void;
  min?: string;
};

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
// Both languages of the app write the day first: 07.12.2026 (ru), 07/12/2026 (en-GB).
const DAY_FIRST = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/;

/** The ISO day of what was typed (day first, or ISO), or undefined when it is no real date. */
export function parseDay(text: string): string | undefined {
  const trimmed = text.trim();
  const iso = ISO.exec(trimmed);
  const local = DAY_FIRST.exec(trimmed);
  const [y, m, d] = iso
    ? [Number(iso[1]), Number(iso[2]), Number(iso[3])]
    : local
      ? [Number(local[3]), Number(local[2]), Number(local[1])]
      : [0, 0, 0];
  if (!y) return undefined;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export function formatDayNumeric(day: string, locale: string): string {
  const match = ISO.exec(day);
  if (!match) return day;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }).format(
    date,
  );
}

/**
 * A day written as the app's language writes it (07.12.2026, 07/12/2026), with the browser's
 * calendar one button away. The browser's own date field follows the browser's locale instead
 * (12/07/2026 in the Russian UI of an American browser), so the text is ours and the picker is
 * the browser's.
 */
export function DateInput({ value, onChange, min, id, className, ...rest }: DateInputProps) {
  const { t, locale } = useI18n();
  const [draft, setDraft] = useState<string>();
  const picker = useRef<HTMLInputElement>(null);
  const shown = draft ?? formatDayNumeric(value, locale);
  const parsed = draft === undefined ? value : parseDay(draft);
  const problem = parsed === undefined ? t('date.invalid') : min && parsed < min ? t('date.beforeMin') : '';
  return (
    <span className={`date-input ${className ?? ''}`}>
      <input
        {...rest}
        id={id}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        placeholder={formatDayNumeric('2026-12-31', locale)}
        value={shown}
        ref={(input) => input?.setCustomValidity(problem)}
        onChange={(e) => {
          setDraft(e.target.value);
          const day = parseDay(e.target.value);
          if (day) onChange(day);
        }}
        onBlur={() => setDraft(undefined)}
      />
      <button
        type="button"
        className="secondary date-picker-button"
        aria-label={t('date.pick')}
        title={t('date.pick')}
        onClick={() => {
          const proxy = picker.current;
          if (!proxy) return;
          if (typeof proxy.showPicker === 'function') proxy.showPicker();
          else proxy.focus();
        }}
      >
        <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
          <rect x="1.5" y="3" width="13" height="11.5" rx="1.5" fill="none" stroke="currentColor" />
          <path d="M1.5 6.5h13M5 1.5v3M11 1.5v3" stroke="currentColor" />
        </svg>
      </button>
      <input
        ref={picker}
        className="date-picker-proxy"
        type="date"
        tabIndex={-1}
        aria-hidden="true"
        value={value}
        min={min}
        onChange={(e) => {
          if (!parseDay(e.target.value)) return;
          setDraft(undefined);
          onChange(e.target.value);
        }}
      />
    </span>
  );
}
