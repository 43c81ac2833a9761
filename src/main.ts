import cluster from 'node:cluster';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startWorkers } from './cluster.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { connectDatabase, type DatabaseHandle } from './db/database.js';
import { startEmbeddedPostgres, type EmbeddedServer } from './db/embedded-postgres.js';
import { migrateToLatest } from './db/migrator.js';
import { resolveSecretKey } from './db/secret-key.js';
import { buildApp } from './http/app.js';
import { createMetrics } from './http/metrics.js';
import { bootstrapOwner } from './modules/access/index.js';
import { JobRunner } from './jobs/job-runner.js';
import { visitpayJobs } from './jobs/jobs.js';
import { backupDir, dailyBackupsOn } from './backups/backup-records.js';
import { linkReachAdvice } from './shared/link-reach.js';
import { createServices, type Services } from './services.js';
import { systemClock, type Clock } from './shared/clock.js';
import { pino, type Logger } from 'pino';

/** Connections of each serving process's pool (O3: of each worker). */
const POOL_SIZE = 20;

/** Composition root: config → database → services → HTTP → jobs. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const production = config.NODE_ENV === 'production';
  const say = (line: string) => console.log(`[visitpay] ${line}`);
  // O3: a worker of VISITPAY_WORKERS > 1 only serves; its primary did the one-time work below
  if (cluster.isWorker) return serveAsWorker(config);
  if (config.VISITPAY_ALLOW_PRIVATE_WEBHOOKS === 'true') {
    console.warn(
      '[visitpay] WARNING: VISITPAY_ALLOW_PRIVATE_WEBHOOKS=true: webhook endpoints and the WhatsApp sender may be plain http:// and loopback or private addresses (S4 is off); for local development only',
    );
  }

  let embedded: EmbeddedServer | undefined;
  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    say(`starting embedded PostgreSQL in ${path.resolve(config.VISITPAY_DATA_DIR, 'pg')}`);
    embedded = await startEmbeddedPostgres({
      dataDir: path.join(config.VISITPAY_DATA_DIR, 'pg'),
      port: config.VISITPAY_EMBEDDED_PG_PORT,
      log: say,
    });
    databaseUrl = embedded.databaseUrl('postgres');
  }
  const secretKey = resolveSecretKey({ configured: config.SECRET_KEY, dataDir: config.VISITPAY_DATA_DIR, production });

  const database = connectDatabase(databaseUrl, POOL_SIZE);
  const applied = await migrateToLatest(database.db);
  if (applied.length > 0) say(`applied migrations: ${applied.join(', ')}`);

  const clock = systemClock;
  const services = createServices({
    db: database.db,
    pool: database.pool,
    clock,
    logger: processLogger(config),
    config,
    secretKey,
    databaseUrl,
  });

  const owner = await bootstrapOwner(database.db, {
    email: config.VISITPAY_ADMIN_EMAIL,
    password: config.VISITPAY_ADMIN_PASSWORD,
  });
  if (owner.created && owner.userId) {
    const company = await services.companies.create(
      {
        name: config.VISITPAY_COMPANY_NAME,
        currency: config.VISITPAY_COMPANY_CURRENCY,
        timezone: config.VISITPAY_COMPANY_TIMEZONE,
        country: config.VISITPAY_COMPANY_COUNTRY,
      },
      owner.userId,
    );
    say(`created company "${company.name}" (${company.id})`);
    if (wantsDemoData(config) && (await services.demo.load(company.id, owner.userId))) {
      say('loaded demo data: services, products, staff, clients and a week of appointments');
      if (
        services.providers.has('sandbox') &&
        (!production || config.VISITPAY_ALLOW_SANDBOX_IN_PRODUCTION === 'true')
      ) {
        const actor = { type: 'user' as const, id: owner.userId };
        await services.cashless.connect(company.id, actor, 'sandbox', {});
        await services.cashless.update(company.id, actor, { payByLinkEnabled: true });
        say('connected the sandbox payment provider and switched pay-by-link on');
      }
    }
    if (owner.generatedPassword) {
      const file = path.resolve(config.VISITPAY_DATA_DIR, 'initial-admin-password');
      // with DATABASE_URL nothing else may have made the data directory yet
      mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      writeFileSync(file, `${owner.email}\n${owner.generatedPassword}\n`, { mode: 0o600 });
    }
  }

  let serving: { port: number; stop(): Promise<void> } | undefined;
  let stopping = false;
  const stop = async (signal: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: shutting down`);
    await serving?.stop();
    await embedded?.stop();
    process.exit(exitCode);
  };
  if (config.VISITPAY_WORKERS > 1) {
    // O3: the primary serves nothing itself: it lets its connections go and hands the port to its workers
    await services.announcer.flush();
    await services.live.close();
    await database.close();
    say(`starting ${config.VISITPAY_WORKERS} worker processes`);
    serving = await startWorkers({
      count: config.VISITPAY_WORKERS,
      // the embedded server is the primary's: the workers reach it by its URL
      // O2: a worker sees DATABASE_URL, but whether the daily backups run is decided by the primary's mode
      env: { DATABASE_URL: databaseUrl, VISITPAY_BACKUPS: dailyBackupsOn(config) ? 'on' : 'off' },
      log: say,
      onCrashLoop: (line) => {
        console.error(`[visitpay] ${line}`);
        void stop('crash loop', 1);
      },
    });
  } else {
    serving = await serve({ config, database, services, clock });
  }
  const port = serving.port;
  const url = config.PUBLIC_URL ?? `http://localhost:${port}`;
  say(`Visitpay is running at ${url}`);
  say(`API docs: ${url}/docs`);
  if (dailyBackupsOn(config))
    say(
      `daily backups into ${backupDir(config)} (keeping the newest ${config.VISITPAY_BACKUP_RETENTION}${config.VISITPAY_BACKUP_PASSPHRASE ? ', with the key under VISITPAY_BACKUP_PASSPHRASE' : ''})`,
    );
  // O7: before the login line, so that whoever reads the console of a fresh install sees it
  for (const line of linkReachAdvice(url, Boolean(config.PUBLIC_URL))) say(line);
  if (owner.generatedPassword) {
    say(`log in as ${owner.email} with password ${owner.generatedPassword}`);
    say('(shown once; also saved to data/initial-admin-password — change it after signing in)');
  } else {
    say(
      `log in as ${owner.email} ${config.VISITPAY_ADMIN_PASSWORD ? '(password from VISITPAY_ADMIN_PASSWORD)' : `(first-start password in ${path.resolve(config.VISITPAY_DATA_DIR, 'initial-admin-password')})`}`,
    );
  }

  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** The HTTP app and the background jobs of one process, on its own pool; `stop` closes them in order. */
