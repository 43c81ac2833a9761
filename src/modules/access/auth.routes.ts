import { z } from 'zod';
import { userId } from '../../http/authenticate.js';
import { text } from '../../http/schemas.js';
import { clearSessionCookies, setSessionCookies } from '../../http/session-cookies.js';
import type { App } from '../../http/types.js';
import type { AuthService } from './auth.service.js';
import { taxSystemsOf } from '../catalog/index.js';
import { RIGHTS } from './domain/rights.js';

const userDto = z.object({ id: z.string(), email: z.string(), name: z.string() });
export const sessionDto = z.object({ token: z.string(), expiresAt: z.string(), user: userDto });
export const newPassword = z.string().min(8, 'must be at least 8 characters').max(200);

export const meResponse = z.object({
  user: userDto,
  companies: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      currency: z.string(),
      timezone: z.string(),
      country: z.string(),
      defaultTaxSystem: z.string(),
      taxSystems: z
        .array(z.string())
        .describe("the taxation systems of the company's country, any of which an item may carry (R23)"),
      role: z.string(),
      rights: z.array(z.enum(RIGHTS)),
    }),
  ),
});

// Per address, in each process; the per-account limit (S9) is counted in the database.
const SIGN_IN_LIMIT = { max: 10, timeWindow: '1 minute' };

export function registerAuthRoutes(app: App, auth: AuthService): void {
  const tags = ['auth'];

  app.post(
    '/api/v1/auth/login',
    {
      config: { access: 'public', rateLimit: SIGN_IN_LIMIT },
      schema: {
        tags,
        description:
          'Opens a session: a bearer token, and the session and CSRF cookies for the admin app. Throttled per address and per account.',
        body: z.strictObject({ email: z.string().trim().max(254), password: z.string().min(1).max(200) }),
        response: { 200: sessionDto },
      },
    },
    async (req, reply) => {
      const session = await auth.login(req.body.email, req.body.password);
      setSessionCookies(req, reply, session.token, session.expiresAt);
      return { token: session.token, expiresAt: session.expiresAt.toISOString(), user: session.user };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    { config: { access: 'user' }, schema: { tags, description: 'Ends this session.', response: { 204: z.null() } } },
    async (req, reply) => {
      await auth.logout(req.auth!.sessionId);
      clearSessionCookies(req, reply);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/auth/logout-all',
    {
      config: { access: 'user' },
      schema: {
        tags,
        description: 'S3: ends every session of the account, on every device, this one included.',
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await auth.logoutEverywhere(userId(req));
      clearSessionCookies(req, reply);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/me',
    { config: { access: 'user' }, schema: { tags, response: { 200: meResponse } } },
    async (req) => {
      const me = await auth.me(userId(req));
      return {
        user: me.user,
        companies: me.companies.map((c) => ({
          id: c.id,
          name: c.name,
          currency: c.currency,
          timezone: c.timezone,
          country: c.country,
          defaultTaxSystem: c.default_tax_system,
          taxSystems: [...taxSystemsOf(c.country)],
          role: c.role,
          rights: c.rights.filter((r): r is (typeof RIGHTS)[number] => (RIGHTS as readonly string[]).includes(r)),
        })),
      };
    },
  );

  app.patch(
    '/api/v1/me',
    {
      config: { access: 'user' },
      schema: {
        tags,
        description: 'S1: the account holder changes their own name; no company can.',
        body: z.strictObject({ name: text(200) }),
        response: { 200: userDto },
      },
    },
    async (req) => {
      await auth.rename(userId(req), req.body.name);
      return (await auth.me(userId(req))).user;
    },
  );

  app.post(
    '/api/v1/me/password',
    {
      config: { access: 'user', rateLimit: SIGN_IN_LIMIT },
      schema: {
        tags,
        description: 'S3: changes the password, proving the current one; every other session of the account ends.',
        body: z.strictObject({ currentPassword: z.string().min(1).max(200), newPassword }),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await auth.changePassword(userId(req), req.auth!.sessionId, req.body);
      return reply.code(204).send(null);
    },
  );
}
