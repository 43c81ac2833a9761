import { taxSystemsOf, VAT_CODES, type VatCode } from '../api/types';
import { dynamicKey, useI18n } from '../i18n';
import { useCompany } from '../session';

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
  const { company } = useCompany();
  return (
    <div className="field-row">
      <div className="field">
        <label htmlFor={`${idPrefix}-tax`}>{t('catalog.taxSystem')}</label>
        <select id={`${idPrefix}-tax`} value={taxSystem} onChange={(e) => onChange({ taxSystem: e.target.value })}>
          {taxSystemsOf(company.country).map((s) => (
            <option key={s} value={s}>
              {t(dynamicKey('tax', s))}
            </option>
          ))}
        </select>
      </div>
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
