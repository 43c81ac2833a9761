import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import { clientActor, systemActor } from '../../shared/actor.js';
import type { Clock } from '../../shared/clock.js';
import { DomainError, notFound } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { amountsFromTotals, itemTotal } from '../appointments/domain/amounts.js';
import { sum } from '../../shared/money.js';
import type { CashlessSettingsService } from '../cashless/index.js';
import type { CheckoutGateway, CreateHints } from './checkout-gateway.js';
import { linkAvailability, type Unavailable } from './domain/link-availability.js';
import { hashLinkToken, isWellFormedToken } from '../links/domain/link-token.js';
import { assertSingleTaxSystem } from '../links/domain/tax-systems.js';
import type { LiveAnnouncer, UnitOfWork } from '../../live/index.js';
import * as attemptsRepo from './attempts.repository.js';
import type { AttemptRow } from './attempts.repository.js';
import { lockLinkForPay, readPayContext, startAttempt } from './pay.repository.js';
import { needsContact, parseConfirmationEmail, parseContact } from '../links/domain/contact.js';
import { keepConfirmationEmail } from '../confirmations/index.js';
import { receiptForAttempt } from '../receipts/index.js';
import { setLock } from './settlement.repository.js';
import { expectedCapture } from '../../providers/captured-amount.js';
import { readTipSettings, resolveTip, tipsOffered, type TipChoice } from '../tips/index.js';
import type { SettlementService } from './settlement.service.js';

export type { Unavailable };

/** What the client sent with Pay: a contact for the receipt (R26), a tip (R40). */
export interface PayInput {
  contact?: string | undefined;
  tip?: TipChoice | undefined;
  /** R41: where the payment confirmation goes when the client has no email of their own */
  email?: string | undefined;
}

export type PayResult =
  | { kind: 'redirect'; url: string; attemptId: string; reused: boolean }
  | { kind: 'paid' }
  | { kind: 'unavailable'; reason: Unavailable };

/** A `creating` attempt younger than this is someone else's Pay still talking to the provider. */
const IN_FLIGHT_MS = 10_000;
/** A pending checkout is reused only when the client still has time to pay it. */
const REUSE_MARGIN_MS = 60_000;

/** A press under way and the presses of the same link waiting for its answer. */
interface Flight {
  waiting: { resolve: (result: PayResult) => void; reject: (error: unknown) => void }[];
}

/** Answered together, a crowd of presses would write its responses in one go and stall every other request that long. */
const RELEASE_CHUNK = 16;

/** Hands the answer to the waiting presses a few at a time, letting other requests' I/O run in between. */
function release(flight: Flight, settle: (waiter: Flight['waiting'][number]) => void): void {
  const waiters = flight.waiting.splice(0);
  const next = (from: number) => {
    for (const waiter of waiters.slice(from, from + RELEASE_CHUNK)) settle(waiter);
    if (from + RELEASE_CHUNK < waiters.length) setImmediate(() => next(from + RELEASE_CHUNK));
  };
  next(0);
}

type Decision =
  | { kind: 'done'; result: PayResult }
  | { kind: 'create'; attempt: AttemptRow; superseded: AttemptRow[]; known: CreateHints }
  | { kind: 'wait'; attemptId: string }
  /** another Pay of this link holds its row right now */
  | { kind: 'busy' };

/** How long a press keeps trying while other presses of the same link go first. */
const BUSY_PATIENCE_MS = 15_000;

/**
 * A link pressed again this soon after its last answer waits out the rest, and the presses that
 * gathered meanwhile share one answer. A person's press never waits (nobody presses twice within
 * a quarter of a second and minds); a flood on one link — a script, a stuck button, a crowd on a
 * shared link — is served a few times a second instead of as fast as it comes, so it cannot take
 * the server's time from everybody else's payments.
 */
const REPRESS_PAUSE_MS = 250;

/** The pauses above pace real presses, not business time: a test's stopped clock must not stop them. */
const elapsed = () => performance.now();

/**
 * The client's Pay (R9–R11, R13, R26): decide in one short transaction (link and appointment
 * locked, amount computed now, reuse or a new `creating` attempt, the lock taken), commit, then
 * talk to the provider. 200 presses at once end at one checkout: in one process they share the
 * first press's answer, across processes they take turns at the link's row lock.
 */
