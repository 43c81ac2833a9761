import type { Db } from '../../db/database.js';
import type { Credentials, PaymentProvider, ProviderName, ProviderSettings } from '../../providers/port.js';
import type { ProviderRegistry } from '../../providers/registry.js';
import type { Actor } from '../../shared/actor.js';
import type { Clock } from '../../shared/clock.js';
import type { SecretBox } from '../../shared/encryption.js';
import { DomainError, notFound } from '../../shared/errors.js';
import type { Origins } from '../../shared/origins.js';
import { recordAudit } from '../audit/index.js';
import { isTaxSystemOf, taxSystemsOf } from '../catalog/domain/taxation.js';
import { findCompany } from '../companies/index.js';
import * as repo from './cashless-settings.repository.js';
import { parseFiscalization, type Fiscalization } from './domain/fiscalization.js';

/** How long a company's connection, read for a notification, is trusted before it is read again (process time: a cache). */
const CONNECTION_TTL_MS = 5_000;

/** What staff see of the settings: never a credential, only a masked hint. */
export interface CashlessSettingsView {
  provider: ProviderName | null;
  connected: boolean;
  connectedAt: string | null;
  credentialsHint: Record<string, string>;
  payByLinkEnabled: boolean;
  /** R1: links can be created and paid right now */
  available: boolean;
  fiscalization: Fiscalization;
  /** each provider's own settings under its field (the sandbox's `sandboxNotifications`); null unless it is connected */
  own: Record<string, unknown>;
  /** where the provider must send its notifications */
  webhookUrl: string | null;
  providers: ProviderName[];
}

/** A connected provider with its decrypted credentials, for the payment-link flow only. */
export interface ConnectedProvider {
  provider: PaymentProvider;
  credentials: Credentials;
  payByLinkEnabled: boolean;
  fiscalization: Fiscalization;
}

export interface SettingsChanges {
  payByLinkEnabled?: boolean | undefined;
  fiscalization?: Partial<Fiscalization> | undefined;
  /** provider settings by their field (the sandbox bank's notification behaviour, for demos and tests of a flaky provider) */
  own?: Record<string, unknown>;
}

/**
 * Finance → Cashless payment (R1, R24): connect a provider with verified credentials, stored
 * sealed; switch pay-by-link on and off; the online cash register settings.
 */
export class CashlessSettingsService {
  constructor(
    private readonly deps: {
      db: Db;
      clock: Clock;
      providers: ProviderRegistry;
      secrets: SecretBox;
      origins: Origins;
    },
  ) {}

  async view(companyId: string): Promise<CashlessSettingsView> {
    const row = await repo.findSettings(this.deps.db, companyId);
    return this.toView(companyId, row);
  }

  /** Connects (or reconnects) a provider. Credentials are checked before anything is stored. */
  async connect(
    companyId: string,
    actor: Actor,
    provider: string,
    credentials: Credentials,
  ): Promise<CashlessSettingsView> {
    const { db, clock, providers, secrets } = this.deps;
    if (!providers.has(provider))
      throw new DomainError('validation_failed', `unknown provider ${provider}`, { field: 'provider' });
    const refusal = providers.refusal(provider);
    if (refusal) throw new DomainError('provider_not_connected', refusal, { field: 'provider' });
    const adapter = providers.get(provider);
    // A network call may happen here: outside any transaction.
    const verified = await adapter.validateCredentials(companyId, credentials);
    const hint = adapter.credentialsHint(verified);
    await db.transaction().execute(async (tx) => {
      const now = clock.now();
      if (!(await findCompany(tx, companyId))) throw notFound('company', companyId);
      await repo.ensureSettingsRow(tx, companyId, now);
      const current = await repo.findSettings(tx, companyId, { forUpdate: true });
      if (current?.provider && current.provider !== provider && (await repo.countOpenAttempts(tx, companyId)) > 0) {
        throw new DomainError(
          'conflict',
          'clients are paying through the current provider right now; switch when their payments have ended',
          {
            field: 'provider',
            reason: 'attempts_pending',
          },
        );
      }
      await repo.updateSettings(tx, companyId, {
        provider,
        credentials_sealed: secrets.seal(JSON.stringify(verified)),
        credentials_hint: hint,
        connected_at: now,
        updated_at: now,
      });
      await recordAudit(tx, {
        companyId,
        at: now,
        actor,
        action: 'settings.provider_connected',
        entityType: 'cashless_settings',
        entityId: companyId,
        details: { provider, previousProvider: current?.provider ?? null },
      });
    });
    this.connections.delete(companyId);
    return this.view(companyId);
  }

