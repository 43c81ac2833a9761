import { randomBytes } from 'node:crypto';

/** Prefixes of every public id: the prefix says what an id is, the rest says nothing. */
export const ID_PREFIX = {
  company: 'co',
  user: 'usr',
  session: 'ses',
  staff: 'stf',
  client: 'cli',
  service: 'svc',
  product: 'prd',
  appointment: 'appt',
  item: 'item',
  payment: 'pay',
  link: 'pl',
  attempt: 'att',
  request: 'req',
  refund: 'rfd',
  sandbox_checkout: 'sbx',
  sandbox_refund: 'sbr',
  sandbox_event: 'evt',
  sandbox_notification: 'sbn',
} as const;

export type IdKind = keyof typeof ID_PREFIX;

/** A new opaque id: prefix + 16 random bytes in base32-ish lowercase. */
export function newId(kind: IdKind): string {
  return `${ID_PREFIX[kind]}_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;
}
