/**
 * The door of `tips`: R40, tips on the link page: the company's setting, the tip of a press of Pay
 * and the tips ledger beside the payments.
 * Other contexts, jobs and the CLI import from here (see .dependency-cruiser.cjs).
 */
export {
  DEFAULT_TIP_PRESETS,
  parseCustomTip,
  resolveTip,
  tipCap,
  tipOfPercent,
  tipsOffered,
  tipSettingsOf,
} from './domain/tips.js';
export type { TipChoice, TipRefusal, TipResult, TipSettings } from './domain/tips.js';
export { bookTipRefund, readTipSettings, refundableParts, tipsOfPayments } from './tips.repository.js';
export { TipSettingsService } from './tip-settings.service.js';
export type { TipSettingsView } from './tip-settings.service.js';
