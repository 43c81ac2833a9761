import { z } from 'zod';
import { text } from '../../http/schemas.js';
import { setSessionCookies } from '../../http/session-cookies.js';
import type { App } from '../../http/types.js';
import { sessionDto } from './auth.routes.js';
import { ROLES } from './domain/rights.js';
import type { InvitationsService } from './invitations.service.js';

// The token travels in the body, never in a path, so no access log can keep it.
const token = z.string().min(1).max(100);
// Tokens are 256-bit, so this only keeps one address from hammering; wrong passwords are throttled per account.
const LIMIT = { max: 30, timeWindow: '1 minute' };

/** The accept page's two calls (S1): public, since the link is the credential; throttled per address. */
export function registerInvitationAcceptRoutes(app: App, invitations: InvitationsService): void {
  const tags = ['auth'];

  app.post(
    '/api/v1/invitations/lookup',
    {
      config: { access: 'public', rateLimit: LIMIT },
      schema: {
        tags,
        description:
          'What an invitation link offers: the company, the email, and — only when the link was emailed — whether that email already has an account (then its password accepts); null when the link was shown to the inviter.',
        body: z.strictObject({ token }),
        response: {
          200: z.object({
            companyName: z.string(),
            email: z.string(),
            name: z.string().nullable(),
            role: z.enum(ROLES),
            accountExists: z.boolean().nullable(),
            expiresAt: z.string(),
          }),
        },
      },
    },
    async (req) => {
      const found = await invitations.lookup(req.body.token);
      return { ...found, expiresAt: found.expiresAt.toISOString() };
    },
  );

  app.post(
    '/api/v1/invitations/accept',
    {
      config: { access: 'public', rateLimit: LIMIT },
      schema: {
        tags,
        description:
          'Accepts the invitation and signs in. A new person gives their name and chooses a password; an existing account gives its own password.',
        body: z.strictObject({ token, name: text(200).optional(), password: z.string().min(1).max(200) }),
        response: { 200: sessionDto },
      },
    },
    async (req, reply) => {
      const session = await invitations.accept(req.body.token, req.body);
      setSessionCookies(req, reply, session.token, session.expiresAt);
      return { token: session.token, expiresAt: session.expiresAt.toISOString(), user: session.user };
    },
  );
}
