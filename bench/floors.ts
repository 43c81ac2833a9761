import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import { hashLinkToken, isWellFormedToken } from '../src/modules/links/domain/link-token.js';
import { newId } from '../src/shared/ids.js';
import { addShapeFloors } from './shape-floors.js';

/**
 * The floors of SPEC §7: what the same kind of server (Fastify, node-postgres, the same pool size,
 * one process) does when it does nothing but the essential work of a route. Visitpay's figures are
 * printed as a ratio of these, measured minutes apart on the same machine and database.
 *
 * (a) `GET /floor/page/:token`: one indexed SELECT of payment_links by token hash, a few bytes of HTML.
 * (b) `POST /floor/pay/:token`: the Pay transaction's shape — the link row locked, an attempt
 *     inserted, the appointment updated, commit — then one HTTP call to a local provider stub.
 * Beside them, shape-floors.ts serves Visitpay's own SQL the same bare way (diagnostic, no bar).
 */
export async function buildFloorApp(deps: {
  databaseUrl: string;
  poolSize: number;
  stubUrl: string;
}): Promise<{ app: FastifyInstance; closePool(): Promise<void> }> {
  const pool = new pg.Pool({
    connectionString: deps.databaseUrl,
    max: deps.poolSize,
    application_name: 'visitpay-floor',
  });
  pool.on('error', () => undefined);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const stub = new URL(deps.stubUrl);
  const app = Fastify({ logger: false });
  // The Pay form posts urlencoded; the floor reads nothing from it.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );

  app.get<{ Params: { token: string } }>('/floor/page/:token', async (req, reply) => {
    if (!isWellFormedToken(req.params.token)) return reply.code(404).send('not found');
    const { rows } = await pool.query<{ id: string; status: string; amount: string | null }>(
      'SELECT id, status, amount FROM payment_links WHERE token_hash = $1',
      [hashLinkToken(req.params.token)],
    );
    const row = rows[0];
    if (!row) return reply.code(404).send('not found');
    return reply
      .type('text/html; charset=utf-8')
      .send(`<!doctype html><title>Pay</title><p>${row.id} ${row.status}</p>`);
  });

  app.post<{ Params: { token: string } }>('/floor/pay/:token', async (req, reply) => {
    if (!isWellFormedToken(req.params.token)) return reply.code(404).send('not found');
    const attempt = await inTransaction(pool, async (client) => {
      const { rows } = await client.query<{ id: string; company_id: string; appointment_id: string }>(
        'SELECT id, company_id, appointment_id FROM payment_links WHERE token_hash = $1 FOR UPDATE',
        [hashLinkToken(req.params.token)],
      );
      const link = rows[0];
      if (!link) return undefined;
      const now = new Date();
      const attempt = { id: newId('attempt'), amount: 9_500 };
      await client.query(
        `INSERT INTO checkout_attempts (id, company_id, appointment_id, link_id, provider, amount, currency, status, expires_at, created_at, updated_at, check_at)
         VALUES ($1, $2, $3, $4, 'sandbox', $5, 'EUR', 'creating', $6, $7, $7, $8)`,
        [
          attempt.id,
          link.company_id,
          link.appointment_id,
          link.id,
          attempt.amount,
          new Date(now.getTime() + 3_600_000),
          now,
          new Date(now.getTime() + 120_000),
        ],
      );
      await client.query('UPDATE appointments SET locked_until = $1 WHERE id = $2', [
        new Date(now.getTime() + 900_000),
        link.appointment_id,
      ]);
      return attempt;
    });
    if (!attempt) return reply.code(404).send('not found');
    const checkout = await postJson<{ url: string }>(agent, stub, {
      attemptId: attempt.id,
      amount: attempt.amount,
      currency: 'EUR',
    });
    return reply.header('cache-control', 'no-store').redirect(checkout.url, 303);
  });

  addShapeFloors(app, pool);
  return { app, closePool: () => pool.end() };
}

/**
 * `work` in a transaction on a connection of its own: committed when it returns, rolled back when
 * it throws or answers undefined (nothing found).
 */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T | undefined>,
): Promise<T | undefined> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query(result === undefined ? 'ROLLBACK' : 'COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

function postJson<T>(agent: http.Agent, url: URL, payload: unknown): Promise<T> {
  const body = JSON.stringify(payload);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: '/checkouts',
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          res.statusCode === 201
            ? resolve(JSON.parse(text) as T)
            : reject(new Error(`stub answered ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The provider stub the Pay floor calls: answers every create with a checkout URL, as a provider would. */
export async function startProviderStub(): Promise<{ url: string; calls(): number; close(): Promise<void> }> {
  let calls = 0;
  const server = http.createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      calls++;
      const { attemptId } = JSON.parse(text || '{}') as { attemptId?: string };
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: `chk_${attemptId ?? calls}`,
          url: `http://127.0.0.1/stub/checkout/${attemptId ?? calls}`,
        }),
      );
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls: () => calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
