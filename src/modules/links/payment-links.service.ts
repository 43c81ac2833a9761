import type { Db, Executor } from '../../db/database.js';
import type { Actor } from '../../shared/actor.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { SecretBox } from '../../shared/encryption.js';
import { DomainError, notFound } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import type { Origins } from '../../shared/origins.js';
import { amountsWithItems, lockAppointment } from '../appointments/index.js';
import { recordAudit } from '../audit/index.js';
import type { CashlessSettingsService } from '../cashless/index.js';
import { findCompany } from '../companies/index.js';
import type { CheckoutGateway } from '../checkout/index.js';
import { hashLinkToken, newLinkToken } from './domain/link-token.js';
import { assertSingleTaxSystem } from './domain/tax-systems.js';
import { toLinkDto, type LinkDto } from './link-dto.js';
import { announceChange, notifyingUnitOfWork } from '../../live/index.js';
import * as links from './links.repository.js';
import { attemptsOfAppointment, openAttemptsOfLink } from '../checkout/index.js';
import type { LinkRow } from './links.repository.js';
import type { AttemptRow } from '../checkout/index.js';
import { lockAppointmentRow } from '../checkout/index.js';
import type { SettlementService } from '../checkout/index.js';

/**
 * Staff's side of links (R2–R6, R12, R13): copy (create or return the active link), disable,
 * cancel the attempt in progress. Tokens are kept as a hash plus a sealed copy (R6).
 */
export class PaymentLinksService {
  constructor(
    private readonly deps: {
      db: Db;
      clock: Clock;
      log: Logger;
      cashless: CashlessSettingsService;
      settlement: SettlementService;
      gateway: CheckoutGateway;
      secrets: SecretBox;
      origins: Origins;
    },
  ) {}

  urlOf(link: LinkRow): { url: string; token: string } {
    const token = this.deps.secrets.open(link.token_sealed);
    return { url: `${this.deps.origins.public}/pay/${token}`, token };
  }

  /** "Copy payment link": the active link, created if needed, so copying twice gives one URL (R5). */
  async copy(
    companyId: string,
    actor: Actor,
    appointmentId: string,
    input: { amount?: number | undefined },
  ): Promise<LinkDto> {
    await this.deps.cashless.assertAvailable(companyId);
    // A concurrent copy may create the active link between our read and our insert: the partial
    // unique index turns our insert into a no-op, and the next round returns the winner's link.
    for (let round = 0; round < 3; round++) {
      const linkId = await this.deps.db
        .transaction()
        .execute((tx) => this.copyInTransaction(tx, companyId, actor, appointmentId, input));
      if (linkId) return (await this.current(companyId, appointmentId, linkId))!;
    }
    throw new DomainError('conflict', 'the payment link changed while it was being copied; try again');
  }

  /** Answers the link's id, or undefined when another copy created the active link first. */
  private async copyInTransaction(
    tx: Executor,
    companyId: string,
    actor: Actor,
    appointmentId: string,
    input: { amount?: number | undefined },
  ): Promise<string | undefined> {
    const now = this.deps.clock.now();
    // Locks in the order every payment path takes them: link, then appointment.
    const existing = await this.lockedActiveLink(tx, companyId, appointmentId);
    const appointment = await lockAppointment(tx, companyId, appointmentId);
    // R3: a cancelled appointment is not paid by link, so its link is not handed out again either.
    if (appointment.status === 'cancelled')
      throw new DomainError('appointment_cancelled', 'a cancelled appointment cannot be paid by link');
    if (existing && (input.amount === undefined || input.amount === existing.amount)) {
      await recordAudit(tx, {
        companyId,
        at: now,
        actor,
        action: 'link.copied',
        entityType: 'link',
        entityId: existing.id,
        appointmentId,
      });
      return existing.id;
    }
    // R3: a new link, or a new amount, only while something is due.
    const { amounts, items } = await amountsWithItems(tx, appointmentId);
    if (amounts.due <= 0)
      throw new DomainError('nothing_due', 'nothing is due on this appointment', { due: amounts.due });
    if (input.amount !== undefined && input.amount > amounts.due) {
      throw new DomainError('amount_exceeds_due', 'the link amount is more than is due', {
        field: 'amount',
        due: amounts.due,
      });
    }
    assertSingleTaxSystem(items.map((i) => ({ id: i.id, title: i.title, taxSystem: i.tax_system })));
    if (existing) {
      // A new fixed amount on the active link, allowed only while no client is paying it.
      if ((await openAttemptsOfLink(tx, existing.id)).length > 0) {
        throw new DomainError('conflict', 'the client is paying this link right now; cancel the online payment first', {
          field: 'amount',
        });
      }
      await links.updateLink(tx, existing.id, { amount: input.amount ?? null });
      await recordAudit(tx, {
        companyId,
        at: now,
        actor,
        action: 'link.amount_changed',
        entityType: 'link',
        entityId: existing.id,
        appointmentId,
        details: { before: existing.amount, after: input.amount ?? null },
      });
      await announceChange(tx, { companyId, appointmentId, reason: 'link.changed' });
      return existing.id;
    }
    const token = newLinkToken();
    const id = newId('link');
    const inserted = await links.insertLink(tx, {
      id,
      company_id: companyId,
      appointment_id: appointmentId,
      token_hash: hashLinkToken(token),
      token_sealed: this.deps.secrets.seal(token),
      status: 'active',
      amount: input.amount ?? null,
      created_by: actor.id ?? null,
      created_at: now,
    });
    if (!inserted) return undefined;
    await recordAudit(tx, {
      companyId,
      at: now,
      actor,
      action: 'link.created',
      entityType: 'link',
      entityId: id,
      appointmentId,
      amountBefore: amounts.due,
      amountAfter: amounts.due,
      details: { amount: input.amount ?? null },
    });
    await announceChange(tx, { companyId, appointmentId, reason: 'link.created' });
    return id;
  }

