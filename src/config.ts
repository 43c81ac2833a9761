import { availableParallelism } from 'node:os';
import { z } from 'zod';

/**
 * O3: each worker holds a pool of 20 connections plus one listening for live events; 12 of them
 * (252) stay inside the embedded server's max_connections of 300, with room for the CLI and backups.
 */
export const MAX_WORKERS = 12;

const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** Every environment variable Visitpay reads, validated once at start. */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  VISITPAY_DATA_DIR: z.string().min(1).default('./data'),
  VISITPAY_EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  PUBLIC_URL: z.url().optional(),
  SECRET_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/=_-]{32,}$/, 'must be at least 32 characters of base64 (e.g. openssl rand -base64 32)')
    .optional(),
  // while SECRET_KEY is being rotated: the keys before it, comma-separated; values sealed under them still open
  SECRET_KEY_PREVIOUS: z
    .string()
    .regex(/^[A-Za-z0-9+/=_-]{32,}(,[A-Za-z0-9+/=_-]{32,})*$/, 'must be earlier SECRET_KEY values, comma-separated')
    .optional(),
  PAYLINK_LOCK_SECONDS: seconds(900),
  PAYLINK_ATTEMPT_TTL_SECONDS: seconds(3600),
  // R20: how soon after Pay the reconciliation job first asks the provider about an attempt nobody reported on
  PAYLINK_RECONCILE_AFTER_SECONDS: seconds(120),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  // SMS through Twilio's Messages API: the account, its auth token, and the sender (a number in E.164, an
  // alphanumeric sender id, or a Messaging Service SID MG…); all three or none
  TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-fA-F]{32}$/, 'must be a Twilio Account SID (AC + 32 hex digits)')
    .optional(),
  TWILIO_AUTH_TOKEN: z.string().min(16).max(128).optional(),
  TWILIO_FROM: z.string().trim().min(1).max(40).optional(),
  VISITPAY_TWILIO_API_URL: z.url().default('https://api.twilio.com'),
  // or SMS through SMS.ru (Russia): the API key (api_id) from its dashboard, and optionally an approved sender name
  SMSRU_API_ID: z
    .string()
    .regex(/^[0-9A-Fa-f-]{20,64}$/, 'must be the api_id from the SMS.ru dashboard')
    .optional(),
  SMSRU_FROM: z.string().trim().min(1).max(11).optional(),
  VISITPAY_SMSRU_API_URL: z.url().default('https://sms.ru'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // S8: the bearer token a Prometheus scraper sends to read /metrics; unset, /metrics is served to nobody
  VISITPAY_METRICS_TOKEN: z
    .string()
    .regex(/^[\x21-\x7e]{24,}$/, 'must be at least 24 characters without spaces (e.g. openssl rand -hex 24)')
    .optional(),
  VISITPAY_ADMIN_EMAIL: z.email().optional(),
  VISITPAY_ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  VISITPAY_COMPANY_NAME: z.string().trim().min(1).max(200).default('Demo Salon'),
  VISITPAY_COMPANY_CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR')
    .default('EUR'),
  VISITPAY_COMPANY_TIMEZONE: z.string().min(1).default('Europe/Berlin'),
  VISITPAY_COMPANY_COUNTRY: z
    .string()
    .regex(/^[A-Z]{2}$/, 'must be an ISO 3166 code such as DE')
    .default('DE'),
  VISITPAY_DEMO_DATA: z.enum(['auto', 'on', 'off']).default('auto'),
  VISITPAY_STRIPE_API_URL: z.url().default('https://api.stripe.com'),
  VISITPAY_YOOKASSA_API_URL: z.url().default('https://api.yookassa.ru'),
  // requests per minute per client IP on the public link pages; 0 switches the limit off (load tests)
  // which proxies may set X-Forwarded-For/-Proto: `false` (none, the default), `true` (any — only behind a proxy that
  // overwrites them), a number of hops, or a comma list of addresses/CIDRs of the load balancers
  VISITPAY_TRUST_PROXY: z
    .string()
    .regex(
      /^(true|false|\d+|[0-9a-fA-F.:/,\s]+)$/,
      'must be true, false, a hop count or a list of proxy addresses/CIDRs',
    )
    .default('false'),
  VISITPAY_PUBLIC_RATE_LIMIT: z.coerce.number().int().min(0).default(120),
  // S2: companies one account may own (each brings its own sending quotas, R38); the operator's CLI is not bound by it
  VISITPAY_COMPANIES_PER_ACCOUNT: z.coerce.number().int().min(1).max(10_000).default(20),
  // S5: provider notifications per company per minute, from any address; 0 switches the limit off (load tests)
  VISITPAY_WEBHOOK_RATE_LIMIT: z.coerce.number().int().min(0).default(600),
  // R38 sending quotas, counted in the database for the whole installation; 0 switches one off. A busy salon
  // books well under 150 visits a day, so the daily caps leave room for every client plus resends, while
  // bounding what one company can cost the operator: email is cheap (500), SMS is paid per message (200).
  // Staff may resend a link a few times to one person; more than 5 an hour is flooding whoever is at the other end.
  VISITPAY_SEND_QUOTA_EMAIL_PER_DAY: z.coerce.number().int().min(0).default(500),
  VISITPAY_SEND_QUOTA_SMS_PER_DAY: z.coerce.number().int().min(0).default(200),
  VISITPAY_SEND_QUOTA_PER_RECIPIENT_PER_HOUR: z.coerce.number().int().min(0).default(5),
  VISITPAY_ALLOW_SANDBOX_IN_PRODUCTION: z.enum(['true', 'false']).default('false'),
  // S4, for local development only: webhook endpoints may then be plain http:// and loopback/private addresses
  VISITPAY_ALLOW_PRIVATE_WEBHOOKS: z.enum(['true', 'false']).default('false'),
  // O2: daily backups into VISITPAY_DATA_DIR/backups: `auto` is on for the embedded database, off with DATABASE_URL
  VISITPAY_BACKUPS: z.enum(['auto', 'on', 'off']).default('auto'),
  // O2: how many daily backups to keep
  VISITPAY_BACKUP_RETENTION: z.coerce.number().int().min(1, 'must be at least 1').max(3650).default(7),
  // O2: when set, each backup carries SECRET_KEY encrypted under it, so a restore elsewhere needs only the passphrase
  VISITPAY_BACKUP_PASSPHRASE: z.string().min(12, 'must be at least 12 characters').optional(),
  // O3: processes serving the one port (node:cluster); `auto` is one per core, up to MAX_WORKERS
  VISITPAY_WORKERS: z
    .string()
    .regex(/^(auto|[1-9][0-9]{0,5})$/, 'must be a whole number of processes from 1 up, or auto (one per core)')
    .default('1')
    .transform((value) => (value === 'auto' ? Math.min(availableParallelism(), MAX_WORKERS) : Number(value)))
    .pipe(
      z.number().max(MAX_WORKERS, `must be at most ${MAX_WORKERS}: each worker holds up to 21 database connections`),
    ),
});

