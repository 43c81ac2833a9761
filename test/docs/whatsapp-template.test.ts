import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WHATSAPP_TEMPLATE_TEXT } from '../../src/modules/links/link-whatsapp.js';

/** R36: operators register the WhatsApp template from docs/messaging.md; the preview fills in the same text. */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('the WhatsApp template operators register', () => {
  it('R36 docs/messaging.md gives the very text the preview fills in, in both languages', () => {
    const page = readFileSync(path.join(root, 'docs/messaging.md'), 'utf8');
    for (const text of Object.values(WHATSAPP_TEMPLATE_TEXT)) {
      expect(page).toContain(`\n${text}\n`);
      // Meta refuses a template that begins or ends with a parameter, or a parameter list with gaps
      expect(text).not.toMatch(/^\{\{|\}\}$/);
      expect([...text.matchAll(/\{\{(\d+)\}\}/g)].map((m) => Number(m[1])).sort()).toEqual([1, 2, 3, 4, 5]);
    }
  });
});
