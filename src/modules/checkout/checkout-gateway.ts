import type { Db } from '../../db/database.js';
import {
  ProviderRejectedError,
  ProviderUnavailableError,
  type CheckoutState,
  type Receipt,
} from '../../providers/port.js';
import type { Actor } from '../../shared/actor.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { SecretBox } from '../../shared/encryption.js';
import { DomainError } from '../../shared/errors.js';
import type { Origins } from '../../shared/origins.js';
import { findAppointmentViews, listItems } from '../appointments/index.js';
import type { CashlessSettingsService, ConnectedProvider } from '../cashless/index.js';
import { findCompany } from '../companies/index.js';
import { findLink, mailLocaleOf } from '../links/index.js';
import * as attemptsRepo from './attempts.repository.js';
import type { AttemptRow } from './attempts.repository.js';
import { isOpen } from './domain/attempt-status.js';
import { providerLinesOf, tipLine } from './domain/provider-lines.js';
import type { ReceivedState, SettleOutcome, SettlementService } from './settlement.service.js';

const providerActor = (provider: string): Actor => ({ type: 'provider', id: provider });

/**
 * Every call Visitpay makes to a provider about an attempt, always outside a transaction, with
 * the answer applied through settlement. A call that fails "for now" leaves the attempt open for
 * the reconciliation job; a call the provider refuses for good ends it as failed.
 */
export class CheckoutGateway {
  constructor(
    private readonly deps: {
      db: Db;
      clock: Clock;
      log: Logger;
      cashless: CashlessSettingsService;
      settlement: SettlementService;
      secrets: SecretBox;
      origins: Origins;
    },
  ) {}

  /**
   * Creates the provider checkout of a `creating` attempt (idempotent: the key is the attempt id).
   * Pay hands over what it has just read, so the hot path does not read it again.
   */
  async create(attempt: AttemptRow, known: CreateHints = {}): Promise<AttemptRow> {
    const { db, cashless } = this.deps;
    const connected = known.connected ?? (await cashless.connected(attempt.company_id));
    if (connected?.provider.name !== attempt.provider)
      throw new DomainError('pay_by_link_unavailable', 'payments by link are currently unavailable');
    const { provider, credentials } = connected;
    const tokenSealed = known.tokenSealed ?? (await findLink(db, attempt.link_id)).token_sealed;
    const company = known.company ?? (await findCompany(db, attempt.company_id))!;
    const token = this.deps.secrets.open(tokenSealed);
    const items = known.items ?? (await listItems(db, [attempt.appointment_id]));
    const locale = mailLocaleOf(company.country);
    // R40: the provider charges the visit's part and the tip; its page shows the tip as its own line
    const display = providerLinesOf(attempt.amount - attempt.tip, items, {
      startsAt: known.visitStartsAt ?? (await visitStart(db, attempt)),
      timezone: company.timezone,
      locale,
      currency: attempt.currency,
    });
    if (attempt.tip > 0) display.lines.push(tipLine(attempt.tip, locale));
    let state: CheckoutState;
    try {
      state = await provider.createCheckout({
        companyId: attempt.company_id,
        credentials,
        attemptId: attempt.id,
        amount: attempt.amount,
        currency: attempt.currency,
        // a part of the visit says so where the provider shows a description only (YooKassa's page)
        description: `${company.name}: ${display.partial ? display.lines[0]!.title : 'payment for a visit'}`,
        lineItems: display.lines,
        // built once by Pay and stored: every retry sends the same receipt under the same key
        ...(attempt.receipt ? { receipt: attempt.receipt as Receipt } : {}),
        expiresAt: attempt.expires_at,
        returnUrl: `${this.deps.origins.public}/pay/${token}/return`,
        metadata: {
          companyId: attempt.company_id,
          appointmentId: attempt.appointment_id,
          linkId: attempt.link_id,
          attemptId: attempt.id,
        },
      });
      // Lets the crash test stop the process exactly between the provider's answer and our commit.
      if (process.env.VISITPAY_FAILPOINT === 'exit-after-provider-create') process.kill(process.pid, 'SIGKILL');
    } catch (error) {
      if (error instanceof ProviderRejectedError) {
        this.deps.log.warn({ err: error, attemptId: attempt.id }, 'the provider refused the checkout');
        await this.fail(attempt, error.message);
        throw new DomainError('provider_error', `the payment provider refused the payment: ${error.message}`);
      }
      // Unknown outcome (timeout, 5xx, lost answer): the job asks again soon with the same key.
      this.deps.log.warn({ err: error, attemptId: attempt.id }, 'creating the checkout failed; reconciliation retries');
      await attemptsRepo.updateAttempt(
        db,
        attempt.id,
        {
          check_at: new Date(this.deps.clock.now().getTime() + 5_000),
          failure: describe(error),
          updated_at: this.deps.clock.now(),
        },
        ['creating'],
      );
      if (error instanceof ProviderUnavailableError)
        throw new DomainError('provider_error', 'the payment provider is not answering; please try again in a moment');
      throw error;
    }
    const created = await this.deps.settlement.recordCreated(attempt, state);
    if (created) return created;
    await this.apply(attempt, state, providerActor(attempt.provider));
    const after = (await attemptsRepo.findAttempt(db, attempt.id))!;
    if (state.status === 'pending' && !isOpen(after.status) && after.status !== 'succeeded') {
      // Ended here (superseded, cancelled by staff) while this call was in flight: it must not stay payable there.
      await this.expireQuietly(after);
      return (await attemptsRepo.findAttempt(db, attempt.id))!;
    }
    return after;
  }

