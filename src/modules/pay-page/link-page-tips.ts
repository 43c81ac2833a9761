import { escapeHtml as e } from '../../shared/html.js';
import { tipCap, tipOfPercent, type TipChoice, type TipRefusal } from '../tips/index.js';
import type { Locale } from './link-page-view.js';

/**
 * R40: the tip part of the Pay form — radio buttons for the company's presets (percentages of what
 * is paid now) and a field for the client's own amount. Plain HTML: it works without JavaScript,
 * so the amounts beside the presets are computed here, on the server.
 */

/** What the client sent, echoed back when the page is drawn again with a refusal. */
export interface TipFormInput {
  choice?: string | undefined;
  custom?: string | undefined;
  refusal?: TipRefusal | undefined;
}

export interface LinkPageTipsView {
  legend: string;
  options: { value: string; label: string; checked: boolean }[];
  customLabel: string;
  customHint: string;
  custom: string;
  /** the Pay button's words: the amount on it would leave the tip out, so it names none */
  payLabel: string;
  /** the refusal in the client's words, shown at the field */
  error?: string;
}

const STRINGS = {
  en: {
    legend: (staff: string) => (staff ? `Add a tip for ${staff}?` : 'Add a tip?'),
    none: 'No tip',
    percent: (p: number, amount: string) => `${p}% · ${amount}`,
    customLabel: 'Or your own tip amount',
    payLabel: 'Go to payment',
    customHint: (cap: string) => `Replaces the choice above. Up to ${cap}.`,
    errors: {
      format: 'Enter the tip as a number, e.g. 2.50.',
      negative: 'A tip cannot be negative.',
      above_cap: (cap: string) => `A tip can be at most ${cap}.`,
      unknown_preset: 'Please choose one of the tips offered.',
    },
  },
  ru: {
    legend: (staff: string) => (staff ? `Оставить чаевые специалисту (${staff})?` : 'Оставить чаевые?'),
    none: 'Без чаевых',
    percent: (p: number, amount: string) => `${p}% · ${amount}`,
    customLabel: 'Или своя сумма чаевых',
    payLabel: 'Перейти к оплате',
    customHint: (cap: string) => `Заменяет выбор выше. Не больше ${cap}.`,
    errors: {
      format: 'Введите сумму чаевых числом, например 150 или 2,50.',
      negative: 'Чаевые не могут быть отрицательными.',
      above_cap: (cap: string) => `Чаевые — не больше ${cap}.`,
      unknown_preset: 'Выберите один из предложенных вариантов.',
    },
  },
} as const;

/** The view of the tip fields: "No tip" first (always there), then the presets with their amounts. */
export function linkPageTips(
  staffName: string,
  presets: readonly number[],
  amountNow: number,
  fmt: (amount: number) => string,
  locale: Locale,
  input: TipFormInput = {},
): LinkPageTipsView {
  const t = STRINGS[locale];
  const percents = [0, ...presets.filter((p) => p > 0)];
  const chosen = input.choice !== undefined && percents.map(String).includes(input.choice) ? input.choice : '0';
  const cap = fmt(tipCap(amountNow));
  const error = input.refusal
    ? input.refusal === 'above_cap'
      ? t.errors.above_cap(cap)
      : t.errors[input.refusal]
    : undefined;
  return {
    legend: t.legend(staffName),
    options: percents.map((p) => ({
      value: String(p),
      label: p === 0 ? t.none : t.percent(p, fmt(tipOfPercent(amountNow, p))),
      checked: String(p) === chosen,
    })),
    customLabel: t.customLabel,
    customHint: t.customHint(cap),
    custom: input.custom ?? '',
    payLabel: t.payLabel,
    ...(error ? { error } : {}),
  };
}

/** The client's choice from the posted form: their own amount when typed, else the preset. */
export function tipChoiceOf(form: { tip?: string | undefined; tipCustom?: string | undefined }): TipChoice | undefined {
  if (form.tipCustom !== undefined && form.tipCustom.trim() !== '') return { custom: form.tipCustom };
  if (form.tip === undefined) return undefined;
  return { percent: /^\d{1,3}$/.test(form.tip) ? Number(form.tip) : -1 };
}

/** The tip fields inside the Pay form; the error, when there is one, sits at the custom field it concerns. */
export function renderTipFields(view: LinkPageTipsView): string {
  const radios = view.options
    .map(
      (o, k) =>
        `<div class="tip"><input type="radio" id="tip-${k}" name="tip" value="${e(o.value)}"${o.checked ? ' checked' : ''}>` +
        `<label for="tip-${k}">${e(o.label)}</label></div>`,
    )
    .join('');
  const error = view.error ? `<p class="msg error" id="tip-error" role="alert">${e(view.error)}</p>` : '';
  const described = view.error
    ? 'aria-describedby="tip-error tip-hint" aria-invalid="true"'
    : 'aria-describedby="tip-hint"';
  return (
    `<fieldset class="tips"><legend>${e(view.legend)}</legend>${radios}` +
    `<label for="tip-custom">${e(view.customLabel)}</label>${error}` +
    `<input id="tip-custom" name="tipCustom" type="text" inputmode="decimal" autocomplete="off" maxlength="20" ${described}` +
    `${view.custom ? ` value="${e(view.custom)}"` : ''}>` +
    `<p class="hint" id="tip-hint">${e(view.customHint)}</p></fieldset>`
  );
}

/** The style of the tip fields, appended to the page's one style sheet. */
export const TIP_STYLE =
  '.tips{border:0;margin:0 0 1rem;padding:0}.tips legend{font-weight:600;margin-bottom:.5rem;padding:0}' +
  '.tip{display:flex;align-items:center;gap:.5rem;min-height:2.75rem}.tip input{width:1.25rem;height:1.25rem;min-height:0;margin:0}' +
  '.tip label{margin:0;font-weight:400}.tips #tip-custom{margin-bottom:0}';
