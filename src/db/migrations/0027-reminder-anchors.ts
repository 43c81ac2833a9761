import { sql, type Kysely } from 'kysely';

/**
 * R35: a reminder keeps what its time is counted from — `sent` (the send of the link) or `visit`
 * (back from the appointment's start) — and by how many minutes, so that a "before the visit"
 * reminder follows a moved appointment: its due time is worked out again from the current start
 * when it is decided, and its `send_at` is re-planned when the appointment's time changes.
 * Reminders planned before this migration have neither and keep their fixed time.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE link_reminders
      ADD COLUMN anchor text CHECK (anchor IN ('sent', 'visit')),
      ADD COLUMN offset_minutes int CHECK (offset_minutes > 0),
      ADD CONSTRAINT link_reminders_anchor_offset CHECK ((anchor IS NULL) = (offset_minutes IS NULL));
    CREATE INDEX link_reminders_visit_idx ON link_reminders (appointment_id) WHERE status = 'scheduled' AND anchor = 'visit';
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
