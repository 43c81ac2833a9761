/** Taxation systems by country (SPEC §3) and the VAT codes every item carries. */
export const RUSSIAN_TAX_SYSTEMS = ['osn', 'usn_income', 'usn_income_outcome', 'esn', 'patent'] as const;
export const STANDARD_TAX_SYSTEMS = ['standard'] as const;

export const VAT_CODES = [
  'none',
  'vat0',
  'vat5',
  'vat7',
  'vat10',
  'vat20',
  'vat22',
  'vat5_105',
  'vat7_107',
  'vat10_110',
  'vat20_120',
  'vat22_122',
] as const;
export type VatCode = (typeof VAT_CODES)[number];

export function taxSystemsOf(country: string): readonly string[] {
  return country.toUpperCase() === 'RU' ? RUSSIAN_TAX_SYSTEMS : STANDARD_TAX_SYSTEMS;
}

export function defaultTaxSystemOf(country: string): string {
  return taxSystemsOf(country)[0] ?? 'standard';
}

export function isTaxSystemOf(country: string, taxSystem: string): boolean {
  return taxSystemsOf(country).includes(taxSystem);
}
