import { z } from 'zod';
import { companyOf, userId } from '../../http/authenticate.js';
import { companyParams, entityParams, page, pageQuery, text } from '../../http/schemas.js';
import { toPage } from '../../db/paging.js';
import type { App } from '../../http/types.js';
import { RIGHTS, ROLES } from './domain/rights.js';
import type { Invitation, InvitationSent, InvitationsService } from './invitations.service.js';
import type { Member, UsersService } from './users.service.js';

const email = z.string().trim().toLowerCase().max(254).pipe(z.email('must be an email address'));
const rights = z.array(z.enum(RIGHTS)).max(RIGHTS.length * 2);

const invitationBody = z.strictObject({
  email,
  name: text(200).optional().describe('how you call the person; they choose their own name when they accept'),
  role: z.enum(ROLES),
  rights: rights.optional(),
});
const userPatch = z.strictObject({ role: z.enum(ROLES).optional(), rights: rights.optional() });

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

export const invitationDto = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  role: z.enum(ROLES),
  rights: z.array(z.enum(RIGHTS)),
  status: z.enum(['pending', 'expired']),
  sentAt: z.string(),
  expiresAt: z.string(),
});

const toInvitationDto = (i: Invitation): z.infer<typeof invitationDto> => ({
  ...i,
  sentAt: i.sentAt.toISOString(),
  expiresAt: i.expiresAt.toISOString(),
});

const invitationSentDto = z.object({
  invitation: invitationDto,
  delivery: z
    .enum(['email', 'link'])
    .describe('email: the link went to the address; link: no mail is set up, hand inviteUrl over (shown this once)'),
  inviteUrl: z.string().optional(),
});

const toSentDto = (s: InvitationSent) => ({
  invitation: toInvitationDto(s.invitation),
  delivery: s.delivery,
  ...(s.inviteUrl ? { inviteUrl: s.inviteUrl } : {}),
});

const BASE = '/api/v1/companies/:companyId/users';
const INVITATIONS = '/api/v1/companies/:companyId/invitations';

export function registerUserRoutes(app: App, users: UsersService, invitations: InvitationsService): void {
  const tags = ['users'];

  app.get(
    BASE,
    {
      config: { access: 'users.manage' },
      schema: { tags, params: companyParams, querystring: pageQuery, response: { 200: page(userDto) } },
    },
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
          'Invites the holder of an email (S1): the answer is the same whether or not the email has an account, and nobody gets access until the holder accepts through the link — emailed, or, without SMTP_URL, shown here once as inviteUrl to hand over. Inviting an email with an open invitation renews it. `rights` replaces the role preset.',
        params: companyParams,
        body: invitationBody,
        response: { 201: invitationSentDto },
      },
    },
    async (req, reply) =>
      reply.code(201).send(toSentDto(await invitations.invite(companyOf(req), userId(req), req.body))),
  );

  app.patch(
    `${BASE}/:id`,
    {
      config: { access: 'users.manage' },
      schema: {
        tags,
        description:
          'Changes the role and rights here; the account (name, email, password) is its holder’s alone. A role alone resets the rights to its preset; rights alone keep the role. Nobody can remove their own users.manage.',
        params: entityParams,
        body: userPatch,
        response: { 200: userDto },
      },
    },
    async (req) => toUserDto(await users.update(companyOf(req), userId(req), req.params.id, req.body)),
  );

  app.delete(
    `${BASE}/:id`,
    {
      config: { access: 'users.manage' },
      schema: {
        tags,
        description: 'Removes the member from this company: their access here ends at once; the account stays.',
        params: entityParams,
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await users.remove(companyOf(req), userId(req), req.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    INVITATIONS,
    {
      config: { access: 'users.manage' },
      schema: {
        tags,
        description: 'Invitations not yet accepted nor revoked (pending or expired).',
        params: companyParams,
        response: { 200: z.object({ items: z.array(invitationDto) }) },
      },
    },
    async (req) => ({ items: (await invitations.list(companyOf(req))).map(toInvitationDto) }),
  );

  app.post(
    `${INVITATIONS}/:id/resend`,
    {
      config: { access: 'users.manage' },
      schema: {
        tags,
        description: 'A new link (the old one stops working), emailed again or shown once.',
        params: entityParams,
        response: { 200: invitationSentDto },
      },
    },
    async (req) => toSentDto(await invitations.resend(companyOf(req), userId(req), req.params.id)),
  );

  app.delete(
    `${INVITATIONS}/:id`,
    {
      config: { access: 'users.manage' },
      schema: {
        tags,
        description: 'Revokes the invitation: its link stops working.',
        params: entityParams,
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await invitations.revoke(companyOf(req), userId(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
}
