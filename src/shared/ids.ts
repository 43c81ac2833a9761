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
  settlement_receipt: 'srct',
  sandbox_checkout: 'sbx',
  sandbox_refund: 'sbr',
  sandbox_receipt: 'sbrc',
  sandbox_event: 'evt',
  sandbox_notification: 'sbn',
  webhook_endpoint: 'we',
  invitation: 'inv',
  backup: 'bak',
  reminder: 'rem',
} as const;

export type IdKind = keyof typeof ID_PREFIX;

const ID_BYTES = 12;
/** Random bytes are drawn from the system in blocks: one system call per ~340 ids instead of one each. */
const POOL_BYTES = ID_BYTES * 341;
let pool = Buffer.alloc(0);
let offset = 0;

/** A new opaque id: prefix + 12 random bytes in base64url (with `-` and `_` written as `x`). */
export function newId(kind: IdKind): string {
  if (offset + ID_BYTES > pool.length) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  const random = pool.toString('base64url', offset, offset + ID_BYTES);
  offset += ID_BYTES;
  return `${ID_PREFIX[kind]}_${random.replace(/[-_]/g, 'x')}`;
}
