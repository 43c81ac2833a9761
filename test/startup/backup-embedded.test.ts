import { readdirSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type CliResult, runCli } from '../helpers/cli-process.js';
import { unusedLocalPort } from '../helpers/local-port.js';
import { startServer, stopOrphanedPostgres } from '../helpers/server-process.js';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  appointmentWithLink,
  completeCheckout,
  connectSandbox,
  eventually,
  http,
  ownerSession,
  pressPay,
} from '../reliability/process-api.js';

/**
 * O2 on the embedded database, as a salon lives it: a backup made while the server runs, then a new
 * machine (its own data dir, so its own generated SECRET_KEY) restores it with the passphrase.
 */
const machineA = await mkdtemp(path.join(tmpdir(), 'visitpay-machine-a-'));
const machineB = await mkdtemp(path.join(tmpdir(), 'visitpay-machine-b-'));
// the embedded server runs as the postgres user when we are root: it must be able to enter
await chmod(machineA, 0o755);
await chmod(machineB, 0o755);
const PASSPHRASE = 'the salon keeps this on paper';
const common = {
  VISITPAY_ADMIN_EMAIL: ADMIN_EMAIL,
  VISITPAY_ADMIN_PASSWORD: ADMIN_PASSWORD,
  VISITPAY_DEMO_DATA: 'off',
  VISITPAY_PUBLIC_RATE_LIMIT: '0',
};
const envA = {
  ...common,
  VISITPAY_DATA_DIR: machineA,
  // machine A's and B's servers run at once: their ports come from ranges of their own
  VISITPAY_EMBEDDED_PG_PORT: String(await unusedLocalPort(27_000, 28_500)),
  VISITPAY_BACKUP_PASSPHRASE: PASSPHRASE,
};
const envB = {
  ...common,
  VISITPAY_DATA_DIR: machineB,
  VISITPAY_EMBEDDED_PG_PORT: String(await unusedLocalPort(28_500, 30_000)),
};

afterAll(async () => {
  stopOrphanedPostgres(machineA);
  stopOrphanedPostgres(machineB);
  await new Promise((r) => setTimeout(r, 500));
  await rm(machineA, { recursive: true, force: true });
  await rm(machineB, { recursive: true, force: true });
});

function visitpay(env: Record<string, string>, ...args: string[]): Promise<CliResult> {
  return runCli({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...env }, args, 180_000);
}

describe('O2 backups of the embedded database', () => {
  it('O2 a backup made while the server runs restores on a new machine with the passphrase: the paid link opens with the same token', async () => {
    const serverA = await startServer(envA, 120_000);
    let token: string;
    let appointmentId: string;
    let file: string;
    try {
      const owner = await ownerSession(serverA.url);
      await connectSandbox(owner);
      ({ token, appointmentId } = await appointmentWithLink(owner, 10_000));
      const pay = await pressPay(serverA.url, token);
      expect(pay.status, pay.text).toBe(303);
      await completeCheckout(pay.location!);
      await eventually(
        'the payment is recorded',
        async () => (await owner.get(`/appointments/${appointmentId}`)).body.paymentStatus === 'paid',
      );

      const backup = await visitpay(envA, 'backup');
      expect(backup.code, backup.stderr).toBe(0);
      file = /backup written: (\S+)/.exec(backup.stdout)![1]!;
      expect(path.dirname(file)).toBe(path.join(machineA, 'backups'));
      expect(readdirSync(path.join(machineA, 'backups'))).toContain(path.basename(file));
    } finally {
      serverA.child.kill('SIGTERM');
      await serverA.exited;
    }

    // the new machine has its own key: without the passphrase the restore names the key it needs
    const keyless = await visitpay(envB, 'restore', file);
    expect(keyless.code).toBe(1);
    expect(keyless.stderr).toMatch(
      /sealed with the key whose fingerprint is [0-9a-f-]+, .*or VISITPAY_BACKUP_PASSPHRASE/,
    );
    const restored = await visitpay({ ...envB, VISITPAY_BACKUP_PASSPHRASE: PASSPHRASE }, 'restore', file);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(/sealed again under this machine's key/);

    const serverB = await startServer(envB, 120_000);
    try {
      expect((await http(`${serverB.url}/pay/${token}`)).status).toBe(200);
      const owner = await ownerSession(serverB.url);
      const appt = await owner.get(`/appointments/${appointmentId}`);
      expect(appt.body).toMatchObject({ paymentStatus: 'paid', paid: 10_000 });
      expect((await owner.get(`/appointments/${appointmentId}/payment-link`)).body.token).toBe(token);
    } finally {
      serverB.child.kill('SIGTERM');
      await serverB.exited;
    }
  }, 600_000);
});
