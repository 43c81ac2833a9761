import { useState, type FormEvent } from 'react';
import type { InvitationSent } from '../api/types';
import { AccessFields, useAccess } from '../components/access-fields';
import { Dialog } from '../components/dialog';
import { FormFooter } from '../components/form-footer';
import { useI18n } from '../i18n';
import { copyText } from '../lib/clipboard';
import { useAction } from '../lib/use-async';
import { useCompany } from '../session';

/**
 * Adds a member by invitation (S1): nobody sets another person's password. The link goes by
 * email, or, without mail on this server, is shown here once to hand over.
 */
export function InviteDialog({ onClose, onInvited }: { onClose: () => void; onInvited: () => void }) {
  const { t } = useI18n();
  const { api } = useCompany();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const access = useAccess();
  const action = useAction();
  const [sent, setSent] = useState<InvitationSent>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await action.run(() =>
      api.users.invite({ email: email.trim(), ...(name.trim() ? { name: name.trim() } : {}), ...access.body }),
    );
    if (result) {
      setSent(result);
      onInvited();
    }
  };

  if (sent) return <InvitationSentDialog sent={sent} onClose={onClose} />;

  return (
    <Dialog title={t('users.invite')} onClose={onClose} testId="invite-dialog" wide>
      <form className="stack" onSubmit={(e) => void submit(e)}>
        <p className="muted">{t('users.inviteHint')}</p>
        <div className="field-row">
          <div className="field">
            <label htmlFor="inv-email">{t('clients.email')}</label>
            <input
              id="inv-email"
              type="email"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              data-testid="invite-email"
            />
          </div>
          <div className="field">
            <label htmlFor="inv-name">
              {t('clients.name')} <small className="muted">({t('common.optional')})</small>
            </label>
            <input
              id="inv-name"
              maxLength={200}
              value={name}
              onChange={(e) => setName(e.target.value)}
              data-testid="invite-name"
            />
          </div>
        </div>
        <AccessFields access={access} idPrefix="inv" />
        <FormFooter action={action} saveTestId="invite-send" onCancel={onClose} saveLabel={t('users.inviteSend')} />
      </form>
    </Dialog>
  );
}

/** After inviting or resending: where the link went, or the link itself, this once. */
export function InvitationSentDialog({ sent, onClose }: { sent: InvitationSent; onClose: () => void }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  return (
    <Dialog title={t('users.invite')} onClose={onClose} testId="invitation-sent">
      {sent.delivery === 'email' || !sent.inviteUrl ? (
        <p role="status">{t('users.invitationEmailed', { email: sent.invitation.email })}</p>
      ) : (
        <div className="stack" role="status">
          <p>{t('users.invitationLink', { email: sent.invitation.email })}</p>
          <code className="secret" data-testid="invite-url">
            {sent.inviteUrl}
          </code>
          <div className="actions">
            <button
              type="button"
              className="secondary"
              onClick={() => void copyText(sent.inviteUrl!).then(setCopied)}
              data-testid="invite-copy"
            >
              {copied ? t('common.copied') : t('common.copy')}
            </button>
          </div>
          <small className="muted">{t('users.invitationLinkOnce')}</small>
        </div>
      )}
      <div className="actions">
        <button type="button" className="primary" onClick={onClose} data-testid="invitation-sent-close">
          {t('common.close')}
        </button>
      </div>
    </Dialog>
  );
}
