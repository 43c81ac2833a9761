import { Kysely, PostgresDialect } from 'kysely';
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Database } from './schema.js';

// int8 (bigint, count(*), sum of bigint → numeric) arrive as strings from pg. Money never
// leaves the safe-integer range, so parse to number and refuse anything that would round.
function parseSafeInteger(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`integer out of safe range: ${value}`);
  return n;
}
pg.types.setTypeParser(pg.types.builtins.INT8, parseSafeInteger);

export type Db = Kysely<Database>;
/** Either the pool or an open transaction: repositories accept both. */
export type Executor = Kysely<Database>;

/** The unique constraint a PostgreSQL error says was violated (SQLSTATE 23505), if that is what it is. */
export function violatedUniqueConstraint(error: unknown): string | undefined {
  const e = error as { code?: string; constraint?: string };
  return e.code === '23505' ? e.constraint : undefined;
}

export interface DatabaseHandle {
  db: Db;
  pool: pg.Pool;
  close(): Promise<void>;
}

/** Statements with parameters are few and fixed in the code: prepare each once per connection. */
const PREPARED_TEXT_LIMIT = 8_000;

/** Names by SQL text, so a hot statement is hashed once per process rather than on every call. */
const statementNames = new Map<string, string>();
const STATEMENT_NAMES_KEPT = 2_000;

function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `vp_${createHash('sha1').update(text).digest('base64url')}`;
    // Texts that vary (an IN list of many lengths) must not grow the map without end.
    if (statementNames.size >= STATEMENT_NAMES_KEPT) statementNames.clear();
    statementNames.set(text, name);
  }
  return name;
}

/**
 * Runs parameterised statements as named (prepared) statements, so PostgreSQL parses and plans
 * each SQL text once per connection instead of on every call — most of the cost of the short
 * queries Visitpay makes. Statements without parameters (BEGIN, COMMIT, DDL) stay unnamed.
 * One consequence: a value PostgreSQL must see at parse time — the predicate of a partial
 * unique index in ON CONFLICT, the condition of a partial index a job scans — is written as
 * a literal (sql.lit), not a parameter.
 */
function preparingClient(client: pg.PoolClient): pg.PoolClient {
  const marked = client as pg.PoolClient & { visitpayPreparing?: boolean };
  if (marked.visitpayPreparing) return client;
  marked.visitpayPreparing = true;
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (
    text: unknown,
    values?: unknown,
    ...rest: unknown[]
  ) => {
    if (typeof text === 'string' && Array.isArray(values) && values.length > 0 && text.length <= PREPARED_TEXT_LIMIT) {
      return query({ name: statementName(text), text, values }, ...rest);
    }
    return query(text, values, ...rest);
  };
  return client;
}

export function connectDatabase(connectionString: string, maxConnections = 10): DatabaseHandle {
  const pool = new pg.Pool({ connectionString, max: maxConnections, application_name: 'visitpay' });
  // An idle client that errors (server restart) must not crash the process.
  pool.on('error', () => undefined);
  const preparingPool = {
    connect: async () => preparingClient(await pool.connect()),
    end: () => pool.end(),
  } as unknown as pg.Pool;
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: preparingPool }) });
  return {
    db,
    pool,
    close: async () => {
      await db.destroy();
    },
  };
}