export type Config = z.infer<typeof configSchema>;

/** The keys SECRET_KEY replaced, for opening what they sealed (SecretBox). */
export const previousSecretKeys = (config: Config): string[] => config.SECRET_KEY_PREVIOUS?.split(',') ?? [];

const TWILIO_VARIABLES = ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM'] as const;

/**
 * S10: what production may not guess. Without PUBLIC_URL, links in emails and SMS would name
 * localhost; without SECRET_KEY, the key sealing provider credentials would live beside the data.
 */
const REQUIRED_IN_PRODUCTION = {
  PUBLIC_URL: 'the https:// address clients open links on (emailed and texted links are built from it)',
  SECRET_KEY: 'the key that encrypts provider credentials at rest (e.g. openssl rand -base64 32)',
} as const;

export class ConfigError extends Error {}

/** Parses the environment; throws ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = configSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const twilio = TWILIO_VARIABLES.filter((name) => result.data[name] !== undefined);
  if (twilio.length > 0 && twilio.length < TWILIO_VARIABLES.length) {
    const missing = TWILIO_VARIABLES.filter((name) => result.data[name] === undefined);
    throw new ConfigError(
      `Invalid configuration:\n${missing.map((name) => `  ${name}: needed with ${twilio.join(', ')} to send SMS`).join('\n')}`,
    );
  }
  if (twilio.length > 0 && result.data.SMSRU_API_ID !== undefined) {
    throw new ConfigError(
      'Invalid configuration:\n  SMSRU_API_ID: set either the TWILIO_* variables or SMSRU_API_ID, not both: SMS go through one gateway',
    );
  }
  if (result.data.NODE_ENV === 'production') {
    const missing = (Object.keys(REQUIRED_IN_PRODUCTION) as (keyof typeof REQUIRED_IN_PRODUCTION)[]).filter(
      (name) => result.data[name] === undefined,
    );
    if (missing.length > 0) {
      throw new ConfigError(
        `Invalid configuration:\n${missing.map((name) => `  ${name}: required when NODE_ENV=production: ${REQUIRED_IN_PRODUCTION[name]}`).join('\n')}`,
      );
    }
  }
  return result.data;
}
