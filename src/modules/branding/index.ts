/**
 * The door of `branding`: R39, a company's logo, accent colour and contact line on what its clients see.
 */
export { BrandingService, findMailBrand, LOGO_MAX_BYTES, type BrandingView } from './branding.service.js';
export { mailAccent, mailBrandHeader, mailContactHtml, type MailBrand } from './domain/mail-brand.js';
export { logoPath } from '../../shared/logo-path.js';
export { BUTTON_TEXT } from './domain/contrast.js';