export class PayService {
  constructor(
    private readonly deps: {
      db: Db;
      clock: Clock;
      config: Config;
      cashless: CashlessSettingsService;
      settlement: SettlementService;
      gateway: CheckoutGateway;
      announcer: LiveAnnouncer;
    },
  ) {}

  /** Presses of one link in flight in this process, by token hash: a crowd waits for the first one's answer. */
  private readonly inFlight = new Map<string, Flight>();

  /**
   * A press of Pay. Presses of the same link that arrive while one is in flight in this process
   * share its answer (the same checkout, R9) instead of queueing on the link's row; presses in
   * other processes meet at that row lock.
   */
  async pay(token: string, input: PayInput): Promise<PayResult> {
    if (!isWellFormedToken(token)) throw notFound('link');
    const tokenHash = hashLinkToken(token);
    const key = tokenHash.toString('base64');
    const running = this.inFlight.get(key);
    if (running) return new Promise<PayResult>((resolve, reject) => running.waiting.push({ resolve, reject }));
    const pause = (this.answeredAt.get(key) ?? -Infinity) + REPRESS_PAUSE_MS - elapsed();
    const flight: Flight = { waiting: [] };
    this.inFlight.set(key, flight);
    try {
      if (pause > 0) await new Promise((r) => setTimeout(r, pause));
      const result = await this.press(tokenHash, input);
      release(flight, (w) => w.resolve(result));
      return result;
    } catch (error) {
      release(flight, (w) => w.reject(error));
      throw error;
    } finally {
      this.inFlight.delete(key);
      this.rememberAnswer(key);
    }
  }

  /** When each link was last answered, for REPRESS_PAUSE_MS; forgotten after it. */
  private readonly answeredAt = new Map<string, number>();

  private rememberAnswer(key: string): void {
    const at = elapsed();
    this.answeredAt.set(key, at);
    setTimeout(() => {
      if (this.answeredAt.get(key) === at) this.answeredAt.delete(key);
    }, REPRESS_PAUSE_MS).unref();
  }

  private async press(tokenHash: Buffer, input: PayInput): Promise<PayResult> {
    const patience = elapsed() + BUSY_PATIENCE_MS;
    for (let round = 0; round < 3; ) {
      const decision = await this.decide(tokenHash, input);
      if (decision.kind === 'busy') {
        // Wait without holding a connection, so a crowd of presses never starves the one creating the checkout.
        if (elapsed() > patience) break;
        await new Promise((r) => setTimeout(r, 10 + Math.random() * 30));
        continue;
      }
      round++;
      if (decision.kind === 'done') return decision.result;
      if (decision.kind === 'create') {
        if (await this.expireSuperseded(decision.superseded)) {
          // The client paid an earlier checkout after all (its notification still on the way): the amount is stale.
          await this.deps.settlement.endAttempt(
            decision.attempt,
            'canceled',
            systemActor,
            'an earlier checkout of this link turned out paid',
          );
          continue;
        }
        const attempt = await this.deps.gateway.create(decision.attempt, decision.known);
        if (attempt.status === 'pending' && attempt.redirect_url)
          return { kind: 'redirect', url: attempt.redirect_url, attemptId: attempt.id, reused: false };
        if (attempt.status === 'succeeded') return { kind: 'paid' };
        continue;
      }
      const settled = await this.waitForCheckout(decision.attemptId);
      if (settled?.status === 'pending' && settled.redirect_url)
        return { kind: 'redirect', url: settled.redirect_url, attemptId: settled.id, reused: true };
    }
    throw new DomainError('provider_error', 'the payment provider is not answering; please try again in a moment');
  }

  /**
   * One transaction of five round trips on a fresh link: BEGIN, lock the link and appointment,
   * read what the decision needs, write the attempt with the lock and its audit entry, COMMIT.
   */
  private async decide(tokenHash: Buffer, input: PayInput): Promise<Decision> {
    return this.deps.announcer.transaction((uow) => this.decideIn(uow, tokenHash, input));
  }