  /**
   * Applies what the provider said (a notification, an answer) through settlement, then expires
   * at the provider the checkouts that change left without purpose.
   */
  async apply(attempt: AttemptRow, state: CheckoutState, actor: Actor): Promise<void> {
    const { closed } = await this.deps.settlement.applyCheckoutState(attempt, state, actor);
    for (const leftover of closed) await this.expireQuietly(leftover);
  }

  /** A notification's state, applied to the attempt it names (if it is one of ours) and marked applied in its inbox row; answers the outcome. */
  async applyNotification(
    companyId: string,
    provider: string,
    state: CheckoutState,
    from: { attemptId?: string | undefined; inboxId: number },
  ): Promise<SettleOutcome | 'received'> {
    const { outcome, closed } = await this.deps.settlement.applyProviderState(
      companyId,
      provider,
      state,
      providerActor(provider),
      from,
    );
    for (const leftover of closed) await this.expireQuietly(leftover);
    return outcome;
  }

  /** Notifications just received, applied in one transaction (SettlementService.applyReceivedStates); answers in the order given. */
  async applyNotifications(items: readonly Omit<ReceivedState, 'actor'>[]): Promise<(SettleOutcome | 'received')[]> {
    const applied = await this.deps.settlement.applyReceivedStates(
      items.map((item) => ({ ...item, actor: providerActor(item.received.provider) })),
    );
    for (const leftover of applied.flatMap((a) => a.closed)) await this.expireQuietly(leftover);
    return applied.map((a) => a.outcome);
  }

  /** Asks the provider where an attempt stands and applies it (reconciliation, R20). */
  async refresh(attempt: AttemptRow): Promise<CheckoutState | undefined> {
    if (!attempt.provider_checkout_id) return undefined;
    const provider = await this.providerFor(attempt);
    if (!provider) return undefined;
    const state = await provider.adapter.getCheckout({
      companyId: attempt.company_id,
      credentials: provider.credentials,
      checkoutId: attempt.provider_checkout_id,
    });
    // Still waiting for the client, as already recorded: nothing to write (most looks end here).
    const unchanged =
      state.status === 'pending' &&
      attempt.status === 'pending' &&
      attempt.provider_checkout_id === state.checkoutId &&
      attempt.provider_status === state.rawStatus;
    if (!unchanged) await this.apply(attempt, state, providerActor(attempt.provider));
    return state;
  }

  /** Makes a checkout unpayable at the provider; if it turns out paid, the money is credited. */
  async expire(attempt: AttemptRow): Promise<CheckoutState | undefined> {
    if (!attempt.provider_checkout_id) return undefined;
    const provider = await this.providerFor(attempt);
    if (!provider) return undefined;
    const state = await provider.adapter.expireCheckout({
      companyId: attempt.company_id,
      credentials: provider.credentials,
      checkoutId: attempt.provider_checkout_id,
    });
    await this.apply(attempt, state, providerActor(attempt.provider));
    return state;
  }

  /** Like expire, for callers that go on whatever happens: an unreachable provider lets the checkout die at its own expiry. */
  async expireQuietly(attempt: AttemptRow): Promise<CheckoutState | undefined> {
    try {
      return await this.expire(attempt);
    } catch (error) {
      // Money that still arrives is credited, then refunded if it is too much (R18).
      this.deps.log.warn(
        { err: error, attemptId: attempt.id },
        'expiring the checkout failed; it ends at its own expiry',
      );
      return undefined;
    }
  }

  /** The attempt's provider while it is still the company's connected one (one settings read). */
  private async providerFor(attempt: AttemptRow) {
    const connected = await this.deps.cashless.connected(attempt.company_id);
    if (connected?.provider.name !== attempt.provider) return undefined;
    return { adapter: connected.provider, credentials: connected.credentials };
  }

  private async fail(attempt: AttemptRow, reason: string): Promise<void> {
    await this.deps.settlement.endAttempt(attempt, 'failed', providerActor(attempt.provider), reason);
  }
}

/** What Pay already knows when it asks for a checkout. */
export interface CreateHints {
  connected?: ConnectedProvider;
  tokenSealed?: string;
  company?: { name: string; timezone: string; country: string };
  visitStartsAt?: Date;
  items?: readonly { title: string; quantity: number; unit_price: number }[];
}

/** When the visit starts, for the line of a partial payment (reconciliation creates without Pay's hints). */
async function visitStart(db: Db, attempt: AttemptRow): Promise<Date | undefined> {
  const [view] = await findAppointmentViews(db, attempt.company_id, [attempt.appointment_id]);
  return view?.starts_at;
}

function describe(error: unknown): string {
  return (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 500);
}
