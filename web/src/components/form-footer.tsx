import { useI18n } from '../i18n';
import type { Action } from '../lib/use-async';
import { ErrorNote } from './error-note';

/** The end of an edit form: a problem found before sending, the API's refusal, then Save (or `saveLabel`) and Cancel. */
export function FormFooter({
  action,
  saveTestId,
  onCancel,
  problem,
  saveLabel,
}: {
  action: Action;
  saveTestId: string;
  onCancel: () => void;
  problem?: string | undefined;
  saveLabel?: string;
}) {
  const { t } = useI18n();
  return (
    <>
      {problem && (
        <div className="error-note" role="alert">
          {problem}
        </div>
      )}
      <ErrorNote error={action.error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={action.pending} data-testid={saveTestId}>
          {action.pending ? t('common.saving') : (saveLabel ?? t('common.save'))}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </>
  );
}