  /**
   * Disconnects the company's provider: the credentials are wiped and pay-by-link goes off, so
   * links say payments by link are unavailable (R1). Refused while a client is paying through it.
   */
  async disconnect(companyId: string, actor: Actor): Promise<CashlessSettingsView> {
    const { db, clock } = this.deps;
    await db.transaction().execute(async (tx) => {
      const now = clock.now();
      if (!(await findCompany(tx, companyId))) throw notFound('company', companyId);
      const current = await repo.findSettings(tx, companyId, { forUpdate: true });
      if (!current?.provider) return;
      const open = await repo.countOpenAttempts(tx, companyId);
      if (open > 0) {
        throw new DomainError(
          'attempts_open',
          'clients are paying through this provider right now; disconnect it when their payments have ended',
          { field: 'provider', openAttempts: open },
        );
      }
      // a refund or a receipt already on its way needs the provider's answer, or it is lost with the key
      const inFlight = await repo.countOpenProviderWork(tx, companyId);
      if (inFlight > 0) {
        throw new DomainError(
          'provider_work_open',
          'refunds or fiscal receipts are still waiting for this provider; disconnect it once they are answered',
          { field: 'provider', waiting: inFlight },
        );
      }
      await repo.clearConnection(tx, companyId, now);
      await recordAudit(tx, {
        companyId,
        at: now,
        actor,
        action: 'cashless.disconnected',
        entityType: 'cashless_settings',
        entityId: companyId,
        details: { provider: current.provider, payByLinkWasEnabled: current.pay_by_link_enabled },
      });
    });
    this.connections.delete(companyId);
    return this.view(companyId);
  }

  async update(companyId: string, actor: Actor, changes: SettingsChanges): Promise<CashlessSettingsView> {
    const { db, clock } = this.deps;
    await db.transaction().execute(async (tx) => {
      const now = clock.now();
      const company = await findCompany(tx, companyId);
      if (!company) throw notFound('company', companyId);
      await repo.ensureSettingsRow(tx, companyId, now);
      const current = (await repo.findSettings(tx, companyId, { forUpdate: true }))!;
      if (changes.payByLinkEnabled === true && !current.provider) {
        throw new DomainError('provider_not_connected', 'connect a payment provider before switching pay-by-link on', {
          field: 'payByLinkEnabled',
        });
      }
      const fiscalizationBefore = parseFiscalization(current.fiscalization);
      let fiscalization: Fiscalization | undefined;
      if (changes.fiscalization) {
        fiscalization = { ...fiscalizationBefore, ...changes.fiscalization } as Fiscalization;
        if (fiscalization.taxSystem !== undefined && !isTaxSystemOf(company.country, fiscalization.taxSystem)) {
          throw new DomainError(
            'invalid_tax_system',
            `taxation system ${fiscalization.taxSystem} is not one of ${company.country}'s`,
            {
              field: 'fiscalization.taxSystem',
              allowed: taxSystemsOf(company.country),
            },
          );
        }
      }
      const own = this.ownChanges(changes.own);
      for (const { provider, settings, value } of own) {
        if (current.provider !== provider)
          throw new DomainError(
            'validation_failed',
            `${settings.field} belongs to the ${provider} provider, which is not connected`,
            { field: settings.field },
          );
        await settings.write(tx, companyId, value, now);
      }
      await repo.updateSettings(tx, companyId, {
        ...(changes.payByLinkEnabled !== undefined ? { pay_by_link_enabled: changes.payByLinkEnabled } : {}),
        ...(fiscalization ? { fiscalization: { ...fiscalization } } : {}),
        updated_at: now,
      });
      await recordAudit(tx, {
        companyId,
        at: now,
        actor,
        action: 'settings.changed',
        entityType: 'cashless_settings',
        entityId: companyId,
        details: {
          before: { payByLinkEnabled: current.pay_by_link_enabled, fiscalization: fiscalizationBefore },
          after: {
            payByLinkEnabled: changes.payByLinkEnabled ?? current.pay_by_link_enabled,
            fiscalization: fiscalization ?? fiscalizationBefore,
          },
          ...Object.fromEntries(own.map(({ settings, value }) => [settings.field, value])),
        },
      });
    });
    return this.view(companyId);
  }

  /** The connected provider, or undefined when pay-by-link cannot work (R1). */
  async connected(companyId: string): Promise<ConnectedProvider | undefined> {
    return this.connectedFrom(await repo.findSettings(this.deps.db, companyId));
  }

