import { useState, type FormEvent } from 'react';
import { auth } from '../api/endpoints';
import { Dialog } from '../components/dialog';
import { ErrorNote } from '../components/error-note';
import { NewPasswordFields } from '../components/new-password-fields';
import { useI18n } from '../i18n';
import { useAction } from '../lib/use-async';
import { useSession } from '../session';

/** My account (S1, S3): the holder's own name and password, and signing out on every device. */
export function AccountDialog({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const session = useSession();
  const me = session.state.status === 'signed_in' ? session.state.me.user : undefined;
  const [name, setName] = useState(me?.name ?? '');
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [done, setDone] = useState<'name' | 'password'>();
  const renaming = useAction();
  const changing = useAction();
  const everywhere = useAction();
  if (!me) return null;

  const rename = async (event: FormEvent) => {
    event.preventDefault();
    if (await renaming.run(() => auth.rename(name.trim()))) {
      setDone('name');
      await session.reload();
    }
  };
  const changePassword = async (event: FormEvent) => {
    event.preventDefault();
    if (next !== repeat) return;
    if (await changing.run(() => auth.changePassword(current, next).then(() => true))) {
      setDone('password');
      setCurrent('');
      setNext('');
      setRepeat('');
    }
  };

  return (
    <Dialog title={t('account.title')} onClose={onClose} testId="account-dialog">
      <p className="muted">{me.email}</p>
      <form className="stack account-section" onSubmit={(e) => void rename(e)}>
        <div className="field">
          <label htmlFor="acc-name">{t('clients.name')}</label>
          <input
            id="acc-name"
            required
            maxLength={200}
            value={name}
            onChange={(e) => setName(e.target.value)}
            data-testid="account-name"
          />
        </div>
        <ErrorNote error={renaming.error} />
        {done === 'name' && <p role="status">{t('common.saved')}</p>}
        <div className="actions">
          <button type="submit" className="secondary" disabled={renaming.pending} data-testid="account-rename">
            {t('common.save')}
          </button>
        </div>
      </form>
      <form className="stack account-section" onSubmit={(e) => void changePassword(e)}>
        <h3>{t('account.changePassword')}</h3>
        <div className="field">
          <label htmlFor="acc-current">{t('account.currentPassword')}</label>
          <input
            id="acc-current"
            type="password"
            autoComplete="current-password"
            required
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
            data-testid="account-current"
          />
        </div>
        <NewPasswordFields
          idPrefix="acc"
          testIds={['account-new', 'account-repeat']}
          password={next}
          repeat={repeat}
          onPassword={setNext}
          onRepeat={setRepeat}
          row
        />
        <ErrorNote error={changing.error} testId="account-password-error" />
        {done === 'password' && (
          <p role="status" data-testid="account-password-changed">
            {t('account.passwordChanged')}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={changing.pending} data-testid="account-change-password">
            {t('account.changePassword')}
          </button>
        </div>
      </form>
      <div className="stack account-section">
        <h3>{t('account.sessions')}</h3>
        <p className="muted">{t('account.signOutEverywhereHint')}</p>
        <ErrorNote error={everywhere.error} />
        <div className="actions">
          <button
            type="button"
            className="secondary danger"
            disabled={everywhere.pending}
            onClick={() => void everywhere.run(() => session.signOutEverywhere())}
            data-testid="sign-out-everywhere"
          >
            {t('account.signOutEverywhere')}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
