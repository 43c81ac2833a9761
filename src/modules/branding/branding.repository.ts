import type { Executor } from '../../db/database.js';
import type { Updateable } from 'kysely';
import type { CompanyBrandingTable } from '../../db/schema-branding.js';

type Changes = Omit<Updateable<CompanyBrandingTable>, 'company_id' | 'updated_at'>;

/** R39: the company_branding row (one per company that set any). */
export const brandingRepository = {
  /** Everything but the logo's bytes. */
  async find(db: Executor, companyId: string) {
    return db
      .selectFrom('company_branding')
      .select([
        'accent_color',
        'contact_line',
        'logo_type',
        'logo_sha256',
        'logo_width',
        'logo_height',
        'confirmation_email',
      ])
      .where('company_id', '=', companyId)
      .executeTakeFirst();
  },

  async upsert(db: Executor, companyId: string, changes: Changes, now: Date): Promise<void> {
    await db
      .insertInto('company_branding')
      .values({ company_id: companyId, ...changes, updated_at: now })
      .onConflict((oc) => oc.column('company_id').doUpdateSet({ ...changes, updated_at: now }))
      .execute();
  },

  /** The logo's bytes by its hash: the public logo route needs nothing else. */
  async logoByHash(db: Executor, sha256: string) {
    return db
      .selectFrom('company_branding')
      .select(['logo', 'logo_type'])
      .where('logo_sha256', '=', sha256)
      .where('logo', 'is not', null)
      .limit(1)
      .executeTakeFirst();
  },
};
