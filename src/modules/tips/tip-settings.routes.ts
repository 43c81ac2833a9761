import { z } from 'zod';
import { companyOf, userId } from '../../http/authenticate.js';
import { companyParams } from '../../http/schemas.js';
import type { App } from '../../http/types.js';
import { MAX_TIP_PRESET_PERCENT, MAX_TIP_PRESETS } from './domain/tips.js';
import type { TipSettingsService } from './tip-settings.service.js';

const presets = z.array(z.number().int().min(0).max(MAX_TIP_PRESET_PERCENT)).min(1).max(MAX_TIP_PRESETS);

const tipSettingsBody = z.strictObject({
  enabled: z.boolean().optional(),
  presets: presets.optional(),
});

const tipSettingsDto = z.object({
  enabled: z.boolean(),
  presets: z.array(z.number().int()),
  available: z.boolean(),
  offered: z.boolean(),
});

/**
 * R40: Settings → Tips. Tips change what a client is charged, so they are a financial setting like
 * the cashless ones: reading and writing need `finance.settings`.
 */
export function registerTipSettingsRoutes(app: App, tips: TipSettingsService): void {
  const path = '/api/v1/companies/:companyId/settings/tips';

  app.get(path, {
    config: { access: 'finance.settings' },
    schema: { tags: ['settings'], params: companyParams, response: { 200: tipSettingsDto } },
    handler: async (req) => tips.view(companyOf(req)),
  });

  app.put(path, {
    config: { access: 'finance.settings' },
    schema: {
      tags: ['settings'],
      description:
        'R40: tips on the link page (off by default; presets are whole percentages 0–30, at most 4). 409 `tips_unavailable` when switching them on while fiscalization is on.',
      params: companyParams,
      body: tipSettingsBody,
      response: { 200: tipSettingsDto },
    },
    handler: async (req) => tips.update(companyOf(req), { type: 'user', id: userId(req) }, req.body),
  });
}
