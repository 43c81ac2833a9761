import { afterAll } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { buildApp } from '../../src/http/app.js';
import type { App } from '../../src/http/types.js';
import { insertUser, upsertMembership } from '../../src/modules/access/access.repository.js';
import { rightsFor, type Right, type Role } from '../../src/modules/access/domain/rights.js';
import { hashPassword } from '../../src/modules/access/password.js';
import { createServices, type Services } from '../../src/services.js';
import { ManualClock } from '../../src/shared/clock.js';
import { silentLogger, type Logger } from '../../src/shared/logger.js';
import { pino } from 'pino';
import { Origins } from '../../src/shared/origins.js';
import type { HostResolver } from '../../src/shared/outbound/outbound-guard.js';
import { JobRunner } from '../../src/jobs/job-runner.js';
import { visitpayJobs } from '../../src/jobs/jobs.js';
import { newId } from '../../src/shared/ids.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export const TEST_SECRET_KEY = 'dGVzdC1zZWNyZXQta2V5LXRoYXQtaXMtbG9uZy1lbm91Z2g=';
export const TEST_PASSWORD = 'correct-horse-battery';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  text: string;
  headers: Record<string, string | string[] | undefined>;
}

/** A small HTTP client over app.inject, bound to one bearer token (or none). */
export function apiClient(app: App, token?: string) {
  const call = async <T = any>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<T>> => {
    const res = await app.inject({
      method,
      url,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      ...(body !== undefined ? { payload: body as object } : {}),
    });
    let parsed: unknown;
    if ((res.headers['content-type'] ?? '').toString().includes('json') && res.body) parsed = res.json();
    return {
      status: res.statusCode,
      body: parsed as T,
      text: res.body,
      headers: res.headers as ApiResponse['headers'],
    };
  };
  return {
    /** the bearer token, for the few calls that need a real connection (event streams) */
    token,
    get: <T = any>(url: string, headers?: Record<string, string>) => call<T>('GET', url, undefined, headers),
    post: <T = any>(url: string, body?: unknown, headers?: Record<string, string>) =>
      call<T>('POST', url, body ?? {}, headers),
    put: <T = any>(url: string, body?: unknown, headers?: Record<string, string>) =>
      call<T>('PUT', url, body ?? {}, headers),
    patch: <T = any>(url: string, body?: unknown, headers?: Record<string, string>) =>
      call<T>('PATCH', url, body ?? {}, headers),
    delete: <T = any>(url: string, headers?: Record<string, string>) => call<T>('DELETE', url, undefined, headers),
  };
}
export type ApiClient = ReturnType<typeof apiClient>;

export interface TestCompany {
  id: string;
  ownerId: string;
  ownerEmail: string;
  /** API client signed in as the owner */
  owner: ApiClient;
  /** `/api/v1/companies/{id}` */
  base: string;
}

export interface TestApp {
  app: App;
  database: TestDatabase;
  db: TestDatabase['db'];
  services: Services;
  clock: ManualClock;
  config: Config;
  anonymous: ApiClient;
  /** a new company with an owner who is signed in */
  newCompany(
    input?: Partial<{ name: string; currency: string; timezone: string; country: string }>,
  ): Promise<TestCompany>;
  /** a user of `companyId` with a role (or explicit rights), signed in */
  newUser(
    companyId: string,
    role: Role,
    rights?: Right[],
  ): Promise<{ id: string; email: string; api: ApiClient; token: string }>;
  login(email: string, password?: string): Promise<string>;
  /** background jobs of this app; `drain()` runs them until none finds work */
  jobs: JobRunner;
  /** listens on a free port so that the sandbox can deliver notifications to this app; answers its URL */
  listen(): Promise<string>;
  close(): Promise<void>;
}

/** Tests are quiet; TEST_LOG=warn (or any pino level) shows what the app logs. */
function testLogger(): Logger {
  const level = process.env.TEST_LOG;
  if (!level) return silentLogger();
  return pino({ level: level in pino.levels.values ? level : 'warn' });
}

let counter = 0;
const uniqueEmail = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${counter++}@example.test`;

/**
 * A Visitpay of its own for one test file: a fresh database, the real services and the real HTTP
 * app (driven with inject, no port). Closed automatically after the file.
 */
export async function createTestApp(
  options: {
    env?: Record<string, string>;
    clock?: ManualClock /** answers host names in place of DNS (S4 tests) */;
    resolveHost?: HostResolver;
    /** the process's logger; silent unless TEST_LOG names a level (TEST_LOG=warn) */
    logger?: Logger;
  } = {},
): Promise<TestApp> {
  const database = await createTestDatabase(20);
  const config = loadConfig({ NODE_ENV: 'test', SECRET_KEY: TEST_SECRET_KEY, LOG_LEVEL: 'silent', ...options.env });
  const clock = options.clock ?? new ManualClock(new Date());
  const logger = options.logger ?? testLogger();
  // Links are built on the public origin; the sandbox delivers to the internal one once a test listens.
  const origins = new Origins(config.PUBLIC_URL ?? 'http://visitpay.test');
  const services = createServices({
    db: database.db,
    pool: database.pool,
    clock,
    logger,
    config,
    secretKey: TEST_SECRET_KEY,
    databaseUrl: database.url,
    origins,
    resolveHost: options.resolveHost,
  });
  const app = await buildApp({
    config,
    db: database.db,
    services,
    loggerInstance: logger,
  });
  await app.ready();
  const passwordHash = await hashPassword(TEST_PASSWORD);

  const login = async (email: string, password = TEST_PASSWORD) => (await services.auth.login(email, password)).token;

  const newUser: TestApp['newUser'] = async (companyId, role, rights) => {
    const id = newId('user');
    const email = uniqueEmail(role);
    await insertUser(database.db, { id, email, name: `Test ${role}`, passwordHash });
    await upsertMembership(database.db, { companyId, userId: id, role, rights: rightsFor(role, rights) });
    const token = await login(email);
    return { id, email, token, api: apiClient(app, token) };
  };

  let listening: string | undefined;
  const ctx: TestApp = {
    app,
    database,
    db: database.db,
    services,
    clock,
    config,
    anonymous: apiClient(app),
    login,
    newUser,
    async newCompany(input = {}) {
      const ownerId = newId('user');
      const ownerEmail = uniqueEmail('owner');
      await insertUser(database.db, { id: ownerId, email: ownerEmail, name: 'Test Owner', passwordHash });
      const company = await services.companies.create(
        {
          name: input.name ?? 'Test Salon',
          currency: input.currency ?? 'EUR',
          timezone: input.timezone ?? 'Europe/Berlin',
          country: input.country ?? 'DE',
        },
        ownerId,
      );
      const owner = apiClient(app, await login(ownerEmail));
      return { id: company.id, ownerId, ownerEmail, owner, base: `/api/v1/companies/${company.id}` };
    },
    jobs: new JobRunner(visitpayJobs({ db: database.db, clock, services }), logger),
    async listen() {
      if (!listening) {
        await app.listen({ port: 0, host: '127.0.0.1' });
        const address = app.server.address();
        listening = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
        origins.listening(Number(new URL(listening).port));
      }
      return listening;
    },
    async close() {
      await ctx.jobs.stop();
      await app.close();
      await services.announcer.flush();
      await services.live.close();
      await database.close();
    },
  };
  afterAll(() => ctx.close());
  return ctx;
}