  /** The appointment's link as staff see it, with its attempts (R29); null when it never had one. */
  async current(companyId: string, appointmentId: string, linkId?: string): Promise<LinkDto | null> {
    const { db } = this.deps;
    const link = linkId ? await links.findLink(db, linkId) : await links.findCurrentLink(db, companyId, appointmentId);
    if (!link) return null;
    const company = (await findCompany(db, companyId))!;
    const attempts = await attemptsOfAppointment(db, appointmentId);
    const collected = await links.collectedByLink(db, link.id);
    return toLinkDto(link, { ...this.urlOf(link), collected, currency: company.currency, attempts });
  }

  async currentOrThrow(companyId: string, appointmentId: string): Promise<LinkDto> {
    await this.assertAppointment(companyId, appointmentId);
    const link = await this.current(companyId, appointmentId);
    if (!link) throw notFound('payment link');
    return link;
  }

  /** The active link, for actions that only make sense on it (QR, send). */
  async activeUrl(companyId: string, appointmentId: string): Promise<string> {
    await this.deps.cashless.assertAvailable(companyId);
    const status = await this.appointmentStatus(companyId, appointmentId);
    if (!status) throw notFound('appointment', appointmentId);
    if (status === 'cancelled')
      throw new DomainError('appointment_cancelled', 'a cancelled appointment cannot be paid by link');
    const link = await links.findActiveLink(this.deps.db, companyId, appointmentId);
    if (!link) throw notFound('active payment link');
    return this.urlOf(link).url;
  }

  /** Disables the active link; any checkout in progress is expired at the provider. */
  async disable(companyId: string, actor: Actor, appointmentId: string): Promise<LinkDto> {
    return this.endOpenAttempts(companyId, actor, appointmentId, 'link disabled', async (tx, active, now) => {
      await links.updateLink(tx, active.id, { status: 'disabled', disabled_at: now });
      await recordAudit(tx, {
        companyId,
        at: now,
        actor,
        action: 'link.disabled',
        entityType: 'link',
        entityId: active.id,
        appointmentId,
      });
      await announceChange(tx, { companyId, appointmentId, reason: 'link.disabled' });
    });
  }

  /** R13: staff cancel the online payment in progress, which expires it at the provider and unlocks. */
  async cancelAttempt(companyId: string, actor: Actor, appointmentId: string): Promise<LinkDto> {
    return this.endOpenAttempts(
      companyId,
      actor,
      appointmentId,
      'canceled by staff',
      async (_tx, _active, _now, attempts) => {
        if (attempts.length === 0)
          throw new DomainError('conflict', 'no online payment is in progress on this appointment');
      },
    );
  }

  /**
   * Locks the active link and the appointment, cancels the link's open attempts, runs `then`
   * (which may refuse, undoing it all), commits, then expires the attempts at the provider.
   */
  private async endOpenAttempts(
    companyId: string,
    actor: Actor,
    appointmentId: string,
    reason: string,
    then: (tx: Executor, active: LinkRow, now: Date, attempts: AttemptRow[]) => Promise<void>,
  ): Promise<LinkDto> {
    const { db, clock } = this.deps;
    await this.assertAppointment(companyId, appointmentId);
    const open = await db.transaction().execute(async (tx) => {
      const active = await this.lockedActiveLink(tx, companyId, appointmentId);
      if (!active) throw notFound('active payment link');
      await lockAppointmentRow(tx, appointmentId);
      const now = clock.now();
      const attempts = await openAttemptsOfLink(tx, active.id);
      for (const attempt of attempts)
        await this.deps.settlement.recordEnd(notifyingUnitOfWork(tx), attempt, 'canceled', null, actor, now, reason);
      await then(tx, active, now, attempts);
      return attempts;
    });
    await this.expireAll(open);
    return (await this.current(companyId, appointmentId))!;
  }

  /** The active link, locked, or undefined; it may have been paid or disabled while we waited for its lock. */
  private async lockedActiveLink(tx: Executor, companyId: string, appointmentId: string): Promise<LinkRow | undefined> {
    const found = await links.findActiveLink(tx, companyId, appointmentId);
    const locked = found ? await links.lockLink(tx, found.id) : undefined;
    return locked?.status === 'active' ? locked : undefined;
  }

  private async expireAll(attempts: AttemptRow[]): Promise<void> {
    for (const attempt of attempts) {
      try {
        await this.deps.gateway.expire(attempt);
      } catch (error) {
        // Unreachable provider: the checkout dies at its own expiry; money that still arrives is credited, then refunded if too much.
        this.deps.log.warn(
          { err: error, attemptId: attempt.id, linkId: attempt.link_id },
          'expiring the checkout failed; it ends at its own expiry',
        );
      }
    }
  }

  async appointmentExists(companyId: string, appointmentId: string): Promise<boolean> {
    return (await this.appointmentStatus(companyId, appointmentId)) !== undefined;
  }

  /** The status of a saved (not deleted) appointment of the company, or undefined. */
  private async appointmentStatus(companyId: string, appointmentId: string): Promise<string | undefined> {
    const row = await this.deps.db
      .selectFrom('appointments')
      .select('status')
      .where('company_id', '=', companyId)
      .where('id', '=', appointmentId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return row?.status;
  }

  private async assertAppointment(companyId: string, appointmentId: string): Promise<void> {
    if (!(await this.appointmentExists(companyId, appointmentId))) throw notFound('appointment', appointmentId);
  }
}
