import { z } from 'zod';
import { userId } from '../../http/authenticate.js';
import { text } from '../../http/schemas.js';
import type { App } from '../../http/types.js';
import type { CompanyRow } from '../../db/schema.js';
import type { AuthService } from '../access/index.js';
import type { CompaniesService } from './companies.service.js';

export const companyDto = z.object({
  id: z.string(),
  name: z.string(),
  currency: z.string(),
  timezone: z.string(),
  country: z.string(),
  defaultTaxSystem: z.string(),
});

export const toCompanyDto = (c: CompanyRow) => ({
  id: c.id,
  name: c.name,
  currency: c.currency,
  timezone: c.timezone,
  country: c.country,
  defaultTaxSystem: c.default_tax_system,
});

export function registerCompanyRoutes(app: App, companies: CompaniesService, auth: AuthService): void {
  app.get(
    '/api/v1/companies',
    {
      config: { access: 'user' },
      schema: { tags: ['companies'], response: { 200: z.object({ items: z.array(companyDto) }) } },
    },
    async (req) => {
      const me = await auth.me(userId(req));
      return { items: me.companies.map((c) => toCompanyDto({ ...c, created_at: new Date(0) })) };
    },
  );

  app.post(
    '/api/v1/companies',
    {
      config: { access: 'user' },
      schema: {
        tags: ['companies'],
        description: 'S2: open to owners of a company; the caller becomes the new one’s owner.',
        body: z.strictObject({
          name: text(200),
          currency: z.string().regex(/^[A-Za-z]{3}$/, 'must be a three-letter ISO 4217 code'),
          timezone: text(64),
          country: z.string().regex(/^[A-Za-z]{2}$/, 'must be a two-letter ISO 3166 country code'),
          defaultTaxSystem: z.string().max(40).optional(),
        }),
        response: { 201: companyDto },
      },
    },
    async (req, reply) => {
      await auth.assertMayCreateCompany(userId(req));
      const company = await companies.create(req.body, userId(req));
      return reply.code(201).send(toCompanyDto(company));
    },
  );
}
