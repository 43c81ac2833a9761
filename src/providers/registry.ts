import type { Config } from '../config.js';
import { DomainError } from '../shared/errors.js';
import type { PaymentProvider, ProviderName, ProviderSettings } from './port.js';

/**
 * The adapters this installation has, by name, and which of them it offers under its
 * configuration (R1: the sandbox is refused in production unless allowed).
 */
export class ProviderRegistry {
  private readonly byName = new Map<ProviderName, PaymentProvider>();
  private readonly refusals = new Map<ProviderName, string>();

  constructor(providers: readonly PaymentProvider[], config?: Config) {
    for (const provider of providers) {
      this.byName.set(provider.name, provider);
      const refusal = config && provider.refusedUnder?.(config);
      if (refusal) this.refusals.set(provider.name, refusal);
    }
  }

  /** Whether companies may connect and pay through the provider here. */
  offered(name: string): boolean {
    return this.has(name) && !this.refusals.has(name as ProviderName);
  }

  /** Why the provider is not offered here, if it is not. */
  refusal(name: string): string | undefined {
    return this.refusals.get(name as ProviderName);
  }

  offeredNames(): ProviderName[] {
    return this.names().filter((name) => this.offered(name));
  }

  /** The providers' own settings, each under its field. */
  settings(): { provider: ProviderName; settings: ProviderSettings }[] {
    return [...this.byName.values()].flatMap((p) => (p.settings ? [{ provider: p.name, settings: p.settings }] : []));
  }

  get(name: string): PaymentProvider {
    const provider = this.byName.get(name as ProviderName);
    if (!provider)
      throw new DomainError('provider_not_connected', `payment provider ${name} is not available`, {
        field: 'provider',
      });
    return provider;
  }

  has(name: string): boolean {
    return this.byName.has(name as ProviderName);
  }

  names(): ProviderName[] {
    return [...this.byName.keys()];
  }
}
