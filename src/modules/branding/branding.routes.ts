import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { companyOf, userId } from '../../http/authenticate.js';
import { envelope, errorHandler } from '../../http/error-handler.js';
import { companyParams } from '../../http/schemas.js';
import type { App } from '../../http/types.js';
import { CONTACT_LINE_MAX, LOGO_MAX_BYTES, type BrandingService } from './branding.service.js';
import { logoFileOf } from '../../shared/logo-path.js';

const brandingDto = z.object({
  accentColor: z.string().nullable(),
  contactLine: z.string().nullable(),
  logo: z
    .object({
      url: z.string(),
      type: z.enum(['image/png', 'image/jpeg', 'image/webp']),
      width: z.number().int(),
      height: z.number().int(),
    })
    .nullable(),
  confirmationEmail: z.boolean(),
});

const brandingBody = z.strictObject({
  accentColor: z.string().max(20).nullable().optional(),
  // the service says the limit in its own words; this only bounds what is parsed
  contactLine: z
    .string()
    .max(CONTACT_LINE_MAX * 4)
    .nullable()
    .optional(),
  /** R41 */
  confirmationEmail: z.boolean().optional(),
});

/** The logo's bytes, base64 (as a browser's FileReader or `btoa` gives them): the API speaks JSON only. */
const logoBody = z.strictObject({
  logo: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be the image file in base64'),
});

/** A JSON body holding at most LOGO_MAX_BYTES in base64, with room for the braces and the key. */
const LOGO_BODY_LIMIT = Math.ceil(LOGO_MAX_BYTES / 3) * 4 + 64;

/** Fastify refuses an over-long body while reading it (by Content-Length, else as it streams): the answer names the field. */
function logoErrorHandler(error: FastifyError | Error, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  if ((error as FastifyError).statusCode === 413)
    return reply.code(413).send(
      envelope(req, 'payload_too_large', `The logo may be at most ${LOGO_MAX_BYTES / 1024} KB`, {
        field: 'logo',
        maxBytes: LOGO_MAX_BYTES,
      }),
    );
  return errorHandler(error, req, reply);
}

/**
 * R39: Settings → Branding. The branding is what the company shows its clients, set by whoever sets
 * the link page up (`finance.settings`, as the cashless settings and the link's other switches);
 * its logo is public at a hash-named path that says nothing else about the company.
 */
export function registerBrandingRoutes(app: App, branding: BrandingService): void {
  const base = '/api/v1/companies/:companyId/settings/branding';
  const actor = (req: FastifyRequest) => ({ type: 'user' as const, id: userId(req) });

  app.get(base, {
    config: { access: 'finance.settings' },
    schema: { tags: ['settings'], params: companyParams, response: { 200: brandingDto } },
    handler: async (req) => branding.view(companyOf(req)),
  });

  app.put(base, {
    config: { access: 'finance.settings' },
    schema: {
      tags: ['settings'],
      description:
        'R39: the accent colour (`#rrggbb`; white text on it must reach 4.5:1, else 400 with `suggestion`) and the contact line (one line of plain text); R41 `confirmationEmail` (on by default): a link payment is confirmed to the client by email when SMTP_URL is set. `null` clears one; an absent field stays as it is.',
      params: companyParams,
      body: brandingBody,
      response: { 200: brandingDto },
    },
    handler: async (req) => branding.update(companyOf(req), actor(req), req.body),
  });

  app.put(`${base}/logo`, {
    config: { access: 'finance.settings' },
    bodyLimit: LOGO_BODY_LIMIT,
    errorHandler: logoErrorHandler,
    schema: {
      tags: ['settings'],
      description: `R39: the logo, PNG, JPEG or WebP, at most ${LOGO_MAX_BYTES / 1024} KB, as base64 in \`logo\`. Its type is read from its bytes; SVG and anything else is refused (400, \`field: logo\`), a larger file is 413.`,
      params: companyParams,
      body: logoBody,
      response: { 200: brandingDto },
    },
    handler: async (req) => {
      const encoded = req.body.logo;
      // the decoded size is known from the length: nothing larger than the limit is decoded
      const size = Math.floor((encoded.length * 3) / 4) - (encoded.endsWith('==') ? 2 : encoded.endsWith('=') ? 1 : 0);
      const bytes = size > LOGO_MAX_BYTES ? Buffer.alloc(LOGO_MAX_BYTES + 1) : Buffer.from(encoded, 'base64');
      return branding.setLogo(companyOf(req), actor(req), bytes);
    },
  });

  app.delete(`${base}/logo`, {
    config: { access: 'finance.settings' },
    schema: { tags: ['settings'], params: companyParams, response: { 200: brandingDto } },
    handler: async (req) => branding.removeLogo(companyOf(req), actor(req)),
  });

  // Public: the link page and the link email show it. The hash in the path is the only key.
  app.get('/logos/:file', {
    config: { access: 'public' },
    schema: { hide: true, params: z.strictObject({ file: z.string().max(80) }) },
    handler: async (req, reply) => {
      const file = logoFileOf(req.params.file);
      const logo = file ? await branding.logo(file.sha256) : undefined;
      if (!logo || logo.type !== file?.type) {
        reply.header('cache-control', 'no-store');
        return reply.code(404).send(envelope(req, 'not_found', 'No such logo'));
      }
      return (
        reply
          .header('cache-control', 'public, max-age=31536000, immutable')
          .header('x-content-type-options', 'nosniff')
          // the link email is read in mail clients on other origins
          .header('cross-origin-resource-policy', 'cross-origin')
          .header('content-disposition', 'inline')
          .type(logo.type)
          .send(logo.bytes)
      );
    },
  });
}
