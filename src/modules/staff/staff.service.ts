import type { Db, Executor } from '../../db/database.js';
import type { StaffRow } from '../../db/schema.js';
import { decodeCursor } from '../../db/paging.js';
import type { Clock } from '../../shared/clock.js';
import { notFound } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { changes } from '../audit/index.js';
import { recordAudit } from '../audit/index.js';
import * as repo from './staff.repository.js';

/** Use cases of the people who perform services (they need not have a user account). */
export class StaffService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async list(companyId: string, page: { limit: number; cursor?: string | undefined }): Promise<StaffRow[]> {
    return repo.listStaff(this.db, { companyId, after: decodeCursor(page.cursor), take: page.limit + 1 });
  }

  async get(companyId: string, id: string): Promise<StaffRow> {
    const row = await repo.findStaffMember(this.db, companyId, id);
    if (!row) throw notFound('staff member', id);
    return row;
  }

  async create(companyId: string, actorId: string, input: { name: string }): Promise<StaffRow> {
    return this.db.transaction().execute(async (tx) => {
      const id = newId('staff');
      await repo.insertStaffMember(tx, { id, company_id: companyId, name: input.name });
      await this.audit(tx, companyId, actorId, 'staff.created', id, { name: input.name });
      return (await repo.findStaffMember(tx, companyId, id))!;
    });
  }

  async update(
    companyId: string,
    actorId: string,
    id: string,
    input: { name?: string | undefined },
  ): Promise<StaffRow> {
    return this.db.transaction().execute(async (tx) => {
      const current = await repo.findStaffMember(tx, companyId, id, { forUpdate: true });
      if (!current) throw notFound('staff member', id);
      const diff = changes(current, { name: input.name });
      if (!diff.name) return current;
      const updated = await repo.updateStaffMember(tx, companyId, id, { name: diff.name.to as string });
      await this.audit(tx, companyId, actorId, 'staff.updated', id, { changes: diff });
      return updated!;
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
      entityType: 'staff',
      entityId,
      details,
    });
  }
}
