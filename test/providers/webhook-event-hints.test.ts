import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { STRIPE_EVENT_TYPES } from '../../src/providers/stripe/stripe-events.js';
import { YOOKASSA_EVENT_TYPES } from '../../src/providers/yookassa/yookassa-mapping.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

/** The text of one message of the admin app's dictionary, read from its source. */
function message(lang: 'en' | 'ru', key: string): string {
  const source = read(`web/src/i18n/${lang}.ts`);
  const match = new RegExp(`'${key.replaceAll('.', '\\.')}':\\s*'((?:[^'\\\\]|\\\\.)*)'`).exec(source);
  if (!match?.[1]) throw new Error(`${lang}.ts has no ${key}`);
  return match[1];
}

/** The section of docs/providers.md under a heading, up to the next one. */
function docsSection(heading: string): string {
  const text = read('docs/providers.md');
  const start = text.indexOf(`## ${heading}\n`);
  if (start < 0) throw new Error(`docs/providers.md has no "## ${heading}"`);
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end < 0 ? undefined : end);
}

const STRIPE_EVENT = /\b(?:checkout\.session|charge|refund|payment_intent|customer)\.[a-z_]+\b/g;
const YOOKASSA_EVENT = /\b(?:payment|refund|payout|deal)\.[a-z_]+\b/g;
const eventsIn = (text: string, pattern: RegExp) => [...new Set(text.match(pattern) ?? [])].sort();

describe('provider webhook hints name exactly the events the adapters process', () => {
  it('R1 the Stripe hint (en, ru) and docs/providers.md list every event the Stripe adapter processes, refunds included, and no other', () => {
    const expected = [...STRIPE_EVENT_TYPES].sort();
    expect(expected).toEqual(expect.arrayContaining(['charge.refunded', 'refund.created', 'refund.failed']));
    expect(eventsIn(message('en', 'cashless.webhookHint.stripe'), STRIPE_EVENT)).toEqual(expected);
    expect(eventsIn(message('ru', 'cashless.webhookHint.stripe'), STRIPE_EVENT)).toEqual(expected);
    expect(eventsIn(docsSection('Stripe'), STRIPE_EVENT)).toEqual(expected);
  });

  it('R1 the YooKassa hint (en, ru) and docs/providers.md list the notifications YooKassa sends for a capture:true shop', () => {
    // waiting_for_capture never comes with capture:true; it is accepted, not asked for.
    const expected = YOOKASSA_EVENT_TYPES.filter((e) => e !== 'payment.waiting_for_capture').sort();
    expect(expected).toContain('refund.succeeded');
    expect(eventsIn(message('en', 'cashless.webhookHint.yookassa'), YOOKASSA_EVENT)).toEqual(expected);
    expect(eventsIn(message('ru', 'cashless.webhookHint.yookassa'), YOOKASSA_EVENT)).toEqual(expected);
    expect(eventsIn(docsSection('YooKassa'), YOOKASSA_EVENT)).toEqual(expected);
  });
});
