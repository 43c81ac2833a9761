import type { Db, Executor } from '../../db/database.js';
import type { Clock } from '../../shared/clock.js';
import { DomainError, notFound, validation } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { isCurrency } from '../../shared/money.js';
import { upsertMembership } from '../access/index.js';
import { ROLE_RIGHTS } from '../access/domain/rights.js';
import { recordAudit } from '../audit/index.js';
import { defaultTaxSystemOf, isTaxSystemOf } from '../catalog/domain/taxation.js';
import { findCompany, insertCompany } from './companies.repository.js';

export interface NewCompany {
  name: string;
  currency: string;
  timezone: string;
  country: string;
  defaultTaxSystem?: string | undefined;
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The company, or a 404 (routes only get here for a company the caller belongs to, but it may be gone). */
export async function companyOrNotFound(db: Executor, id: string) {
  const company = await findCompany(db, id);
  if (!company) throw notFound('company', id);
  return company;
}

export class CompaniesService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Creates a company; `ownerId` becomes its owner with every right. */
  async create(input: NewCompany, ownerId: string) {
    const currency = input.currency.toUpperCase();
    const country = input.country.toUpperCase();
    if (!isCurrency(currency)) throw validation('currency', `${input.currency} is not an ISO 4217 currency`);
    if (!isTimeZone(input.timezone)) throw validation('timezone', `${input.timezone} is not an IANA time zone`);
    const taxSystem = input.defaultTaxSystem ?? defaultTaxSystemOf(country);
    if (!isTaxSystemOf(country, taxSystem)) {
      throw new DomainError('invalid_tax_system', `${taxSystem} is not a taxation system of ${country}`, {
        field: 'defaultTaxSystem',
      });
    }
    const id = newId('company');
    await this.db.transaction().execute(async (tx) => {
      await insertCompany(tx, {
        id,
        name: input.name,
        currency,
        timezone: input.timezone,
        country,
        defaultTaxSystem: taxSystem,
      });
      await upsertMembership(tx, { companyId: id, userId: ownerId, role: 'owner', rights: [...ROLE_RIGHTS.owner] });
      await recordAudit(tx, {
        companyId: id,
        at: this.clock.now(),
        actor: { type: 'user', id: ownerId },
        action: 'company.created',
        entityType: 'company',
        entityId: id,
        details: { name: input.name, currency, timezone: input.timezone, country },
      });
    });
    return this.get(id);
  }

  get(id: string) {
    return companyOrNotFound(this.db, id);
  }
}