async function serve({
  config,
  database,
  services,
  clock,
}: {
  config: Config;
  database: DatabaseHandle;
  services: Services;
  clock: Clock;
}) {
  const metrics = createMetrics();
  const app = await buildApp({
    config,
    db: database.db,
    services,
    metrics,
    loggerInstance: services.log,
  });
  await app.listen({ port: config.PORT, host: config.HOST });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  services.origins.listening(port);
  const jobs = new JobRunner(
    [...visitpayJobs({ db: database.db, clock, services }), ...services.backupJobs],
    app.log,
    (run) => metrics.jobRuns.inc(run),
  );
  jobs.start();
  return {
    port,
    stop: async () => {
      await jobs.stop();
      await app.close();
      await services.announcer.flush();
      await services.live.close();
      await database.close();
    },
  };
}

/**
 * O3: one of VISITPAY_WORKERS processes. Its primary has started the embedded server (passing its
 * URL as DATABASE_URL), migrated and created the owner; the worker serves the shared port and runs
 * the jobs, which coordinate with the other workers' through the database.
 */
async function serveAsWorker(config: Config): Promise<void> {
  const databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) throw new Error('a worker needs DATABASE_URL from its primary');
  const secretKey = resolveSecretKey({
    configured: config.SECRET_KEY,
    dataDir: config.VISITPAY_DATA_DIR,
    production: config.NODE_ENV === 'production',
  });
  const database = connectDatabase(databaseUrl, POOL_SIZE);
  const clock = systemClock;
  const services = createServices({
    db: database.db,
    pool: database.pool,
    clock,
    logger: processLogger(config),
    config,
    secretKey,
    databaseUrl,
  });
  const serving = await serve({ config, database, services, clock });
  // The primary decides when workers stop: Ctrl-C reaches the whole process group, and the primary then sends SIGTERM.
  process.on('SIGINT', () => undefined);
  process.once('SIGTERM', () => void serving.stop().then(() => process.exit(0)));
}

/** O5: the process's one logger: Fastify's, and through named children of it every service's. */
function processLogger(config: Config): Logger {
  return pino({
    level: config.LOG_LEVEL,
    redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    serializers: { req: redactedRequest },
  });
}

/** Access logs never carry a link token (R6): `/pay/<token>` is logged as `/pay/[redacted]`. */
function redactedRequest(req: { method: string; url: string; id: string }) {
  return { id: req.id, method: req.method, url: req.url.replace(/\/pay\/[^/?#]+/, '/pay/[redacted]') };
}

/** `auto` loads the demo salon on the first start of a non-production install; `on`/`off` force it. */
function wantsDemoData(config: Config): boolean {
  if (config.VISITPAY_DEMO_DATA === 'auto') return config.NODE_ENV !== 'production';
  return config.VISITPAY_DEMO_DATA === 'on';
}

main().catch((error: unknown) => {
  console.error('[visitpay] failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
