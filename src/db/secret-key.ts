import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * The key that encrypts secrets at rest. From SECRET_KEY when set; otherwise generated once into
 * the data directory (fine for the embedded single-salon setup, refused in production).
 */
export function resolveSecretKey(options: { configured?: string; dataDir: string; production: boolean }): string {
  if (options.configured) return options.configured;
  const file = path.join(path.resolve(options.dataDir), 'secret.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  if (options.production) {
    throw new Error('SECRET_KEY must be set in production (e.g. openssl rand -base64 32)');
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const key = randomBytes(32).toString('base64');
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}
