import { useI18n } from '../i18n';

/** "Saved", announced politely, next to the button of the form that was saved. */
export function SavedNote({ shown, className, testId }: { shown: boolean; className: string; testId?: string }) {
  const { t } = useI18n();
  if (!shown) return null;
  return (
    <span className={className} role="status" data-testid={testId}>
      {t('common.saved')}
    </span>
  );
}