  private async decideIn(uow: UnitOfWork, tokenHash: Buffer, input: PayInput): Promise<Decision> {
    const contactInput = input.contact;
    // R41: checked before anything is written; kept on whichever attempt this press goes on with
    const confirmationEmail = parseConfirmationEmail(input.email);
    const { tx } = uow;
    const { clock, config } = this.deps;
    const locked = await lockLinkForPay(tx, tokenHash);
    if (locked === 'busy') return { kind: 'busy' };
    if (!locked) throw notFound('link');
    const { link, appointment } = locked;
    const context = await readPayContext(tx, locked);
    const connected = this.deps.cashless.connectedFrom(context.settings);
    const now = clock.now();
    const { items } = context;
    const amounts = amountsFromTotals(
      sum(items.map((i) => itemTotal({ unitPrice: i.unit_price, quantity: i.quantity }))),
      context.paid,
    );
    const availability = linkAvailability({
      link: { status: link.status, amount: link.amount, collected: context.collected },
      appointment: { cancelled: appointment.status === 'cancelled', deleted: appointment.deleted, due: amounts.due },
      payByLink: connected?.payByLinkEnabled === true,
    });
    if (availability.kind !== 'payable') {
      // R12: a link left with nothing to charge (paid at the desk, say) turns paid when Pay meets it
      if (link.status === 'active' && (availability.kind === 'paid' || availability.reason === 'nothing_due'))
        await this.deps.settlement.settleLink(uow, link.id, amounts.due, now);
      return { kind: 'done', result: availability };
    }
    if (!connected) throw new Error('a payable link has a connected provider');
    const due = availability.amount;
    assertSingleTaxSystem(items.map((i) => ({ id: i.id, title: i.title, taxSystem: i.tax_system })));
    const chosen = await this.tipOf(tx, link.company_id, input.tip, {
      due,
      currency: context.company.currency,
      fiscalization: connected.fiscalization.enabled,
    });
    // R40, R34: what the provider cannot express (Stripe rounds 3-decimal currencies down to tens)
    // comes off the tip, never off the visit: the tip is lowered so the total is what it captures
    const shortfall = chosen
      ? due + chosen - expectedCapture(connected.provider.name, due + chosen, context.company.currency)
      : 0;
    const tip = chosen === undefined ? undefined : Math.max(0, chosen - shortfall);
    // R40: the provider charges what is due now and the tip; the tip stays beside the payment
    const charge = due + (tip ?? 0);
    // a press with no tip choice (Continue payment) goes on with the open checkout, whatever its tip
    const sameCharge = (a: AttemptRow) =>
      tip === undefined ? a.amount - a.tip === due : a.amount === charge && a.tip === tip;

    const open = context.hasOpenAttempt ? await attemptsRepo.openAttemptsOfLink(tx, link.id) : [];
    const lockUntil = (expiresAt: Date) =>
      new Date(Math.min(now.getTime() + config.PAYLINK_LOCK_SECONDS * 1000, expiresAt.getTime()));
    const reusable = open.find(
      (a) =>
        a.status === 'pending' &&
        sameCharge(a) &&
        a.redirect_url &&
        a.expires_at.getTime() - now.getTime() > REUSE_MARGIN_MS,
    );
    if (reusable) {
      if (confirmationEmail) await keepConfirmationEmail(tx, reusable.id, confirmationEmail);
      await setLock(tx, appointment.id, lockUntil(reusable.expires_at));
      await uow.afterCommit({
        companyId: link.company_id,
        appointmentId: appointment.id,
        reason: 'attempt.reused',
      });
      return {
        kind: 'done',
        result: { kind: 'redirect', url: reusable.redirect_url!, attemptId: reusable.id, reused: true },
      };
    }
    const known: CreateHints = {
      connected,
      tokenSealed: link.token_sealed,
      company: context.company,
      visitStartsAt: appointment.startsAt,
      items,
    };
    const inFlight = open.find(
      (a) => a.status === 'creating' && sameCharge(a) && a.expires_at.getTime() - now.getTime() > REUSE_MARGIN_MS,
    );
    if (inFlight) {
      if (confirmationEmail) await keepConfirmationEmail(tx, inFlight.id, confirmationEmail);
      // Someone pressed Pay a moment ago; a stale one (its process died) is finished by this press.
      // One whose last call failed (its failure is noted) is retried at once, not waited for.
      if (now.getTime() - inFlight.updated_at.getTime() < IN_FLIGHT_MS && !inFlight.failure)
        return { kind: 'wait', attemptId: inFlight.id };
      await attemptsRepo.updateAttempt(tx, inFlight.id, { updated_at: now, failure: null }, ['creating']);
      return { kind: 'create', attempt: inFlight, superseded: [], known };
    }

    const { fiscalization } = connected;
    const contact = needsContact({
      fiscalization: fiscalization.enabled,
      email: context.client.email,
      phone: context.client.phone,
    })
      ? parseContact(contactInput)
      : undefined;
    const receipt = receiptForAttempt({
      fiscalization,
      items,
      amount: charge,
      alreadyPaid: amounts.paid,
      visitStartsAt: appointment.startsAt,
      now,
      client: context.client,
      contact,
    });
    const superseded: AttemptRow[] = [];
    for (const old of open) {
      await this.deps.settlement.recordEnd(uow, old, 'canceled', null, systemActor, now, 'superseded by a new attempt');
      superseded.push(old);
    }
    const expiresAt = new Date(now.getTime() + config.PAYLINK_ATTEMPT_TTL_SECONDS * 1000);
    const attempt: AttemptRow = {
      id: newId('attempt'),
      company_id: link.company_id,
      appointment_id: appointment.id,
      link_id: link.id,
      provider: connected.provider.name,
      amount: charge,
      currency: context.company.currency,
      status: 'creating',
      provider_status: null,
      provider_checkout_id: null,
      provider_payment_id: null,
      redirect_url: null,
      contact: contact ?? null,
      receipt: receipt ?? null,
      failure: null,
      expires_at: expiresAt,
      created_at: now,
      updated_at: now,
      ended_at: null,
      // R20: if the provider's answer is lost, the job looks again within minutes
      check_at: new Date(now.getTime() + config.PAYLINK_RECONCILE_AFTER_SECONDS * 1000),
      checks: 0,
      final_check_at: null,
      provider_amount: null,
      provider_currency: null,
      tip: tip ?? 0,
      confirmation_email: confirmationEmail,
    };
    await startAttempt(tx, attempt, lockUntil(expiresAt), {
      companyId: link.company_id,
      at: now,
      actor: clientActor,
      action: 'attempt.created',
      entityType: 'attempt',
      entityId: attempt.id,
      appointmentId: appointment.id,
      amountBefore: amounts.due,
      amountAfter: amounts.due,
      details: {
        amount: charge,
        ...(tip ? { tip } : {}),
        provider: attempt.provider,
        linkId: link.id,
        expiresAt: expiresAt.toISOString(),
      },
    });
    await uow.afterCommit({ companyId: link.company_id, appointmentId: appointment.id, reason: 'attempt.created' });
    return { kind: 'create', attempt, superseded, known };
  }

