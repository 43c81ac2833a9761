import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * axe-core, the reference WCAG checker, run inside the page as a reviewer would run it: the rules
 * of WCAG 2.0 and 2.1, levels A and AA. Only the test injects it; the app ships none of it.
 */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** The WCAG 2.1 AA violations axe-core finds in the page as it is now, one line each. */
export async function axeViolations(page: Page): Promise<string[]> {
  // evaluated through the DevTools protocol: the app's Content-Security-Policy refuses inline script tags
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(`${AXE_SOURCE}\n;true`);
  const violations = await page.evaluate(
    async (tags) =>
      (
        (await (window as any).axe.run(document, { runOnly: { type: 'tag', values: tags } })) as {
          violations: AxeViolation[];
        }
      ).violations,
    TAGS,
  );
  return violations.map(
    (v) => `${v.id} (${v.impact ?? 'n/a'}): ${v.help} — ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`,
  );
}

/** Fails naming every violation (rule id, impact, the nodes' selectors) found on the screen `label`. */
export async function expectNoAxeViolations(page: Page, label: string): Promise<void> {
  expect(await axeViolations(page), `axe-core (WCAG 2.1 AA) on ${label}`).toEqual([]);
}
