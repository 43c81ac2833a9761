import type { LinkPageTipsView } from './link-page-tips.js';

/** Everything the public link page shows, already computed; rendering is a pure function of it. */
export type LinkPageState =
  /** payable: shows the Pay button (and a contact field when `needsContact`) */
  | 'payable'
  /** an attempt is in progress at the provider until `attemptExpiresAt`; Pay continues it */
  | 'paying'
  /** the link collected what it should: a paid confirmation, no button */
  | 'paid'
  /** switched off, disabled, appointment cancelled or nothing due */
  | 'unavailable';

export interface LinkPageItem {
  title: string;
  quantity: number;
  /** formatted line total */
  total: string;
}

/** R39: the company's branding as the client's pages show it; every part optional. */
export interface PageBrand {
  /** `#rrggbb`, checked for contrast with white text when set */
  accentColor: string | null;
  contactLine: string | null;
  /** the logo's own path (content-hashed) and pixel size */
  logo: { path: string; width: number; height: number } | null;
}

export interface LinkPageView {
  state: LinkPageState;
  /** ready-to-use form action and return paths, token included */
  payPath: string;
  companyName: string;
  /** R39 */
  brand?: PageBrand;
  /** formatted in the company's time zone and the page's locale */
  appointmentDateTime: string;
  staffName: string;
  /** first name only (R8) */
  clientFirstName: string;
  items: LinkPageItem[];
  total: string;
  alreadyPaid: string;
  /** what pressing Pay charges now (R9) */
  amountNow: string;
  /** R41, on the return page: what the client just paid through this link */
  paidNow?: string;
  /** R40: the tip inside paidNow, when there was one */
  paidTip?: string;
  /** when state is paying: the attempt's expiry as "HH:MM" in the company's time zone; the page words "until" */
  attemptExpiresAt?: string;
  /** R26: ask for an email or phone before Pay */
  needsContact: boolean;
  /** R41: offer an optional email for the payment confirmation (the client has none) */
  askEmail?: boolean;
  /** what the client typed into `email`, echoed back with `error` */
  email?: string;
  /** an error to show above the button, already localized (e.g. invalid contact) */
  error?: string;
  /** what the client typed into `contact`, echoed back with `error` so they need not retype it */
  contact?: string;
  /**
   * a link for a fixed amount: that amount, and what of the visit remains to be paid at the business
   * once this link is paid (null when nothing does)
   */
  fixed?: { amount: string; remaining: string | null };
  /** R40: the tip fields of the Pay form, when the company offers tips */
  tips?: LinkPageTipsView;
  /** why unavailable: 'disabled' | 'switched_off' | 'cancelled' | 'nothing_due' */
  unavailableReason?: 'disabled' | 'switched_off' | 'cancelled' | 'nothing_due';
}

export type Locale = 'en' | 'ru';
