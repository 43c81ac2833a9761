import { sql, type Kysely } from 'kysely';

/**
 * R35 automatic reminders.
 * - `reminder_settings`: one row per company, written on the first save; without it reminders are
 *   off (the defaults live in the code, so a company that never saved gets today's defaults).
 * - `link_reminders`: the reminders planned for one send of a link, through that send's channel and
 *   recipient. A durable queue (`send_at`, `tries`): `scheduled` rows are claimed by the
 *   `reminders.send` job; `sending` is the mark committed with the quota unit before the gateway
 *   is called (at-most-once: a row left `sending` by a crash is never sent again); `sent`,
 *   `skipped` (the link was paid, disabled …; `reason` says why), `cancelled` (replaced by a new
 *   send, or stopped by staff) and `failed` (the gateway refused) are final.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE reminder_settings (
      company_id text PRIMARY KEY REFERENCES companies (id),
      enabled boolean NOT NULL,
      offsets jsonb NOT NULL,
      max_count int NOT NULL CHECK (max_count BETWEEN 1 AND 10),
      quiet_from text NOT NULL,
      quiet_to text NOT NULL,
      updated_at timestamptz NOT NULL
    );
    CREATE TABLE link_reminders (
      id text PRIMARY KEY,
      company_id text NOT NULL REFERENCES companies (id),
      appointment_id text NOT NULL REFERENCES appointments (id),
      link_id text NOT NULL REFERENCES payment_links (id),
      channel text NOT NULL,
      recipient text NOT NULL,
      seq int NOT NULL CHECK (seq > 0),
      planned_at timestamptz NOT NULL,
      send_at timestamptz NOT NULL,
      status text NOT NULL CHECK (status IN ('scheduled', 'sending', 'sent', 'skipped', 'cancelled', 'failed')),
      reason text,
      tries int NOT NULL DEFAULT 0,
      sent_at timestamptz,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    );
    CREATE INDEX link_reminders_due_idx ON link_reminders (send_at) WHERE status = 'scheduled';
    CREATE INDEX link_reminders_appointment_idx ON link_reminders (appointment_id, created_at);
    CREATE INDEX link_reminders_link_idx ON link_reminders (link_id);
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
