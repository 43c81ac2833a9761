import { useEffect, useState, type ReactNode } from 'react';
import { LANGUAGES, useI18n, type Lang } from './i18n';
import { Link, navigate } from './lib/router';
import { companyPath, homeOf, SCREENS } from './screens-table';
import { LinkReachBanner } from './components/link-reach';
import { PaidNotices } from './components/paid-notices';
import { CompanyLiveProvider } from './lib/company-live';
import { AccountDialog } from './screens/account-dialog';
import { useCompany, useSession } from './session';

/** Header (company switcher, language, user) and the menu of the screens the user's rights open. */
export function Layout({ current, children }: { current: string | undefined; children: ReactNode }) {
  const { t, lang, setLang } = useI18n();
  const { state, signOut } = useSession();
  const { company, can } = useCompany();
  const [accountOpen, setAccountOpen] = useState(false);
  // below 900 px the menu folds behind a button; opening a screen folds it again
  const [menuOpen, setMenuOpen] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a change of screen is what folds the menu
  useEffect(() => setMenuOpen(false), [current]);
  if (state.status !== 'signed_in') return null;
  const { me } = state;

  const switchTo = (companyId: string) => {
    const next = me.companies.find((c) => c.id === companyId);
    if (!next) return;
    const same = SCREENS.find((s) => s.path === current && next.rights.includes(s.right));
    const target = same ? companyPath(next.id, same.path) : homeOf(next);
    if (target) navigate(target);
  };

  const visible = SCREENS.filter((s) => can(s.right));
  let lastGroup: string | undefined;

  return (
    <div className={menuOpen ? 'shell menu-open' : 'shell'}>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="topbar">
        <button
          type="button"
          className="menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="main-menu"
          onClick={() => setMenuOpen((open) => !open)}
          data-testid="menu-toggle"
        >
          <span aria-hidden="true">☰</span> {t('app.menuButton')}
        </button>
        <span className="brand">Visitpay</span>
        {me.companies.length > 1 ? (
          <label className="company-switcher">
            <span className="visually-hidden">{t('app.company')}</span>
            <select
              value={company.id}
              onChange={(event) => switchTo(event.target.value)}
              data-testid="company-switcher"
            >
              {me.companies.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <span className="company-name" data-testid="company-name">
            {company.name}
          </span>
        )}
        <span className="spacer" />
        {/* on a phone these take a line of their own, shown with the menu */}
        <div className="topbar-user">
          <label className="language">
            <span className="visually-hidden">{t('app.language')}</span>
            <select value={lang} onChange={(event) => setLang(event.target.value as Lang)} data-testid="language">
              {LANGUAGES.map((l) => (
                <option key={l.code} value={l.code}>
                  {l.name}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            className="link user-name"
            title={t('account.title')}
            onClick={() => setAccountOpen(true)}
            data-testid="my-account"
          >
            {me.user.name}
          </button>
          <button type="button" className="secondary" onClick={() => void signOut()} data-testid="sign-out">
            {t('app.signOut')}
          </button>
        </div>
      </header>
      <nav id="main-menu" className={menuOpen ? 'sidebar open' : 'sidebar'} aria-label={t('app.menu')}>
        <ul>
          {visible.map((screen) => {
            const groupHeading = screen.group && screen.group !== lastGroup ? screen.group : undefined;
            lastGroup = screen.group;
            return (
              <li key={screen.path}>
                {groupHeading && <span className="nav-group">{t(groupHeading)}</span>}
                <Link
                  to={companyPath(company.id, screen.path)}
                  aria-current={screen.path === current ? 'page' : undefined}
                  // the screen already open changes nothing else: fold the menu here too
                  onClick={() => setMenuOpen(false)}
                  data-testid={`nav-${screen.path.replace('/', '-')}`}
                >
                  {t(screen.label)}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      <CompanyLiveProvider>
        <main id="main" className="content" tabIndex={-1}>
          <LinkReachBanner />
          {children}
        </main>
        <PaidNotices />
      </CompanyLiveProvider>
      {accountOpen && <AccountDialog onClose={() => setAccountOpen(false)} />}
    </div>
  );
}
