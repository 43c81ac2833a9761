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
  const inputs = [
    {
      id: `${idPrefix}-new`,
      label: t('account.newPassword'),
      value: props.password,
      set: props.onPassword,
      testId: testIds[0],
    },
    {
      id: `${idPrefix}-repeat`,
      label: t('account.repeatPassword'),
      value: props.repeat,
      set: props.onRepeat,
      testId: testIds[1],
    },
  ];
  const fields = inputs.map((f) => (
    <div className="field" key={f.id}>
      <label htmlFor={f.id}>{f.label}</label>
      <input
        id={f.id}
        type="password"
        autoComplete="new-password"
        minLength={8}
        required
        value={f.value}
        onChange={(e) => f.set(e.target.value)}
        data-testid={f.testId}
      />
    </div>
  ));
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
