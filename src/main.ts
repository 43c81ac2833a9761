import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig, type Config } from './config.js';
import { connectDatabase } from './db/database.js';
import { startEmbeddedPostgres, type EmbeddedServer } from './db/embedded-postgres.js';
import { migrateToLatest } from './db/migrator.js';
import { resolveSecretKey } from './db/secret-key.js';
import { buildApp } from './http/app.js';
import { bootstrapOwner } from './modules/access/bootstrap.service.js';
import { JobRunner } from './jobs/job-runner.js';
import { visitpayJobs } from './jobs/jobs.js';
import { createServices } from './services.js';
import { systemClock } from './shared/clock.js';

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
  if (config.VISITPAY_ALLOW_PRIVATE_WEBHOOKS === 'true') {
    console.warn('[visitpay] WARNING: VISITPAY_ALLOW_PRIVATE_WEBHOOKS=true: webhook endpoints may be plain http:// and loopback or private addresses (S4 is off); for local development only');
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

  const database = connectDatabase(databaseUrl, 20);
  const applied = await migrateToLatest(database.db);
  if (applied.length > 0) say(`applied migrations: ${applied.join(', ')}`);

  const clock = systemClock;
  const services = createServices({ db: database.db, pool: database.pool, clock, config, secretKey, databaseUrl });

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
      if (services.providers.has('sandbox') && (!production || config.VISITPAY_ALLOW_SANDBOX_IN_PRODUCTION === 'true')) {
        const actor = { type: 'user' as const, id: owner.userId };
        await services.cashless.connect(company.id, actor, 'sandbox', {});
        await services.cashless.update(company.id, actor, { payByLinkEnabled: true });
        say('connected the sandbox payment provider and switched pay-by-link on');
      }
    }
    if (owner.generatedPassword) {
      const file = path.resolve(config.VISITPAY_DATA_DIR, 'initial-admin-password');
      writeFileSync(file, `${owner.email}\n${owner.generatedPassword}\n`, { mode: 0o600 });
    }
  }

  const app = await buildApp({
    config,
    db: database.db,
    services,
    logger: {
      level: config.LOG_LEVEL,
      redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
      serializers: { req: redactedRequest },
    },
  });
  await app.listen({ port: config.PORT, host: config.HOST });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  services.origins.listening(port);
  const jobs = new JobRunner(visitpayJobs({ db: database.db, clock, services }), app.log);
  jobs.start();
  const url = config.PUBLIC_URL ?? `http://localhost:${port}`;
  say(`Visitpay is running at ${url}`);
  say(`API docs: ${url}/docs`);
  if (owner.generatedPassword) {
    say(`log in as ${owner.email} with password ${owner.generatedPassword}`);
    say('(shown once; also saved to data/initial-admin-password — change it after signing in)');
  } else {
    say(`log in as ${owner.email} ${config.VISITPAY_ADMIN_PASSWORD ? '(password from VISITPAY_ADMIN_PASSWORD)' : `(first-start password in ${path.resolve(config.VISITPAY_DATA_DIR, 'initial-admin-password')})`}`);
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: shutting down`);
    await jobs.stop();
    await app.close();
    await services.announcer.flush();
    await services.live.close();
    await database.close();
    await embedded?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
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
