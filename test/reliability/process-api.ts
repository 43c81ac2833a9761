import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { expect } from 'vitest';
import pg from 'pg';

/** Talking to a real Visitpay process over HTTP, the way a salon and its client do. */

export const ADMIN_EMAIL = 'owner@reliability.test';
export const ADMIN_PASSWORD = 'reliable-horse-battery';
export const PROCESS_SECRET_KEY = 'cmVsaWFiaWxpdHktc2VjcmV0LWtleS1sb25nLWVub3VnaA==';

export interface HttpResult<T = any> {
  status: number;
  body: T;
  text: string;
  location: string | null;
}

export async function http<T = any>(
  url: string,
  init: {
    method?: string;
    token?: string;
    json?: unknown;
    form?: Record<string, string>;
    headers?: Record<string, string> /** sent as it is (a signed body) */;
    body?: string;
  } = {},
): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  let body: string | undefined = init.body;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  } else if (init.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(init.form).toString();
  }
  const res = await fetch(url, {
    method: init.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body,
    redirect: 'manual',
  });
  const text = await res.text();
  const json =
    (res.headers.get('content-type') ?? '').includes('json') && text ? (JSON.parse(text) as T) : (undefined as T);
  return { status: res.status, body: json, text, location: res.headers.get('location') };
}

/** The owner of the company the first start created, signed in against `url`. */
export async function ownerSession(url: string) {
  const login = await http<{ token: string }>(`${url}/api/v1/auth/login`, {
    json: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
  });
  expect(login.status, login.text).toBe(200);
  const token = login.body.token;
  const me = await http<{ companies: { id: string; timezone: string }[] }>(`${url}/api/v1/me`, { token });
  expect(me.status, me.text).toBe(200);
  const companyId = me.body.companies[0]!.id;
  /** the company's zone: "today" on its calendar is today there, not in UTC */
  const timeZone = me.body.companies[0]!.timezone;
  const base = `${url}/api/v1/companies/${companyId}`;
  const call = <T = any>(method: string, path: string, json?: unknown) =>
    http<T>(`${base}${path}`, { method, token, ...(json === undefined ? {} : { json }) });
  return {
    token,
    companyId,
    timeZone,
    base,
    get: <T = any>(path: string) => call<T>('GET', path),
    post: <T = any>(path: string, json: unknown = {}) => call<T>('POST', path, json),
    put: <T = any>(path: string, json: unknown = {}) => call<T>('PUT', path, json),
    patch: <T = any>(path: string, json: unknown = {}) => call<T>('PATCH', path, json),
  };
}
export type OwnerSession = Awaited<ReturnType<typeof ownerSession>>;

export async function connectSandbox(owner: OwnerSession): Promise<void> {
  const connected = await owner.post('/settings/cashless/connect', { provider: 'sandbox', credentials: {} });
  expect(connected.status, connected.text).toBe(200);
  const enabled = await owner.put('/settings/cashless', { payByLinkEnabled: true });
  expect(enabled.status, enabled.text).toBe(200);
}

export interface VisitInput {
  service?: { title: string; priceMin: number; priceMax: number };
  client?: { name: string; email?: string; phone?: string };
  staff?: string;
  durationMinutes?: number;
  /** tomorrow unless told */
  startsAt?: string;
}

/** An appointment with one service, for a new client with a new staff member, booked through the API; its id. */
export async function bookVisit(
  owner: OwnerSession,
  {
    service = { title: 'Colouring', priceMin: 8_000, priceMax: 8_000 },
    client = { name: 'Jonas Braun', email: 'jonas@example.test', phone: '+49 151 2345 6789' },
    staff = 'Maria Weber',
    durationMinutes = 90,
    startsAt = new Date(Date.now() + 86_400_000).toISOString(),
  }: VisitInput = {},
): Promise<string> {
  const serviceRes = await owner.post('/services', service);
  expect(serviceRes.status, serviceRes.text).toBe(201);
  const clientRes = await owner.post('/clients', client);
  expect(clientRes.status, clientRes.text).toBe(201);
  const staffRes = await owner.post('/staff', { name: staff });
  expect(staffRes.status, staffRes.text).toBe(201);
  const appt = await owner.post('/appointments', {
    clientId: clientRes.body.id,
    staffId: staffRes.body.id,
    startsAt,
    durationMinutes,
    services: [{ serviceId: serviceRes.body.id }],
  });
  expect(appt.status, appt.text).toBe(201);
  return appt.body.id as string;
}

