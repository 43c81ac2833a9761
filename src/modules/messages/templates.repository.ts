import type { Executor } from '../../db/database.js';
import type { TemplateKey } from './domain/template-key.js';

/** SQL for R37's stored templates (migration 0021). */

export interface TemplateRow extends TemplateKey {
  subject: string | null;
  body: string;
  updated_at: Date;
}

const COLUMNS = ['channel', 'kind', 'locale', 'subject', 'body', 'updated_at'] as const;

export async function findTemplate(
  db: Executor,
  companyId: string,
  key: TemplateKey,
): Promise<TemplateRow | undefined> {
  return db
    .selectFrom('message_templates')
    .select(COLUMNS)
    .where('company_id', '=', companyId)
    .where('channel', '=', key.channel)
    .where('kind', '=', key.kind)
    .where('locale', '=', key.locale)
    .executeTakeFirst();
}

export async function listTemplates(db: Executor, companyId: string): Promise<TemplateRow[]> {
  return db.selectFrom('message_templates').select(COLUMNS).where('company_id', '=', companyId).execute();
}

export async function saveTemplate(
  db: Executor,
  row: { companyId: string; key: TemplateKey; subject: string | null; body: string; at: Date; by: string | null },
): Promise<void> {
  const values = { subject: row.subject, body: row.body, updated_at: row.at, updated_by: row.by };
  await db
    .insertInto('message_templates')
    .values({ company_id: row.companyId, ...row.key, ...values })
    .onConflict((oc) => oc.columns(['company_id', 'channel', 'kind', 'locale']).doUpdateSet(values))
    .execute();
}

/** Deletes the company's own text; answers whether there was one. */
export async function deleteTemplate(db: Executor, companyId: string, key: TemplateKey): Promise<boolean> {
  const deleted = await db
    .deleteFrom('message_templates')
    .where('company_id', '=', companyId)
    .where('channel', '=', key.channel)
    .where('kind', '=', key.kind)
    .where('locale', '=', key.locale)
    .returning('body')
    .executeTakeFirst();
  return deleted !== undefined;
}
