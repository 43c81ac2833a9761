import { useState, type FormEvent } from 'react';
import type { StaffMember } from '../api/types';
import { ErrorNote } from '../components/error-note';
import { Empty, Loaded } from '../components/states';
import { useI18n } from '../i18n';
import { useAction, useResource } from '../lib/use-async';
import { useCompany } from '../session';

/** Staff members: the people who perform services (the calendar's columns). */
export function StaffScreen() {
  const { t } = useI18n();
  const { api, can } = useCompany();
  const staff = useResource(() => api.staff.list(), [api]);
  const [name, setName] = useState('');
  const action = useAction();
  const mayEdit = can('appointments.write');

  const add = async (event: FormEvent) => {
    event.preventDefault();
    if (await action.run(() => api.staff.create(name.trim()))) {
      setName('');
      staff.reload();
    }
  };

  return (
    <section className="screen" aria-labelledby="staff-title">
      <h1 id="staff-title">{t('nav.staff')}</h1>
      {mayEdit && (
        <form className="toolbar" onSubmit={(e) => void add(e)} data-testid="new-staff-form">
          <div className="field">
            <label htmlFor="st-name">{t('staff.newName')}</label>
            <input
              id="st-name"
              required
              maxLength={200}
              value={name}
              onChange={(e) => setName(e.target.value)}
              data-testid="staff-name"
            />
          </div>
          <button type="submit" className="primary" disabled={action.pending} data-testid="staff-add">
            {t('staff.add')}
          </button>
          <ErrorNote error={action.error} />
        </form>
      )}
      <Loaded data={staff.data} error={staff.error} reload={staff.reload}>
        {(list) =>
          list.length === 0 ? (
            <Empty>{t('staff.none')}</Empty>
          ) : (
            <ul className="plain-list" data-testid="staff">
              {list.map((s) => (
                <StaffRow key={`${s.id}|${s.name}`} member={s} editable={mayEdit} onSaved={staff.reload} />
              ))}
            </ul>
          )
        }
      </Loaded>
    </section>
  );
}

function StaffRow({ member, editable, onSaved }: { member: StaffMember; editable: boolean; onSaved: () => void }) {
  const { t } = useI18n();
  const { api } = useCompany();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(member.name);
  const action = useAction();
  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (await action.run(() => api.staff.rename(member.id, name.trim()))) {
      setEditing(false);
      onSaved();
    }
  };
  if (!editing) {
    return (
      <li className="row">
        <span>{member.name}</span>
        {editable && (
          <button
            type="button"
            className="secondary small"
            onClick={() => setEditing(true)}
            aria-label={t('staff.renameNamed', { name: member.name })}
          >
            {t('staff.rename')}
          </button>
        )}
      </li>
    );
  }
  return (
    <li>
      <form className="row" onSubmit={(e) => void save(e)}>
        <label className="visually-hidden" htmlFor={`staff-${member.id}`}>
          {t('staff.newName')}
        </label>
        <input
          id={`staff-${member.id}`}
          required
          maxLength={200}
          value={name}
          onChange={(e) => setName(e.target.value)}
          // biome-ignore lint/a11y/noAutofocus: the field appears because Rename was pressed; focus follows that action
          autoFocus
        />
        <button type="submit" className="primary small" disabled={action.pending}>
          {t('common.save')}
        </button>
        <button type="button" className="secondary small" onClick={() => setEditing(false)}>
          {t('common.cancel')}
        </button>
        <ErrorNote error={action.error} />
      </form>
    </li>
  );
}
