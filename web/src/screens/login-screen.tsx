import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { LANGUAGES, useI18n, type Lang } from '../i18n';
import { useAction } from '../lib/use-async';
import { useSession } from '../session';

export function LoginScreen({ expired }: { expired: boolean }) {
  const { t, lang, setLang } = useI18n();
  const { signIn } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const action = useAction();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run(() => signIn(email.trim(), password));
  };
  const error = action.error;
  const message =
    error instanceof ApiError && error.code === 'invalid_credentials'
      ? t('login.invalid')
      : error instanceof ApiError && error.code === 'rate_limited'
        ? t('login.rateLimited')
        : error?.message;

  return (
    <main className="login">
      <form className="card login-card" onSubmit={submit} aria-labelledby="login-title" data-testid="login-form">
        <h1 id="login-title">Visitpay</h1>
        <p className="muted">{t('login.subtitle')}</p>
        {expired && (
          <p className="notice" role="status">
            {t('login.expired')}
          </p>
        )}
        <div className="field">
          <label htmlFor="login-email">{t('login.email')}</label>
          <input
            id="login-email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            data-testid="login-email"
          />
        </div>
        <div className="field">
          <label htmlFor="login-password">{t('login.password')}</label>
          <input
            id="login-password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            data-testid="login-password"
          />
        </div>
        {message && (
          <div className="error-note" role="alert" data-testid="login-error">
            {message}
          </div>
        )}
        <button type="submit" className="primary" disabled={action.pending} data-testid="login-submit">
          {action.pending ? t('login.signingIn') : t('login.signIn')}
        </button>
        <label className="language">
          <span>{t('app.language')}</span>{' '}
          <select value={lang} onChange={(e) => setLang(e.target.value as Lang)}>
            {LANGUAGES.map((l) => (
              <option key={l.code} value={l.code}>
                {l.name}
              </option>
            ))}
          </select>
        </label>
      </form>
    </main>
  );
}
