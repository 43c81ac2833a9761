import { z } from 'zod';
import type { ClientRow } from '../../db/schema.js';
import { companyOf, userId } from '../../http/authenticate.js';
import { companyParams, entityParams, page, pageQuery, text } from '../../http/schemas.js';
import { toPage } from '../../db/paging.js';
import type { App } from '../../http/types.js';
import type { ClientsService } from './clients.service.js';
import { clientEmail, clientPhone } from './contact-schemas.js';

const clientBody = z.strictObject({
  name: text(200),
  phone: clientPhone.nullable().optional(),
  email: clientEmail.nullable().optional(),
});
const clientPatch = clientBody.partial();
const clientQuery = pageQuery.extend({ q: z.string().trim().max(100).optional() });

/** A client as staff see them. The pay page shows far less (R8). */
export const clientDto = z.object({
  id: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  createdAt: z.string(),
});

export const toClientDto = (c: ClientRow): z.infer<typeof clientDto> => ({
  id: c.id,
  name: c.name,
  phone: c.phone,
  email: c.email,
  createdAt: c.created_at.toISOString(),
});

const BASE = '/api/v1/companies/:companyId/clients';

export function registerClientRoutes(app: App, clients: ClientsService): void {
  const tags = ['clients'];

  app.get(
    BASE,
    {
      config: { access: 'appointments.read' },
      schema: {
        tags,
        description: 'q matches the name or email (contains, any case) or the digits of the phone.',
        params: companyParams,
        querystring: clientQuery,
        response: { 200: page(clientDto) },
      },
    },
    async (req) => toPage(await clients.list(companyOf(req), req.query), req.query.limit, toClientDto),
  );

  app.get(
    `${BASE}/:id`,
    { config: { access: 'appointments.read' }, schema: { tags, params: entityParams, response: { 200: clientDto } } },
    async (req) => toClientDto(await clients.get(companyOf(req), req.params.id)),
  );

  app.post(
    BASE,
    {
      config: { access: 'appointments.write' },
      schema: { tags, params: companyParams, body: clientBody, response: { 201: clientDto } },
    },
    async (req, reply) =>
      reply.code(201).send(toClientDto(await clients.create(companyOf(req), userId(req), req.body))),
  );

  app.patch(
    `${BASE}/:id`,
    {
      config: { access: 'appointments.write' },
      schema: { tags, params: entityParams, body: clientPatch, response: { 200: clientDto } },
    },
    async (req) => toClientDto(await clients.update(companyOf(req), userId(req), req.params.id, req.body)),
  );
}
