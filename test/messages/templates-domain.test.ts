import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/shared/html.js';
import { defaultTemplate } from '../../src/modules/messages/domain/default-templates.js';
import { emailHtml } from '../../src/modules/messages/domain/email-html.js';
import { PLACEHOLDERS, type PlaceholderValues } from '../../src/modules/messages/domain/placeholders.js';
import { renderWith } from '../../src/modules/messages/domain/render-message.js';
import { renderTemplate } from '../../src/modules/messages/domain/render-template.js';
import { smsSegments } from '../../src/modules/messages/domain/sms-segments.js';
import { MESSAGE_CHANNELS, MESSAGE_KINDS, MESSAGE_LOCALES } from '../../src/modules/messages/domain/template-key.js';
import { templateRefusal } from '../../src/modules/messages/domain/validate-template.js';

const values: PlaceholderValues = {
  clientFirstName: 'Anna',
  companyName: 'Hair & <Co>',
  date: '14 Mar',
  time: '10:30',
  staff: 'Maria',
  amount: '€45.00',
  link: 'https://pay.example.test/pay/abc?x=1&y=2',
};

describe('R37 SMS segments', () => {
  it('R37 counts GSM-7 at 160 characters for one part and 153 for each part of a longer one', () => {
    expect(smsSegments('a'.repeat(160))).toMatchObject({ encoding: 'gsm7', units: 160, segments: 1 });
    expect(smsSegments('a'.repeat(161))).toMatchObject({ encoding: 'gsm7', segments: 2, perSegment: 153 });
    expect(smsSegments('a'.repeat(306))).toMatchObject({ segments: 2 });
    expect(smsSegments('a'.repeat(307))).toMatchObject({ segments: 3 });
  });

  it('R37 counts a GSM-7 extension character (€ { [ …) as two', () => {
    expect(smsSegments('€'.repeat(80))).toMatchObject({ encoding: 'gsm7', units: 160, segments: 1 });
    expect(smsSegments(`${'€'.repeat(80)}a`)).toMatchObject({ units: 161, segments: 2 });
  });

  it('R37 counts Cyrillic as UCS-2: 70 for one part, 67 for each part of a longer one', () => {
    expect(smsSegments('я'.repeat(70))).toMatchObject({ encoding: 'ucs2', units: 70, segments: 1 });
    expect(smsSegments('я'.repeat(71))).toMatchObject({ encoding: 'ucs2', segments: 2, perSegment: 67 });
    expect(smsSegments(`${'a'.repeat(100)}я`)).toMatchObject({ encoding: 'ucs2', units: 101, segments: 2 });
  });

  it('R37 an emoji counts two UCS-2 units', () => {
    expect(smsSegments('😀')).toMatchObject({ encoding: 'ucs2', units: 2, segments: 1 });
    expect(smsSegments('😀'.repeat(35))).toMatchObject({ units: 70, segments: 1 });
  });

  it('R37 an extension character is never split across parts: 152 + € + 152 septets is three parts', () => {
    const text = `${'a'.repeat(152)}€${'a'.repeat(152)}`;
    expect(smsSegments(text)).toMatchObject({ encoding: 'gsm7', units: 306, segments: 3 });
    expect(smsSegments('a'.repeat(306)).segments).toBe(2);
  });

  it('R37 a surrogate pair is never split across parts: 66 я + 😀 + 66 я is three parts', () => {
    const text = `${'я'.repeat(66)}😀${'я'.repeat(66)}`;
    expect(smsSegments(text)).toMatchObject({ encoding: 'ucs2', units: 134, segments: 3 });
    expect(smsSegments('я'.repeat(134)).segments).toBe(2);
  });
});

describe('R37 template validation', () => {
  it('R37 refuses a web address other than {link} (foreign_link) and lets words with dots pass', () => {
    const refused = [
      'Account blocked, log in at https://evil.example/x {link}',
      'log in at evil.com {link}',
      'EVIL.COM {link}',
      'www.x {link}',
      'пример.рф {link}',
      'http://10.0.0.1 {link}',
      '1.2.3.4 {link}',
      'https://{companyName}.evil.io {link}',
      '{link} or {companyName}.evil.io',
    ];
    for (const text of refused)
      expect(templateRefusal('sms', { text }), text).toMatchObject({ field: 'text', reason: 'foreign_link' });
    const accepted = [
      'e.g. pay at {link}',
      'St. Petersburg, Dr. Weiss {link}',
      'Mr. Smith, i.e. you: {link}.',
      'ул. Ленина, д. 5, т.е. у нас: {link}',
      '45.00 EUR, 14.03.2031 {link}',
      'Pay here: {link}. Thank you.',
    ];
    for (const text of accepted) expect(templateRefusal('sms', { text }), text).toBeUndefined();
    expect(templateRefusal('email', { subject: 'See evil.example', text: '{link}' })).toMatchObject({
      field: 'subject',
      reason: 'foreign_link',
    });
  });

  it('R37 refuses {link} in the email subject: the token stays out of mail headers (R6)', () => {
    expect(templateRefusal('email', { subject: 'Pay at {link}', text: '{link}' })).toMatchObject({
      field: 'subject',
      reason: 'link_in_subject',
    });
  });

  it('R37 refuses a text without {link}, naming the field', () => {
    expect(templateRefusal('sms', { text: 'Pay soon, {clientFirstName}' })).toMatchObject({
      field: 'text',
      reason: 'link_missing',
    });
  });

  it('R37 refuses unknown placeholders by name, in the subject and in the text', () => {
    expect(templateRefusal('sms', { text: '{link} {Link} {price} { link } {price}' })).toMatchObject({
      field: 'text',
      reason: 'unknown_placeholder',
      placeholders: ['Link', 'price', ' link '],
    });
    expect(templateRefusal('email', { subject: 'For {client}', text: '{link}' })).toMatchObject({
      field: 'subject',
      reason: 'unknown_placeholder',
      placeholders: ['client'],
    });
  });

  it('R37 refuses a brace outside a placeholder (a placeholder typed with one brace missing)', () => {
    expect(templateRefusal('sms', { text: 'Hi {clientFirstName, pay: {link}' })).toMatchObject({
      field: 'text',
      reason: 'stray_brace',
    });
    expect(templateRefusal('sms', { text: '{{clientFirstName}} {link}' })).toMatchObject({ reason: 'stray_brace' });
  });

  it('R37 caps the length per channel and needs an email subject', () => {
    expect(templateRefusal('sms', { text: `{link}${'a'.repeat(1000)}` })).toMatchObject({
      field: 'text',
      reason: 'too_long',
      max: 1000,
    });
    expect(templateRefusal('email', { subject: 'x'.repeat(201), text: '{link}' })).toMatchObject({
      field: 'subject',
      reason: 'too_long',
    });
    expect(templateRefusal('email', { subject: ' ', text: '{link}' })).toMatchObject({
      field: 'subject',
      reason: 'required',
    });
    expect(templateRefusal('sms', { subject: 'Hi', text: '{link}' })).toMatchObject({
      field: 'subject',
      reason: 'not_allowed',
    });
  });

  it('R37 every built-in template is valid', () => {
    for (const channel of MESSAGE_CHANNELS)
      for (const kind of MESSAGE_KINDS)
        for (const locale of MESSAGE_LOCALES)
          expect(
            templateRefusal(channel, defaultTemplate({ channel, kind, locale })),
            `${channel} ${kind} ${locale}`,
          ).toBe(undefined);
  });
});

