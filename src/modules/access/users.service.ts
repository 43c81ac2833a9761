import type { Db, Executor } from '../../db/database.js';
import { decodeCursor } from '../../db/paging.js';
import type { Clock } from '../../shared/clock.js';
import { DomainError, notFound } from '../../shared/errors.js';
import { recordAudit } from '../audit/index.js';
import { RIGHTS, rightsFor, type Right, type Role } from './domain/rights.js';
import { revokeInvitationsSentBy } from './invitations.repository.js';
import * as repo from './users.repository.js';

export interface UserChanges {
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

/** Members of a company: list them, set their roles and rights, remove them. Adding one is an invitation (invitations.service.ts). */
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
   * Changes a member's role and rights here; the account itself (name, email, password) belongs to
   * its holder (S1). A role alone resets the rights to its preset (`custom` keeps them); rights
   * alone keep the role's name. Nobody can take users.manage away from themselves, so a company
   * always keeps someone who can manage its users.
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
        throw new DomainError(
          'cannot_revoke_own_users_manage',
          'You cannot take users.manage away from yourself; ask another user who has it',
          {
            field: input.rights !== undefined ? 'rights' : 'role',
          },
        );
      }
      const at = this.clock.now();
      if (role !== current.role || rights.join() !== currentRights.join()) {
        await repo.updateMembership(tx, companyId, userId, { role, rights });
        await this.audit(
          tx,
          companyId,
          actorId,
          'user.rights_changed',
          userId,
          {
            role: { from: current.role, to: role },
            rights: { from: currentRights, to: rights },
          },
          at,
        );
      }
      return toMember((await repo.findMember(tx, companyId, userId))!);
    });
  }

  /**
   * S1: ends a member's access to this company at once (every request checks the membership);
   * the account and its other companies stay. Nobody removes themselves, so a company keeps
   * whoever manages its users.
   */
  async remove(companyId: string, actorId: string, userId: string): Promise<void> {
    if (userId === actorId)
      throw new DomainError('cannot_remove_self', 'You cannot remove yourself; ask another user who has users.manage', {
        field: 'id',
      });
    await this.db.transaction().execute(async (tx) => {
      const member = await repo.findMember(tx, companyId, userId);
      if (!member) throw notFound('user', userId);
      await repo.deleteMembership(tx, companyId, userId);
      const invitationsRevoked = await revokeInvitationsSentBy(tx, companyId, userId, this.clock.now());
      await this.audit(tx, companyId, actorId, 'user.removed', userId, {
        email: member.email,
        role: member.role,
        invitationsRevoked,
      });
    });
  }

  private audit(
    tx: Executor,
    companyId: string,
    actorId: string,
    action: string,
    entityId: string,
    details: Record<string, unknown>,
    at = this.clock.now(),
  ) {
    return recordAudit(tx, {
      companyId,
      at,
      actor: { type: 'user', id: actorId },
      action,
      entityType: 'user',
      entityId,
      details,
    });
  }
}
