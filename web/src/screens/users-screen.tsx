import { useState, type FormEvent } from 'react';
import { RIGHTS, ROLES, type CompanyUser, type Right, type Role } from '../api/types';
import { Dialog } from '../components/dialog';
import { FormFooter } from '../components/form-footer';
import { ActionsHeader, EditCell } from '../components/row-edit';
import { Empty, Loaded } from '../components/states';
import { dynamicKey, useI18n } from '../i18n';
import { useAction, useResource } from '../lib/use-async';
import { useCompany, useSession } from '../session';

/** The role presets of SPEC §4; `custom` means rights chosen one by one. */
const PRESETS: Record<Exclude<Role, 'custom'>, readonly Right[]> = {
  owner: RIGHTS,
  administrator: RIGHTS.filter((r) => r !== 'users.manage'),
  staff: ['appointments.read'],
};

const sameRights = (a: readonly Right[], b: readonly Right[]) => a.length === b.length && a.every((r) => b.includes(r));

/** Users and rights (users.manage): who may do what in this company. */
export function UsersScreen() {
  const { t } = useI18n();
  const { api } = useCompany();
  const users = useResource(() => api.users.list(), [api]);
  const [editing, setEditing] = useState<CompanyUser | 'new'>();
  return (
    <section className="screen" aria-labelledby="users-title">
      <div className="toolbar">
        <h1 id="users-title">{t('nav.users')}</h1>
        <span className="spacer" />
        <button type="button" className="primary" onClick={() => setEditing('new')} data-testid="new-user">
          {t('users.new')}
        </button>
      </div>
      <Loaded data={users.data} error={users.error} reload={users.reload}>
        {(list) =>
          list.length === 0 ? (
            <Empty>{t('users.none')}</Empty>
          ) : (
            <table className="table" data-testid="users">
              <thead>
                <tr>
                  <th scope="col">{t('clients.name')}</th>
                  <th scope="col">{t('clients.email')}</th>
                  <th scope="col">{t('users.role')}</th>
                  <th scope="col">{t('users.rights')}</th>
                  <ActionsHeader />
                </tr>
              </thead>
              <tbody>
                {list.map((u) => (
                  <tr key={u.id}>
                    <th scope="row">{u.name}</th>
                    <td>{u.email}</td>
                    <td>{t(dynamicKey('role', u.role))}</td>
                    <td className="rights-cell">{u.rights.map((r) => t(dynamicKey('right', r))).join(', ')}</td>
                    <EditCell name={u.name} onEdit={() => setEditing(u)} />
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Loaded>
      {editing && (
        <UserDialog
          user={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            users.reload();
          }}
        />
      )}
    </section>
  );
}

function UserDialog({ user, onClose, onSaved }: { user?: CompanyUser; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const { api } = useCompany();
  const session = useSession();
  const [email, setEmail] = useState('');
  const [name, setName] = useState(user?.name ?? '');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>(user?.role ?? 'staff');
  const [rights, setRights] = useState<Right[]>(user?.rights ?? [...PRESETS.staff]);
  const [existing, setExisting] = useState<string>();
  const action = useAction();

  const chooseRole = (next: Role) => {
    setRole(next);
    if (next !== 'custom') setRights([...PRESETS[next]]);
  };
  const toggle = (right: Right, on: boolean) => {
    const next = on ? [...rights, right] : rights.filter((r) => r !== right);
    setRights(next);
    const preset = (Object.keys(PRESETS) as (keyof typeof PRESETS)[]).find((r) => sameRights(PRESETS[r], next));
    setRole(preset ?? 'custom');
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const access = role === 'custom' ? { role, rights } : { role };
    if (user) {
      const saved = await action.run(() => api.users.update(user.id, { name: name.trim(), ...access }));
      if (saved) {
        // my own rights may have changed: the menu follows them
        if (session.state.status === 'signed_in' && session.state.me.user.id === user.id) await session.reload();
        onSaved();
      }
      return;
    }
    const created = await action.run(() => api.users.create({ email: email.trim(), name: name.trim(), password, ...access }));
    if (created?.existingAccount) setExisting(created.email);
    else if (created) onSaved();
  };

  if (existing) {
    return (
      <Dialog title={t('users.new')} onClose={onSaved}>
        <p role="status">{t('users.existingAccount', { email: existing })}</p>
        <button type="button" className="primary" onClick={onSaved}>
          {t('common.close')}
        </button>
      </Dialog>
    );
  }

  return (
    <Dialog title={user ? t('users.edit', { name: user.name }) : t('users.new')} onClose={onClose} testId="user-dialog" wide>
      <form className="stack" onSubmit={(e) => void submit(e)}>
        {!user && (
          <div className="field-row">
            <div className="field">
              <label htmlFor="ud-email">{t('clients.email')}</label>
              <input id="ud-email" type="email" required value={email} onChange={(e) => setEmail(e.target.value)} data-testid="user-email" />
            </div>
            <div className="field">
              <label htmlFor="ud-password">{t('users.password')}</label>
              <input id="ud-password" type="password" autoComplete="new-password" minLength={8} required value={password} onChange={(e) => setPassword(e.target.value)} data-testid="user-password" />
              <small className="hint">{t('users.passwordHint')}</small>
            </div>
          </div>
        )}
        <div className="field">
          <label htmlFor="ud-name">{t('clients.name')}</label>
          <input id="ud-name" required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} data-testid="user-name" />
        </div>
        <div className="field">
          <label htmlFor="ud-role">{t('users.role')}</label>
          <select id="ud-role" value={role} onChange={(e) => chooseRole(e.target.value as Role)} data-testid="user-role">
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(dynamicKey('role', r))}
              </option>
            ))}
          </select>
        </div>
        <fieldset>
          <legend>{t('users.rights')}</legend>
          <div className="rights-grid">
            {RIGHTS.map((right) => (
              <label key={right} className="checkbox">
                <input type="checkbox" checked={rights.includes(right)} onChange={(e) => toggle(right, e.target.checked)} data-testid={`right-${right}`} />
                <span>
                  {t(dynamicKey('right', right))}
                  <small className="muted"> {t(dynamicKey('rightHint', right))}</small>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        <FormFooter action={action} saveTestId="user-save" onCancel={onClose} />
      </form>
    </Dialog>
  );
}
