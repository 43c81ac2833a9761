import { sql, type Kysely } from 'kysely';

/**
 * Pay's first step in one round trip instead of two (SPEC §7): `pay_lock_and_read(token_hash)`
 * locks the link and its appointment (SKIP LOCKED: a press that meets them held answers `busy`
 * at once instead of holding a connection), then reads everything the decision needs.
 *
 * The two are separate statements on purpose. Under READ COMMITTED every statement of a volatile
 * function takes a fresh snapshot, so the read, coming after the lock, sees what the previous
 * holder of the lock committed (its attempt, its payment); one statement doing both would read
 * through the snapshot taken before the lock and could miss them. The decision itself stays in
 * TypeScript (PayService), where the rules are tested.
 *
 * Answers no row for an unknown token, one row with outcome `busy` while another press holds
 * the locks, else one row with outcome `locked` and the context.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE FUNCTION pay_lock_and_read(p_token_hash bytea)
    RETURNS TABLE (
      outcome text,
      link_id text, company_id text, appointment_id text, link_status text, link_amount bigint, token_sealed text,
      appointment_status text, appointment_deleted boolean, starts_at timestamptz,
      items json, paid bigint, collected bigint, has_open boolean,
      email text, phone text, company_name text, currency text, timezone text, country text,
      provider text, credentials_sealed text, pay_by_link_enabled boolean, fiscalization jsonb
    )
    LANGUAGE plpgsql VOLATILE AS $$
    #variable_conflict use_column
    DECLARE
      l record;
    BEGIN
      SELECT pl.id, pl.company_id, pl.appointment_id, pl.status, pl.amount, pl.token_sealed,
             a.status AS appointment_status, a.deleted_at IS NOT NULL AS deleted, a.starts_at, a.client_id
        INTO l
        FROM payment_links pl JOIN appointments a ON a.id = pl.appointment_id
       WHERE pl.token_hash = p_token_hash
         FOR UPDATE OF pl, a SKIP LOCKED;
      IF NOT FOUND THEN
        IF EXISTS (SELECT 1 FROM payment_links x WHERE x.token_hash = p_token_hash) THEN
          outcome := 'busy';
          RETURN NEXT;
        END IF;
        RETURN;
      END IF;
      -- a statement of its own, after the lock: a fresh snapshot
      RETURN QUERY
      SELECT 'locked'::text, l.id, l.company_id, l.appointment_id, l.status, l.amount, l.token_sealed,
        l.appointment_status, l.deleted, l.starts_at,
        (SELECT COALESCE(json_agg(i ORDER BY i.created_at, i.id), '[]') FROM appointment_items i WHERE i.appointment_id = l.appointment_id),
        pm.paid, pm.collected,
        EXISTS (SELECT 1 FROM checkout_attempts t WHERE t.link_id = l.id AND t.status IN ('creating', 'pending')),
        cl.email, cl.phone, c.name, c.currency::text, c.timezone, c.country::text,
        cs.provider, cs.credentials_sealed, cs.pay_by_link_enabled, cs.fiscalization
      FROM companies c
      JOIN clients cl ON cl.id = l.client_id
      LEFT JOIN cashless_settings cs ON cs.company_id = c.id
      CROSS JOIN LATERAL (
        SELECT COALESCE(SUM(p.amount), 0)::int8 AS paid, COALESCE(SUM(p.amount) FILTER (WHERE p.link_id = l.id), 0)::int8 AS collected
          FROM payments p WHERE p.appointment_id = l.appointment_id AND p.voided_at IS NULL) pm
      WHERE c.id = l.company_id;
    END $$;
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
