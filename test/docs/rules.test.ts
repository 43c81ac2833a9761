import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * docs/rules.md states every rule that code and tests cite by id (R1–R41, S1–S10, O1–O7). This keeps
 * it complete: every id cited in the code is defined there once, and every rule not marked *planned*
 * has a test named after it. No database is needed.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const RULES_FILE = 'docs/rules.md';
/** Where rules are cited. */
const SCANNED = ['src', 'test', 'web/src', 'bench'];

const range = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`);
const ALL_RULES = [...range('R', 41), ...range('S', 10), ...range('O', 7)];

/**
 * A rule id, or a range of them (`R9–R18`, `R24-R26`), as a word of its own: `S3Client`, `AWS_S3`
 * or `a1O2` are not ids. Upper case only.
 */
const ID_OR_RANGE = /\b([RSO])(\d{1,3})(?:\s*[–-]\s*\1?(\d{1,3}))?\b/g;

/**
 * Ids in a text, ranges expanded. An id that is a whole string literal by itself (`'S1'`) is test
 * data — service titles `S0`…`S4` in the catalog's paging test — not a citation, so it is skipped;
 * citations always come with words around them.
 */
export function citedIds(text: string): string[] {
  const ids: string[] = [];
  for (const m of text.matchAll(ID_OR_RANGE)) {
    const before = text[m.index - 1];
    const after = text[m.index + m[0].length];
    if (before !== undefined && before === after && `'"\``.includes(before)) continue;
    const from = Number(m[2]);
    const to = m[3] === undefined ? from : Number(m[3]);
    // a backwards or absurd "range" is read as its two ends
    if (to < from || to - from > 50) ids.push(`${m[1]}${from}`, `${m[1]}${to}`);
    else for (let n = from; n <= to; n++) ids.push(`${m[1]}${n}`);
  }
  return ids;
}

function filesUnder(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) filesUnder(file, out);
    else if (/\.(ts|tsx|js|mjs|cjs|css|html)$/.test(name)) out.push(file);
  }
  return out;
}

/** Index just past the string literal that opens at `i` (template literals with `${…}` included). */
function skipString(s: string, i: number): number {
  const quote = s[i];
  i++;
  while (i < s.length && s[i] !== quote) {
    if (s[i] === '\\') i += 2;
    else if (quote === '`' && s[i] === '$' && s[i + 1] === '{') i = skipBalanced(s, i + 1);
    else i++;
  }
  return i + 1;
}

/** Index just past the bracketed group that opens at `i`, skipping strings and comments. */
function skipBalanced(s: string, i: number): number {
  let depth = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === "'" || c === '"' || c === '`') {
      i = skipString(s, i);
      continue;
    }
    if (c === '/' && s[i + 1] === '/') {
      while (i < s.length && s[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && s[i + 1] === '*') {
      const end = s.indexOf('*/', i + 2);
      i = end < 0 ? s.length : end + 2;
      continue;
    }
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c) && --depth === 0) return i + 1;
    i++;
  }
  return i;
}

/**
 * The titles of a test file's `it`, `test` and `describe` calls, with their modifiers
 * (`it.each([…])('…')`, `describe.skipIf(…)('…')`, `it.concurrent('…')`) and titles on the next line.
 * `x.test(…)` (a RegExp) is not a test: a title follows only a bare `it`/`test`/`describe`.
 */
export function testTitles(source: string): string[] {
  const titles: string[] = [];
  for (const m of source.matchAll(/(?<![\w.$])(?:it|test|describe)\b/g)) {
    let i = m.index + m[0].length;
    while (source[i] === '.') {
      const modifier = /^\.\w+/.exec(source.slice(i));
      if (!modifier) break;
      i += modifier[0].length;
      if (source[i] === '(') {
        const end = skipBalanced(source, i);
        if (source[end] !== '(') break; // `it.skip('title')`: the call below reads it
        i = end;
      }
    }
    if (source[i] !== '(') continue;
    i++;
    while (/\s/.test(source[i] ?? '')) i++;
    const quote = source[i];
    if (quote !== "'" && quote !== '"' && quote !== '`') continue;
    titles.push(source.slice(i + 1, skipString(source, i) - 1));
  }
  return titles;
}

interface RuleEntry {
  id: string;
  planned: boolean;
  body: string;
}

