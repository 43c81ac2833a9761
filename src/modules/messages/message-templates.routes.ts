import { z } from 'zod';
import { companyOf, userId } from '../../http/authenticate.js';
import { companyParams, entityId } from '../../http/schemas.js';
import type { App } from '../../http/types.js';
import { PLACEHOLDERS } from './domain/placeholders.js';
import { MESSAGE_CHANNELS, MESSAGE_KINDS, MESSAGE_LOCALES } from './domain/template-key.js';
import type { MessageTemplatesService, TemplateView } from './message-templates.service.js';

const keyShape = {
  channel: z.enum(MESSAGE_CHANNELS),
  kind: z
    .enum(MESSAGE_KINDS)
    .describe('`link`: the message with the payment link; `reminder`: the automatic reminder (R35)'),
  locale: z.enum(MESSAGE_LOCALES),
};
const keyParams = companyParams.extend(keyShape);

// Generous caps for the request itself; the service says which field is too long for its channel, and why.
const templateBody = z.strictObject({
  subject: z.string().max(2_000).optional().describe('email only'),
  text: z
    .string()
    .max(20_000)
    .describe(`the message with placeholders: ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}; {link} is required`),
});

const previewBody = z.strictObject({
  ...keyShape,
  appointmentId: entityId,
  subject: z.string().max(2_000).optional(),
  text: z.string().max(20_000).optional().describe('an unsaved text to preview; the text in force when left out'),
});

const segmentsDto = z
  .object({
    encoding: z.enum(['gsm7', 'ucs2']),
    units: z.number(),
    segments: z.number(),
    perSegment: z.number(),
  })
  .nullable();

const templateDto = z.object({
  channel: z.enum(MESSAGE_CHANNELS),
  kind: z.enum(MESSAGE_KINDS),
  locale: z.enum(MESSAGE_LOCALES),
  custom: z.boolean(),
  fixed: z
    .boolean()
    .describe('R36: WhatsApp — the text registered with WhatsApp (docs/messaging.md); it cannot be changed here'),
  subject: z.string().nullable(),
  text: z.string(),
  updatedAt: z.string().nullable(),
  default: z.object({ subject: z.string().nullable(), text: z.string() }),
  segments: segmentsDto,
});

const valuesDto = z.object(
  Object.fromEntries(PLACEHOLDERS.map((p) => [p, z.string()])) as Record<(typeof PLACEHOLDERS)[number], z.ZodString>,
);

const overviewDto = z.object({
  companyLocale: z.enum(MESSAGE_LOCALES),
  placeholders: z.array(z.enum(PLACEHOLDERS)),
  items: z.array(templateDto),
  samples: z.object({
    en: z.object({ email: valuesDto, sms: valuesDto, whatsapp: valuesDto }),
    ru: z.object({ email: valuesDto, sms: valuesDto, whatsapp: valuesDto }),
  }),
});

const previewDto = z.object({
  subject: z.string().nullable(),
  text: z.string(),
  html: z.string().nullable(),
  segments: segmentsDto,
});

const toDto = (view: TemplateView) => ({ ...view, updatedAt: view.updatedAt?.toISOString() ?? null });

/** R37: Settings → Messages. Who may change what clients are sent: the holders of the company's settings right. */
export function registerMessageTemplateRoutes(app: App, templates: MessageTemplatesService): void {
  const base = '/api/v1/companies/:companyId/settings/messages';
  const tags = ['settings'];
  const access = 'finance.settings' as const;
  const actor = (req: Parameters<typeof userId>[0]) => ({ type: 'user' as const, id: userId(req) });

  app.get(base, {
    config: { access },
    schema: { tags, params: companyParams, response: { 200: overviewDto } },
    handler: async (req) => {
      const overview = await templates.overview(companyOf(req));
      return { ...overview, placeholders: [...PLACEHOLDERS], items: overview.items.map(toDto) };
    },
  });

  app.put(`${base}/:channel/:kind/:locale`, {
    config: { access },
    schema: {
      tags,
      description:
        'Saves the company’s own text. 400 `validation_failed` naming `field` (`subject` or `text`) and `reason`: `required`, `link_missing`, `unknown_placeholder` (with `placeholders`), `stray_brace`, `too_long` (with `max`), `not_allowed`, `foreign_link` (a web address other than {link}) or `link_in_subject`. 422 `template_fixed_by_whatsapp` (field `channel`) for WhatsApp: it sends only the template registered with WhatsApp.',
      params: keyParams,
      body: templateBody,
      response: { 200: templateDto },
    },
    handler: async (req) => {
      const { channel, kind, locale } = req.params;
      return toDto(await templates.save(companyOf(req), actor(req), { channel, kind, locale }, req.body));
    },
  });

  app.delete(`${base}/:channel/:kind/:locale`, {
    config: { access },
    schema: {
      tags,
      description:
        'Reset to default: the company’s own text is deleted; answers the default now in force. 422 `template_fixed_by_whatsapp` for WhatsApp.',
      params: keyParams,
      response: { 200: templateDto },
    },
    handler: async (req) => {
      const { channel, kind, locale } = req.params;
      return toDto(await templates.reset(companyOf(req), actor(req), { channel, kind, locale }));
    },
  });

  app.post(`${base}/preview`, {
    config: { access },
    schema: {
      tags,
      description:
        'The message as the client of the appointment would get it (an example link of a real one’s length; nothing is sent or made). 404 for an appointment of another company.',
      params: companyParams,
      body: previewBody,
      response: { 200: previewDto },
    },
    handler: async (req) => {
      const { subject, text, ...rest } = req.body;
      const message = await templates.preview(companyOf(req), {
        ...rest,
        template: text === undefined ? undefined : { subject, text },
      });
      return {
        subject: message.subject ?? null,
        text: message.text,
        html: message.html ?? null,
        segments: message.segments,
      };
    },
  });
}
