import { DomainError } from '../../../shared/errors.js';
import { isNormalizedPhone, normalizeEmail, normalizePhone } from '../../clients/domain/contact.js';

/** R26: a fiscal receipt goes to the client's email or phone; without either, the page asks. */
export function needsContact(input: { fiscalization: boolean; email: string | null; phone: string | null }): boolean {
  return input.fiscalization && !input.email && !input.phone;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The contact typed on the link page: an email or a phone in international form. */
export function parseContact(raw: string | undefined): string {
  const value = (raw ?? '').trim();
  if (value === '')
    throw new DomainError('contact_required', 'an email or phone number is needed for the receipt', {
      field: 'contact',
    });
  if (value.includes('@')) {
    const email = normalizeEmail(value);
    if (value.length <= 254 && EMAIL.test(email)) return email;
  } else {
    const phone = normalizePhone(value);
    if (isNormalizedPhone(phone)) return phone;
  }
  throw new DomainError(
    'validation_failed',
    'enter an email address or a phone number starting with + and the country code',
    { field: 'contact' },
  );
}

/** R41: the optional email typed on the link page for the payment confirmation; blank is none. */
export function parseConfirmationEmail(raw: string | undefined): string | null {
  const value = (raw ?? '').trim();
  if (value === '') return null;
  const email = normalizeEmail(value);
  if (value.length <= 254 && EMAIL.test(email)) return email;
  throw new DomainError('validation_failed', 'enter an email address like name@example.com', { field: 'email' });
}
