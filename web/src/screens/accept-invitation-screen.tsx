import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { invitationLinks } from '../api/endpoints';
import { NewPasswordFields } from '../components/new-password-fields';
import { Loading } from '../components/states';
import { dynamicKey, useI18n } from '../i18n';
import { navigate } from '../lib/router';
import { useAction, useResource } from '../lib/use-async';
import { useSession } from '../session';

/**
 * The page an invitation link opens (`/invite#<token>`; the token stays in the fragment, which
 * browsers never send to a server). A new person chooses their name and password; an existing
 * account accepts with its own password (S1).
 */
export function AcceptInvitationScreen() {
  const { t } = useI18n();
  const session = useSession();
  const [token] = useState(() => window.location.hash.slice(1));
  const invitation = useResource(() => invitationLinks.lookup(token), [token]);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  // when the server does not say (a link handed over by the inviter), the person says which they are
  const [claimsAccount, setClaimsAccount] = useState(false);
  const action = useAction();

  if (invitation.loading && !invitation.data) return <Loading />;
  const found = invitation.data;
  if (!found) {
    return (
      <main className="login">
        <div className="card login-card" role="alert" data-testid="invitation-invalid">
          <h1>Visitpay</h1>
          <p>{t('invite.invalid')}</p>
          <a href="/">{t('invite.toSignIn')}</a>
        </div>
      </main>
    );
  }

  const isNew = found.accountExists === null ? !claimsAccount : !found.accountExists;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (isNew && password !== repeat) return;
    const accepted = await action.run(() =>
      invitationLinks.accept(token, isNew ? { name: name.trim() || (found.name ?? ''), password } : { password }),
    );
    if (!accepted) return;
    await session.reload();
    // replacing the entry drops the token from the address bar and the history
    navigate('/', { replace: true });
  };
  const error = action.error;
  const message =
    error instanceof ApiError && error.code === 'invalid_credentials' ? t('invite.wrongPassword') : error?.message;

  return (
    <main className="login">
      <form
        className="card login-card"
        onSubmit={(e) => void submit(e)}
        aria-labelledby="invite-title"
        data-testid="accept-form"
      >
        <h1 id="invite-title">{t('invite.title', { company: found.companyName })}</h1>
        <p className="muted">{t('invite.as', { email: found.email, role: t(dynamicKey('role', found.role)) })}</p>
        {found.accountExists === null && (
          <fieldset className="stack">
            <legend className="visually-hidden">{t('invite.whoAreYou')}</legend>
            <label className="checkbox">
              <input
                type="radio"
                name="inv-kind"
                checked={!claimsAccount}
                onChange={() => setClaimsAccount(false)}
                data-testid="accept-kind-new"
              />
              <span>{t('invite.kindNew')}</span>
            </label>
            <label className="checkbox">
              <input
                type="radio"
                name="inv-kind"
                checked={claimsAccount}
                onChange={() => setClaimsAccount(true)}
                data-testid="accept-kind-existing"
              />
              <span>{t('invite.kindExisting')}</span>
            </label>
          </fieldset>
        )}
        {isNew ? (
          <>
            <p>{t('invite.newHint')}</p>
            <div className="field">
              <label htmlFor="inv-accept-name">{t('clients.name')}</label>
              <input
                id="inv-accept-name"
                required
                maxLength={200}
                autoComplete="name"
                defaultValue={found.name ?? ''}
                onChange={(e) => setName(e.target.value)}
                data-testid="accept-name"
              />
            </div>
            <NewPasswordFields
              idPrefix="inv-accept"
              testIds={['accept-password', 'accept-repeat']}
              password={password}
              repeat={repeat}
              onPassword={setPassword}
              onRepeat={setRepeat}
            />
          </>
        ) : (
          <>
            <p>{found.accountExists === null ? t('invite.existingChosenHint') : t('invite.existingHint')}</p>
            <input type="email" autoComplete="username" value={found.email} readOnly hidden />
            <div className="field">
              <label htmlFor="inv-accept-password">{t('login.password')}</label>
              <input
                id="inv-accept-password"
                type="password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                data-testid="accept-password"
              />
            </div>
          </>
        )}
        {message && (
          <div className="error-note" role="alert" data-testid="accept-error">
            {message}
          </div>
        )}
        <button type="submit" className="primary" disabled={action.pending} data-testid="accept-submit">
          {t('invite.accept')}
        </button>
      </form>
    </main>
  );
}
