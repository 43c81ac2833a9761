import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { en } from '../../web/src/i18n/en.js';

/**
 * The audit screen says every entry as a sentence (auditSay.* in both languages): the actions of
 * message templates (R37), reminders (R35), tips (R40) and branding (R39) each have one.
 */
const SOURCES = [
  'src/modules/messages/message-templates.service.ts',
  'src/modules/links/link-reminders.service.ts',
  'src/modules/links/reminder-settings.service.ts',
  'src/modules/branding/branding.service.ts',
  'src/modules/tips/tip-settings.service.ts',
];

describe('R37 R35 R39 R40 the audit screen has a sentence for every action of messages, reminders, tips and branding', () => {
  it('R37 R35 R39 R40 each action these modules record has its auditSay sentence in English and Russian', async () => {
    const keys: string[] = [];
    for (const file of SOURCES) {
      const source = await readFile(file, 'utf8');
      const tips = file.includes('/tips/');
      for (const match of source.matchAll(/action: '([a-z_.]+)'/g))
        keys.push(`auditSay.${match[1]}${tips && match[1] === 'settings.changed' ? '.tips' : ''}`);
    }
    expect(keys).toEqual(expect.arrayContaining(['auditSay.message_template.changed', 'auditSay.link.reminder_sent']));
    expect(keys.filter((key) => !(key in en))).toEqual([]);
    // ru.ts has exactly en.ts's keys (the compiler checks it); read as text, the keys are there too
    const ru = await readFile('web/src/i18n/ru.ts', 'utf8');
    expect(keys.filter((key) => !ru.includes(`'${key}':`))).toEqual([]);
  });
});
