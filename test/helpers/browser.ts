import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Locator,
  type Page,
} from 'playwright-core';
import { expect, inject } from 'vitest';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  createScratchDatabase,
  dropScratchDatabase,
  freePort,
  ownerSession,
  processEnv,
  type OwnerSession,
} from '../reliability/process-api.js';
import { zonedInstant } from '../../src/shared/zoned-time.js';
import { startServer, type ServerProcess } from './server-process.js';

/** Real Chromium against a real `npm start` process: the admin app as a receptionist uses it. */

const ROOT = path.resolve(import.meta.dirname, '../..');
const WEB = path.join(ROOT, 'web');
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const SCREENSHOTS = path.join(ROOT, 'test-results', 'browser');

/** Never skipped: without Debian's chromium the browser tests fail and say how to get it. */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `The browser tests need Debian's chromium at ${CHROMIUM_PATH}: apt-get install -y chromium (.ci/run installs it when missing).`,
    );
  }
}

function newestSourceChange(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSourceChange(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function webBuildIsCurrent(): boolean {
  const index = path.join(WEB, 'dist', 'index.html');
  if (!existsSync(index)) return false;
  // the admin app also bundles the server's pure domain/ leaves it imports (.dependency-cruiser.cjs)
  const modules = path.join(ROOT, 'src', 'modules');
  const sources = Math.max(
    newestSourceChange(path.join(WEB, 'src')),
    ...readdirSync(modules).map((context) => {
      const domain = path.join(modules, context, 'domain');
      return existsSync(domain) ? newestSourceChange(domain) : 0;
    }),
    statSync(path.join(WEB, 'index.html')).mtimeMs,
    statSync(path.join(WEB, 'vite.config.ts')).mtimeMs,
  );
  return statSync(index).mtimeMs >= sources;
}

/**
 * Builds web/dist (`npm run build`) when it is missing or older than its sources. Browser test files
 * run in parallel workers, so a lock directory lets one build while the others wait.
 */
export async function ensureWebBuild(): Promise<void> {
  const lock = path.join(
    tmpdir(),
    `visitpay-web-build-${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}.lock`,
  );
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than any build is left over from a killed run.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 300_000)
        rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`waited too long for another build of web/dist (${lock})`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    if (webBuildIsCurrent()) return;
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      child.on('error', reject);
      child.on('exit', (code) =>
        code === 0 ? resolve(out) : reject(new Error(`npm run build failed (${code}):\n${out}`)),
      );
    });
    if (!existsSync(path.join(WEB, 'dist', 'index.html')))
      throw new Error(`npm run build made no web/dist/index.html:\n${output}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface BrowserServer {
  server: ServerProcess;
  /** the server's URL, which is also its PUBLIC_URL, so links open on it */
  url: string;
  /** the server's own database, for tests that act on it as an operator would */
  databaseUrl: string;
  stop(): Promise<void>;
}

/**
 * `npm start` on a scratch database of the test run's PostgreSQL, on a fixed port that PUBLIC_URL names.
 * It always listens on 127.0.0.1; `host` is the name the browser uses for it (one that
 * launchChromium's --host-resolver-rules maps there), and `publicUrl: false` leaves PUBLIC_URL unset.
 */
export async function startBrowserServer(
  extraEnv: Record<string, string> = {},
  options: { host?: string; publicUrl?: false } = {},
): Promise<BrowserServer> {
  const adminUrl = inject('adminDatabaseUrl');
  const databaseUrl = await createScratchDatabase(adminUrl, `vp_browser_${inject('runId')}`);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'visitpay-browser-'));
  await chmod(dataDir, 0o755);
  const port = await freePort();
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`;
  const publicUrl: Record<string, string> = options.publicUrl === false ? {} : { PUBLIC_URL: url };
  const server = await startServer(
    processEnv({
      DATABASE_URL: databaseUrl,
      VISITPAY_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      ...publicUrl,
      ...extraEnv,
    }),
  );
  return {
    server,
    url,
    databaseUrl,
    async stop() {
      if (server.child.exitCode === null && server.child.signalCode === null) {
        server.child.kill('SIGTERM');
        await server.exited;
      }
      await dropScratchDatabase(adminUrl, databaseUrl).catch(() => undefined);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Chromium as CI runs it; Playwright gives each launch a fresh temporary --user-data-dir. `args` are
 * added to the usual ones (e.g. `--host-resolver-rules=MAP salon.lan 127.0.0.1`).
 */
export async function launchChromium(args: string[] = []): Promise<Browser> {
  requireChromium();
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...args,
    ],
  });
}

/** Console errors and uncaught exceptions of every page opened in `context`. */
export function watchProblems(context: BrowserContext): string[] {
  const problems: string[] = [];
  const watch = (page: Page) => {
    page.on('console', (message) => {
      // Chromium asks every page for /favicon.ico by itself; the sandbox bank page names no icon.
      if (message.type() !== 'error' || message.location().url.endsWith('/favicon.ico')) return;
      problems.push(`${page.url()}: console error: ${message.text()} (${message.location().url})`);
    });
    page.on('pageerror', (error) => problems.push(`${page.url()}: ${error.message}`));
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  return problems;
}

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/');
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('day-view').or(page.getByTestId('week-view')).first().waitFor({ timeout: 15_000 });
}

