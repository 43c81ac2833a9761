import { z } from 'zod';
import { companyOf, userId } from '../../http/authenticate.js';
import { companyParams, entityParams, page, pageQuery, text, toPage } from '../../http/schemas.js';
import type { App } from '../../http/types.js';
import { RIGHTS, ROLES } from './domain/rights.js';
import type { Member, UsersService } from './users.service.js';

const email = z.string().trim().toLowerCase().max(254).pipe(z.email('must be an email address'));
const rights = z.array(z.enum(RIGHTS)).max(RIGHTS.length * 2);

const userBody = z.strictObject({
  email,
  password: z.string().min(8).max(200),
  name: text(200),
  role: z.enum(ROLES),
  rights: rights.optional(),
});
const userPatch = z.strictObject({ name: text(200).optional(), role: z.enum(ROLES).optional(), rights: rights.optional() });

/** A user of the company: account, role and rights here. Password hashes never leave the server. */
export const userDto = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  rights: z.array(z.enum(RIGHTS)),
  addedAt: z.string(),
});

export const toUserDto = (m: Member): z.infer<typeof userDto> => ({
  id: m.id,
  email: m.email,
  name: m.name,
  role: m.role,
  rights: m.rights,
  addedAt: m.addedAt.toISOString(),
});

const BASE = '/api/v1/companies/:companyId/users';

export function registerUserRoutes(app: App, users: UsersService): void {
  const tags = ['users'];

  app.get(
    BASE,
    { config: { access: 'users.manage' }, schema: { tags, params: companyParams, querystring: pageQuery, response: { 200: page(userDto) } } },
    async (req) => toPage(await users.list(companyOf(req), req.query), req.query.limit, toUserDto),
  );

  app.get(
    `${BASE}/:id`,
    { config: { access: 'users.manage' }, schema: { tags, params: entityParams, response: { 200: userDto } } },
    async (req) => toUserDto(await users.get(companyOf(req), req.params.id)),
  );

  app.post(
    BASE,
    {
      config: { access: 'users.manage' },
      schema: {
        tags,
        description:
          'Creates the account, or adds an existing account (of another company) to this one; its password and name then stay as they are. `rights` replaces the role preset.',
        params: companyParams,
        body: userBody,
        response: { 201: userDto.extend({ existingAccount: z.boolean() }) },
      },
    },
    async (req, reply) => {
      const { user, existingAccount } = await users.create(companyOf(req), userId(req), req.body);
      return reply.code(201).send({ ...toUserDto(user), existingAccount });
    },
  );

  app.patch(
    `${BASE}/:id`,
    {
      config: { access: 'users.manage' },
      schema: {
        tags,
        description: 'A role alone resets the rights to its preset; rights alone keep the role. Nobody can remove their own users.manage.',
        params: entityParams,
        body: userPatch,
        response: { 200: userDto },
      },
    },
    async (req) => toUserDto(await users.update(companyOf(req), userId(req), req.params.id, req.body)),
  );
}
