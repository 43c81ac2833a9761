import { type Db, violatedUniqueConstraint } from '../../db/database.js';
import { announceChange } from '../../live/index.js';
import type { Clock } from '../../shared/clock.js';
import { DomainError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { sha256Hex } from '../../shared/secrets.js';
import { lockAppointment } from '../appointments/index.js';
import { recordAudit } from '../audit/index.js';
import type { CashlessSettingsService } from '../cashless/index.js';
import { staffRefundRefusal } from './domain/staff-refund.js';
import { type RefundDto, toRefundDto } from './refund-dto.js';
import * as repo from './refunds.repository.js';
import type { RefundsService } from './refunds.service.js';

export interface StaffRefund {
  amount: number;
  reason: string;
}

export interface RequestedRefund {
  refund: RefundDto;
  /** true when an Idempotency-Key repeated an earlier request: nothing new was written */
  replayed: boolean;
}

/** What an Idempotency-Key is bound to: the payment and the body, so a reused key cannot refund something else. */
export function refundRequestHash(appointmentId: string, paymentId: string, input: StaffRefund): string {
  return sha256Hex(JSON.stringify(['refund', appointmentId, paymentId, input.amount, input.reason]));
}

const paymentNotFound = (id: string) => new DomainError('not_found', 'payment not found', { field: 'paymentId', id });

/**
 * R31: staff refund an online payment, fully or in part, through the provider that took it. The
 * request is written in one transaction under the appointment's and the payment's row locks, so
 * concurrent refunds of one payment queue and each sees what the one before left; the provider is
 * asked after the commit (never inside a transaction), once right away and then by the refund job,
 * always with the request's id as idempotency key, so it refunds once however often it is asked.
 */
export class StaffRefundsService {
  constructor(
    private readonly deps: { db: Db; clock: Clock; cashless: CashlessSettingsService; refunds: RefundsService },
  ) {}

  async request(
    companyId: string,
    actorId: string,
    appointmentId: string,
    paymentId: string,
    input: StaffRefund,
    idempotencyKey?: string,
  ): Promise<RequestedRefund> {
    const hash = idempotencyKey === undefined ? null : refundRequestHash(appointmentId, paymentId, input);
    let written: { id: string; replayed: boolean };
    try {
      written = await this.write(companyId, actorId, appointmentId, paymentId, input, idempotencyKey, hash);
    } catch (error) {
      // The same key on another appointment is not serialised by this appointment's lock; the unique index referees.
      if (idempotencyKey === undefined || violatedUniqueConstraint(error) !== 'refund_requests_idempotency_key')
        throw error;
      const first = await repo.findRefundRequestByIdempotencyKey(this.deps.db, companyId, idempotencyKey);
      if (!first) throw error;
      written = { id: replayOf(first, hash), replayed: true };
    }
    // One try now; if the provider does not answer in time the job asks again with the same key.
    await this.deps.refunds.tryNow(written.id);
    return { refund: await this.view(written.id), replayed: written.replayed };
  }

  private async write(
    companyId: string,
    actorId: string,
    appointmentId: string,
    paymentId: string,
    input: StaffRefund,
    idempotencyKey: string | undefined,
    hash: string | null,
  ): Promise<{ id: string; replayed: boolean }> {
    return this.deps.db.transaction().execute(async (tx) => {
      const now = this.deps.clock.now();
      // The appointment first, as settlement and Pay lock it, then the payment: refunds of it queue here.
      await lockAppointment(tx, companyId, appointmentId);
      if (idempotencyKey !== undefined) {
        const first = await repo.findRefundRequestByIdempotencyKey(tx, companyId, idempotencyKey);
        if (first) return { id: replayOf(first, hash), replayed: true };
      }
      const payment = await repo.lockPaymentToRefund(tx, companyId, appointmentId, paymentId);
      if (!payment) throw paymentNotFound(paymentId);
      const held = await repo.refundedOfPayment(tx, paymentId);
      const openAttempts = (await repo.openAttemptsOfAppointment(tx, appointmentId)).length;
      const refusal = staffRefundRefusal({ payment, held, openAttempts, amount: input.amount });
      if (refusal) throw new DomainError(refusal.code, refusal.message, { paymentId, ...refusal.details });
      await this.assertProviderConnected(companyId, payment.provider);

      const id = newId('refund');
      await repo.insertRefundRequest(tx, {
        id,
        company_id: companyId,
        appointment_id: appointmentId,
        payment_id: paymentId,
        amount: input.amount,
        reason: input.reason,
        status: 'requested',
        created_at: now,
        updated_at: now,
        check_at: now,
        origin: 'staff',
        actor_type: 'user',
        actor_id: actorId,
        idempotency_key: idempotencyKey ?? null,
        request_hash: hash,
      });
      // refund.requested also makes the outgoing refund.created webhook (migration 0010's trigger)
      await recordAudit(tx, {
        companyId,
        at: now,
        actor: { type: 'user', id: actorId },
        action: 'refund.requested',
        entityType: 'refund',
        entityId: id,
        appointmentId,
        details: {
          amount: input.amount,
          paymentId,
          reason: input.reason,
          origin: 'staff',
          paymentAmount: payment.amount,
          refundableBefore: payment.amount - held,
          refundableAfter: payment.amount - held - input.amount,
        },
      });
      await announceChange(tx, { companyId, appointmentId, reason: 'refund.requested' });
      return { id, replayed: false };
    });
  }

  /** Through the provider that took the payment: refused at once when another one (or none) is connected now. */
  private async assertProviderConnected(companyId: string, provider: string | null): Promise<void> {
    const settings = await this.deps.cashless.view(companyId);
    if (settings.connected && settings.provider === provider) return;
    throw new DomainError(
      'provider_not_connected',
      `this payment was taken through ${provider ?? 'an unknown provider'}, which is not connected now`,
      { provider },
    );
  }

  private async view(id: string): Promise<RefundDto> {
    const row = await repo.findRefundView(this.deps.db, id);
    if (!row) throw new DomainError('not_found', 'refund not found', { id });
    return toRefundDto(row, row.currency);
  }
}

function replayOf(first: { id: string; request_hash: string | null }, hash: string | null): string {
  if (first.request_hash !== hash) {
    throw new DomainError('idempotency_key_reused', 'this Idempotency-Key was already used for a different request', {
      refundId: first.id,
    });
  }
  return first.id;
}
