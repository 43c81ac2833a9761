import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { hasCsrfCookie, setUnauthenticatedHandler } from './api/client';
import { auth, companyApi, type CompanyApi } from './api/endpoints';
import type { CashlessSettings, Me, MyCompany, Right } from './api/types';
import { useResource, type Resource } from './lib/use-async';

type SessionState =
  | { status: 'loading' }
  | { status: 'signed_out'; expired: boolean }
  | { status: 'signed_in'; me: Me }
  | { status: 'error'; error: Error };

interface Session {
  state: SessionState;
  signIn: (email: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
  /** S3: ends every session of the account, on every device */
  signOutEverywhere: () => Promise<void>;
  reload: () => Promise<void>;
}

const SessionContext = createContext<Session | undefined>(undefined);

/** Who is signed in: GET /me on start; a 401 anywhere later brings the sign-in screen back. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const reload = useCallback(async () => {
    // The CSRF cookie lives exactly as long as the session cookie; without it there is no session to ask about.
    if (!hasCsrfCookie()) return setState({ status: 'signed_out', expired: false });
    try {
      setState({ status: 'signed_in', me: await auth.me() });
    } catch (error) {
      const status = (error as { status?: number }).status;
      setState(status === 401 ? { status: 'signed_out', expired: false } : { status: 'error', error: error as Error });
    }
  }, []);

  useEffect(() => {
    void reload();
    setUnauthenticatedHandler(() => setState({ status: 'signed_out', expired: true }));
    return () => setUnauthenticatedHandler(undefined);
  }, [reload]);

  const signIn = useCallback(
    async (email: string, password: string) => {
      await auth.login(email, password);
      await reload();
    },
    [reload],
  );

  const signOut = useCallback(async () => {
    try {
      await auth.logout();
    } finally {
      setState({ status: 'signed_out', expired: false });
    }
  }, []);

  const signOutEverywhere = useCallback(async () => {
    await auth.logoutEverywhere();
    setState({ status: 'signed_out', expired: false });
  }, []);

  const value = useMemo(
    () => ({ state, signIn, signOut, signOutEverywhere, reload }),
    [state, signIn, signOut, signOutEverywhere, reload],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

interface CompanyScope {
  company: MyCompany;
  api: CompanyApi;
  /** the user's right in this company; the UI hides what the API would refuse (SPEC §4) */
  can: (right: Right) => boolean;
  /** GET settings/cashless for users who may read it; undefined data for the others */
  cashless: Resource<CashlessSettings | undefined>;
  /** "Copy payment link" and friends are offered (R1, R2) */
  linksOffered: boolean;
}

const CompanyContext = createContext<CompanyScope | undefined>(undefined);

export function CompanyProvider({ company, children }: { company: MyCompany; children: ReactNode }) {
  const api = useMemo(() => companyApi(company.id), [company.id]);
  const can = useCallback((right: Right) => company.rights.includes(right), [company.rights]);
  const mayReadCashless = can('finance.settings') || can('cashless_payment');
  const cashless = useResource(async () => (mayReadCashless ? api.cashless.get() : undefined), [api, mayReadCashless]);
  const linksOffered = can('cashless_payment') && cashless.data?.available === true;
  const value = useMemo(
    () => ({ company, api, can, cashless, linksOffered }),
    [company, api, can, cashless, linksOffered],
  );
  return <CompanyContext.Provider value={value}>{children}</CompanyContext.Provider>;
}

export function useCompany(): CompanyScope {
  const value = useContext(CompanyContext);
  if (!value) throw new Error('useCompany outside CompanyProvider');
  return value;
}
