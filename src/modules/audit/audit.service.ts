import type { Db } from '../../db/database.js';
import { splitPage } from '../../db/paging.js';
import { validation } from '../../shared/errors.js';
import { companyOrNotFound } from '../companies/index.js';
import { listAudit, type AuditQuery } from './audit.repository.js';

export type AuditFilter = Omit<AuditQuery, 'companyId' | 'beforeId' | 'limit'>;

/** Audit cursors are the id of the last entry shown; ids grow with every append. */
export function encodeAuditCursor(id: number): string {
  return Buffer.from(`audit|${id}`).toString('base64url');
}

export function decodeAuditCursor(cursor: string | undefined): number | undefined {
  if (!cursor) return undefined;
  const match = /^audit\|(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match?.[1]) throw validation('cursor', 'cursor is not one this API gave out');
  return Number(match[1]);
}

/** Reading the append-only audit log (R27), newest first. */
export class AuditService {
  constructor(private readonly db: Db) {}

  async list(companyId: string, filter: AuditFilter & { limit: number; cursor?: string | undefined }) {
    if (filter.from && filter.to && filter.from >= filter.to) throw validation('to', 'to must be later than from');
    const company = await companyOrNotFound(this.db, companyId);
    const { limit, cursor, ...rest } = filter;
    const rows = await listAudit(this.db, {
      ...rest,
      companyId,
      beforeId: decodeAuditCursor(cursor),
      limit: limit + 1,
    });
    const { items: entries, nextCursor } = splitPage(rows, limit, (last) => encodeAuditCursor(last.id));
    return { currency: company.currency, entries, nextCursor };
  }
}
