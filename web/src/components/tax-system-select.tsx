import { dynamicKey, useI18n } from '../i18n';
import { useCompany } from '../session';

/** The taxation systems of the company's country, as the server lists them (R23), with their label. */
export function TaxSystemSelect({
  id,
  value,
  onChange,
  testId,
}: {
  id: string;
  value: string;
  onChange: (taxSystem: string) => void;
  testId?: string;
}) {
  const { t } = useI18n();
  const { company } = useCompany();
  return (
    <div className="field">
      <label htmlFor={id}>{t('catalog.taxSystem')}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        {company.taxSystems.map((s) => (
          <option key={s} value={s}>
            {t(dynamicKey('tax', s))}
          </option>
        ))}
      </select>
    </div>
  );
}