/** Template text from literal pieces (braces included) and placeholders; values never hold braces. */
const literal = fc.string({ maxLength: 12 });
const templateArb = fc
  .array(
    fc.oneof(literal, fc.constantFrom(...PLACEHOLDERS.map((p) => `{${p}}`)), fc.constantFrom('\n', '\n\n', ': ')),
    {
      maxLength: 30,
    },
  )
  .map((parts) => parts.join(''));
const valueArb = fc.string({ maxLength: 20 }).map((s) => s.replace(/[{}]/g, ''));
const valuesArb = fc.record({
  clientFirstName: valueArb,
  companyName: valueArb.map((s) => s || 'Salon'),
  date: valueArb.map((s) => s || '14 Mar'),
  time: valueArb.map((s) => s || '10:30'),
  staff: valueArb,
  amount: valueArb.map((s) => s || '€1.00'),
  link: fc.webUrl(),
}) as fc.Arbitrary<PlaceholderValues>;

describe('R37 rendering', () => {
  it('R37 the output never holds a known placeholder, and every valid template brings the link', () => {
    fc.assert(
      fc.property(templateArb, valuesArb, fc.constantFrom(...MESSAGE_CHANNELS), (body, v, channel) => {
        const text = `${body}{link}${body}`;
        const template =
          channel === 'email' ? { subject: `${body} {companyName}`.slice(0, 200) || 'x', text } : { text };
        fc.pre(templateRefusal(channel, template) === undefined);
        const message = renderWith(channel, 'en', template, v);
        for (const out of [message.text, message.subject ?? ''])
          for (const name of PLACEHOLDERS) expect(out).not.toContain(`{${name}}`);
        expect(message.text).toContain(v.link);
        if (channel === 'email') expect(message.html).toContain(`href="${escapeHtml(v.link)}"`);
      }),
      { numRuns: 300 },
    );
  });

  it('R37 a value is never read as a template (one pass)', () => {
    expect(renderTemplate('{companyName} {link}', { ...values, companyName: '{link}' })).toBe(`{link} ${values.link}`);
  });

  it('R37 an empty value takes its comma along: "Hello, {clientFirstName}!" greets a client without a name', () => {
    expect(renderTemplate('Hello, {clientFirstName}! {link}', { ...values, clientFirstName: '' })).toBe(
      `Hello! ${values.link}`,
    );
    expect(renderTemplate('Здравствуйте, {clientFirstName}!', { ...values, clientFirstName: '' })).toBe(
      'Здравствуйте!',
    );
  });

  it('R37 the email HTML is made from the text: escaped, paragraphs, the button with the words before the link', () => {
    const html = emailHtml({
      locale: 'en',
      subject: 'Pay <now>',
      template: 'Hi {clientFirstName} <b>!\nVisit {date}\n\nAmount: {amount}\n\nPay here: {link}\n\nThanks',
      values,
    });
    expect(html).toContain('<title>Pay &lt;now&gt;</title>');
    expect(html).toContain('Hair &amp; &lt;Co&gt;');
    expect(html).not.toContain('<Co>');
    expect(html).toContain('Hi Anna &lt;b&gt;!<br>Visit 14 Mar</p>');
    expect(html).toContain('Amount: <strong>€45.00</strong>');
    expect(html).toMatch(
      /<a href="https:\/\/pay\.example\.test\/pay\/abc\?x=1&amp;y=2" style="[^"]*background[^"]*">Pay here<\/a>/,
    );
    expect(html).toMatch(/font-size:13px[^>]*>Thanks<\/p>/);
  });

  it('R37 a link line without words gets the default button label in the language', () => {
    expect(emailHtml({ locale: 'ru', subject: 's', template: '{link}', values })).toContain('>Оплатить онлайн</a>');
  });
});
