import type { AppointmentView } from '../api/types';
import { dynamicKey, useI18n } from '../i18n';
import { useAction } from '../lib/use-async';
import { useCompany } from '../session';
import { ErrorNote } from './error-note';

/** "Tue 14:00" in the company's zone: the next reminder is at most days away. */
function weekdayTime(instant: string, timeZone: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit' }).format(
    new Date(instant),
  );
}

/**
 * R35 in the link panel: the next automatic reminder ("Next reminder: Tue 14:00 by SMS"), how many
 * went out, and *Stop reminders* (right `cashless_payment`, as sending). Nothing when none was planned.
 */
export function LinkRemindersLine({ view, reload }: { view: AppointmentView; reload: () => void }) {
  const { t, locale } = useI18n();
  const { api, company } = useCompany();
  const action = useAction();
  const reminders = view.linkReminders;
  if (!reminders || (reminders.nextAt === null && reminders.sent === 0)) return null;
  const stop = async () => {
    if (await action.run(() => api.links.stopReminders(view.id))) reload();
  };
  return (
    <div className="link-reminders" data-testid="link-reminders">
      <p>
        {reminders.nextAt ? (
          <span data-testid="next-reminder">
            {t('link.nextReminder', {
              time: weekdayTime(reminders.nextAt, company.timezone, locale),
              channel: t(dynamicKey('link.reminderChannel', reminders.nextChannel ?? 'sms')),
            })}
          </span>
        ) : (
          <span className="muted" data-testid="next-reminder">
            {t('link.noNextReminder')}
          </span>
        )}
        {reminders.sent > 0 && (
          <span className="muted" data-testid="reminders-sent">
            {' · '}
            {t('link.remindersSent', { count: reminders.sent })}
          </span>
        )}
      </p>
      {reminders.nextAt && (
        <button
          type="button"
          className="secondary small"
          onClick={() => void stop()}
          disabled={action.pending}
          data-testid="stop-reminders"
        >
          {t('link.stopReminders')}
        </button>
      )}
      <ErrorNote error={action.error} testId="stop-reminders-error" />
    </div>
  );
}
