import { useI18n } from '../i18n';

/** A new password typed twice, with the note when the two differ (My account, the invitation's accept page). */
export function NewPasswordFields(props: {
  idPrefix: string;
  /** data-testid of the two inputs */
  testIds: [password: string, repeat: string];
  password: string;
  repeat: string;
  onPassword: (value: string) => void;
  onRepeat: (value: string) => void;
  /** side by side (a dialog) or one under the other (a narrow card) */
  row?: boolean;
}) {
  const { t } = useI18n();
  const { idPrefix, testIds } = props;
  const fields = (
    <>
      <div className="field">
        <label htmlFor={`${idPrefix}-new`}>{t('account.newPassword')}</label>
        <input
          id={`${idPrefix}-new`}
          type="password"
          autoComplete="new-password"
          minLength={8}
          required
          value={props.password}
          onChange={(e) => props.onPassword(e.target.value)}
          data-testid={testIds[0]}
        />
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-repeat`}>{t('account.repeatPassword')}</label>
        <input
          id={`${idPrefix}-repeat`}
          type="password"
          autoComplete="new-password"
          minLength={8}
          required
          value={props.repeat}
          onChange={(e) => props.onRepeat(e.target.value)}
          data-testid={testIds[1]}
        />
      </div>
    </>
  );
  return (
    <>
      {props.row ? <div className="field-row">{fields}</div> : fields}
      {props.repeat && props.password !== props.repeat && (
        <div className="error-note" role="alert">
          {t('account.passwordsDiffer')}
        </div>
      )}
    </>
  );
}
