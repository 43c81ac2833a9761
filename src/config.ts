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
  // R36 WhatsApp through Meta's WhatsApp Business Cloud API: a permanent (system user) access token, the sender's
  // Phone number ID (WhatsApp > API Setup), and the approved template to send, in English and in Russian
  // (docs/messaging.md has its text); or through Twilio's WhatsApp sender (TWILIO_ACCOUNT_SID and
  // TWILIO_AUTH_TOKEN with TWILIO_WHATSAPP_FROM and the Content Template's SID). One of the two, not both.
  WHATSAPP_TOKEN: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.|-]{20,1024}$/, 'must be a WhatsApp Cloud API access token (a system user token from Meta)')
    .optional(),
  WHATSAPP_PHONE_NUMBER_ID: z
    .string()
    .regex(/^[0-9]{5,25}$/, 'must be the Phone number ID from WhatsApp > API Setup (digits, not the phone number)')
    .optional(),
  WHATSAPP_TEMPLATE: z
    .string()
    .regex(/^[a-z0-9_]{1,512}$/, 'must be the template name as Meta shows it (lower-case letters, digits, _)')
    .default('visitpay_payment_link'),
  WHATSAPP_TEMPLATE_LANGUAGE_EN: z
    .string()
    .regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'must be a WhatsApp template language code such as en or en_GB')
    .default('en'),
  WHATSAPP_TEMPLATE_LANGUAGE_RU: z
    .string()
    .regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'must be a WhatsApp template language code such as ru')
    .default('ru'),
  WHATSAPP_API_VERSION: z
    .string()
    .regex(/^v[0-9]{1,3}\.[0-9]$/, 'must be a Graph API version such as v23.0')
    .default('v23.0'),
  VISITPAY_WHATSAPP_API_URL: z.url().default('https://graph.facebook.com'),
  TWILIO_WHATSAPP_FROM: z
    .string()
    .trim()
    .regex(
      /^(whatsapp:\+[1-9][0-9]{6,14}|MG[0-9a-fA-F]{32})$/,
      'must be the WhatsApp sender as whatsapp:+15551234567, or a Messaging Service SID (MG…)',
    )
    .optional(),
  TWILIO_WHATSAPP_CONTENT_SID: z
    .string()
    .regex(/^HX[0-9a-fA-F]{32}$/, 'must be a Twilio Content Template SID (HX + 32 hex digits)')
    .optional(),
  TWILIO_WHATSAPP_CONTENT_SID_RU: z
    .string()
    .regex(/^HX[0-9a-fA-F]{32}$/, 'must be a Twilio Content Template SID (HX + 32 hex digits)')
    .optional(),
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
  // R36: a WhatsApp template message is paid per message too
  VISITPAY_SEND_QUOTA_WHATSAPP_PER_DAY: z.coerce.number().int().min(0).default(200),
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
  const whatsApp = whatsAppProblems(result.data);
  if (whatsApp.length > 0)
    throw new ConfigError(`Invalid configuration:\n${whatsApp.map((line) => `  ${line}`).join('\n')}`);
  // Twilio's account may serve WhatsApp alone: then TWILIO_FROM (the SMS sender) is not needed.
  const whatsAppOnlyTwilio = result.data.TWILIO_WHATSAPP_FROM !== undefined && result.data.TWILIO_FROM === undefined;
  const twilio = whatsAppOnlyTwilio ? [] : TWILIO_VARIABLES.filter((name) => result.data[name] !== undefined);
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

/** R36: the WhatsApp settings that do not fit together, one line each (the variable, then why). */
function whatsAppProblems(config: Config): string[] {
  const problems: string[] = [];
  const cloud = (['WHATSAPP_TOKEN', 'WHATSAPP_PHONE_NUMBER_ID'] as const).filter((name) => config[name] !== undefined);
  if (cloud.length === 1)
    problems.push(
      cloud[0] === 'WHATSAPP_TOKEN'
        ? 'WHATSAPP_PHONE_NUMBER_ID: needed with WHATSAPP_TOKEN to send WhatsApp messages through the Cloud API'
        : 'WHATSAPP_TOKEN: needed with WHATSAPP_PHONE_NUMBER_ID to send WhatsApp messages through the Cloud API',
    );
  const twilio = (
    ['TWILIO_WHATSAPP_FROM', 'TWILIO_WHATSAPP_CONTENT_SID', 'TWILIO_WHATSAPP_CONTENT_SID_RU'] as const
  ).filter((name) => config[name] !== undefined);
  if (twilio.length > 0) {
    const missing = (
      ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_WHATSAPP_FROM', 'TWILIO_WHATSAPP_CONTENT_SID'] as const
    ).filter((name) => config[name] === undefined);
    for (const name of missing)
      problems.push(`${name}: needed with ${twilio.join(', ')} to send WhatsApp messages through Twilio`);
  }
  if (cloud.length > 0 && twilio.length > 0)
    problems.push(
      'TWILIO_WHATSAPP_FROM: set either WHATSAPP_TOKEN and WHATSAPP_PHONE_NUMBER_ID (Cloud API) or the TWILIO_WHATSAPP_* variables, not both: WhatsApp messages go through one sender',
    );
  return problems;
}
