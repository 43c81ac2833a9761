import { z } from 'zod';
import { companyOf, userId } from '../../http/authenticate.js';
import { streamChanges } from '../../http/event-stream.js';
import { companyParams, entityParams, positiveMinorUnits } from '../../http/schemas.js';
import type { App } from '../../http/types.js';
import { notFound } from '../../shared/errors.js';
import { linkDto } from './link-dto.js';
import type { AuthService } from '../access/index.js';
import type { LiveHub } from '../../live/index.js';
import type { PaymentLinksService } from './payment-links.service.js';

const copyBody = z.strictObject({ amount: positiveMinorUnits.optional() });

/** Staff's link controls on an appointment (R2: all need `cashless_payment`) and its live stream (R29). */
export function registerPaymentLinkRoutes(
  app: App,
  deps: { links: PaymentLinksService; live: LiveHub; auth: AuthService },
): void {
  const base = '/api/v1/companies/:companyId/appointments/:id/payment-link';
  const actor = (req: Parameters<typeof userId>[0]) => ({ type: 'user' as const, id: userId(req) });

  app.post(base, {
    config: { access: 'cashless_payment' },
    schema: {
      tags: ['payment links'],
      summary: 'Copy payment link: the active link, created if needed (R5)',
      params: entityParams,
      body: copyBody,
      response: { 200: linkDto },
    },
    handler: async (req) => deps.links.copy(companyOf(req), actor(req), req.params.id, { amount: req.body.amount }),
  });

  app.get(base, {
    config: { access: 'cashless_payment' },
    schema: {
      tags: ['payment links'],
      summary: "The appointment's link and its attempts (R29)",
      params: entityParams,
      response: { 200: linkDto },
    },
    handler: async (req) => deps.links.currentOrThrow(companyOf(req), req.params.id),
  });

  app.delete(base, {
    config: { access: 'cashless_payment' },
    schema: {
      tags: ['payment links'],
      summary: 'Disable the active link',
      params: entityParams,
      response: { 200: linkDto },
    },
    handler: async (req) => deps.links.disable(companyOf(req), actor(req), req.params.id),
  });

  app.post(`${base}/cancel-attempt`, {
    config: { access: 'cashless_payment' },
    schema: {
      tags: ['payment links'],
      summary: 'Cancel the online payment in progress and unlock (R13)',
      params: entityParams,
      body: z.strictObject({}).optional(),
      response: { 200: linkDto },
    },
    handler: async (req) => deps.links.cancelAttempt(companyOf(req), actor(req), req.params.id),
  });

  app.get(`${base}/qr.svg`, {
    config: { access: 'cashless_payment' },
    schema: {
      tags: ['payment links'],
      summary: 'QR code of the active link, for paying in the salon',
      params: entityParams,
    },
    handler: async (req, reply) => {
      const url = await deps.links.activeUrl(companyOf(req), req.params.id);
      // loaded on the first QR code asked for: a process may never draw one
      const { default: QRCode } = await import('qrcode');
      const svg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
      return reply.header('cache-control', 'no-store').type('image/svg+xml').send(svg);
    },
  });

  // Open streams end when the server closes, or it would wait for every watcher to leave.
  const streams = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of [...streams]) end();
  });

  app.get('/api/v1/companies/:companyId/appointments/:id/events', {
    config: { access: 'appointments.read' },
    schema: {
      tags: ['appointments'],
      summary: 'Server-sent events: "changed" whenever the appointment\'s money or link state changes',
      params: entityParams,
    },
    handler: async (req, reply) => {
      const companyId = companyOf(req);
      const exists = await deps.links.appointmentExists(companyId, req.params.id);
      if (!exists) throw notFound('appointment', req.params.id);
      const session = req.auth!.sessionId;
      const user = userId(req);
      await streamChanges(
        req,
        reply,
        {
          subscribe: (listener, onDrop) => deps.live.subscribe(req.params.id, listener, onDrop),
          stillAllowed: () => deps.auth.stillAllowed(session, user, companyId, 'appointments.read'),
        },
        streams,
      );
    },
  });

  app.get('/api/v1/companies/:companyId/events', {
    config: { access: 'appointments.read' },
    schema: {
      tags: ['appointments'],
      summary:
        'Server-sent events: "changed" with the appointment id and reason whenever money or a link of any of the ' +
        "company's appointments changes (the calendar stays live; a client's payment is shown at once)",
      params: companyParams,
    },
    handler: async (req, reply) => {
      const companyId = companyOf(req);
      const session = req.auth!.sessionId;
      const user = userId(req);
      await streamChanges(
        req,
        reply,
        {
          subscribe: (listener, onDrop) => deps.live.subscribeCompany(companyId, listener, onDrop),
          stillAllowed: () => deps.auth.stillAllowed(session, user, companyId, 'appointments.read'),
        },
        streams,
      );
    },
  });
}
