import { DomainError } from '../shared/errors.js';
import type { PaymentProvider, ProviderName } from './port.js';

/** The adapters this installation offers, by name. */
export class ProviderRegistry {
  private readonly byName = new Map<ProviderName, PaymentProvider>();

  constructor(providers: readonly PaymentProvider[]) {
    for (const provider of providers) this.byName.set(provider.name, provider);
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
