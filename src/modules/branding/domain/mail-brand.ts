import { escapeHtml as e } from '../../../shared/html.js';

/** R39: a company's branding as its emails show it; the logo by absolute URL on the public base URL. */
export interface MailBrand {
  logoUrl: string | null;
  logoWidth: number;
  logoHeight: number;
  accentColor: string | null;
  contactLine: string | null;
}

/** The logo at most this tall in an email (mail clients ignore CSS sizing more often than attributes). */
const LOGO_HEIGHT = 48;

/** The header of an email: the logo, when there is one, above the company's name. */
export function mailBrandHeader(companyName: string, brand: MailBrand | undefined): string {
  const logo =
    brand?.logoUrl && brand.logoHeight > 0
      ? `<img src="${e(brand.logoUrl)}" alt="${e(companyName)}" height="${LOGO_HEIGHT}" width="${Math.round(
          (brand.logoWidth / brand.logoHeight) * LOGO_HEIGHT,
        )}" style="display:block;height:${LOGO_HEIGHT}px;width:auto;max-width:240px;margin:0 0 12px;border:0">`
      : '';
  return `${logo}<p style="margin:0 0 16px;font-size:14px;color:#6e6e73">${e(companyName)}</p>`;
}

/** The button's colour: the company's accent (contrast-checked when set), else the given default. */
export function mailAccent(brand: MailBrand | undefined, fallback: string): string {
  const accent = brand?.accentColor;
  return accent && /^#[0-9a-f]{6}$/.test(accent) ? accent : fallback;
}

/** The contact line under the message, in HTML; empty without one. */
export function mailContactHtml(brand: MailBrand | undefined): string {
  return brand?.contactLine
    ? `<p style="margin:16px 0 0;font-size:13px;color:#6e6e73">${e(brand.contactLine)}</p>`
    : '';
}
