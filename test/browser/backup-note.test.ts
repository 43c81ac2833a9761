import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openAdminApp, type AdminAppRun } from '../helpers/browser.js';
import { processEnv } from '../reliability/process-api.js';

/** O2: Settings → Users tells an owner when the installation was last backed up, and warns when not recently. */
let run: AdminAppRun;
let page: Page;
let backups: string;

beforeAll(async () => {
  run = await openAdminApp(async (owner) => {
    // the calendar, where signing in lands, shows its day once the salon has a staff member
    expect((await owner.post('/staff', { name: 'Maria' })).status).toBe(201);
  });
  backups = await mkdtemp(path.join(tmpdir(), 'visitpay-note-'));
  page = await run.signedInPage();
}, 240_000);

afterAll(async () => {
  await run?.close();
  if (backups) await rm(backups, { recursive: true, force: true });
});

afterEach(() => {
  expect(run.takeProblems(), 'console errors on the screens').toEqual([]);
});

function backupNow(): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli.ts', 'backup', path.join(backups, 'now.vpbackup')],
      {
        env: { ...process.env, ...processEnv({ DATABASE_URL: run.app.databaseUrl, VISITPAY_DATA_DIR: backups }) },
        timeout: 120_000,
      },
      (error, _stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stderr }),
    );
  });
}

describe('Settings → Users: the last backup', () => {
  it('O2 an owner is warned that no backup was made; after visitpay backup the note gives its time', async () => {
    await page.getByTestId('nav-users').click();
    const note = page.getByTestId('backup-note');
    await note.waitFor({ timeout: 10_000 });
    expect(await note.getAttribute('data-recent')).toBe('false');
    expect(await note.textContent()).toContain('No backup of this installation has been made yet.');
    // a server with DATABASE_URL makes no daily backups unless told: the warning says so
    expect(await note.textContent()).toContain('makes no daily backups');

    const made = await backupNow();
    expect(made.code, made.stderr).toBe(0);
    await page.reload();
    await page.getByTestId('backup-note').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('backup-note').getAttribute('data-recent')).toBe('true');
    expect(await page.getByTestId('backup-note').textContent()).toMatch(/^Last backup: .*\d/);
  }, 180_000);
});