  /**
   * R40: the tip of this press, in minor units, from the company's presets or the custom field;
   * undefined when the press made no choice. A refused tip throws before anything is written.
   * Tips not offered (switched off, or fiscalization on) are no tip at all.
   */
  private async tipOf(
    tx: UnitOfWork['tx'],
    companyId: string,
    choice: TipChoice | undefined,
    input: { due: number; currency: string; fiscalization: boolean },
  ): Promise<number | undefined> {
    if (!choice) return undefined;
    const settings = await readTipSettings(tx, companyId);
    if (!tipsOffered(settings, input.fiscalization)) return 0;
    const result = resolveTip(choice, { amount: input.due, currency: input.currency, presets: settings.presets });
    if (!result.ok)
      throw new DomainError('validation_failed', `the tip is not valid (${result.refusal})`, {
        field: 'tip',
        reason: result.refusal,
        cap: input.due,
      });
    return result.tip;
  }

  /** Another press is creating the checkout: wait for its answer rather than make a second one. */
  private async waitForCheckout(attemptId: string): Promise<AttemptRow | undefined> {
    const deadline = elapsed() + IN_FLIGHT_MS;
    while (elapsed() < deadline) {
      const attempt = await attemptsRepo.findAttempt(this.deps.db, attemptId);
      if (attempt?.status !== 'creating') return attempt;
      await new Promise((r) => setTimeout(r, 50));
    }
    return undefined;
  }

  /** R10: older checkouts are expired at the provider; answers whether one of them turned out paid (and was credited). */
  private async expireSuperseded(attempts: AttemptRow[]): Promise<boolean> {
    let paid = false;
    for (const old of attempts) {
      // An unreachable provider leaves it payable until its own expiry; a late success is credited and any excess refunded (R18).
      const state = await this.deps.gateway.expireQuietly(old);
      if (state?.status === 'succeeded') paid = true;
    }
    return paid;
  }
}
