import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.js';
import { connectDatabase } from './db/database.js';
import { startEmbeddedPostgres, type EmbeddedServer } from './db/embedded-postgres.js';
import { migrateToLatest } from './db/migrator.js';
import { resolveSecretKey } from './db/secret-key.js';
import { createServices } from './services.js';
import { systemClock } from './shared/clock.js';
import { pino } from 'pino';
import { grantOwner, listCompanies, migrate, resetPassword, runJobs, UsageError } from './cli/operator-commands.js';
import { reseal } from './cli/reseal.js';
import { backup, restore, type BackupContext } from './cli/backup-commands.js';

const USAGE = `Visitpay operator commands (the same settings as the server: DATABASE_URL, or the embedded database in VISITPAY_DATA_DIR)

  visitpay migrate                         bring the database schema up to date
  visitpay companies                       list the companies, their users and owners
  visitpay reset-password <email>          give a user a new password (printed once) and sign them out everywhere
  visitpay grant-owner <email> <companyId> [--force]
                                           make someone an owner of a company, creating the account if needed;
                                           an account that exists already needs --force, once you checked whose it is
  visitpay run-jobs                        run the background jobs until none finds work, then exit
  visitpay reseal                          after SECRET_KEY changed (the old one in SECRET_KEY_PREVIOUS): seal every
                                           stored secret under the new key
  visitpay backup [file]                   write a consistent backup while the server runs (default file:
                                           VISITPAY_DATA_DIR/backups/visitpay-<UTC time>.vpbackup)
  visitpay restore <file> [--force]        replace the database with a backup (--force: even when it holds data)
`;

type Command = (c: BackupContext, args: string[], flags: { force: boolean }) => Promise<void>;

/** `optional`: how many more arguments it may take; `force`: whether it takes --force. */
const COMMANDS: Record<string, { args: number; optional?: number; force?: boolean; run: Command }> = {
  migrate: { args: 0, run: (c) => migrate(c) },
  companies: { args: 0, run: (c) => listCompanies(c) },
  'reset-password': { args: 1, run: (c, [email]) => resetPassword(c, email!) },
  'grant-owner': {
    args: 2,
    force: true,
    run: (c, [email, companyId], { force }) => grantOwner(c, email!, companyId!, force),
  },
  'run-jobs': { args: 0, run: (c) => runJobs(c) },
  reseal: { args: 0, run: (c) => reseal(c) },
  backup: { args: 0, optional: 1, run: (c, [file]) => backup(c, file) },
  restore: { args: 1, force: true, run: (c, [file], { force }) => restore(c, file!, force) },
};

/** `visitpay <command>`: exits 0 when done, 1 when it failed, 2 when the command line is wrong. */
async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { help: { type: 'boolean', short: 'h' }, force: { type: 'boolean' } },
  });
  const [name, ...args] = positionals;
  if (values.help || !name) {
    process.stdout.write(USAGE);
    return values.help ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command || args.length < command.args || args.length > command.args + (command.optional ?? 0)) {
    const takes = command?.optional ? `${command.args} to ${command.args + command.optional}` : String(command?.args);
    process.stderr.write(
      command ? `visitpay ${name} takes ${takes} argument(s)\n\n${USAGE}` : `unknown command: ${name}\n\n${USAGE}`,
    );
    return 2;
  }
  if (values.force && !command.force) {
    process.stderr.write(`visitpay ${name} takes no --force\n\n${USAGE}`);
    return 2;
  }

  const config = loadConfig();
  const say = (line: string) => process.stdout.write(`${line}\n`);
  let embedded: EmbeddedServer | undefined;
  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    // reuses the server a running Visitpay started on this data directory, else starts it for the command
    embedded = await startEmbeddedPostgres({
      dataDir: path.join(config.VISITPAY_DATA_DIR, 'pg'),
      port: config.VISITPAY_EMBEDDED_PG_PORT,
    });
    databaseUrl = embedded.databaseUrl('postgres');
  }
  const database = connectDatabase(databaseUrl, 4);
  try {
    // as every start does: a command never meets an older schema than the code it runs
    // (restore builds the schema of its backup itself)
    if (name !== 'migrate' && name !== 'restore') await migrateToLatest(database.db);
    const secretKey = () =>
      resolveSecretKey({
        configured: config.SECRET_KEY,
        dataDir: config.VISITPAY_DATA_DIR,
        production: config.NODE_ENV === 'production',
      });
    const services = () =>
      createServices({
        db: database.db,
        pool: database.pool,
        clock: systemClock,
        // the commands' own output is stdout; what the services log goes to stderr
        logger: pino({ level: config.LOG_LEVEL }, pino.destination(2)),
        config,
        databaseUrl: databaseUrl!,
        secretKey: secretKey(),
      });
    await command.run({ db: database.db, clock: systemClock, services, say, config, databaseUrl, secretKey }, args, {
      force: values.force ?? false,
    });
    return 0;
  } finally {
    await database.close();
    await embedded?.stop();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(error instanceof UsageError ? 2 : 1);
    }
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    process.stderr.write(`visitpay: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
