import type { Db, Executor } from '../../db/database.js';
import type { ClientRow } from '../../db/schema.js';
import { decodeCursor } from '../../db/paging.js';
import type { Clock } from '../../shared/clock.js';
import { notFound } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { changedFieldNames, changes } from '../audit/index.js';
import { recordAudit } from '../audit/index.js';
import * as repo from './clients.repository.js';

/** Phone and email arrive already normalized and validated by the route schema (domain/contact.ts). */
export interface NewClient {
  name: string;
  phone?: string | null | undefined;
  email?: string | null | undefined;
}
export type ClientChanges = Partial<NewClient>;

/** Use cases of the salon's client list. Audit entries name changed fields, never the contact values (PII). */
export class ClientsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async list(
    companyId: string,
    page: { limit: number; cursor?: string | undefined; q?: string | undefined },
  ): Promise<ClientRow[]> {
    return repo.listClients(this.db, {
      companyId,
      search: page.q || undefined,
      after: decodeCursor(page.cursor),
      take: page.limit + 1,
    });
  }

  async get(companyId: string, id: string): Promise<ClientRow> {
    const row = await repo.findClient(this.db, companyId, id);
    if (!row) throw notFound('client', id);
    return row;
  }

  async create(companyId: string, actorId: string, input: NewClient): Promise<ClientRow> {
    return this.db.transaction().execute(async (tx) => {
      const id = await createClientIn(tx, companyId, actorId, input, this.clock.now());
      return (await repo.findClient(tx, companyId, id))!;
    });
  }

  async update(companyId: string, actorId: string, id: string, input: ClientChanges): Promise<ClientRow> {
    return this.db.transaction().execute(async (tx) => {
      const current = await repo.findClient(tx, companyId, id, { forUpdate: true });
      if (!current) throw notFound('client', id);
      const diff = changes(current, { name: input.name, phone: input.phone, email: input.email });
      if (Object.keys(diff).length === 0) return current;
      const set = Object.fromEntries(Object.entries(diff).map(([k, v]) => [k, v?.to])) as Partial<
        Pick<ClientRow, 'name' | 'phone' | 'email'>
      >;
      const updated = await repo.updateClient(tx, companyId, id, set);
      await this.audit(tx, companyId, actorId, 'client.updated', id, { fields: changedFieldNames(diff) });
      return updated;
    });
  }

  private audit(
    tx: Executor,
    companyId: string,
    actorId: string,
    action: string,
    entityId: string,
    details: Record<string, unknown>,
  ) {
    return recordAudit(tx, {
      companyId,
      at: this.clock.now(),
      actor: { type: 'user', id: actorId },
      action,
      entityType: 'client',
      entityId,
      details,
    });
  }
}

/** Adds a client in the caller's transaction, with its `client.created` audit entry; answers its id. */
export async function createClientIn(
  tx: Executor,
  companyId: string,
  actorId: string,
  input: NewClient,
  now: Date,
): Promise<string> {
  const row = {
    id: newId('client'),
    company_id: companyId,
    name: input.name,
    phone: input.phone ?? null,
    email: input.email ?? null,
  };
  await repo.insertClient(tx, row);
  await recordAudit(tx, {
    companyId,
    at: now,
    actor: { type: 'user', id: actorId },
    action: 'client.created',
    entityType: 'client',
    entityId: row.id,
    details: { fields: changedFieldNames(Object.fromEntries(Object.entries(input).filter(([, v]) => v != null))) },
  });
  return row.id;
}
