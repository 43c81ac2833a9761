import { useI18n } from '../i18n';

/** The header over a table's column of row buttons: named for screen readers only. */
export function ActionsHeader() {
  const { t } = useI18n();
  return (
    <th scope="col">
      <span className="visually-hidden">{t('common.actions')}</span>
    </th>
  );
}

/** "Edit" in a table row, announced with the row's name. */
export function EditCell({ name, onEdit }: { name: string; onEdit: () => void }) {
  const { t } = useI18n();
  return (
    <td>
      <button type="button" className="secondary small" onClick={onEdit} aria-label={t('common.editNamed', { name })}>
        {t('common.edit')}
      </button>
    </td>
  );
}
