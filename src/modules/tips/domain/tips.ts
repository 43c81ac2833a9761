import { currencyExponent } from '../../../shared/money.js';

/**
 * R40: tips on the link page. Pure rules: the company's settings, a preset's amount, and what
 * the client typed into the custom field, all in integer minor units of the company's currency.
 */

export const DEFAULT_TIP_PRESETS: readonly number[] = [0, 5, 10, 15];
export const MAX_TIP_PRESETS = 4;
export const MAX_TIP_PRESET_PERCENT = 30;

export interface TipSettings {
  enabled: boolean;
  /** whole percentages of what the client pays now, 0–30, at most 4 */
  presets: number[];
}

/** A company without a settings row: tips off, the default presets ready to switch on. */
export function tipSettingsOf(row: { enabled: boolean; presets: number[] } | undefined | null): TipSettings {
  return row
    ? { enabled: row.enabled, presets: row.presets.map(Number) }
    : { enabled: false, presets: [...DEFAULT_TIP_PRESETS] };
}

/** Tips are offered only when switched on and while fiscalization is off (a tip has no place in a 54-FZ receipt). */
export function tipsOffered(settings: TipSettings, fiscalization: boolean): boolean {
  return settings.enabled && !fiscalization;
}

/**
 * A preset's tip: `percent` % of `amount`, rounded half up to a whole minor unit (integer maths:
 * 5 % of 4101 cents is 205.05 → 205; of 4110 is 205.5 → 206).
 */
export function tipOfPercent(amount: number, percent: number): number {
  if (amount <= 0 || percent <= 0) return 0;
  return Math.floor((amount * percent + 50) / 100);
}

/**
 * The cap of a custom tip: what the client pays now (100 %). Above that a typo is far likelier
 * than generosity ("4100" typed for "41.00"), and the client is asked again.
 */
export function tipCap(amount: number): number {
  return Math.max(0, amount);
}

export type TipRefusal = 'format' | 'negative' | 'above_cap' | 'unknown_preset';

/** What the client chose on the page: one of the radio buttons, or the custom field. */
export type TipChoice = { percent: number } | { custom: string };

export type TipResult = { ok: true; tip: number } | { ok: false; refusal: TipRefusal };

/**
 * A custom tip as typed, parsed in the currency's minor units: digits with at most the currency's
 * decimals, `.` or `,` as the separator (Russian writes 4,10), spaces between thousands allowed.
 * Empty means no tip. Letters, signs or too many decimals are refused.
 */
export function parseCustomTip(raw: string, currency: string): TipResult {
  const text = raw.replace(/[\s\u00a0\u202f]/g, '');
  if (text === '') return { ok: true, tip: 0 };
  if (/^-/.test(text) && /^-\d/.test(text)) return { ok: false, refusal: 'negative' };
  const exponent = currencyExponent(currency);
  const match = /^(\d{1,12})(?:[.,](\d*))?$/.exec(text);
  if (!match) return { ok: false, refusal: 'format' };
  const fraction = match[2] ?? '';
  if (fraction.length > exponent) return { ok: false, refusal: 'format' };
  const minor = Number(match[1]) * 10 ** exponent + Number(fraction.padEnd(exponent, '0') || '0');
  if (!Number.isSafeInteger(minor)) return { ok: false, refusal: 'above_cap' };
  return { ok: true, tip: minor };
}

/** The tip of a press of Pay, given what is charged now; refused choices write nothing. */
export function resolveTip(
  choice: TipChoice | undefined,
  input: { amount: number; currency: string; presets: readonly number[] },
): TipResult {
  if (!choice) return { ok: true, tip: 0 };
  if ('percent' in choice) {
    // "No tip" is always on offer, whatever the presets
    if (choice.percent !== 0 && !input.presets.includes(choice.percent))
      return { ok: false, refusal: 'unknown_preset' };
    return { ok: true, tip: tipOfPercent(input.amount, choice.percent) };
  }
  const parsed = parseCustomTip(choice.custom, input.currency);
  if (!parsed.ok) return parsed;
  if (parsed.tip > tipCap(input.amount)) return { ok: false, refusal: 'above_cap' };
  return parsed;
}
