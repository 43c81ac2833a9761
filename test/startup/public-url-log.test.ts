import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startServer } from '../helpers/server-process.js';
import { createScratchDatabase, dropScratchDatabase, processEnv } from '../reliability/process-api.js';

/**
 * O7: the start log says when links cannot reach clients' phones, and how to set PUBLIC_URL.
 * The advice comes before the login line, which startServer waits for: its absence is proven
 * by the login line having been printed.
 */
const adminUrl = inject('adminDatabaseUrl');
let databaseUrl = '';
let dataDir = '';

beforeAll(async () => {
  databaseUrl = await createScratchDatabase(adminUrl, `vp_public_url_${inject('runId')}`);
  dataDir = await mkdtemp(path.join(tmpdir(), 'visitpay-public-url-'));
  await chmod(dataDir, 0o755);
});

afterAll(async () => {
  if (databaseUrl) await dropScratchDatabase(adminUrl, databaseUrl);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** The output of `npm start` up to its login line. */
async function startLog(extra: Record<string, string>): Promise<string> {
  const server = await startServer(
    processEnv({ DATABASE_URL: databaseUrl, VISITPAY_DATA_DIR: dataDir, PORT: '0', ...extra }),
  );
  server.child.kill('SIGTERM');
  await server.exited;
  return server.output();
}

describe('the start log on PUBLIC_URL (O7)', () => {
  it('O7 PUBLIC_URL unset: the log says links point at localhost, that phones cannot open them, and how to set it', async () => {
    const log = await startLog({});
    const url = /running at (http:\/\/localhost:\d+)/.exec(log)?.[1];
    expect(url, log).toBeDefined();
    expect(log).toContain(
      `[visitpay] WARNING: payment links point at ${url} (PUBLIC_URL is not set): clients' phones cannot open them`,
    );
    expect(log).toMatch(
      /\[visitpay\] To send links to clients, set PUBLIC_URL to the address clients open, e\.g\. PUBLIC_URL=https:\/\/\S+ npm start/,
    );
  }, 60_000);

  it('O7 a LAN PUBLIC_URL: the log says phones on the salon Wi-Fi can open links, clients elsewhere cannot', async () => {
    const log = await startLog({ PUBLIC_URL: 'http://192.168.1.20:3000' });
    expect(log).toContain(
      "[visitpay] NOTE: payment links point at http://192.168.1.20:3000, an address of the local network: phones on the salon's Wi-Fi can open them, clients elsewhere",
    );
    expect(log).toContain('To send links to clients anywhere, set PUBLIC_URL');
  }, 60_000);

  it('O7 a public PUBLIC_URL: no word about it', async () => {
    const log = await startLog({ PUBLIC_URL: 'https://pay.example-salon.test' });
    expect(log).toMatch(/log in as /);
    expect(log).not.toContain('payment links point at');
    expect(log).not.toContain('set PUBLIC_URL');
  }, 60_000);
});
