import { useI18n } from '../i18n';
import { useResource } from '../lib/use-async';
import { formatInstant } from '../lib/zoned-time';
import { useCompany } from '../session';

/**
 * O2: when the installation's data was last backed up, for owners; a warning when no backup
 * finished in the last 48 hours (the daily backup did not run, or this installation has none).
 */
export function BackupNote() {
  const { t, locale } = useI18n();
  const { api, company } = useCompany();
  const status = useResource(() => api.backups.latest(), [api]).data;
  if (!status) return null;
  const { latest, recent } = status;
  const line = latest
    ? t('backups.last', { date: formatInstant(latest.at, company.timezone, locale) })
    : t('backups.never');
  return (
    <div
      className={recent ? 'notice' : 'error-note'}
      role="status"
      data-testid="backup-note"
      data-recent={String(recent)}
    >
      <p>{line}</p>
      {!recent && <p>{t(status.dailyBackups ? 'backups.staleDaily' : 'backups.staleNoDaily')}</p>}
    </div>
  );
}
