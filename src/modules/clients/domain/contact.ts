/**
 * Client contacts. Phones are stored in one E.164-like form (`+` and 7–15 digits) so that
 * "+49 170 123-45-67" and "+491701234567" are the same number for search and for receipts (R26).
 */
const PHONE_SEPARATORS = /[\s\-().]/g;

export function normalizePhone(raw: string): string {
  return raw.replace(PHONE_SEPARATORS, '');
}

export function isNormalizedPhone(phone: string): boolean {
  return /^\+\d{7,15}$/.test(phone);
}

export function normalizeEmail(raw: string): string {
  return raw.trim().toLowerCase();
}
