import { sql } from 'kysely';
import type { Db, Executor } from '../../db/database.js';
import type { AppointmentRow } from '../../db/schema.js';
import type { Clock } from '../../shared/clock.js';
import { DomainError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { recordAudit } from '../audit/index.js';
import { announceChange } from '../../live/index.js';
import { findClientByContact } from '../clients/index.js';
import { createClientIn } from '../clients/index.js';
import type { AppointmentDto } from './appointment-dto.js';
import { amountsOf, assertNotCancelled, assertUnlocked } from './appointment-lock.js';
import * as repo from './appointments.repository.js';
import {
  isExternalIdConflict,
  loadAppointmentDto,
  serviceLinesOf,
  type AppointmentsService,
} from './appointments.service.js';
import { assertTotalFits, type serviceLine } from './domain/items.js';
import type { AppointmentStatus } from './domain/status.js';

/** A client as a booking system knows them; found again by phone, else by email. */
export interface PushedClient {
  name: string;
  phone?: string | undefined;
  email?: string | undefined;
}

/** An appointment as a booking system sends it: the whole visit, every time. */
export interface PushedAppointment {
  /** exactly one of clientId and client */
  clientId?: string | undefined;
  client?: PushedClient | undefined;
  staffId: string;
  startsAt: Date;
  durationMinutes: number;
  services: { serviceId: string; price?: number | undefined }[];
  /** absent: left as it is; null or empty: cleared */
  comment?: string | null | undefined;
  status?: AppointmentStatus | undefined;
}

export interface PushResult {
  created: boolean;
  appointment: AppointmentDto;
}

type ServiceLine = ReturnType<typeof serviceLine>;

/**
 * Lets an existing booking system use Visitpay as its payment-link engine: it pushes each visit
 * under its own id (`externalId`), as often as the visit changes, and Visitpay creates the
 * appointment the first time and brings it in line afterwards. Pushing the same visit twice
 * changes nothing and writes nothing.
 *
 * The pushed services replace the appointment's service lines; products sold at the desk stay.
 * Changing the services changes the money, so it is refused with 409 appointment_locked while a
 * client pays by link (R13), like any other edit of the bill; the time, staff member, client and
 * comment stay editable meanwhile.
 */
export class ExternalAppointmentsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly appointments: AppointmentsService,
  ) {}

  /** The id of the live appointment a booking system knows as `externalId`, or 404. */
  async idOf(companyId: string, externalId: string): Promise<string> {
    const id = await repo.findAppointmentIdByExternalId(this.db, companyId, externalId);
    if (!id) throw new DomainError('not_found', 'no appointment has this externalId', { field: 'externalId' });
    return id;
  }

  async push(companyId: string, actorId: string, externalId: string, input: PushedAppointment): Promise<PushResult> {
    try {
      return await this.pushOnce(companyId, actorId, externalId, input);
    } catch (error) {
      // Two pushes of a new visit raced and the other created it first: this one is now an update.
      if (isExternalIdConflict(error)) return this.pushOnce(companyId, actorId, externalId, input);
      throw error;
    }
  }

  private pushOnce(
    companyId: string,
    actorId: string,
    externalId: string,
    pushed: PushedAppointment,
  ): Promise<PushResult> {
    return this.db.transaction().execute(async (tx) => {
      const now = this.clock.now();
      const { client: _client, ...rest } = pushed;
      const input = { ...rest, clientId: await this.clientOf(tx, companyId, actorId, pushed, now) };
      const current = await repo.selectAppointmentByExternalIdForUpdate(tx, companyId, externalId);
      if (!current) {
        const created = await this.appointments.createIn(
          tx,
          companyId,
          actorId,
          { ...input, comment: input.comment ?? undefined, externalId },
          now,
        );
        // A visit first pushed as confirmed or arrived is booked, then moved on, as staff would.
        if (input.status !== undefined && input.status !== 'booked') {
          const row = await repo.selectAppointmentForUpdate(tx, companyId, created.id);
          if (row) await this.appointments.updateIn(tx, companyId, actorId, row, { status: input.status }, now);
        }
        return { created: true, appointment: await loadAppointmentDto(tx, companyId, created.id, now) };
      }
      const { services, ...fields } = input;
      // A visit cancelled in the booking system stops being payable; its lines stay as the ledger knew them.
      if (input.status !== 'cancelled') await this.replaceServices(tx, companyId, actorId, current, services, now);
      await this.appointments.updateIn(tx, companyId, actorId, current, fields, now);
      return { created: false, appointment: await loadAppointmentDto(tx, companyId, current.id, now) };
    });
  }

  /**
   * The client of the pushed visit: the id given, or the company's client with the pushed phone
   * (else email), created when there is none. Pushes for one new client wait for each other, so
   * two visits booked at once make one client.
   */
  private async clientOf(
    tx: Executor,
    companyId: string,
    actorId: string,
    pushed: PushedAppointment,
    now: Date,
  ): Promise<string> {
    if (pushed.clientId !== undefined) return pushed.clientId;
    const client = pushed.client!;
    const key = client.phone ?? client.email ?? '';
    await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`${companyId} client ${key}`}, 0))`.execute(tx);
    const byPhone = client.phone ? await findClientByContact(tx, companyId, 'phone', client.phone) : undefined;
    const found =
      byPhone ?? (client.email ? await findClientByContact(tx, companyId, 'email', client.email) : undefined);
    if (found) return found.id;
    return createClientIn(tx, companyId, actorId, client, now);
  }

  /** Brings the service lines in line with the pushed list: lines that match (service and price) stay as they are. */
  private async replaceServices(
    tx: Executor,
    companyId: string,
    actorId: string,
    current: AppointmentRow,
    wanted: PushedAppointment['services'],
    now: Date,
  ) {
    const lines = await serviceLinesOf(tx, companyId, wanted);
    const items = await repo.listItems(tx, [current.id]);
    const unmatched = items.filter((i) => i.kind === 'service');
    const added: ServiceLine[] = [];
    for (const line of lines) {
      const same = unmatched.findIndex((i) => i.service_id === line.service_id && i.unit_price === line.unit_price);
      if (same >= 0) unmatched.splice(same, 1);
      else added.push(line);
    }
    if (added.length === 0 && unmatched.length === 0) return;

    assertNotCancelled(current);
    assertUnlocked(current, now);
    const before = await amountsOf(tx, current.id);
    const total =
      before.total -
      unmatched.reduce((sum, i) => sum + i.unit_price * i.quantity, 0) +
      added.reduce((sum, l) => sum + l.unit_price, 0);
    assertTotalFits(total, 'services');
    let due = before.due;
    const audit = async (action: string, itemId: string, details: Record<string, unknown>) => {
      const after = await amountsOf(tx, current.id);
      await recordAudit(tx, {
        companyId,
        at: now,
        actor: { type: 'user', id: actorId },
        action,
        entityType: 'appointment_item',
        entityId: itemId,
        appointmentId: current.id,
        amountBefore: due,
        amountAfter: after.due,
        details: { ...details, totalAfter: after.total, via: 'externalId' },
      });
      await announceChange(tx, { companyId, appointmentId: current.id, reason: action });
      due = after.due;
    };
    for (const item of unmatched) {
      await repo.deleteItem(tx, item.id);
      await audit('item.removed', item.id, {
        itemId: item.id,
        kind: item.kind,
        title: item.title,
        unitPrice: item.unit_price,
        quantity: item.quantity,
      });
    }
    for (const line of added) {
      const id = newId('item');
      await repo.insertItem(tx, { id, company_id: companyId, appointment_id: current.id, ...line });
      await audit('item.added', id, {
        itemId: id,
        kind: line.kind,
        title: line.title,
        unitPrice: line.unit_price,
        quantity: line.quantity,
      });
    }
  }
}
