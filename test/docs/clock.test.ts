import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Business time comes from the injected Clock (docs/rules.md §3), so tests can move it. Waits and
 * caches that pace the process itself use performance.now(), which a test's clock does not stop.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SCANNED = ['src/modules', 'src/jobs', 'src/live', 'src/backups', 'src/providers'];
const WALL_CLOCK = /\bDate\.now\(|\bnew Date\(\)/;

/** Files that may read the wall clock, and why. */
const ALLOWED: Record<string, string> = {
  // Retry-After as an HTTP date is a moment on the provider's real clock; the wait it asks for is real too.
  'src/providers/stripe/stripe-client.ts': 'Retry-After dates against real time',
};

function sourcesUnder(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) sourcesUnder(file, out);
    else if (name.endsWith('.ts')) out.push(file);
  }
  return out;
}

describe('time comes from the injected Clock', () => {
  it('no service reads the wall clock (Date.now(), new Date()) instead of its Clock', () => {
    const offenders = SCANNED.flatMap((dir) => sourcesUnder(path.join(root, dir)))
      .map((file) => path.relative(root, file).split(path.sep).join('/'))
      .filter((file) => !(file in ALLOWED))
      .flatMap((file) =>
        readFileSync(path.join(root, file), 'utf8')
          .split('\n')
          .flatMap((line, i) => (WALL_CLOCK.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
      );
    expect(offenders).toEqual([]);
  });

  it('the check itself sees Date.now() and new Date() but not new Date(value)', () => {
    expect(WALL_CLOCK.test('const at = Date.now();')).toBe(true);
    expect(WALL_CLOCK.test('const at = new Date();')).toBe(true);
    expect(WALL_CLOCK.test('const at = new Date(row.created_at);')).toBe(false);
  });

  it('every allowed file still reads the wall clock (no stale exceptions)', () => {
    for (const file of Object.keys(ALLOWED))
      expect(WALL_CLOCK.test(readFileSync(path.join(root, file), 'utf8')), file).toBe(true);
  });
});