/** The `### R13 — title` sections of docs/rules.md; a section with a line starting `*planned*` is planned. */
function parseRules(markdown: string): RuleEntry[] {
  const entries: RuleEntry[] = [];
  const sections = markdown.split(/^(?=#{1,3} )/m);
  for (const section of sections) {
    const heading = /^### ([RSO]\d+) — \S/.exec(section);
    if (!heading) continue;
    entries.push({ id: heading[1]!, planned: /^\*planned\*/m.test(section), body: section });
  }
  return entries;
}

const rel = (file: string) => path.relative(root, file).split(path.sep).join('/');
const markdown = readFileSync(path.join(root, RULES_FILE), 'utf8');
const rules = parseRules(markdown);
const defined = new Set(rules.map((r) => r.id));
const sourceFiles = SCANNED.flatMap((dir) => filesUnder(path.join(root, dir)));
// this file's own examples of titles are not tests of those rules
const testFiles = sourceFiles.filter(
  (file) => /\.test\.tsx?$/.test(file) && path.resolve(file) !== fileURLToPath(import.meta.url),
);

/** Which test files have a test (or describe) whose title names each id. */
function testsNaming(): Map<string, Set<string>> {
  const named = new Map<string, Set<string>>();
  for (const file of testFiles) {
    for (const title of testTitles(readFileSync(file, 'utf8'))) {
      for (const id of citedIds(title)) {
        if (!named.has(id)) named.set(id, new Set());
        named.get(id)!.add(rel(file));
      }
    }
  }
  return named;
}

describe('docs/rules.md', () => {
  it('defines each of the 58 rules exactly once, and nothing else', () => {
    const counts = new Map<string, number>();
    for (const r of rules) counts.set(r.id, (counts.get(r.id) ?? 0) + 1);
    expect(
      ALL_RULES.filter((id) => !counts.has(id)),
      'rules with no `### <id> — <title>` section',
    ).toEqual([]);
    expect(
      [...counts].filter(([, n]) => n > 1).map(([id]) => id),
      'rules defined more than once',
    ).toEqual([]);
    expect(
      [...counts.keys()].filter((id) => !ALL_RULES.includes(id)),
      'sections of ids that are not rules',
    ).toEqual([]);
    expect(rules).toHaveLength(58);
  });

  it('defines every rule id cited under src/, test/, web/src/ and bench/', () => {
    const undefinedCitations = new Map<string, string[]>();
    for (const file of sourceFiles) {
      for (const id of new Set(citedIds(readFileSync(file, 'utf8')))) {
        if (defined.has(id)) continue;
        undefinedCitations.set(id, [...(undefinedCitations.get(id) ?? []), rel(file)]);
      }
    }
    const report = [...undefinedCitations].map(([id, files]) => `${id} (cited in ${files.join(', ')})`);
    expect(report, `ids cited but not defined in ${RULES_FILE}`).toEqual([]);
  });

  it('has a test named after every rule that is not planned, and none after a planned one', () => {
    const named = testsNaming();
    // built: not marked *planned*, so a test's name must cite it; planned: the mark is stale once one does
    const builtWithoutTest = rules.filter((r) => !r.planned && !named.has(r.id)).map((r) => r.id);
    const plannedButTested = rules
      .filter((r) => r.planned && named.has(r.id))
      .map((r) => `${r.id} (${[...named.get(r.id)!].join(', ')})`);
    expect({ builtWithoutTest, plannedButTested }).toEqual({ builtWithoutTest: [], plannedButTested: [] });
  });

  it('gives each rule not planned its code and its tests, and every file it lists exists', () => {
    const withoutCodeOrTests = rules
      .filter((r) => !r.planned && !(/^Code: `/m.test(r.body) && /^Tests: `/m.test(r.body)))
      .map((r) => r.id);
    const missingFiles: string[] = [];
    for (const r of rules) {
      for (const line of r.body.match(/^(?:Code|Tests): .*$/gm) ?? []) {
        for (const [, file] of line.matchAll(/`([^`]+)`/g))
          if (!existsSync(path.join(root, file!))) missingFiles.push(`${r.id}: ${file}`);
      }
    }
    // a missing file was moved or renamed: update its rule's lines
    expect({ withoutCodeOrTests, missingFiles }).toEqual({ withoutCodeOrTests: [], missingFiles: [] });
  });

  it('reads ids, ranges and test titles the way the check relies on', () => {
    expect(citedIds('R13: locked; R9–R11 and S4, O7. R2-R4')).toEqual([
      'R13',
      'R9',
      'R10',
      'R11',
      'S4',
      'O7',
      'R2',
      'R3',
      'R4',
    ]);
    expect(citedIds("AWS_S3 S3Client a1O2 R13x titles ['S1', 'S2'] `O3`")).toEqual([]);
    expect(
      testTitles(`
        describe('R5 links', () => {
          it('R13 answers 409', async () => {});
          it.each([['a', 1]])('R18 %s refunds', async () => {});
          it(
            'R20 finds a lost one',
            async () => {},
          );
          describe.skipIf(process.env.X)('S9 throttles', () => {});
          expect(/R1/.test('R1')).toBe(true);
        });`),
    ).toEqual(['R5 links', 'R13 answers 409', 'R18 %s refunds', 'R20 finds a lost one', 'S9 throttles']);
  });
});
