import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { previousSecretKeys, type Config } from '../config.js';
import { keyFingerprint } from '../backups/backup-key.js';
import { backupDir, backupFileName, recordManualBackup } from '../backups/backup-records.js';
import { restoreBackup } from '../backups/restore-backup.js';
import { writeBackup } from '../backups/write-backup.js';
import type { OperatorContext } from './operator-commands.js';

/** What the backup commands need beyond an operator command's context. */
export interface BackupContext extends OperatorContext {
  config: Config;
  databaseUrl: string;
  secretKey: () => string;
}

/** `visitpay backup [file]`: a consistent backup while the server runs (O2). */
export async function backup(c: BackupContext, file?: string): Promise<void> {
  const startedAt = c.clock.now();
  let target = file;
  if (target === undefined) {
    const dir = backupDir(c.config);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    target = path.join(dir, backupFileName(startedAt, 'manual'));
  }
  const secretKey = c.secretKey();
  const written = await writeBackup({
    databaseUrl: c.databaseUrl,
    file: target,
    secretKey,
    passphrase: c.config.VISITPAY_BACKUP_PASSPHRASE,
    now: startedAt,
  });
  await recordManualBackup(c.db, { file: written.file, bytes: written.bytes, startedAt, finishedAt: c.clock.now() });
  const rows = written.manifest.tables.reduce((sum, t) => sum + t.rows, 0);
  c.say(
    `backup written: ${written.file} (${written.bytes} bytes, ${written.manifest.tables.length} tables, ${rows} rows)`,
  );
  if (c.config.VISITPAY_BACKUP_PASSPHRASE) {
    c.say(
      `the key sealing its secrets (fingerprint ${keyFingerprint(secretKey)}) is inside, encrypted under VISITPAY_BACKUP_PASSPHRASE`,
    );
  } else {
    c.say(
      `its provider credentials and link tokens are sealed with the key whose fingerprint is ${keyFingerprint(secretKey)}: ` +
        `keep that key (SECRET_KEY${c.config.SECRET_KEY ? '' : `, here ${path.resolve(c.config.VISITPAY_DATA_DIR, 'secret.key')}`}) with the backup, ` +
        'or set VISITPAY_BACKUP_PASSPHRASE to store it in the backup',
    );
  }
}

/** `visitpay restore <file> [--force]`: the whole database from a backup, in one transaction (O2). */
export async function restore(c: BackupContext, file: string, force: boolean): Promise<void> {
  const result = await restoreBackup({
    databaseUrl: c.databaseUrl,
    file,
    force,
    keys: {
      current: c.secretKey(),
      previous: previousSecretKeys(c.config),
      passphrase: c.config.VISITPAY_BACKUP_PASSPHRASE,
    },
    say: c.say,
  });
  c.say(
    `restored ${path.resolve(file)}: ${result.rows} rows${result.resealed > 0 ? `, ${result.resealed} secret(s) sealed again under this machine's key` : ''}`,
  );
}
