import { violatedUniqueConstraint, type Db, type Executor } from '../../db/database.js';
import type { AppointmentRow } from '../../db/schema.js';
import { decodeCursor, encodeCursor, splitPage } from '../../db/paging.js';
import type { Clock } from '../../shared/clock.js';
import { DomainError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { changedFieldNames, changes } from '../audit/index.js';
import { recordAudit } from '../audit/index.js';
import { announceChange } from '../../live/index.js';
import { findService } from '../catalog/index.js';
import { findClient } from '../clients/index.js';
import { countLivePayments, listPayments } from '../payments/index.js';
import { findStaffMember } from '../staff/index.js';
import { toAppointmentDto, type AppointmentDto } from './appointment-dto.js';
import { amountsOf, assertUnlocked, lockAppointment, lockForMoneyChange } from './appointment-lock.js';
import * as repo from './appointments.repository.js';
import { assertTotalFits, serviceLine } from './domain/items.js';
import { transition, type AppointmentStatus } from './domain/status.js';
import { replanVisitReminders } from '../links/index.js';
import { moveSettlementDue } from '../receipts/index.js';

export interface NewAppointment {
  clientId: string;
  staffId: string;
  startsAt: Date;
  durationMinutes: number;
  services: { serviceId: string; price?: number | undefined }[];
  comment?: string | undefined;
  externalId?: string | undefined;
}

export interface AppointmentChanges {
  startsAt?: Date | undefined;
  durationMinutes?: number | undefined;
  staffId?: string | undefined;
  clientId?: string | undefined;
  status?: AppointmentStatus | undefined;
  comment?: string | null | undefined;
}

export interface AppointmentListRequest {
  from?: repo.RangeBound | undefined;
  to?: repo.RangeBound | undefined;
  limit: number;
  cursor?: string | undefined;
}

const missing = (what: string, field: string, id: string) =>
  new DomainError('not_found', `${what} not found`, { field, id });

function byAppointment<T extends { appointment_id: string }>(rows: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(row.appointment_id);
    if (group) group.push(row);
    else groups.set(row.appointment_id, [row]);
  }
  return groups;
}

/** Appointments as the API shows them, read through `db` (inside a transaction: with its own writes). */
export async function loadAppointmentDtos(
  db: Executor,
  companyId: string,
  ids: readonly string[],
  now: Date,
): Promise<AppointmentDto[]> {
  const rows = await repo.findAppointmentViews(db, companyId, ids);
  const found = rows.map((r) => r.id);
  const items = byAppointment(await repo.listItems(db, found));
  const payments = byAppointment(await listPayments(db, found));
  return rows.map((a) => toAppointmentDto(a, items.get(a.id) ?? [], payments.get(a.id) ?? [], now));
}

export async function loadAppointmentDto(
  db: Executor,
  companyId: string,
  id: string,
  now: Date,
): Promise<AppointmentDto> {
  const [dto] = await loadAppointmentDtos(db, companyId, [id], now);
  if (!dto) throw missing('appointment', 'id', id);
  return dto;
}

/**
 * The item lines of the services an appointment is booked (or pushed) with, priced within their
 * ranges (R16); a service of another company, or a price outside its range, is refused naming
 * `services.{n}…`.
 */
export async function serviceLinesOf(
  tx: Executor,
  companyId: string,
  services: NewAppointment['services'],
): Promise<ReturnType<typeof serviceLine>[]> {
  const lines = [];
  for (const [index, wanted] of services.entries()) {
    const service = await findService(tx, companyId, wanted.serviceId);
    if (!service) throw missing('service', `services.${index}.serviceId`, wanted.serviceId);
    lines.push(serviceLine(service, wanted.price, `services.${index}.price`));
  }
  return lines;
}

export const isExternalIdConflict = (error: unknown) =>
  violatedUniqueConstraint(error) === 'appointments_external_id_key';

