import { createContext, type ReactNode, useContext, useEffect, useRef } from 'react';
import { useCompany } from '../session';
import { type LiveChange, useLiveUpdates } from './use-live';

type Listener = (change?: LiveChange) => void;

const Listeners = createContext<Set<Listener> | null>(null);

/**
 * One stream of the company's changes per page (R29), shared by whoever listens: the calendar
 * re-reads its cards, the notice tells staff a client paid. Only for users who may read appointments.
 */
export function CompanyLiveProvider({ children }: { children: ReactNode }) {
  const { can } = useCompany();
  const listeners = useRef(new Set<Listener>());
  return (
    <Listeners.Provider value={listeners.current}>
      {can('appointments.read') && <CompanyStream listeners={listeners.current} />}
      {children}
    </Listeners.Provider>
  );
}

function CompanyStream({ listeners }: { listeners: Set<Listener> }) {
  const { api } = useCompany();
  useLiveUpdates(api.eventsUrl, (change) => {
    for (const listener of [...listeners]) listener(change);
  });
  return null;
}

/** Calls `onChange` for each change of any of the company's appointments (and after a reconnect, without one). */
export function useCompanyChanges(onChange: Listener): void {
  const listeners = useContext(Listeners);
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => {
    if (!listeners) return;
    const listener: Listener = (change) => latest.current(change);
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, [listeners]);
}
