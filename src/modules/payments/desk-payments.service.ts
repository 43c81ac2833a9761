import { violatedUniqueConstraint, type Db, type Executor } from '../../db/database.js';
import type { PaymentRow } from '../../db/schema.js';
import type { Clock } from '../../shared/clock.js';
import { DomainError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { sha256Hex } from '../../shared/secrets.js';
import {
  amountsOf,
  assertNotCancelled,
  assertUnlocked,
  lockAppointment,
  lockForMoneyChange,
} from '../appointments/index.js';
import { recordAudit } from '../audit/index.js';
import { announceChange } from '../../live/index.js';
import { findCompany } from '../companies/index.js';
import type { DeskPaymentMethod } from './domain/methods.js';
import { voidRefusal } from './domain/methods.js';
import { toPaymentDto, type PaymentDto } from './payment-dto.js';
import * as repo from './payments.repository.js';

export interface DeskPayment {
  method: DeskPaymentMethod;
  amount: number;
}

export interface RecordedPayment {
  payment: PaymentDto;
  /** true when an Idempotency-Key repeated an earlier request: nothing was written */
  replayed: boolean;
}

/** What an Idempotency-Key is bound to: the appointment and the body, so a reused key cannot move money elsewhere. */
export function requestHash(appointmentId: string, input: DeskPayment): string {
  return sha256Hex(JSON.stringify([appointmentId, input.method, input.amount]));
}

const isIdempotencyKeyConflict = (error: unknown) => violatedUniqueConstraint(error) === 'payments_idempotency_key';

const paymentNotFound = (id: string) => new DomainError('not_found', 'payment not found', { field: 'paymentId', id });

/**
 * Money taken at the desk (R15) and its correction by voiding. Both hold the appointment's row
 * lock, so concurrent payments queue and each one checks the amount due its predecessor left.
 */
export class DeskPaymentsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async record(
    companyId: string,
    actorId: string,
    appointmentId: string,
    input: DeskPayment,
    idempotencyKey?: string,
  ): Promise<RecordedPayment> {
    const hash = idempotencyKey === undefined ? null : requestHash(appointmentId, input);
    try {
      return await this.db.transaction().execute(async (tx) => {
        const now = this.clock.now();
        const appointment = await lockAppointment(tx, companyId, appointmentId);
        if (idempotencyKey !== undefined) {
          // Checked under the lock: a retry racing its original waits and then finds it.
          const first = await repo.findPaymentByIdempotencyKey(tx, companyId, idempotencyKey);
          if (first) return this.replay(tx, first, hash);
        }
        assertUnlocked(appointment, now);
        assertNotCancelled(appointment);
        const before = await amountsOf(tx, appointmentId);
        if (before.due <= 0)
          throw new DomainError('nothing_due', 'nothing is due on this appointment', { due: before.due });
        if (input.amount > before.due) {
          throw new DomainError('amount_exceeds_due', `amount ${input.amount} is more than the ${before.due} due`, {
            field: 'amount',
            amount: input.amount,
            due: before.due,
          });
        }
        const company = await findCompany(tx, companyId);
        if (!company) throw new DomainError('not_found', 'company not found', { id: companyId });
        const id = newId('payment');
        await repo.insertPayment(tx, {
          id,
          company_id: companyId,
          appointment_id: appointmentId,
          method: input.method,
          amount: input.amount,
          currency: company.currency,
          paid_at: now,
          actor_type: 'user',
          actor_id: actorId,
          refund_of: null,
          idempotency_key: idempotencyKey ?? null,
          request_hash: hash,
          voided_at: null,
          voided_by: null,
        });
        await recordAudit(tx, {
          companyId,
          at: now,
          actor: { type: 'user', id: actorId },
          action: 'payment.recorded',
          entityType: 'payment',
          entityId: id,
          appointmentId,
          amountBefore: before.due,
          amountAfter: before.due - input.amount,
          details: { method: input.method, amount: input.amount },
        });
        await announceChange(tx, { companyId, appointmentId, reason: 'payment.recorded' });
        return { payment: await this.view(tx, companyId, id), replayed: false };
      });
    } catch (error) {
      // The same key on another appointment is not serialised by that appointment's lock; the unique index referees.
      if (idempotencyKey !== undefined && isIdempotencyKeyConflict(error)) {
        const first = await repo.findPaymentByIdempotencyKey(this.db, companyId, idempotencyKey);
        if (first) return this.replay(this.db, first, hash);
      }
      throw error;
    }
  }

  /** Voids a mistaken desk payment: it stays in the ledger, marked, and stops counting. */
  async void(companyId: string, actorId: string, appointmentId: string, paymentId: string): Promise<PaymentDto> {
    return this.db.transaction().execute(async (tx) => {
      const now = this.clock.now();
      await lockForMoneyChange(tx, companyId, appointmentId, now);
      const payment = await repo.findPayment(tx, companyId, appointmentId, paymentId);
      if (!payment) throw paymentNotFound(paymentId);
      const refusal = voidRefusal(payment);
      if (refusal) throw new DomainError(refusal.code, refusal.reason, { paymentId });
      const before = await amountsOf(tx, appointmentId);
      await repo.markPaymentVoided(tx, paymentId, now, actorId);
      await recordAudit(tx, {
        companyId,
        at: now,
        actor: { type: 'user', id: actorId },
        action: 'payment.voided',
        entityType: 'payment',
        entityId: paymentId,
        appointmentId,
        amountBefore: before.due,
        amountAfter: before.due + payment.amount,
        details: { method: payment.method, amount: payment.amount },
      });
      await announceChange(tx, { companyId, appointmentId, reason: 'payment.voided' });
      return this.view(tx, companyId, paymentId);
    });
  }

  private async replay(db: Executor, first: PaymentRow, hash: string | null): Promise<RecordedPayment> {
    if (first.request_hash !== hash) {
      throw new DomainError('idempotency_key_reused', 'this Idempotency-Key was already used for a different request', {
        paymentId: first.id,
      });
    }
    return { payment: await this.view(db, first.company_id, first.id), replayed: true };
  }

  private async view(db: Executor, companyId: string, id: string): Promise<PaymentDto> {
    const row = await repo.findPaymentView(db, companyId, id);
    if (!row) throw paymentNotFound(id);
    return toPaymentDto(row);
  }
}
