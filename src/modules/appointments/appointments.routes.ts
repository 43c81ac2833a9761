import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { companyOf, userId } from '../../http/authenticate.js';
import {
  companyParams,
  entityId as id,
  entityParams,
  isoDateTime,
  isoDay,
  minorUnits,
  page,
  pageQuery,
  text,
} from '../../http/schemas.js';
import type { App } from '../../http/types.js';
import { validation } from '../../shared/errors.js';
import { appointmentLinkView, type AppointmentLinkView } from '../links/appointment-link-dto.js';
import { appointmentDto } from './appointment-dto.js';
import type { RangeBound } from './appointments.repository.js';
import type { AppointmentsService } from './appointments.service.js';
import { APPOINTMENT_STATUSES } from './domain/status.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A day in the company's time zone (YYYY-MM-DD) or an exact instant with an offset. */
function parseBound(value: string): RangeBound | undefined {
  if (DAY.test(value)) return isoDay.safeParse(value).success ? { date: value } : undefined;
  return isoDateTime.safeParse(value).success ? { instant: new Date(value) } : undefined;
}

const bound = z
  .string()
  .trim()
  .max(40)
  .transform((value, ctx) => {
    const parsed = parseBound(value);
    if (!parsed)
      ctx.addIssue({ code: 'custom', message: 'must be a day (YYYY-MM-DD) or an ISO 8601 instant with an offset' });
    return parsed ?? z.NEVER;
  });

const listQuery = pageQuery.extend({
  from: bound.optional().describe('first day (company time zone) or instant, inclusive'),
  to: bound.optional().describe('last day, inclusive (whole day in the company time zone), or instant, exclusive'),
});

// Free text; an empty string clears it like null does.
export const comment = z
  .string()
  .trim()
  .max(2000)
  .transform((v) => (v === '' ? null : v));
const durationMinutes = z
  .number()
  .int()
  .min(1)
  .max(24 * 60);

export const createBody = z.strictObject({
  clientId: id,
  staffId: id,
  startsAt: isoDateTime,
  durationMinutes,
  services: z
    .array(
      z.strictObject({
        serviceId: id,
        price: minorUnits.optional().describe('within the service range; default priceMin'),
      }),
    )
    .max(50)
    .default([]),
  comment: comment.optional(),
  externalId: text(200).optional().describe('the id of this visit in your booking system; unique per company'),
});

const patchBody = z.strictObject({
  startsAt: isoDateTime.optional(),
  durationMinutes: durationMinutes.optional(),
  staffId: id.optional(),
  clientId: id.optional(),
  status: z.enum(APPOINTMENT_STATUSES).optional(),
  comment: comment.nullable().optional(),
});

const BASE = '/api/v1/companies/:companyId/appointments';

function assertOrdered(from: RangeBound | undefined, to: RangeBound | undefined): void {
  if (!from || !to) return;
  const inverted =
    'date' in from && 'date' in to
      ? from.date > to.date
      : 'instant' in from && 'instant' in to && from.instant > to.instant;
  if (inverted) throw validation('to', 'to must not be before from');
}

/** The pay-by-link part of one appointment's view, supplied by the links module. */
export type LinkViewOf = (
  companyId: string,
  appointmentId: string,
  canSeeLinks: boolean,
) => Promise<AppointmentLinkView>;

/** One appointment as its GET routes answer it: with its link, attempts and refunds for users with cashless_payment. */
export const appointmentViewDto = appointmentDto.extend(appointmentLinkView.shape);

export async function appointmentView(
  appointments: AppointmentsService,
  linkViewOf: LinkViewOf,
  req: FastifyRequest,
  id: string,
) {
  const companyId = companyOf(req);
  const canSeeLinks = req.membership?.rights.has('cashless_payment') ?? false;
  return { ...(await appointments.get(companyId, id)), ...(await linkViewOf(companyId, id, canSeeLinks)) };
}

export function registerAppointmentRoutes(app: App, appointments: AppointmentsService, linkViewOf: LinkViewOf): void {
  const tags = ['appointments'];

  app.get(
    BASE,
    {
      config: { access: 'appointments.read' },
      schema: {
        tags,
        description: 'Appointments by start time, with items, payments and derived totals.',
        params: companyParams,
        querystring: listQuery,
        response: { 200: page(appointmentDto) },
      },
    },
    async (req) => {
      assertOrdered(req.query.from, req.query.to);
      return appointments.list(companyOf(req), req.query);
    },
  );

  app.post(
    BASE,
    {
      config: { access: 'appointments.write' },
      schema: { tags, params: companyParams, body: createBody, response: { 201: appointmentDto } },
    },
    async (req, reply) => {
      const body = req.body;
      const created = await appointments.create(companyOf(req), userId(req), {
        ...body,
        startsAt: new Date(body.startsAt),
        comment: body.comment ?? undefined,
      });
      return reply.code(201).send(created);
    },
  );

  app.get(
    `${BASE}/:id`,
    {
      config: { access: 'appointments.read' },
      schema: {
        tags,
        description:
          'One appointment with its items, payments and totals, its payment link and attempts (with cashless_payment) and refunds.',
        params: entityParams,
        response: { 200: appointmentViewDto },
      },
    },
    async (req) => appointmentView(appointments, linkViewOf, req, req.params.id),
  );

  app.patch(
    `${BASE}/:id`,
    {
      config: { access: 'appointments.write' },
      schema: {
        tags,
        description:
          'Cancelling changes the money and answers 409 appointment_locked while a client pays by link; other fields stay editable.',
        params: entityParams,
        body: patchBody,
        response: { 200: appointmentDto },
      },
    },
    async (req) => {
      const { startsAt, ...rest } = req.body;
      return appointments.update(companyOf(req), userId(req), req.params.id, {
        ...rest,
        startsAt: startsAt === undefined ? undefined : new Date(startsAt),
      });
    },
  );

  app.delete(
    `${BASE}/:id`,
    {
      config: { access: 'appointments.write' },
      schema: {
        tags,
        description: 'Soft delete; refused (422) while payments still count.',
        params: entityParams,
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await appointments.remove(companyOf(req), userId(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
}
