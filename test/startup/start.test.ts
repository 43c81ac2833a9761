import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { unusedLocalPort } from '../helpers/local-port.js';
import { outputMatching, runServerToExit, startServer, stopOrphanedPostgres } from '../helpers/server-process.js';
import { createScratchDatabase, dropScratchDatabase } from '../reliability/process-api.js';

const dataDir = await mkdtemp(path.join(tmpdir(), 'visitpay-start-'));
await chmod(dataDir, 0o755);
const embeddedPort = String(await unusedLocalPort(25_000, 27_000));
const env = { VISITPAY_DATA_DIR: dataDir, VISITPAY_EMBEDDED_PG_PORT: embeddedPort, LOG_LEVEL: 'info' };

afterAll(async () => {
  stopOrphanedPostgres(dataDir);
  await new Promise((r) => setTimeout(r, 500));
  await rm(dataDir, { recursive: true, force: true });
});

async function login(url: string, email: string, password: string) {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  return { status: res.status, body: (await res.json()) as { token: string } };
}

describe('npm start', () => {
  let password = '';
  const email = 'admin@visitpay.local';

  it('starts on the embedded PostgreSQL, creates the owner and a company, prints the URL and login', async () => {
    const server = await startServer(env);
    try {
      const match = /log in as (\S+) with password (\S+)/.exec(server.output());
      expect(match?.[1]).toBe(email);
      password = match![2]!;
      const { status, body } = await login(server.url, email, password);
      expect(status).toBe(200);
      const me = await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${body.token}` } });
      const meBody = (await me.json()) as { companies: { id: string; name: string }[] };
      expect(meBody.companies.map((c) => c.name)).toEqual(['Demo Salon']);
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      expect(server.output()).toContain('loaded demo data');

      // The demo salon takes payments by link at once, and its access log never shows a link token.
      const auth = { authorization: `Bearer ${body.token}` };
      const companyId = meBody.companies[0]!.id;
      const base = `${server.url}/api/v1/companies/${companyId}`;
      const list = (await (await fetch(`${base}/appointments?limit=50`, { headers: auth })).json()) as {
        items: { id: string; due: number; status: string }[];
      };
      const unpaid = list.items.find((a) => a.due > 0 && a.status !== 'cancelled')!;
      const link = await fetch(`${base}/appointments/${unpaid.id}/payment-link`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(link.status).toBe(200);
      const { token } = (await link.json()) as { token: string };
      expect((await fetch(`${server.url}/pay/${token}`)).status).toBe(200);
      // the access log line of that request is the one that would carry the token
      await outputMatching(server, /"url":"\/pay\/\[redacted\]"/);
      expect(server.output()).not.toContain(token);
    } finally {
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    }
  });

  it('keeps the data across a restart and does not print the password again', async () => {
    const server = await startServer(env);
    try {
      expect(server.output()).not.toContain(password);
      expect(server.output()).toContain('initial-admin-password');
      expect((await login(server.url, email, password)).status).toBe(200);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  it('survives kill -9: a company created before the kill is there after restart', async () => {
    const first = await startServer(env);
    const { body } = await login(first.url, email, password);
    const created = await fetch(`${first.url}/api/v1/companies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${body.token}` },
      body: JSON.stringify({ name: 'Second Salon', currency: 'JPY', timezone: 'Asia/Tokyo', country: 'JP' }),
    });
    expect(created.status).toBe(201);
    first.child.kill('SIGKILL');
    await first.exited;

    const second = await startServer(env);
    try {
      const again = await login(second.url, email, password);
      const me = await fetch(`${second.url}/api/v1/me`, { headers: { authorization: `Bearer ${again.body.token}` } });
      const names = ((await me.json()) as { companies: { name: string }[] }).companies.map((c) => c.name);
      expect(names).toContain('Second Salon');
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });

  it('exits 1 naming the variable when the configuration is bad', async () => {
    const { code, output } = await runServerToExit({ ...env, PAYLINK_LOCK_SECONDS: 'soon' });
    expect(code).toBe(1);
    expect(output).toContain('PAYLINK_LOCK_SECONDS');
  });

  it('runs as npm start runs it: the esbuild bundle starts, serves the API and the admin app page', async () => {
    // The same build as `npm run build:server`, into a folder of its own so a running install is untouched.
    const outfile = path.resolve('dist/test-server/main.js');
    buildSync({
      entryPoints: ['src/main.ts'],
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      target: 'node20',
      outfile,
      logLevel: 'warning',
    });
    const server = await startServer(env, 60_000, [outfile]);
    try {
      expect((await login(server.url, email, password)).status).toBe(200);
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      const page = await fetch(`${server.url}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
    } finally {
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    }
  });
});

describe('npm start on DATABASE_URL', () => {
  it('makes the data directory for the first-start password when nothing else has made it', async () => {
    const adminUrl = inject('adminDatabaseUrl');
    const databaseUrl = await createScratchDatabase(adminUrl, `vp_fresh_${inject('runId')}`);
    const parent = await mkdtemp(path.join(tmpdir(), 'visitpay-fresh-'));
    const fresh = path.join(parent, 'not', 'made', 'yet');
    const server = await startServer({
      DATABASE_URL: databaseUrl,
      VISITPAY_DATA_DIR: fresh,
      VISITPAY_DEMO_DATA: 'off',
    });
    try {
      const password = /log in as \S+ with password (\S+)/.exec(server.output())![1]!;
      expect(await readFile(path.join(fresh, 'initial-admin-password'), 'utf8')).toContain(password);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
      await dropScratchDatabase(adminUrl, databaseUrl);
      await rm(parent, { recursive: true, force: true });
    }
  });
});
