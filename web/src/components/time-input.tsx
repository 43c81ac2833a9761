import type { InputHTMLAttributes } from 'react';
import { useI18n } from '../i18n';

type TimeInputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'value' | 'onChange'> & {
  /** `HH:MM`, 24-hour */
  value: string;
  onChange: (value: string) => void;
};

const TIME = /^([01]?\d|2[0-3]):?([0-5]\d)$/;

/** "9:30", "930", "0930" → "09:30"; anything else is left as typed, for the form to refuse. */
export function normalizeTime(text: string): string {
  const match = TIME.exec(text.trim());
  return match ? `${match[1]!.padStart(2, '0')}:${match[2]}` : text;
}

/**
 * A time of day as the salon writes it, 24-hour "14:30" in both languages of the app. The
 * browser's own time input follows the browser's locale instead of the app's ("03:30 PM" in the
 * Russian UI of an English browser), so this is a text field with a pattern.
 */
export function TimeInput({ value, onChange, onBlur, ...rest }: TimeInputProps) {
  const { t } = useI18n();
  return (
    <input
      {...rest}
      type="text"
      inputMode="numeric"
      autoComplete="off"
      maxLength={5}
      pattern="([01]?[0-9]|2[0-3]):[0-5][0-9]"
      placeholder="14:30"
      title={t('appointment.timeFormat')}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      onBlur={(e) => {
        const normal = normalizeTime(e.target.value);
        if (normal !== e.target.value) onChange(normal);
        onBlur?.(e);
      }}
    />
  );
}
