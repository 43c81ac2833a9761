import { z } from 'zod';
import { isNormalizedPhone, normalizeEmail, normalizePhone } from './domain/contact.js';

/**
 * A phone number or an email address as Visitpay takes them, wherever one comes in (a client,
 * a pushed visit, the recipient of a payment link): normalised, then checked.
 */
export const clientPhone = z
  .string()
  .max(32)
  .transform(normalizePhone)
  .refine(isNormalizedPhone, 'must be + and 7 to 15 digits (spaces, dashes and brackets are ignored)');
export const clientEmail = z.string().max(254).transform(normalizeEmail).pipe(z.email('must be an email address'));
