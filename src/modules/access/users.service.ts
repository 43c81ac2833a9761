import { violatedUniqueConstraint, type Db, type Executor } from '../../db/database.js';
import { decodeCursor } from '../../http/schemas.js';
import type { Clock } from '../../shared/clock.js';
import { DomainError, notFound } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { recordAudit } from '../audit/audit.repository.js';
import { findUserByEmail, insertUser } from './access.repository.js';
import { RIGHTS, rightsFor, type Right, type Role } from './domain/rights.js';
import { hashPassword } from './password.js';
import * as repo from './users.repository.js';

export interface NewUser {
  email: string;
  password: string;
  name: string;
  role: Role;
  /** replaces the role's preset when given */
  rights?: Right[] | undefined;
}

export interface UserChanges {
  name?: string | undefined;
  role?: Role | undefined;
  rights?: Right[] | undefined;
}

/** A user as one company sees them: the account plus this company's role and rights. */
export interface Member {
  id: string;
  email: string;
  name: string;
  role: Role;
  rights: Right[];
  addedAt: Date;
}

/** Rights in the order of SPEC §4, whatever order they were granted in, unknown ones dropped. */
const canonical = (rights: readonly string[]): Right[] => RIGHTS.filter((r) => rights.includes(r));

type MemberRow = NonNullable<Awaited<ReturnType<typeof repo.findMember>>>;

const toMember = (r: MemberRow): Member => ({
  id: r.id,
  email: r.email,
  name: r.name,
  role: r.role as Role,
  rights: canonical(r.rights),
  addedAt: r.created_at,
});

const emailTaken = (email: string) => new DomainError('email_taken', `${email} is already a user of this company`, { field: 'email' });

/** Users of a company: invite (or add an existing account), set roles and rights. */
export class UsersService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async list(companyId: string, page: { limit: number; cursor?: string | undefined }) {
    const rows = await repo.listMembers(this.db, { companyId, after: decodeCursor(page.cursor), take: page.limit + 1 });
    return rows.map((r) => ({ ...toMember(r), created_at: r.created_at }));
  }

  async get(companyId: string, userId: string): Promise<Member> {
    const row = await repo.findMember(this.db, companyId, userId);
    if (!row) throw notFound('user', userId);
    return toMember(row);
  }

  /**
   * Creates the account and its membership, or, when the email already has an account (in another
   * company), adds a membership to it: the account keeps its own password and name.
   */
  async create(companyId: string, actorId: string, input: NewUser): Promise<{ user: Member; existingAccount: boolean }> {
    // Hash before the transaction (it takes tens of milliseconds), and only when it will be needed.
    const passwordHash = (await findUserByEmail(this.db, input.email)) ? undefined : await hashPassword(input.password);
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.db.transaction().execute(async (tx) => {
          const existing = await findUserByEmail(tx, input.email);
          const userId = existing?.id ?? newId('user');
          if (!existing) {
            await insertUser(tx, { id: userId, email: input.email, name: input.name, passwordHash: passwordHash ?? (await hashPassword(input.password)) });
          }
          const rights = canonical(rightsFor(input.role, input.rights));
          await repo.insertMembership(tx, { companyId, userId, role: input.role, rights });
          await this.audit(tx, companyId, actorId, 'user.created', userId, {
            email: input.email,
            role: input.role,
            rights,
            existingAccount: Boolean(existing),
          });
          return { user: toMember((await repo.findMember(tx, companyId, userId))!), existingAccount: Boolean(existing) };
        });
      } catch (error) {
        const constraint = violatedUniqueConstraint(error);
        if (constraint === 'memberships_pkey') throw emailTaken(input.email);
        // Another request created this account a moment ago: add the membership to it instead.
        if (constraint === 'users_email_key' && attempt === 0) continue;
        if (constraint === 'users_email_key') throw emailTaken(input.email);
        throw error;
      }
    }
  }

  /**
   * Changes name, role and rights. A role alone resets the rights to its preset (`custom` keeps
   * them); rights alone keep the role's name. Nobody can take users.manage away from themselves,
   * so a company always keeps someone who can manage its users.
   */
  async update(companyId: string, actorId: string, userId: string, input: UserChanges): Promise<Member> {
    return this.db.transaction().execute(async (tx) => {
      const current = await repo.lockMembership(tx, companyId, userId);
      const before = await repo.findMember(tx, companyId, userId);
      if (!current || !before) throw notFound('user', userId);
      const role = input.role ?? (current.role as Role);
      const currentRights = canonical(current.rights);
      const rights = canonical(
        input.rights !== undefined
          ? rightsFor(role, input.rights)
          : input.role !== undefined && input.role !== 'custom'
            ? rightsFor(input.role)
            : currentRights,
      );
      if (userId === actorId && currentRights.includes('users.manage') && !rights.includes('users.manage')) {
        throw new DomainError('cannot_revoke_own_users_manage', 'You cannot take users.manage away from yourself; ask another user who has it', {
          field: input.rights !== undefined ? 'rights' : 'role',
        });
      }
      const at = this.clock.now();
      if (role !== current.role || rights.join() !== currentRights.join()) {
        await repo.updateMembership(tx, companyId, userId, { role, rights });
        await this.audit(tx, companyId, actorId, 'user.rights_changed', userId, {
          role: { from: current.role, to: role },
          rights: { from: currentRights, to: rights },
        }, at);
      }
      if (input.name !== undefined && input.name !== before.name) {
        await repo.updateUserName(tx, userId, input.name);
        await this.audit(tx, companyId, actorId, 'user.updated', userId, { changes: { name: { from: before.name, to: input.name } } }, at);
      }
      return toMember((await repo.findMember(tx, companyId, userId))!);
    });
  }

  private audit(tx: Executor, companyId: string, actorId: string, action: string, entityId: string, details: Record<string, unknown>, at = this.clock.now()) {
    return recordAudit(tx, { companyId, at, actor: { type: 'user', id: actorId }, action, entityType: 'user', entityId, details });
  }
}
