import { VAT_CODES, type VatCode } from '../api/types';
import { dynamicKey, useI18n } from '../i18n';
import { TaxSystemSelect } from './tax-system-select';

/** Taxation system (the company country's list) and VAT code of a catalogue item (R23). */
export function TaxFields({
  taxSystem,
  vat,
  onChange,
  idPrefix,
}: {
  taxSystem: string;
  vat: VatCode;
  onChange: (changes: { taxSystem?: string; vat?: VatCode }) => void;
  idPrefix: string;
}) {
  const { t } = useI18n();
  return (
    <div className="field-row">
      <TaxSystemSelect id={`${idPrefix}-tax`} value={taxSystem} onChange={(taxSystem) => onChange({ taxSystem })} />
      <div className="field">
        <label htmlFor={`${idPrefix}-vat`}>{t('catalog.vat')}</label>
        <select id={`${idPrefix}-vat`} value={vat} onChange={(e) => onChange({ vat: e.target.value as VatCode })}>
          {VAT_CODES.map((v) => (
            <option key={v} value={v}>
              {t(dynamicKey('vat', v))}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
