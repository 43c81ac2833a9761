import { z } from 'zod';
import type { StaffRow } from '../../db/schema.js';
import { companyOf, userId } from '../../http/authenticate.js';
import { companyParams, entityParams, page, pageQuery, text } from '../../http/schemas.js';
import { toPage } from '../../db/paging.js';
import type { App } from '../../http/types.js';
import type { StaffService } from './staff.service.js';

const staffBody = z.strictObject({ name: text(200) });
const staffPatch = staffBody.partial();

/** A staff member: the person who performs services. */
export const staffDto = z.object({ id: z.string(), name: z.string(), createdAt: z.string() });

export const toStaffDto = (s: StaffRow): z.infer<typeof staffDto> => ({
  id: s.id,
  name: s.name,
  createdAt: s.created_at.toISOString(),
});

const BASE = '/api/v1/companies/:companyId/staff';

export function registerStaffRoutes(app: App, staff: StaffService): void {
  const tags = ['staff'];

  app.get(
    BASE,
    {
      config: { access: 'appointments.read' },
      schema: { tags, params: companyParams, querystring: pageQuery, response: { 200: page(staffDto) } },
    },
    async (req) => toPage(await staff.list(companyOf(req), req.query), req.query.limit, toStaffDto),
  );

  app.get(
    `${BASE}/:id`,
    { config: { access: 'appointments.read' }, schema: { tags, params: entityParams, response: { 200: staffDto } } },
    async (req) => toStaffDto(await staff.get(companyOf(req), req.params.id)),
  );

  app.post(
    BASE,
    {
      config: { access: 'appointments.write' },
      schema: { tags, params: companyParams, body: staffBody, response: { 201: staffDto } },
    },
    async (req, reply) => reply.code(201).send(toStaffDto(await staff.create(companyOf(req), userId(req), req.body))),
  );

  app.patch(
    `${BASE}/:id`,
    {
      config: { access: 'appointments.write' },
      schema: { tags, params: entityParams, body: staffPatch, response: { 200: staffDto } },
    },
    async (req) => toStaffDto(await staff.update(companyOf(req), userId(req), req.params.id, req.body)),
  );
}