/** test-results/browser/NAME.png; the admin app's dialogs cover the viewport, so only that is taken there. */
export async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage });
}

/** A calendar day in `timeZone`, `offsetDays` from today, as YYYY-MM-DD. */
export function dayIn(timeZone: string, offsetDays = 0): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(Date.now() + offsetDays * 86_400_000),
  );
}

/** Today `hour`:00 on the wall clock of `timeZone`, as an ISO instant: a visit the calendar shows today. */
export function todayAt(timeZone: string, hour: number): string {
  return zonedInstant(dayIn(timeZone), hour, 0, timeZone).toISOString();
}

/** The sizes the admin app is tried at: a laptop and a receptionist's phone. */
export const LAPTOP = { width: 1366, height: 850 };
export const PHONE = { width: 390, height: 844 };

/** A browser context's options; each page opens on the server's URL, laptop-sized and in English unless told. */
export type PageOptions = BrowserContextOptions;

export interface AdminAppRun {
  app: BrowserServer;
  owner: OwnerSession;
  browser: Browser;
  /** A page in a fresh context (its own cookies). */
  newPage(options?: PageOptions): Promise<Page>;
  /** newPage, signed in (as the owner unless `user` is given) and on the calendar. */
  signedInPage(options?: PageOptions & { user?: { email: string; password: string } }): Promise<Page>;
  /** Console errors and uncaught exceptions seen since the last call, in every page opened. */
  takeProblems(): string[];
  close(): Promise<void>;
}

export interface AdminAppOptions {
  /** added to the server's environment */
  env?: Record<string, string>;
  /** the name the browser knows the server by: Chromium resolves it to 127.0.0.1 (see startBrowserServer) */
  host?: string;
  /** false leaves PUBLIC_URL unset */
  publicUrl?: false;
}

/**
 * A server on its own database (startBrowserServer) with the owner signed in through the API;
 * `setup` adds the data the file's screens need.
 */
export async function startAdminServer(
  setup: (owner: OwnerSession, app: BrowserServer) => Promise<void> = async () => undefined,
  { env = {}, host, publicUrl }: AdminAppOptions = {},
): Promise<{ app: BrowserServer; owner: OwnerSession }> {
  const app = await startBrowserServer(env, { host, publicUrl });
  // this process has no host-resolver rule: its API calls go to the loopback address
  const owner = await ownerSession(host ? app.url.replace(host, '127.0.0.1') : app.url);
  await setup(owner, app);
  return { app, owner };
}

/**
 * The usual start of a browser test file: web/dist built, a server on its own database with the
 * owner signed in through the API (startAdminServer), and Chromium.
 */
export async function openAdminApp(
  setup?: (owner: OwnerSession, app: BrowserServer) => Promise<void>,
  options: AdminAppOptions = {},
): Promise<AdminAppRun> {
  requireChromium();
  await ensureWebBuild();
  const { app, owner } = await startAdminServer(setup, options);
  const browser = await launchChromium(options.host ? [`--host-resolver-rules=MAP ${options.host} 127.0.0.1`] : []);
  const contexts: BrowserContext[] = [];
  const problems: string[][] = [];
  const newPage = async (options: PageOptions = {}) => {
    const context = await browser.newContext({ baseURL: app.url, locale: 'en-GB', viewport: LAPTOP, ...options });
    contexts.push(context);
    problems.push(watchProblems(context));
    return context.newPage();
  };
  return {
    app,
    owner,
    browser,
    newPage,
    async signedInPage({ user = { email: ADMIN_EMAIL, password: ADMIN_PASSWORD }, ...options } = {}) {
      const page = await newPage(options);
      await signIn(page, user.email, user.password);
      return page;
    },
    takeProblems: () => problems.flatMap((seen) => seen.splice(0)),
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
      await app.stop();
    },
  };
}

/** The appointment's window, opened from its address in the calendar, on `tab` when one is named. */
export async function openAppointment(
  page: Page,
  companyId: string,
  appointmentId: string,
  tab?: 'details' | 'checkout' | 'status',
): Promise<Locator> {
  await page.goto(`/c/${companyId}/calendar?appointment=${appointmentId}`);
  const win = page.getByTestId('appointment-window');
  if (tab) await win.getByTestId(`tab-${tab}`).click();
  return win;
}

/** Presses "Copy link" in the appointment window `win`; the link's address as the window shows it. */
export async function copyLink(win: Locator): Promise<string> {
  await win.getByTestId('copy-payment-link').click();
  await win.getByTestId('link-url').waitFor({ timeout: 10_000 });
  return win.getByTestId('link-url').inputValue();
}

/** Every screen of the admin app's menu, by its path under /c/{company}/ (the calendar aside). */
export const MENU_SCREENS = [
  'clients',
  'catalog/services',
  'catalog/products',
  'staff',
  'finance/cashless',
  'reports/transactions',
  'audit',
  'users',
  'settings/webhooks',
  'settings/messages',
  'settings/tips',
  'settings/reminders',
  'settings/branding',
] as const;

/** A screen is on view once its heading is and nothing on it is still loading. */
export async function screenSettled(page: Page): Promise<void> {
  await page.locator('main h1').first().waitFor({ timeout: 10_000 });
  await expect.poll(() => page.getByTestId('loading').count(), { timeout: 10_000 }).toBe(0);
}
