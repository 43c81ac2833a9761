import { z } from 'zod';
import type { Origins } from '../shared/origins.js';
import type { App } from './types.js';

/** What the admin app learns about this installation. */
export const serverInfoDto = z.object({
  /** the origin payment links, return pages and webhook URLs are built on */
  publicUrl: z.string(),
  /** PUBLIC_URL is configured (otherwise links fall back to http://localhost:<port>) */
  publicUrlSet: z.boolean(),
  /** who can open those links (O7): anyone, phones on the local network only, or only this computer */
  linkReach: z.enum(['internet', 'local_network', 'this_computer']),
  /** the ways a payment link can be sent from this server: email with SMTP_URL, SMS with an SMS gateway, WhatsApp (R36) */
  sendChannels: z.object({ email: z.boolean(), sms: z.boolean(), whatsapp: z.boolean() }),
});
export type ServerInfoDto = z.infer<typeof serverInfoDto>;

/**
 * O7: the admin app warns staff while links point at an address clients' phones cannot open.
 * For signed-in users only: the public origin is no secret, but nobody else needs it.
 */
export function registerServerInfoRoutes(
  app: App,
  origins: Origins,
  sendChannels: () => ServerInfoDto['sendChannels'],
): void {
  app.get(
    '/api/v1/server-info',
    {
      config: { access: 'user' },
      schema: {
        tags: ['auth'],
        description:
          'O7: the public origin links are built on, and who can open them; which ways of sending a link (email, SMS, WhatsApp) this server has.',
        response: { 200: serverInfoDto },
      },
    },
    async (_req, reply) => {
      reply.header('cache-control', 'no-store');
      return {
        publicUrl: origins.public,
        publicUrlSet: origins.publicUrlSet,
        linkReach: origins.reach,
        sendChannels: sendChannels(),
      };
    },
  );
}
