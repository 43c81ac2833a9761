import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** An offer of membership to the holder of an email (S1); the membership exists only once accepted. */
export interface InvitationsTable {
  id: string;
  company_id: string;
  email: string;
  /** how the inviter called the person; the holder chooses their own name when they accept */
  name: string | null;
  role: string;
  rights: string[];
  token_hash: Buffer;
  invited_by: string;
  created_at: Timestamp;
  sent_at: Timestamp;
  delivered_by: 'email' | 'link';
  expires_at: Timestamp;
  accepted_at: Timestamp | null;
  accepted_by: string | null;
  revoked_at: Timestamp | null;
}

/** Sign-in attempts per account in the current window (S9); the key is a hash of the email. */
export interface LoginThrottleTable {
  account_key: Buffer;
  attempts: number;
  window_started_at: Timestamp;
}

export interface AccountTables {
  invitations: InvitationsTable;
  login_throttle: LoginThrottleTable;
}
