import type { MyCompany, Right } from './api/types';
import type { MessageKey } from './i18n/en';

/** The app's screens under /c/{companyId}/…, the right each needs, and where they sit in the menu. */
export interface ScreenDef {
  path: string;
  label: MessageKey;
  group: MessageKey | undefined;
  right: Right;
}

export const SCREENS: readonly ScreenDef[] = [
  { path: 'calendar', label: 'nav.calendar', group: undefined, right: 'appointments.read' },
  { path: 'clients', label: 'nav.clients', group: undefined, right: 'appointments.read' },
  { path: 'catalog/services', label: 'nav.services', group: 'nav.catalog', right: 'appointments.read' },
  { path: 'catalog/products', label: 'nav.products', group: 'nav.catalog', right: 'appointments.read' },
  { path: 'staff', label: 'nav.staff', group: 'nav.catalog', right: 'appointments.read' },
  { path: 'finance/cashless', label: 'nav.cashless', group: 'nav.finance', right: 'finance.settings' },
  { path: 'reports/transactions', label: 'nav.transactions', group: 'nav.reports', right: 'reports.read' },
  { path: 'audit', label: 'nav.audit', group: 'nav.reports', right: 'reports.read' },
  { path: 'users', label: 'nav.users', group: 'nav.settings', right: 'users.manage' },
  { path: 'settings/webhooks', label: 'nav.webhooks', group: 'nav.settings', right: 'finance.settings' },
  { path: 'settings/messages', label: 'nav.messages', group: 'nav.settings', right: 'finance.settings' },
  { path: 'settings/tips', label: 'nav.tips', group: 'nav.settings', right: 'finance.settings' },
  { path: 'settings/reminders', label: 'nav.reminders', group: 'nav.settings', right: 'finance.settings' },
  { path: 'settings/branding', label: 'nav.branding', group: 'nav.settings', right: 'finance.settings' },
];

export const companyPath = (companyId: string, screen: string) => `/c/${encodeURIComponent(companyId)}/${screen}`;

/** The first screen the user may open in a company. */
export function homeOf(company: MyCompany): string | undefined {
  const screen = SCREENS.find((s) => company.rights.includes(s.right));
  return screen && companyPath(company.id, screen.path);
}