  /** The same, from a settings row the caller read itself (Pay reads it with the link, in one statement). */
  connectedFrom(
    row:
      | {
          provider: string | null;
          credentials_sealed: string | null;
          pay_by_link_enabled: boolean;
          fiscalization: unknown;
        }
      | undefined,
  ): ConnectedProvider | undefined {
    if (!row?.provider || !row.credentials_sealed) return undefined;
    if (!this.deps.providers.offered(row.provider)) return undefined;
    return {
      provider: this.deps.providers.get(row.provider),
      credentials: this.open(row.credentials_sealed),
      payByLinkEnabled: row.pay_by_link_enabled,
      fiscalization: parseFiscalization(row.fiscalization),
    };
  }

  /**
   * Credentials of a named provider for a company, to verify its notifications. Read once per
   * company every few seconds: a provider's notifications come in crowds, and a change made
   * through this process applies at once, one made through another within CONNECTION_TTL_MS
   * (until then its notifications fail verification and the provider sends them again).
   */
  async credentialsFor(companyId: string, provider: string): Promise<Credentials | undefined> {
    let known = this.connections.get(companyId);
    if (!known || known.until < performance.now()) {
      const row = await repo.findSettings(this.deps.db, companyId);
      if (this.connections.size >= 10_000) this.connections.clear();
      known = {
        provider: row?.provider ?? null,
        sealed: row?.credentials_sealed ?? null,
        until: performance.now() + CONNECTION_TTL_MS,
      };
      this.connections.set(companyId, known);
    }
    if (known.provider !== provider || !known.sealed) return undefined;
    return this.open(known.sealed);
  }

  private readonly connections = new Map<string, { provider: string | null; sealed: string | null; until: number }>();

  /**
   * Decrypted credentials by their sealed text: every Pay and notification needs them, and a
   * sealed text never changes meaning (a new connection seals anew), so each is opened once.
   */
  private readonly opened = new Map<string, Credentials>();

  private open(sealed: string): Credentials {
    let credentials = this.opened.get(sealed);
    if (!credentials) {
      if (this.opened.size >= 1_000) this.opened.clear();
      credentials = Object.freeze(JSON.parse(this.deps.secrets.open(sealed)) as Credentials);
      this.opened.set(sealed, credentials);
    }
    return credentials;
  }

  /** The providers' own settings, as each describes them. */
  providerSettings(): { field: string; schema: ProviderSettings['schema'] }[] {
    return this.deps.providers.settings().map(({ settings }) => ({ field: settings.field, schema: settings.schema }));
  }

  /** R1: creating, copying and paying links needs a connected provider and the toggle on. */
  async assertAvailable(companyId: string): Promise<ConnectedProvider> {
    const connected = await this.connected(companyId);
    if (!connected?.payByLinkEnabled) {
      throw new DomainError(
        'pay_by_link_unavailable',
        'payments by link are currently unavailable: connect a provider and switch pay-by-link on',
      );
    }
    return connected;
  }

  /** The provider settings a change names, each with its provider. */
  private ownChanges(own: Record<string, unknown> | undefined) {
    return this.deps.providers
      .settings()
      .flatMap((p) => (own?.[p.settings.field] === undefined ? [] : [{ ...p, value: own[p.settings.field] }]));
  }

  private async toView(companyId: string, row: repo.SettingsRow | undefined): Promise<CashlessSettingsView> {
    const { providers, db } = this.deps;
    const provider = (row?.provider ?? null) as ProviderName | null;
    const usable = provider !== null && providers.offered(provider);
    const own: Record<string, unknown> = {};
    for (const p of providers.settings())
      own[p.settings.field] = p.provider === provider ? await p.settings.read(db, companyId) : null;
    let webhookUrl: string | null = null;
    try {
      webhookUrl = provider ? `${this.deps.origins.public}/webhooks/${provider}/${companyId}` : null;
    } catch {
      webhookUrl = null;
    }
    return {
      provider,
      connected: usable,
      connectedAt: row?.connected_at?.toISOString() ?? null,
      credentialsHint: row?.credentials_hint ?? {},
      payByLinkEnabled: row?.pay_by_link_enabled ?? false,
      available: usable && (row?.pay_by_link_enabled ?? false),
      fiscalization: parseFiscalization(row?.fiscalization),
      own,
      webhookUrl,
      providers: providers.offeredNames(),
    };
  }
}
