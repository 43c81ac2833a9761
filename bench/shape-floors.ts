import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { hashLinkToken, isWellFormedToken } from '../src/modules/links/domain/link-token.js';
import { LINK_PAGE_STATE_SQL } from '../src/modules/pay-page/link-page.service.js';
import { newId } from '../src/shared/ids.js';
import { inTransaction } from './floors.js';

/**
 * Diagnostic floors: Visitpay's own SQL and bytes, served by the bare server of floors.ts without
 * Visitpay's code (no Kysely, no services, no rules, no templates). They split the distance between
 * a figure and its SPEC §7 floor in two: the floor → the shape is what the rules' statements and the
 * page's bytes cost; the shape → Visitpay is what Visitpay's own code costs on top.
 *
 * (a′) `GET /floor/page-shape/:token`: the link page's own query (LINK_PAGE_STATE_SQL, prepared),
 *      then an HTML body of the page's size.
 * (b′) `POST /floor/pay-shape/:token`: the statements Pay makes on a fresh link with the sandbox
 *      provider: BEGIN, lock link and appointment, read what the decision needs, write the attempt
 *      with the lock and its audit entry, COMMIT; the sandbox bank's insert of its checkout; the
 *      attempt's update to pending. It runs on floor (b)'s links, pressed again and again, and its
 *      lock waits rather than skips: a bare route has no "busy, try again" of Pay's to answer with.
 */
export function addShapeFloors(app: FastifyInstance, pool: pg.Pool): void {
  // The page's size (bench/run.ts prints it as "link page transferred") in plain text.
  const body = `<!doctype html><title>Pay</title><p>${'x'.repeat(4_000)}</p>`;
  app.get<{ Params: { token: string } }>('/floor/page-shape/:token', async (req, reply) => {
    if (!isWellFormedToken(req.params.token)) return reply.code(404).send('not found');
    const { rows } = await pool.query<{ id: string }>({
      name: 'floor_page_shape',
      text: LINK_PAGE_STATE_SQL,
      values: [hashLinkToken(req.params.token)],
    });
    if (!rows[0]) return reply.code(404).send('not found');
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
  });

  app.post<{ Params: { token: string } }>('/floor/pay-shape/:token', async (req, reply) => {
    if (!isWellFormedToken(req.params.token)) return reply.code(404).send('not found');
    const now = new Date();
    const attemptId = newId('attempt');
    const checkoutId = newId('sandbox_checkout');
    const companyId = await inTransaction(pool, async (client) => {
      const locked = await client.query<{
        id: string;
        company_id: string;
        appointment_id: string;
        client_id: string;
      }>({ name: 'floor_shape_lock', text: LOCK_SQL, values: [hashLinkToken(req.params.token)] });
      const link = locked.rows[0];
      if (!link) return undefined;
      await client.query({
        name: 'floor_shape_context',
        text: CONTEXT_SQL,
        values: [link.appointment_id, link.id, link.client_id, link.company_id],
      });
      await client.query({
        name: 'floor_shape_attempt',
        text: ATTEMPT_SQL,
        values: [
          attemptId,
          link.company_id,
          link.appointment_id,
          link.id,
          9_500,
          new Date(now.getTime() + 3_600_000),
          now,
          new Date(now.getTime() + 120_000),
          new Date(now.getTime() + 900_000),
          JSON.stringify({ amount: 9_500, provider: 'sandbox', linkId: link.id }),
        ],
      });
      return link.company_id;
    });
    if (!companyId) return reply.code(404).send('not found');
    await pool.query({
      name: 'floor_shape_checkout',
      text: CHECKOUT_SQL,
      values: [checkoutId, companyId, attemptId, 9_500, now, new Date(now.getTime() + 3_600_000)],
    });
    const url = `http://127.0.0.1/sandbox/checkout/${checkoutId}`;
    await pool.query({
      name: 'floor_shape_pending',
      text: PENDING_SQL,
      values: [checkoutId, url, now, new Date(now.getTime() + 120_000), attemptId],
    });
    return reply.header('cache-control', 'no-store').redirect(url, 303);
  });
}

const LOCK_SQL = `
  SELECT l.id, l.company_id, l.appointment_id, l.status, l.amount, l.token_sealed, a.status AS appointment_status,
         a.starts_at, a.client_id, a.deleted_at IS NOT NULL AS deleted
    FROM payment_links l JOIN appointments a ON a.id = l.appointment_id
   WHERE l.token_hash = $1
     FOR UPDATE OF l, a`;

const CONTEXT_SQL = `
  SELECT (SELECT COALESCE(json_agg(i ORDER BY i.created_at, i.id), '[]') FROM appointment_items i WHERE i.appointment_id = $1) AS items,
         pm.paid, pm.collected,
         EXISTS (SELECT 1 FROM checkout_attempts t WHERE t.link_id = $2 AND t.status IN ('creating', 'pending')) AS has_open,
         cl.email, cl.phone, c.name, c.currency, c.timezone, c.country,
         cs.provider, cs.credentials_sealed, cs.pay_by_link_enabled, cs.fiscalization
    FROM companies c
    JOIN clients cl ON cl.id = $3
    LEFT JOIN cashless_settings cs ON cs.company_id = c.id
    CROSS JOIN LATERAL (
      SELECT COALESCE(SUM(p.amount), 0)::int8 AS paid, COALESCE(SUM(p.amount) FILTER (WHERE p.link_id = $2), 0)::int8 AS collected
        FROM payments p WHERE p.appointment_id = $1 AND p.voided_at IS NULL) pm
   WHERE c.id = $4`;

const ATTEMPT_SQL = `
  WITH attempt AS (
    INSERT INTO checkout_attempts (id, company_id, appointment_id, link_id, provider, amount, currency, status, expires_at, created_at, updated_at, check_at)
    VALUES ($1, $2, $3, $4, 'sandbox', $5, 'EUR', 'creating', $6, $7, $7, $8)),
  locked AS (UPDATE appointments SET locked_until = $9 WHERE id = $3)
  INSERT INTO audit_log (company_id, at, actor_type, actor_id, action, entity_type, entity_id, appointment_id, amount_before, amount_after, details)
  VALUES ($2, $7, 'client', NULL, 'attempt.created', 'attempt', $1, $3, $5, $5, $10)`;

const CHECKOUT_SQL = `
  INSERT INTO sandbox_checkouts (id, company_id, idempotency_key, amount, currency, description, line_items, metadata, return_url, status, expires_at, created_at)
  VALUES ($1, $2, $3, $4, 'EUR', 'Bench Salon: payment for a visit', '[]', '{}', 'sealed', 'open', $6, $5)
  ON CONFLICT (company_id, idempotency_key) DO NOTHING`;

const PENDING_SQL = `
  UPDATE checkout_attempts SET provider_status = 'open', provider_checkout_id = $1, redirect_url = $2, updated_at = $3, check_at = $4, status = 'pending'
   WHERE id = $5 AND status = 'creating'
  RETURNING *`;
