import { z } from 'zod';
import { companyOf, userId } from '../../http/authenticate.js';
import { companyParams, entityParams } from '../../http/schemas.js';
import type { App } from '../../http/types.js';
import { MAX_REMINDERS, REMINDER_ANCHORS } from './domain/reminder-schedule.js';
import type { LinkReminders } from './link-reminders.service.js';
import type { ReminderSettingsService } from './reminder-settings.service.js';

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day as HH:MM (00:00–23:59)');

const offset = z.strictObject({
  anchor: z.enum(REMINDER_ANCHORS).describe('after_sending: counted from the send; before_visit: back from the visit'),
  minutes: z
    .number()
    .int('whole minutes')
    .min(1, 'at least 1 minute')
    .max(30 * 24 * 60, 'at most 30 days'),
});

const reminderSettingsDto = z.object({
  enabled: z.boolean(),
  offsets: z.array(offset),
  maxCount: z.number().int(),
  quietHours: z.object({ from: z.string(), to: z.string() }),
});

const reminderSettingsBody = z.strictObject({
  enabled: z.boolean().optional(),
  offsets: z.array(offset).max(MAX_REMINDERS, `at most ${MAX_REMINDERS} reminder times`).optional(),
  maxCount: z
    .number()
    .int('a whole number')
    .min(1, 'at least 1')
    .max(MAX_REMINDERS, `at most ${MAX_REMINDERS}`)
    .optional(),
  quietHours: z.strictObject({ from: clockTime, to: clockTime }).optional(),
});

/**
 * R35: the reminder setting, and "Stop reminders" in the appointment window.
 *
 * The setting is a company setting like the cashless ones and the catalogue's prices: changing
 * what the salon's clients are sent, and when, is the owner's decision, so reading and writing it
 * take `finance.settings` (the right every other company setting takes). Stopping the reminders
 * of one link is part of sending it, so it takes `cashless_payment`, like "Send payment link".
 */
export function registerReminderRoutes(app: App, settings: ReminderSettingsService, reminders: LinkReminders): void {
  const base = '/api/v1/companies/:companyId/settings/reminders';
  const actor = (req: Parameters<typeof userId>[0]) => ({ type: 'user' as const, id: userId(req) });

  app.get(base, {
    config: { access: 'finance.settings' },
    schema: { tags: ['settings'], params: companyParams, response: { 200: reminderSettingsDto } },
    handler: async (req) => settings.view(companyOf(req)),
  });

  app.put(base, {
    config: { access: 'finance.settings' },
    schema: {
      tags: ['settings'],
      description:
        'R35 automatic reminders of sent, unpaid links (off by default). Fields left out keep their value; `offsets` replaces the list. Times in quiet hours (company zone) move to their end; times after the visit are dropped; at most `maxCount` per send.',
      params: companyParams,
      body: reminderSettingsBody,
      response: { 200: reminderSettingsDto },
    },
    handler: async (req) => settings.update(companyOf(req), actor(req), req.body),
  });

  app.post('/api/v1/companies/:companyId/appointments/:id/payment-link/reminders/stop', {
    config: { access: 'cashless_payment' },
    schema: {
      tags: ['payment links'],
      summary:
        'Stop the automatic reminders (R35) planned for the appointment’s payment link; a new send plans them again',
      params: entityParams,
      response: { 200: z.object({ stopped: z.number().int() }) },
    },
    handler: async (req) => reminders.stop(companyOf(req), actor(req), req.params.id),
  });
}
