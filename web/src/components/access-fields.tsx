import { useState } from 'react';
import { RIGHTS, ROLES, type Right, type Role } from '../api/types';
import { dynamicKey, useI18n } from '../i18n';

/** The role presets of SPEC §4; `custom` means rights chosen one by one. */
const PRESETS: Record<Exclude<Role, 'custom'>, readonly Right[]> = {
  owner: RIGHTS,
  administrator: RIGHTS.filter((r) => r !== 'users.manage'),
  staff: ['appointments.read'],
};

const sameRights = (a: readonly Right[], b: readonly Right[]) => a.length === b.length && a.every((r) => b.includes(r));

/** A role and its rights as one value: ticking a right that breaks the preset makes the role `custom`. */
export function useAccess(initial: { role: Role; rights: Right[] } = { role: 'staff', rights: [...PRESETS.staff] }) {
  const [role, setRole] = useState<Role>(initial.role);
  const [rights, setRights] = useState<Right[]>(initial.rights);
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
  /** what the API takes: a preset by name, custom rights one by one */
  const body = role === 'custom' ? { role, rights } : { role };
  return { role, rights, chooseRole, toggle, body };
}

export type Access = ReturnType<typeof useAccess>;

/** The role select and the rights checkboxes of a member or an invitation. */
export function AccessFields({ access, idPrefix }: { access: Access; idPrefix: string }) {
  const { t } = useI18n();
  return (
    <>
      <div className="field">
        <label htmlFor={`${idPrefix}-role`}>{t('users.role')}</label>
        <select
          id={`${idPrefix}-role`}
          value={access.role}
          onChange={(e) => access.chooseRole(e.target.value as Role)}
          data-testid="user-role"
        >
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
              <input
                type="checkbox"
                checked={access.rights.includes(right)}
                onChange={(e) => access.toggle(right, e.target.checked)}
                data-testid={`right-${right}`}
              />
              <span>
                {t(dynamicKey('right', right))}
                <small className="muted"> {t(dynamicKey('rightHint', right))}</small>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
    </>
  );
}
