import type { Insertable, Updateable } from 'kysely';
import { keyset, likeEscape } from '../../db/keyset.js';
import type { Executor } from '../../db/database.js';
import type { ClientsTable } from '../../db/schema.js';

export async function findClient(db: Executor, companyId: string, id: string, options: { forUpdate?: boolean } = {}) {
  const query = db.selectFrom('clients').selectAll().where('company_id', '=', companyId).where('id', '=', id);
  return (options.forUpdate ? query.forUpdate() : query).executeTakeFirst();
}

/** A client of the company by an exact phone (stored normalised) or email (any case). */
export async function findClientByContact(db: Executor, companyId: string, by: 'phone' | 'email', value: string) {
  const query = db.selectFrom('clients').select(['id']).where('company_id', '=', companyId);
  const matching =
    by === 'phone'
      ? query.where('phone', '=', value)
      : query.where((eb) => eb(eb.fn('lower', ['email']), '=', value.toLowerCase()));
  return matching.orderBy('created_at').orderBy('id').limit(1).executeTakeFirst();
}

export async function insertClient(db: Executor, row: Insertable<ClientsTable>) {
  await db.insertInto('clients').values(row).execute();
}

const byCreated = keyset('created_at', 'id');

/**
 * Clients of a company, optionally matching `search` in the name or email (contains, any case)
 * or, when it looks like a phone number, in the stored phone by its digits (so "170 123" finds
 * "+491701234567"). A name with a digit in it does not turn into a phone search.
 */
export async function listClients(
  db: Executor,
  q: {
    companyId: string;
    search?: string | undefined;
    after?: { createdAt: Date; id: string } | undefined;
    take: number;
  },
) {
  let query = db.selectFrom('clients').selectAll().where('company_id', '=', q.companyId);
  if (q.search) {
    const text = `%${likeEscape(q.search)}%`;
    const digits = /^[+\d\s\-().]+$/.test(q.search) ? q.search.replace(/\D/g, '') : '';
    query = query.where((eb) =>
      eb.or([
        eb('name', 'ilike', text),
        eb('email', 'ilike', text),
        ...(digits.length > 0 ? [eb('phone', 'like', `%${digits}%`)] : []),
      ]),
    );
  }
  if (q.after) query = query.where(byCreated.after(q.after));
  return query.orderBy(byCreated.order[0]).orderBy(byCreated.order[1]).limit(q.take).execute();
}

export async function updateClient(db: Executor, companyId: string, id: string, set: Updateable<ClientsTable>) {
  return db
    .updateTable('clients')
    .set(set)
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
