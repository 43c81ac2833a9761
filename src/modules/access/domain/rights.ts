/** The rights of SPEC §4, granted per user per company. */
export const RIGHTS = [
  'appointments.read',
  'appointments.write',
  'payments.record',
  'payments.refund',
  'products.sell',
  'cashless_payment',
  'finance.settings',
  'reports.read',
  'users.manage',
] as const;

export type Right = (typeof RIGHTS)[number];

export const ROLES = ['owner', 'administrator', 'staff', 'custom'] as const;
export type Role = (typeof ROLES)[number];

/** What one user may do in one company: resolved per request from the membership row. */
export interface MembershipContext {
  companyId: string;
  role: Role;
  rights: ReadonlySet<Right>;
}

/** Named presets; `custom` means the rights were chosen one by one. */
export const ROLE_RIGHTS: Record<Exclude<Role, 'custom'>, readonly Right[]> = {
  owner: RIGHTS,
  administrator: RIGHTS.filter((r) => r !== 'users.manage'),
  staff: ['appointments.read'],
};

/** The rights a membership gets: the explicit list when given, otherwise the role's preset. */
export function rightsFor(role: Role, explicit?: readonly Right[]): Right[] {
  if (explicit) return [...new Set(explicit)].sort();
  if (role === 'custom') return [];
  return [...ROLE_RIGHTS[role]];
}

export function isRight(value: string): value is Right {
  return (RIGHTS as readonly string[]).includes(value);
}