/** An appointment with one service at `price`, and its payment link, all through the API. */
export async function appointmentWithLink(owner: OwnerSession, price = 10_000) {
  const appointmentId = await bookVisit(owner, {
    service: { title: 'Haircut', priceMin: price, priceMax: price * 2 },
    client: { name: 'Anna Smith', email: 'anna@example.test' },
    staff: 'Maria',
    durationMinutes: 60,
  });
  const link = await owner.post(`/appointments/${appointmentId}/payment-link`, {});
  expect(link.status, link.text).toBe(200);
  return { appointmentId, token: link.body.token as string, linkId: link.body.id as string };
}

/** The client presses Pay on the link page: a same-origin form post, answered by a redirect. */
export function pressPay(url: string, token: string): Promise<HttpResult> {
  return http(`${url}/pay/${token}`, { form: {}, headers: { 'sec-fetch-site': 'same-origin' } });
}

/** The client pays (or declines) on the sandbox bank's page. */
export async function completeCheckout(
  checkoutUrl: string,
  outcome: 'succeeded' | 'failed' = 'succeeded',
): Promise<void> {
  const res = await http(`${checkoutUrl}/complete`, { form: { outcome } });
  expect(res.status, res.text).toBe(303);
}

/** Polls `probe` until it answers something truthy; fails with `what` after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 30_000,
  everyMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Finished runs of each background job in the process at `url` (visitpay_job_runs_total, all outcomes). */
export async function jobRuns(url: string, metricsToken: string): Promise<Record<string, number>> {
  const res = await http(`${url}/metrics`, { token: metricsToken });
  expect(res.status, res.text).toBe(200);
  const runs: Record<string, number> = {};
  for (const line of res.text.split('\n')) {
    const job = /^visitpay_job_runs_total\{.*job="([^"]+)"/.exec(line)?.[1];
    if (job) runs[job] = (runs[job] ?? 0) + Number(line.split(' ').pop());
  }
  return runs;
}

/**
 * Waits until each of `jobs` has finished `rounds` more runs in the process at `url` than it had
 * when called. Two rounds: the second began after the call, so whatever a job would still do, it has done.
 */
export async function jobsRanAgain(url: string, metricsToken: string, jobs: string[], rounds = 2): Promise<void> {
  const before = await jobRuns(url, metricsToken);
  await eventually(
    `${jobs.join(', ')} to run ${rounds} more times at ${url}`,
    async () => {
      const now = await jobRuns(url, metricsToken);
      return jobs.every((job) => (now[job] ?? 0) >= (before[job] ?? 0) + rounds);
    },
    30_000,
    100,
  );
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** An empty database on the server at `adminUrl` (migrated by whoever starts first); its URL. */
export async function createScratchDatabase(adminUrl: string, prefix: string): Promise<string> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return withDatabase(adminUrl, name);
}

export async function dropScratchDatabase(adminUrl: string, databaseUrl: string): Promise<void> {
  const name = new URL(databaseUrl).pathname.slice(1);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** The base env of a real process: a known owner, no demo data, no public rate limit. */
export function processEnv(extra: Record<string, string>): Record<string, string> {
  return {
    VISITPAY_ADMIN_EMAIL: ADMIN_EMAIL,
    VISITPAY_ADMIN_PASSWORD: ADMIN_PASSWORD,
    SECRET_KEY: PROCESS_SECRET_KEY,
    VISITPAY_DEMO_DATA: 'off',
    VISITPAY_PUBLIC_RATE_LIMIT: '0',
    ...extra,
  };
}

/** A TCP port nobody listens on right now (for an embedded PostgreSQL of a test's own). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
