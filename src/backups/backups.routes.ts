import { z } from 'zod';
import { companyParams } from '../http/schemas.js';
import type { App } from '../http/types.js';
import type { BackupStatusService } from './backup-records.js';

/** The installation's latest backup (O2); the same for every company, since a backup holds them all. */
export const backupStatusDto = z.object({
  latest: z.object({ at: z.string(), kind: z.enum(['daily', 'manual']), sizeBytes: z.number().int() }).nullable(),
  /** false when none finished in the last 48 hours: the admin app warns */
  recent: z.boolean(),
  /** whether this installation writes a backup every day (VISITPAY_BACKUPS) */
  dailyBackups: z.boolean(),
});

/**
 * Owners only (`users.manage`, the right no preset but the owner's holds): a backup is of the
 * whole installation, a matter for whoever runs it, not for the staff who work in it.
 */
export function registerBackupRoutes(app: App, backups: BackupStatusService): void {
  app.get(
    '/api/v1/companies/:companyId/backups/latest',
    {
      config: { access: 'users.manage' },
      schema: { tags: ['backups'], params: companyParams, response: { 200: backupStatusDto } },
    },
    async () => {
      const status = await backups.status();
      return { ...status, latest: status.latest && { ...status.latest, at: status.latest.at.toISOString() } };
    },
  );
}
