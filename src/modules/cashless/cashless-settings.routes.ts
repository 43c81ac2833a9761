import { z } from 'zod';
import { companyOf, userId } from '../../http/authenticate.js';
import { companyParams } from '../../http/schemas.js';
import type { App } from '../../http/types.js';
import { PROVIDER_NAMES } from '../../providers/port.js';
import type { CashlessSettingsService, CashlessSettingsView } from './cashless-settings.service.js';
import { RECEIPT_DELIVERY } from './domain/fiscalization.js';

const fiscalizationBody = z.strictObject({
  enabled: z.boolean().optional(),
  taxSystem: z.string().trim().min(1).max(40).optional(),
  delivery: z.enum(RECEIPT_DELIVERY).optional(),
});

// Credential values are short strings; the adapter checks their shape and, where it can, asks the provider.
const connectBody = z.strictObject({
  provider: z.enum(PROVIDER_NAMES),
  credentials: z.record(z.string().max(60), z.string().max(500)).default({}),
});

/** Each provider's own settings (the sandbox's `sandboxNotifications`), as the provider describes them. */
type OwnFields = readonly { field: string; schema: z.ZodType }[];

const settingsBody = (own: OwnFields) =>
  z.strictObject({
    ...Object.fromEntries(own.map((s) => [s.field, s.schema.optional()])),
    payByLinkEnabled: z.boolean().optional(),
    fiscalization: fiscalizationBody.optional(),
  });

/** The public shape of the settings: credentials are write-only, only a masked hint comes back. */
const cashlessSettingsDto = (own: OwnFields) =>
  z.object({
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
    ...Object.fromEntries(own.map((s) => [s.field, s.schema.nullable()])),
    webhookUrl: z.string().nullable(),
    providers: z.array(z.enum(PROVIDER_NAMES)),
  });

/** The view with the providers' own settings beside the others, where the DTO has them. */
function toDto({ own, ...view }: CashlessSettingsView) {
  const { webhookUrl, providers, ...rest } = view;
  return { ...rest, ...own, webhookUrl, providers };
}

export function registerCashlessSettingsRoutes(app: App, settings: CashlessSettingsService): void {
  const base = '/api/v1/companies/:companyId/settings/cashless';
  const actor = (req: Parameters<typeof userId>[0]) => ({ type: 'user' as const, id: userId(req) });
  const own = settings.providerSettings();
  const dto = cashlessSettingsDto(own);

  // Link users need to know whether links are available (R1/R2), so they may read too; no secret is in it.
  app.get(base, {
    config: { access: ['finance.settings', 'cashless_payment'] },
    schema: { tags: ['settings'], params: companyParams, response: { 200: dto } },
    handler: async (req) => toDto(await settings.view(companyOf(req))),
  });

  app.put(base, {
    config: { access: 'finance.settings' },
    schema: { tags: ['settings'], params: companyParams, body: settingsBody(own), response: { 200: dto } },
    handler: async (req) => {
      const { payByLinkEnabled, fiscalization, ...ownChanges } = req.body;
      return toDto(
        await settings.update(companyOf(req), actor(req), { payByLinkEnabled, fiscalization, own: ownChanges }),
      );
    },
  });

  app.post(`${base}/connect`, {
    config: { access: 'finance.settings' },
    schema: { tags: ['settings'], params: companyParams, body: connectBody, response: { 200: dto } },
    handler: async (req) =>
      toDto(await settings.connect(companyOf(req), actor(req), req.body.provider, req.body.credentials)),
  });

  app.delete(`${base}/connection`, {
    config: { access: 'finance.settings' },
    schema: {
      tags: ['settings'],
      description:
        "Disconnects the provider: credentials wiped, pay-by-link off (links say it is unavailable). 409 `attempts_open` while a checkout attempt is creating or pending, 409 `provider_work_open` while a refund or a settlement receipt waits for the provider's answer.",
      params: companyParams,
      response: { 200: dto },
    },
    handler: async (req) => toDto(await settings.disconnect(companyOf(req), actor(req))),
  });
}
