import type { ReactNode } from 'react';
import { Loading } from './components/states';
import { useI18n } from './i18n';
import { Layout } from './layout';
import { matchPath, Redirect, useLocation } from './lib/router';
import { homeOf, SCREENS } from './screens-table';
import { AcceptInvitationScreen } from './screens/accept-invitation-screen';
import { AuditScreen } from './screens/audit-screen';
import { CalendarScreen } from './screens/calendar-screen';
import { CashlessSettingsScreen } from './screens/cashless-settings-screen';
import { ClientsScreen } from './screens/clients-screen';
import { LoginScreen } from './screens/login-screen';
import { ProductsScreen } from './screens/products-screen';
import { ReminderSettingsScreen } from './screens/reminder-settings-screen';
import { ServicesScreen } from './screens/services-screen';
import { StaffScreen } from './screens/staff-screen';
import { TransactionsScreen } from './screens/transactions-screen';
import { UsersScreen } from './screens/users-screen';
import { WebhooksScreen } from './screens/webhooks-screen';
import { MessagesScreen } from './screens/messages-screen';
import { TipsSettingsScreen } from './screens/tips-settings-screen';
import { BrandingScreen } from './screens/branding-screen';
import { CompanyProvider, useSession } from './session';

const SCREEN_COMPONENTS: Record<string, () => ReactNode> = {
  calendar: () => <CalendarScreen />,
  clients: () => <ClientsScreen />,
  'catalog/services': () => <ServicesScreen />,
  'catalog/products': () => <ProductsScreen />,
  staff: () => <StaffScreen />,
  'finance/cashless': () => <CashlessSettingsScreen />,
  'reports/transactions': () => <TransactionsScreen />,
  audit: () => <AuditScreen />,
  users: () => <UsersScreen />,
  'settings/webhooks': () => <WebhooksScreen />,
  'settings/messages': () => <MessagesScreen />,
  'settings/tips': () => <TipsSettingsScreen />,
  'settings/reminders': () => <ReminderSettingsScreen />,
  'settings/branding': () => <BrandingScreen />,
};

const LAST_COMPANY = 'visitpay.company';

export function App() {
  const { state } = useSession();
  const location = useLocation();
  const { t } = useI18n();

  if (state.status === 'loading') return <Loading />;
  // an invitation link opens its page whoever is signed in on this browser
  if (location.pathname === '/invite') return <AcceptInvitationScreen />;
  if (state.status === 'error') {
    return (
      <main className="centered" role="alert">
        <p>{state.error.message}</p>
      </main>
    );
  }
  if (state.status === 'signed_out') return <LoginScreen expired={state.expired} />;
  if (location.pathname === '/login') return <Redirect to="/" />;

  const { companies } = state.me;
  if (companies.length === 0) {
    return (
      <main className="centered">
        <p>{t('app.noCompanies')}</p>
      </main>
    );
  }

  const scoped = /^\/c\/([^/]+)(?:\/(.*))?$/.exec(location.pathname);
  const company = scoped ? companies.find((c) => c.id === decodeURIComponent(scoped[1]!)) : undefined;
  if (!company) {
    const last = companies.find((c) => c.id === localStorage.getItem(LAST_COMPANY) && homeOf(c));
    const home = homeOf(last ?? companies.find((c) => homeOf(c)) ?? companies[0]!);
    return home ? <Redirect to={home} /> : <NoAccess standalone />;
  }
  localStorage.setItem(LAST_COMPANY, company.id);
  const screenPath = (scoped?.[2] ?? '').replace(/\/$/, '');
  const screen = SCREENS.find((s) => matchPath(s.path, screenPath));

  let content: ReactNode;
  if (!screen) {
    const home = homeOf(company);
    content = screenPath === '' && home ? <Redirect to={home} /> : <NotFound />;
  } else if (!company.rights.includes(screen.right)) {
    content = <NoAccess />;
  } else {
    content = SCREEN_COMPONENTS[screen.path]!();
  }
  return (
    <CompanyProvider key={company.id} company={company}>
      <Layout current={screen?.path}>{content}</Layout>
    </CompanyProvider>
  );
}

function NotFound() {
  const { t } = useI18n();
  return (
    <section className="screen">
      <h1>{t('app.notFound')}</h1>
    </section>
  );
}

function NoAccess({ standalone }: { standalone?: boolean }) {
  const { t } = useI18n();
  const { signOut } = useSession();
  return (
    <section className={standalone ? 'screen centered' : 'screen'}>
      <h1>{t('app.noAccess')}</h1>
      <p>{t('app.noAccessHint')}</p>
      {standalone && (
        <button type="button" onClick={() => void signOut()}>
          {t('app.signOut')}
        </button>
      )}
    </section>
  );
}