/** Use cases of the appointment itself. Its items and payments have services of their own. */
export class AppointmentsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Reads run in one REPEATABLE READ snapshot so items, payments and totals agree with each other. */
  private snapshot<T>(read: (tx: Executor) => Promise<T>): Promise<T> {
    return this.db.transaction().setIsolationLevel('repeatable read').execute(read);
  }

  async list(
    companyId: string,
    q: AppointmentListRequest,
  ): Promise<{ items: AppointmentDto[]; nextCursor: string | null }> {
    const cursor = decodeCursor(q.cursor);
    const after = cursor && { startsAt: cursor.createdAt, id: cursor.id };
    return this.snapshot(async (tx) => {
      const rows = await repo.listAppointmentPage(tx, { companyId, from: q.from, to: q.to, after, limit: q.limit });
      const page = splitPage(rows, q.limit, (last) => encodeCursor(last.starts_at, last.id));
      const items = await loadAppointmentDtos(
        tx,
        companyId,
        page.items.map((r) => r.id),
        this.clock.now(),
      );
      return { items, nextCursor: page.nextCursor };
    });
  }

  async get(companyId: string, id: string): Promise<AppointmentDto> {
    return this.snapshot((tx) => loadAppointmentDto(tx, companyId, id, this.clock.now()));
  }

  async create(companyId: string, actorId: string, input: NewAppointment): Promise<AppointmentDto> {
    try {
      return await this.db
        .transaction()
        .execute((tx) => this.createIn(tx, companyId, actorId, input, this.clock.now()));
    } catch (error) {
      if (isExternalIdConflict(error)) {
        throw new DomainError('conflict', 'another appointment of this company already has this externalId', {
          field: 'externalId',
        });
      }
      throw error;
    }
  }

  /** Creates inside the caller's transaction; a taken externalId surfaces as the unique violation (isExternalIdConflict). */
  async createIn(
    tx: Executor,
    companyId: string,
    actorId: string,
    input: NewAppointment,
    now: Date,
  ): Promise<AppointmentDto> {
    if (!(await findClient(tx, companyId, input.clientId))) throw missing('client', 'clientId', input.clientId);
    if (!(await findStaffMember(tx, companyId, input.staffId))) throw missing('staff member', 'staffId', input.staffId);
    const lines = await serviceLinesOf(tx, companyId, input.services);
    assertTotalFits(
      lines.reduce((sum, line) => sum + line.unit_price, 0),
      'services',
    );
    const id = newId('appointment');
    await repo.insertAppointment(tx, {
      id,
      company_id: companyId,
      client_id: input.clientId,
      staff_id: input.staffId,
      starts_at: input.startsAt,
      duration_minutes: input.durationMinutes,
      status: 'booked',
      comment: input.comment ?? null,
      external_id: input.externalId ?? null,
      locked_until: null,
      updated_at: now,
    });
    for (const line of lines)
      await repo.insertItem(tx, { id: newId('item'), company_id: companyId, appointment_id: id, ...line });
    const amounts = await amountsOf(tx, id);
    await recordAudit(tx, {
      companyId,
      at: now,
      actor: { type: 'user', id: actorId },
      action: 'appointment.created',
      entityType: 'appointment',
      entityId: id,
      appointmentId: id,
      amountBefore: null,
      amountAfter: amounts.due,
      details: {
        startsAt: input.startsAt.toISOString(),
        staffId: input.staffId,
        items: lines.length,
        total: amounts.total,
      },
    });
    return loadAppointmentDto(tx, companyId, id, now);
  }

  /**
   * Time, staff, client and comment may change while a client is paying by link; cancelling
   * is a money change (the visit stops being payable, R3), so it waits for the lock (R13).
   */
  async update(companyId: string, actorId: string, id: string, input: AppointmentChanges): Promise<AppointmentDto> {
    return this.db.transaction().execute(async (tx) => {
      const now = this.clock.now();
      await this.updateIn(tx, companyId, actorId, await lockAppointment(tx, companyId, id), input, now);
      return loadAppointmentDto(tx, companyId, id, now);
    });
  }

  /** Applies the changes to an appointment the caller's transaction has locked; answers whether anything changed. */
  async updateIn(
    tx: Executor,
    companyId: string,
    actorId: string,
    current: AppointmentRow,
    input: AppointmentChanges,
    now: Date,
  ): Promise<boolean> {
    const id = current.id;
    const from = current.status as AppointmentStatus;
    const status = input.status === undefined ? undefined : transition(from, input.status);
    const cancelling = status === 'cancelled' && from !== 'cancelled';
    if (cancelling) assertUnlocked(current, now);
    if (input.clientId !== undefined && !(await findClient(tx, companyId, input.clientId)))
      throw missing('client', 'clientId', input.clientId);
    if (input.staffId !== undefined && !(await findStaffMember(tx, companyId, input.staffId))) {
      throw missing('staff member', 'staffId', input.staffId);
    }
    const sameStart = input.startsAt !== undefined && input.startsAt.getTime() === current.starts_at.getTime();
    const diff = changes(current, {
      starts_at: sameStart ? undefined : input.startsAt,
      duration_minutes: input.durationMinutes,
      staff_id: input.staffId,
      client_id: input.clientId,
      status,
      comment: input.comment,
    });
    if (Object.keys(diff).length === 0) return false;

    const set = Object.fromEntries(Object.entries(diff).map(([k, v]) => [k, v?.to]));
    await repo.updateAppointment(tx, id, { ...set, updated_at: now });
    // R33: the settlement receipts' due time follows the visit: at once when it turned arrived,
    // else the end of its (new) day; cancelled and no_show are judged when they fall due
    if (diff.status || diff.starts_at) await moveSettlementDue(tx, id, now);
    // R35: "before the visit" reminders follow the visit, in the same transaction
    if (diff.starts_at) await replanVisitReminders(tx, id, now);
    const due = cancelling ? (await amountsOf(tx, id)).due : null;
    // The comment is free text and may hold personal details: the log names it, never copies it.
    const { comment: _comment, ...shown } = diff;
    await recordAudit(tx, {
      companyId,
      at: now,
      actor: { type: 'user', id: actorId },
      action: cancelling ? 'appointment.cancelled' : 'appointment.updated',
      entityType: 'appointment',
      entityId: id,
      appointmentId: id,
      amountBefore: due,
      amountAfter: due,
      details: { fields: changedFieldNames(diff), changes: shown },
    });
    await announceChange(tx, {
      companyId,
      appointmentId: id,
      reason: cancelling ? 'appointment.cancelled' : 'appointment.updated',
    });
    return true;
  }

  /** Soft delete (the ledger stays); refused while payments still count — void them first. */
  async remove(companyId: string, actorId: string, id: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const now = this.clock.now();
      await lockForMoneyChange(tx, companyId, id, now);
      const live = await countLivePayments(tx, id);
      if (live > 0) {
        throw new DomainError(
          'appointment_has_payments',
          'the appointment has payments; void them before deleting it',
          {
            livePayments: live,
          },
        );
      }
      const { due, total } = await amountsOf(tx, id);
      await repo.updateAppointment(tx, id, { deleted_at: now, deleted_by: actorId, updated_at: now });
      await recordAudit(tx, {
        companyId,
        at: now,
        actor: { type: 'user', id: actorId },
        action: 'appointment.deleted',
        entityType: 'appointment',
        entityId: id,
        appointmentId: id,
        amountBefore: due,
        amountAfter: 0,
        details: { total },
      });
      await announceChange(tx, { companyId, appointmentId: id, reason: 'appointment.deleted' });
    });
  }
}
