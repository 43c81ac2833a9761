import { z } from 'zod';
import { companyOf, userId } from '../../http/authenticate.js';
import { companyParams } from '../../http/schemas.js';
import type { App } from '../../http/types.js';
import { PROVIDER_NAMES } from '../../providers/port.js';
import type { CashlessSettingsService } from './cashless-settings.service.js';
import { RECEIPT_DELIVERY } from './domain/fiscalization.js';
import { notificationModeSchema } from '../../providers/sandbox/sandbox-events.js';

const fiscalizationBody = z.strictObject({
  enabled: z.boolean().optional(),
  taxSystem: z.string().trim().min(1).max(40).optional(),
  delivery: z.enum(RECEIPT_DELIVERY).optional(),
});

const settingsBody = z.strictObject({
  sandboxNotifications: notificationModeSchema.optional(),
  payByLinkEnabled: z.boolean().optional(),
  fiscalization: fiscalizationBody.optional(),
});

// Credential values are short strings; the adapter checks their shape and, where it can, asks the provider.
const connectBody = z.strictObject({
  provider: z.enum(PROVIDER_NAMES),
  credentials: z.record(z.string().max(60), z.string().max(500)).default({}),
});

/** The public shape of the settings: credentials are write-only, only a masked hint comes back. */
export const cashlessSettingsDto = z.object({
  provider: z.enum(PROVIDER_NAMES).nullable(),
  connected: z.boolean(),
  connectedAt: z.string().nullable(),
  credentialsHint: z.record(z.string(), z.string()),
  payByLinkEnabled: z.boolean(),
  available: z.boolean(),
  fiscalization: z.object({
    enabled: z.boolean(),
    taxSystem: z.string().optional(),
    delivery: z.enum(RECEIPT_DELIVERY),
  }),
  sandboxNotifications: notificationModeSchema.nullable(),
  webhookUrl: z.string().nullable(),
  providers: z.array(z.enum(PROVIDER_NAMES)),
});

export function registerCashlessSettingsRoutes(app: App, settings: CashlessSettingsService): void {
  const base = '/api/v1/companies/:companyId/settings/cashless';
  const actor = (req: Parameters<typeof userId>[0]) => ({ type: 'user' as const, id: userId(req) });

  // Link users need to know whether links are available (R1/R2), so they may read too; no secret is in it.
  app.get(base, {
    config: { access: ['finance.settings', 'cashless_payment'] },
    schema: { tags: ['settings'], params: companyParams, response: { 200: cashlessSettingsDto } },
    handler: async (req) => settings.view(companyOf(req)),
  });

  app.put(base, {
    config: { access: 'finance.settings' },
    schema: { tags: ['settings'], params: companyParams, body: settingsBody, response: { 200: cashlessSettingsDto } },
    handler: async (req) => settings.update(companyOf(req), actor(req), req.body),
  });

  app.post(`${base}/connect`, {
    config: { access: 'finance.settings' },
    schema: { tags: ['settings'], params: companyParams, body: connectBody, response: { 200: cashlessSettingsDto } },
    handler: async (req) => settings.connect(companyOf(req), actor(req), req.body.provider, req.body.credentials),
  });
}
