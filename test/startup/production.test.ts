import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runServerToExit } from '../helpers/server-process.js';

const SRC = path.resolve(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('production mode (S10)', () => {
  it('S10 npm start with NODE_ENV=production but no PUBLIC_URL or SECRET_KEY exits 1 naming both, before touching any data', async () => {
    const { code, output } = await runServerToExit({
      NODE_ENV: 'production',
      VISITPAY_DATA_DIR: '/nonexistent/visitpay-s10',
    });
    expect(code).toBe(1);
    expect(output).toContain('PUBLIC_URL: required when NODE_ENV=production');
    expect(output).toContain('SECRET_KEY: required when NODE_ENV=production');
    expect(output).not.toContain('embedded PostgreSQL');
  });

  /**
   * What the default `npm start` runs is what production runs: no protection may be switched on by
   * NODE_ENV. It is read where it decides configuration and product rules only — the variables
   * production requires (config), the sandbox bank refused in production (R1), no demo salon.
   */
  it('S10 NODE_ENV is read only by the configuration and the product rules of production, by no security check', () => {
    const readers = sourceFiles(SRC)
      .filter((file) => /NODE_ENV/.test(readFileSync(file, 'utf8')))
      .map((file) => path.relative(SRC, file))
      .sort();
    expect(readers).toEqual(['cli.ts', 'config.ts', 'main.ts', 'providers/sandbox/sandbox-settings.ts']);
  });
});
