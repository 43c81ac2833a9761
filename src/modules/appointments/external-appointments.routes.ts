import { z } from 'zod';
import { companyOf, userId } from '../../http/authenticate.js';
import { companyParams, entityId, text } from '../../http/schemas.js';
import { clientEmail, clientPhone } from '../clients/contact-schemas.js';
import type { App } from '../../http/types.js';
import { appointmentDto } from './appointment-dto.js';
import { appointmentView, appointmentViewDto, comment, createBody, type LinkViewOf } from './appointments.routes.js';
import type { AppointmentsService } from './appointments.service.js';
import { APPOINTMENT_STATUSES } from './domain/status.js';
import type { ExternalAppointmentsService } from './external-appointments.service.js';

const pushParams = companyParams.extend({
  externalId: text(200).describe('the id of this visit in your booking system (URL-encoded); unique per company'),
});

const pushedClient = z
  .strictObject({ name: text(200), phone: clientPhone.optional(), email: clientEmail.optional() })
  .refine((c) => c.phone !== undefined || c.email !== undefined, {
    message: 'give the phone or the email, so that the next push finds the same client',
    path: ['phone'],
  })
  .describe('the client as your booking system knows them: found by phone, else email, and created when new');

const pushBody = createBody
  .omit({ externalId: true })
  .extend({
    clientId: entityId.optional().describe('a Visitpay client id; or send `client` instead'),
    client: pushedClient.optional(),
    comment: comment.nullable().optional().describe('absent: left as it is; null or empty: cleared'),
    status: z.enum(APPOINTMENT_STATUSES).optional().describe('absent: left as it is (booked for a new visit)'),
  })
  .refine((b) => (b.clientId === undefined) !== (b.client === undefined), {
    message: 'send exactly one of clientId and client',
    path: ['clientId'],
  });

/**
 * `PUT …/appointments/external/{externalId}`: a booking system pushes its visits (create or bring
 * in line); `GET` reads one back by the same id, with its payment link.
 */
export function registerExternalAppointmentRoutes(
  app: App,
  deps: { external: ExternalAppointmentsService; appointments: AppointmentsService; linkViewOf: LinkViewOf },
): void {
  const { external } = deps;
  app.get(
    '/api/v1/companies/:companyId/appointments/external/:externalId',
    {
      config: { access: 'appointments.read' },
      schema: {
        tags: ['appointments'],
        summary:
          'The appointment a booking system knows by its own id, with its payment link and attempts (with cashless_payment)',
        params: pushParams,
        response: { 200: appointmentViewDto },
      },
    },
    async (req) =>
      appointmentView(
        deps.appointments,
        deps.linkViewOf,
        req,
        await external.idOf(companyOf(req), req.params.externalId),
      ),
  );

  app.put(
    '/api/v1/companies/:companyId/appointments/external/:externalId',
    {
      config: { access: 'appointments.write' },
      schema: {
        tags: ['appointments'],
        summary: 'Create or update the appointment a booking system knows by its own id',
        description:
          'Send the whole visit every time it changes. 201 when the appointment was created, 200 when it existed: its time, staff member, ' +
          'client, comment and status are brought in line, and its service lines are replaced by the ones sent (lines that match by service ' +
          'and price stay; products sold at the desk stay). Pushing the same visit again changes nothing. Changing the services answers 409 ' +
          'appointment_locked while a client pays by link.',
        params: pushParams,
        body: pushBody,
        response: { 200: appointmentDto, 201: appointmentDto },
      },
    },
    async (req, reply) => {
      const { startsAt, comment: note, ...rest } = req.body;
      const result = await external.push(companyOf(req), userId(req), req.params.externalId, {
        ...rest,
        startsAt: new Date(startsAt),
        ...(note === undefined ? {} : { comment: note }),
      });
      return reply.code(result.created ? 201 : 200).send(result.appointment);
    },
  );
}
