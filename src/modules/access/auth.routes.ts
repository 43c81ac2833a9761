import { z } from 'zod';
import { CSRF_COOKIE, SESSION_COOKIE, userId } from '../../http/authenticate.js';
import type { App } from '../../http/types.js';
import { randomToken } from '../../shared/secrets.js';
import type { AuthService } from './auth.service.js';
import { RIGHTS } from './domain/rights.js';

const userDto = z.object({ id: z.string(), email: z.string(), name: z.string() });

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
      role: z.string(),
      rights: z.array(z.enum(RIGHTS)),
    }),
  ),
});

export function registerAuthRoutes(app: App, auth: AuthService, secureCookies: boolean): void {
  app.post(
    '/api/v1/auth/login',
    {
      config: { access: 'public', rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        body: z.strictObject({ email: z.string().trim().max(254), password: z.string().min(1).max(200) }),
        response: { 200: z.object({ token: z.string(), expiresAt: z.string(), user: userDto }) },
      },
    },
    async (req, reply) => {
      const session = await auth.login(req.body.email, req.body.password);
      const cookie = { path: '/', secure: secureCookies, sameSite: 'lax' as const, expires: session.expiresAt };
      reply.setCookie(SESSION_COOKIE, session.token, { ...cookie, httpOnly: true });
      reply.setCookie(CSRF_COOKIE, randomToken(18), { ...cookie, httpOnly: false });
      return { token: session.token, expiresAt: session.expiresAt.toISOString(), user: session.user };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    { config: { access: 'user' }, schema: { tags: ['auth'], response: { 204: z.null() } } },
    async (req, reply) => {
      await auth.logout(req.auth!.sessionId);
      reply.clearCookie(SESSION_COOKIE, { path: '/' }).clearCookie(CSRF_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/me',
    { config: { access: 'user' }, schema: { tags: ['auth'], response: { 200: meResponse } } },
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
          role: c.role,
          rights: c.rights.filter((r): r is (typeof RIGHTS)[number] => (RIGHTS as readonly string[]).includes(r)),
        })),
      };
    },
  );
}
