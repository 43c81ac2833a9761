import { useId, type InputHTMLAttributes } from 'react';
import { useI18n } from '../i18n';
import { currencyExponent, formatMoney } from '../lib/money';
import { useCompany } from '../session';

/** An amount in the company's currency, formatted in the UI's language. */
export function Money({ amount, testId }: { amount: number; testId?: string }) {
  const { locale } = useI18n();
  const { company } = useCompany();
  return (
    <span className="money" data-testid={testId} data-amount={amount}>
      {formatMoney(amount, company.currency, locale)}
    </span>
  );
}

export function useFormatMoney(): (amount: number) => string {
  const { locale } = useI18n();
  const { company } = useCompany();
  return (amount) => formatMoney(amount, company.currency, locale);
}

type MoneyInputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'type'> & {
  label: string;
  value: string;
  onChange: (text: string) => void;
  hint?: string;
  invalid?: boolean;
};

/** A decimal amount typed in major units ("12.50"); the form turns it into minor units with parseDecimal. */
export function MoneyInput({ label, value, onChange, hint, invalid, id, ...rest }: MoneyInputProps) {
  const { company } = useCompany();
  const { lang } = useI18n();
  const autoId = useId();
  // Russian writes the decimal comma; parseDecimal reads either mark.
  const shown = lang === 'ru' ? value.replace('.', ',') : value;
  const inputId = id ?? autoId;
  const hintId = `${inputId}-hint`;
  const decimals = currencyExponent(company.currency);
  return (
    <div className="field">
      <label htmlFor={inputId}>{label}</label>
      <div className="money-input">
        <input
          id={inputId}
          type="text"
          inputMode={decimals > 0 ? 'decimal' : 'numeric'}
          autoComplete="off"
          value={shown}
          aria-invalid={invalid || undefined}
          aria-describedby={hint ? hintId : undefined}
          onChange={(event) => onChange(event.target.value)}
          {...rest}
        />
        <span className="currency" aria-hidden="true">
          {company.currency}
        </span>
      </div>
      {hint && (
        <small id={hintId} className="hint">
          {hint}
        </small>
      )}
    </div>
  );
}
