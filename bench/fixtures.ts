import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { connectDatabase, type DatabaseHandle, type Db } from '../src/db/database.js';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.js';
import { migrateToLatest } from '../src/db/migrator.js';
import { insertUser } from '../src/modules/access/access.repository.js';
import { hashLinkToken, newLinkToken } from '../src/modules/links/domain/link-token.js';
import { checkoutEventData } from '../src/providers/sandbox/sandbox-events.js';
import { SIGNATURE_HEADER, signatureHeader } from '../src/shared/webhook-signature.js';
import type { SandboxCheckoutRow } from '../src/db/schema-payment-links.js';
import { createServices } from '../src/services.js';
import { systemClock } from '../src/shared/clock.js';
import { silentLogger } from '../src/shared/logger.js';
import { SecretBox } from '../src/shared/encryption.js';
import { newId } from '../src/shared/ids.js';
import { Origins } from '../src/shared/origins.js';

/** The bench's data: where PostgreSQL is, a scratch database on it, one salon with thousands of payable links. */

const LOCAL_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const withDatabase = (url: string, name: string) => Object.assign(new URL(url), { pathname: `/${name}` }).toString();

export interface BenchDatabase extends DatabaseHandle {
  /** the server's maintenance database, where scratch databases are created and dropped */
  adminUrl: string;
  url: string;
  name: string;
  where: string;
  /** drops the scratch database (and stops an embedded server) */
  dispose(): Promise<void>;
}

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** BENCH_DATABASE_URL, else the machine's local server, else (or with BENCH_EMBEDDED=1) an embedded PostgreSQL in a temp dir. */
export async function openBenchDatabase(say: (line: string) => void): Promise<BenchDatabase> {
  let adminUrl = process.env.BENCH_DATABASE_URL;
  let where = 'BENCH_DATABASE_URL';
  let stopEmbedded = async () => undefined as undefined;
  if (!adminUrl && process.env.BENCH_EMBEDDED !== '1' && (await reachable(LOCAL_URL))) {
    adminUrl = LOCAL_URL;
    where = 'local PostgreSQL 127.0.0.1:5432';
  }
  if (!adminUrl) {
    const dir = await mkdtemp(path.join(tmpdir(), 'visitpay-bench-'));
    // The embedded server runs as the postgres system user, which must be able to enter the folder.
    await chmod(dir, 0o755);
    const port = 55_000 + Math.floor(Math.random() * 5_000);
    say(`starting an embedded PostgreSQL in ${dir}`);
    const embedded = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port });
    adminUrl = embedded.databaseUrl('postgres');
    where = `embedded PostgreSQL on port ${port}`;
    stopEmbedded = async () => {
      await embedded.stop();
      await rm(dir, { recursive: true, force: true });
    };
  }
  const name = `vp_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = withDatabase(adminUrl, name);
  const handle = connectDatabase(url, 8);
  await migrateToLatest(handle.db);
  const version = await sql<{ v: string }>`SELECT current_setting('server_version') AS v`.execute(handle.db);
  return {
    ...handle,
    adminUrl,
    url,
    name,
    where: `${where}, PostgreSQL ${version.rows[0]?.v ?? '?'}, scratch database ${name}`,
    async dispose() {
      await handle.close();
      const drop = new pg.Client({ connectionString: adminUrl });
      await drop.connect();
      await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await drop.end();
      await stopEmbedded();
    },
  };
}

export interface BenchSalon {
  id: string;
  currency: string;
  webhookSecret: string;
  staffIds: string[];
  clientIds: string[];
  serviceIds: string[];
  taxSystem: string;
}

/** A salon with the sandbox provider connected and pay-by-link on, through the real services. */
export async function seedSalon(db: Db, pool: pg.Pool, databaseUrl: string, secretKey: string): Promise<BenchSalon> {
  const config = loadConfig({ NODE_ENV: 'test', SECRET_KEY: secretKey, LOG_LEVEL: 'silent' });
  const services = createServices({
    db,
    pool,
    clock: systemClock,
    logger: silentLogger(),
    config,
    secretKey,
    databaseUrl,
    origins: new Origins('http://127.0.0.1'),
  });
  const ownerId = newId('user');
  await insertUser(db, {
    id: ownerId,
    email: 'bench-owner@example.test',
    name: 'Bench Owner',
    passwordHash: 'not-a-login',
  });
  const company = await services.companies.create(
    { name: 'Bench Salon', currency: 'EUR', timezone: 'Europe/Berlin', country: 'DE' },
    ownerId,
  );
  const actor = { type: 'user' as const, id: ownerId };
  await services.cashless.connect(company.id, actor, 'sandbox', {});
  await services.cashless.update(company.id, actor, { payByLinkEnabled: true });
  const webhookSecret = (await services.cashless.credentialsFor(company.id, 'sandbox'))?.webhookSecret;
  if (!webhookSecret) throw new Error('the sandbox connection has no webhook secret');
  const { default_tax_system: taxSystem } = await db
    .selectFrom('companies')
    .select('default_tax_system')
    .where('id', '=', company.id)
    .executeTakeFirstOrThrow();

  const staffIds = Array.from({ length: 12 }, () => newId('staff'));
  const clientIds = Array.from({ length: 2_000 }, () => newId('client'));
  const serviceIds = Array.from({ length: 4 }, () => newId('service'));
  await sql`INSERT INTO staff (id, company_id, name) SELECT id, ${company.id}, 'Stylist ' || n FROM unnest(${staffIds}::text[]) WITH ORDINALITY AS s(id, n)`.execute(
    db,
  );
  await sql`
    INSERT INTO clients (id, company_id, name, email, phone)
    SELECT id, ${company.id}, 'Client' || n || ' Bench', 'client' || n || '@example.test', NULL FROM unnest(${clientIds}::text[]) WITH ORDINALITY AS c(id, n)
  `.execute(db);
  await sql`
    INSERT INTO services (id, company_id, title, price_min, price_max, tax_system, vat)
    SELECT id, ${company.id}, (ARRAY['Haircut', 'Colouring', 'Blow-dry', 'Manicure'])[n], 2000 * n, 4000 * n, ${taxSystem}, 'none'
      FROM unnest(${serviceIds}::text[]) WITH ORDINALITY AS s(id, n)
  `.execute(db);
  return { id: company.id, currency: company.currency, webhookSecret, staffIds, clientIds, serviceIds, taxSystem };
}

/**
 * A year of past visits, each paid at the desk in two parts, as a salon that has used Visitpay for a
 * while has: the link page and Pay run against a payments table of realistic size, not an empty one.
 */
export async function addHistory(db: Db, salon: BenchSalon, visits: number): Promise<void> {
  const owner = await db
    .selectFrom('memberships')
    .select('user_id')
    .where('company_id', '=', salon.id)
    .executeTakeFirstOrThrow();
  await sql`
    INSERT INTO appointments (id, company_id, client_id, staff_id, starts_at, duration_minutes, status)
    SELECT 'appt_h' || lpad(n::text, 15, '0'), ${salon.id}, (${salon.clientIds}::text[])[1 + n % ${salon.clientIds.length}],
           (${salon.staffIds}::text[])[1 + n % ${salon.staffIds.length}], now() - interval '1 day' - (n * interval '10 minutes'), 60, 'arrived'
      FROM generate_series(1, ${visits}) n
  `.execute(db);
  await sql`
    INSERT INTO appointment_items (id, company_id, appointment_id, kind, service_id, title, unit_price, quantity, tax_system, vat)
    SELECT 'item_h' || lpad(n::text, 15, '0'), ${salon.id}, 'appt_h' || lpad(n::text, 15, '0'), 'service', ${salon.serviceIds[0]!}, 'Haircut', 4000, 1, ${salon.taxSystem}, 'none'
      FROM generate_series(1, ${visits}) n
  `.execute(db);
  await sql`
    INSERT INTO payments (id, company_id, appointment_id, method, amount, currency, paid_at, actor_type, actor_id, created_at)
    SELECT 'pay_h' || lpad(n::text, 14, '0') || k, ${salon.id}, 'appt_h' || lpad(n::text, 15, '0'), (ARRAY['cash', 'card'])[k], 2000, ${salon.currency},
           now() - interval '1 day' - (n * interval '10 minutes'), 'user', ${owner.user_id}, now()
      FROM generate_series(1, ${visits}) n, generate_series(1, 2) k
  `.execute(db);
  await sql`ANALYZE appointments, appointment_items, payments`.execute(db);
}

/**
 * `count` appointments over the next two weeks, each with two service items and one active
 * payment link; answers the links' tokens. Rows are what the real services write (hash + sealed token).
 */
export async function addPayableLinks(db: Db, salon: BenchSalon, secretKey: string, count: number): Promise<string[]> {
  const box = new SecretBox(secretKey);
  const tokens: string[] = [];
  for (let start = 0; start < count; start += 5_000) {
    const n = Math.min(5_000, count - start);
    const appts: string[] = [];
    const clients: string[] = [];
    const staff: string[] = [];
    const offsets: number[] = [];
    const links: string[] = [];
    const hashes: string[] = [];
    const sealed: string[] = [];
    for (let i = 0; i < n; i++) {
      const token = newLinkToken();
      tokens.push(token);
      appts.push(newId('appointment'));
      clients.push(salon.clientIds[(start + i) % salon.clientIds.length]!);
      staff.push(salon.staffIds[(start + i) % salon.staffIds.length]!);
      // minutes from tomorrow 00:00: one of 14 days, one of 40 quarter-hours from 08:00
      offsets.push(((start + i) % 14) * 1440 + 480 + (Math.floor((start + i) / 14) % 40) * 15);
      links.push(newId('link'));
      hashes.push(`\\x${hashLinkToken(token).toString('hex')}`);
      sealed.push(box.seal(token));
    }
    await db.transaction().execute(async (tx) => {
      await sql`
        INSERT INTO appointments (id, company_id, client_id, staff_id, starts_at, duration_minutes, status)
        SELECT a, ${salon.id}, c, s, date_trunc('day', now()) + interval '1 day' + m * interval '1 minute', 60, 'booked'
          FROM unnest(${appts}::text[], ${clients}::text[], ${staff}::text[], ${offsets}::int[]) AS x(a, c, s, m)
      `.execute(tx);
      const [first, second] = [salon.serviceIds[0]!, salon.serviceIds[1 + ((start / 5_000) % 3)]!];
      await sql`
        INSERT INTO appointment_items (id, company_id, appointment_id, kind, service_id, title, unit_price, quantity, tax_system, vat)
        SELECT 'item_' || md5(a || k), ${salon.id}, a, 'service', CASE k WHEN 1 THEN ${first} ELSE ${second} END,
               CASE k WHEN 1 THEN 'Haircut' ELSE 'Colouring' END, CASE k WHEN 1 THEN 3500 ELSE 6000 END, 1, ${salon.taxSystem}, 'none'
          FROM unnest(${appts}::text[]) AS x(a), generate_series(1, 2) AS k
      `.execute(tx);
      await sql`
        INSERT INTO payment_links (id, company_id, appointment_id, token_hash, token_sealed, status, created_at)
        SELECT l, ${salon.id}, a, h::bytea, t, 'active', now()
          FROM unnest(${links}::text[], ${appts}::text[], ${hashes}::text[], ${sealed}::text[]) AS x(l, a, h, t)
      `.execute(tx);
    });
  }
  await sql`ANALYZE appointments, appointment_items, payment_links`.execute(db);
  return tokens;
}

export interface SignedNotification {
  eventId: string;
  body: string;
  signature: string;
}

/**
 * What the floors wrote on their links is taken out of the way of the app's figures: their open
 * attempts end (expired), so no later figure — the webhooks' pending attempts above all — finds them.
 */
export async function endFloorAttempts(db: Db, tokens: readonly string[]): Promise<number> {
  const ended = await db
    .updateTable('checkout_attempts')
    .set({ status: 'expired', ended_at: new Date() })
    .where('status', 'in', ['creating', 'pending'])
    .where('link_id', 'in', (eb) =>
      eb
        .selectFrom('payment_links')
        .select('id')
        .where(
          'token_hash',
          'in',
          tokens.map((t) => hashLinkToken(t)),
        ),
    )
    .executeTakeFirst();
  return Number(ended.numUpdatedRows);
}

/** One signed `checkout.succeeded` per pending attempt, as the sandbox bank would send it. */
export async function notificationsForPendingAttempts(
  db: Db,
  salon: BenchSalon,
  limit: number,
): Promise<SignedNotification[]> {
  const rows = await db
    .selectFrom('checkout_attempts as a')
    .innerJoin('sandbox_checkouts as c', 'c.id', 'a.provider_checkout_id')
    .selectAll('c')
    .where('a.company_id', '=', salon.id)
    .where('a.status', '=', 'pending')
    .limit(limit)
    .execute();
  const now = new Date();
  return rows.map((row) => {
    const checkout = { ...row, status: 'paid' } as SandboxCheckoutRow;
    const eventId = newId('sandbox_event');
    const body = JSON.stringify({
      id: eventId,
      type: 'checkout.succeeded',
      created: Math.floor(now.getTime() / 1000),
      data: checkoutEventData(checkout),
    });
    return { eventId, body, signature: signatureHeader(salon.webhookSecret, now, body) };
  });
}

export const WEBHOOK_SIGNATURE_HEADER = SIGNATURE_HEADER;

/** What the ledger holds after the webhook load: inbox rows, online payments, events not yet applied. */
export async function webhookLedger(db: Db, companyId: string) {
  const { rows } = await sql<{ inbox: number; unprocessed: number; payments: number }>`
    SELECT (SELECT count(*) FROM webhook_inbox WHERE company_id = ${companyId})::int AS inbox,
           (SELECT count(*) FROM webhook_inbox WHERE company_id = ${companyId} AND processed_at IS NULL)::int AS unprocessed,
           (SELECT count(*) FROM payments WHERE company_id = ${companyId} AND method = 'online' AND amount > 0)::int AS payments
  `.execute(db);
  return rows[0]!;
}

/** Provider checkouts the sandbox opened for one link (the hot-link figure). */
export async function checkoutsOfLink(db: Db, token: string) {
  const { rows } = await sql<{ checkouts: number; attempts: number }>`
    SELECT (SELECT count(*) FROM sandbox_checkouts c WHERE c.metadata->>'linkId' = l.id)::int AS checkouts,
           (SELECT count(*) FROM checkout_attempts a WHERE a.link_id = l.id)::int AS attempts
      FROM payment_links l WHERE l.token_hash = ${hashLinkToken(token)}
  `.execute(db);
  return rows[0] ?? { checkouts: 0, attempts: 0 };
}
