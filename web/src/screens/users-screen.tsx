import { useState, type FormEvent } from 'react';
import type { CompanyUser, Invitation, InvitationSent } from '../api/types';
import { AccessFields, useAccess } from '../components/access-fields';
import { BackupNote } from '../components/backup-note';
import { Dialog } from '../components/dialog';
import { ErrorNote } from '../components/error-note';
import { FormFooter } from '../components/form-footer';
import { ActionsHeader } from '../components/row-edit';
import { ListScreen } from '../components/list-screen';
import { dynamicKey, useI18n } from '../i18n';
import { formatInstant } from '../lib/zoned-time';
import { useAction, useResource, type Resource } from '../lib/use-async';
import { useCompany, useSession } from '../session';
import { InvitationSentDialog, InviteDialog } from './invite-dialog';

/**
 * Members and rights (users.manage): who may do what in this company, who is invited and has not
 * accepted yet, and removing someone who left (their access ends at once).
 */
export function UsersScreen() {
  const { t } = useI18n();
  const { api } = useCompany();
  const session = useSession();
  const myId = session.state.status === 'signed_in' ? session.state.me.user.id : undefined;
  const users = useResource(() => api.users.list(), [api]);
  const invitations = useResource(() => api.invitations.list(), [api]);
  const [dialog, setDialog] = useState<
    { kind: 'invite' } | { kind: 'edit' | 'remove'; user: CompanyUser } | { kind: 'sent'; sent: InvitationSent }
  >();
  const close = () => setDialog(undefined);

  return (
    <ListScreen
      name="users"
      title={t('nav.users')}
      create={{ label: t('users.invite'), onClick: () => setDialog({ kind: 'invite' }), testId: 'new-user' }}
      rows={users}
      empty={t('users.none')}
      columns={[
        { header: t('clients.name'), cell: (u) => u.name },
        { header: t('clients.email'), cell: (u) => u.email },
        { header: t('users.role'), cell: (u) => t(dynamicKey('role', u.role)) },
        {
          header: t('users.rights'),
          cell: (u) => u.rights.map((r) => t(dynamicKey('right', r))).join(', '),
          className: 'rights-cell',
        },
      ]}
      rowTestId={(u) => `user-${u.email}`}
      actions={(u) => (
        <td className="row-actions">
          <button
            type="button"
            className="secondary small"
            onClick={() => setDialog({ kind: 'edit', user: u })}
            aria-label={t('common.editNamed', { name: u.name })}
          >
            {t('common.edit')}
          </button>
          {u.id !== myId && (
            <button
              type="button"
              className="secondary small danger"
              onClick={() => setDialog({ kind: 'remove', user: u })}
              aria-label={t('users.removeNamed', { name: u.name })}
              data-testid="remove-user"
            >
              {t('common.remove')}
            </button>
          )}
        </td>
      )}
    >
      <PendingInvitations invitations={invitations} onSent={(sent) => setDialog({ kind: 'sent', sent })} />
      <BackupNote />
      {dialog?.kind === 'invite' && <InviteDialog onClose={close} onInvited={invitations.reload} />}
      {dialog?.kind === 'sent' && <InvitationSentDialog sent={dialog.sent} onClose={close} />}
      {dialog?.kind === 'edit' && (
        <EditAccessDialog
          user={dialog.user}
          onClose={close}
          onSaved={() => {
            close();
            users.reload();
          }}
        />
      )}
      {dialog?.kind === 'remove' && (
        <RemoveMemberDialog
          user={dialog.user}
          onClose={close}
          onRemoved={() => {
            close();
            users.reload();
          }}
        />
      )}
    </ListScreen>
  );
}

function PendingInvitations({
  invitations,
  onSent,
}: {
  invitations: Resource<Invitation[]>;
  onSent: (sent: InvitationSent) => void;
}) {
  const { t, locale } = useI18n();
  const { api, company } = useCompany();
  const action = useAction();
  const list = invitations.data ?? [];
  if (list.length === 0) return null;
  const resend = async (id: string) => {
    const sent = await action.run(() => api.invitations.resend(id));
    if (sent) {
      invitations.reload();
      onSent(sent);
    }
  };
  const revoke = async (id: string) => {
    const done = await action.run(() => api.invitations.revoke(id).then(() => true));
    if (done) invitations.reload();
  };
  return (
    <section aria-labelledby="invitations-title" className="stack pending-invitations">
      <h2 id="invitations-title">{t('users.pending')}</h2>
      <ErrorNote error={action.error} />
      <table className="table" data-testid="invitations">
        <thead>
          <tr>
            <th scope="col">{t('clients.email')}</th>
            <th scope="col">{t('users.role')}</th>
            <th scope="col">{t('users.invitationStatus')}</th>
            <ActionsHeader />
          </tr>
        </thead>
        <tbody>
          {list.map((i) => (
            <tr key={i.id} data-testid={`invitation-${i.email}`}>
              <th scope="row">{i.email}</th>
              <td>{t(dynamicKey('role', i.role))}</td>
              <td>
                {i.status === 'pending'
                  ? t('users.invitedUntil', { date: formatInstant(i.expiresAt, company.timezone, locale) })
                  : t('users.invitationExpired')}
              </td>
              <td className="row-actions">
                <button
                  type="button"
                  className="secondary small"
                  disabled={action.pending}
                  onClick={() => void resend(i.id)}
                  data-testid="invitation-resend"
                >
                  {t('users.resend')}
                </button>
                <button
                  type="button"
                  className="secondary small danger"
                  disabled={action.pending}
                  onClick={() => void revoke(i.id)}
                  data-testid="invitation-revoke"
                >
                  {t('users.revoke')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** A member's role and rights here; their name and password are theirs alone (S1). */
function EditAccessDialog({ user, onClose, onSaved }: { user: CompanyUser; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const { api } = useCompany();
  const session = useSession();
  const access = useAccess({ role: user.role, rights: user.rights });
  const action = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const saved = await action.run(() => api.users.update(user.id, access.body));
    if (!saved) return;
    // my own rights may have changed: the menu follows them
    if (session.state.status === 'signed_in' && session.state.me.user.id === user.id) await session.reload();
    onSaved();
  };

  return (
    <Dialog title={t('users.edit', { name: user.name })} onClose={onClose} testId="user-dialog" wide>
      <form className="stack" onSubmit={(e) => void submit(e)}>
        <p className="muted">{t('users.accountOwnHint', { email: user.email })}</p>
        <AccessFields access={access} idPrefix="ud" />
        <FormFooter action={action} saveTestId="user-save" onCancel={onClose} />
      </form>
    </Dialog>
  );
}

function RemoveMemberDialog({
  user,
  onClose,
  onRemoved,
}: {
  user: CompanyUser;
  onClose: () => void;
  onRemoved: () => void;
}) {
  const { t } = useI18n();
  const { api, company } = useCompany();
  const action = useAction();
  const remove = async () => {
    const done = await action.run(() => api.users.remove(user.id).then(() => true));
    if (done) onRemoved();
  };
  return (
    <Dialog title={t('users.removeNamed', { name: user.name })} onClose={onClose} testId="remove-dialog">
      <p>{t('users.removeHint', { name: user.name, company: company.name })}</p>
      <ErrorNote error={action.error} />
      <div className="actions">
        <button
          type="button"
          className="danger"
          disabled={action.pending}
          onClick={() => void remove()}
          data-testid="remove-confirm"
        >
          {t('common.remove')}
        </button>
        <button type="button" className="secondary" onClick={onClose}>
          {t('common.cancel')}
        </button>
      </div>
    </Dialog>
  );
}
