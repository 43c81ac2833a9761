import { violatedUniqueConstraint, type Db, type Executor } from '../../db/database.js';
import type { Clock } from '../../shared/clock.js';
import { DomainError, notFound, validation } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import type { MailTransport } from '../../shared/mail-transport.js';
import type { Origins } from '../../shared/origins.js';
import { randomToken, sha256 } from '../../shared/secrets.js';
import { recordAudit } from '../audit/index.js';
import { maskEmail } from '../links/index.js';
import { companyOrNotFound } from '../companies/index.js';
import type { SendQuotas } from '../links/index.js';
import { findMembership, findUser, findUserByEmail, insertUser } from './access.repository.js';
import type { AuthService, OpenedSession } from './auth.service.js';
import { RIGHTS, rightsFor, type Right, type Role } from './domain/rights.js';
import { renderInvitationMail } from './invitation-mail.js';
import * as repo from './invitations.repository.js';
import { hashPassword } from './password.js';
import { insertMembership } from './users.repository.js';

const INVITATION_DAYS = 7;

export interface NewInvitation {
  email: string;
  /** how the inviter calls the person; the holder picks their own name on accepting */
  name?: string | undefined;
  role: Role;
  rights?: Right[] | undefined;
}

export interface Invitation {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  rights: Right[];
  status: 'pending' | 'expired';
  sentAt: Date;
  expiresAt: Date;
}

/**
 * The answer to inviting: the same shape whether or not the email has an account (S1). With mail
 * set up the link goes to the address and is never shown; without, it is shown to the inviter once.
 */
export interface InvitationSent {
  invitation: Invitation;
  delivery: 'email' | 'link';
  inviteUrl?: string;
}

type InvitationRow = NonNullable<Awaited<ReturnType<typeof repo.findOpenInvitation>>>;

const canonical = (rights: readonly string[]): Right[] => RIGHTS.filter((r) => rights.includes(r));
const INVALID = () =>
  new DomainError(
    'not_found',
    'This invitation is not valid any more: it was accepted, revoked, replaced or has expired. Ask for a new one.',
  );

/**
 * S1: a company adds a member by inviting an email. Nothing about the account changes and no
 * access is given until the holder of the email accepts through the link: a new person chooses
 * their own password, an existing account proves itself with its password.
 */
export class InvitationsService {
  constructor(
    private readonly deps: {
      db: Db;
      clock: Clock;
      auth: AuthService;
      origins: Origins;
      mail?: MailTransport | undefined;
      quotas?: SendQuotas | undefined;
    },
  ) {}

  private get db() {
    return this.deps.db;
  }

  private toInvitation(row: InvitationRow): Invitation {
    return {
      id: row.id,
      email: row.email,
      name: row.name,
      role: row.role as Role,
      rights: canonical(row.rights),
      status: row.expires_at.getTime() > this.deps.clock.now().getTime() ? 'pending' : 'expired',
      sentAt: row.sent_at,
      expiresAt: row.expires_at,
    };
  }

  async list(companyId: string): Promise<Invitation[]> {
    return (await repo.listOpenInvitations(this.db, companyId)).map((r) => this.toInvitation(r));
  }

  /** Invites an email, or renews the open invitation of that email (a new link; the old one stops working). */
  async invite(companyId: string, actorId: string, input: NewInvitation): Promise<InvitationSent> {
    await this.assertMailQuota(companyId, input.email);
    try {
      return await this.inviteOnce(companyId, actorId, input);
    } catch (error) {
      // the same email invited twice at the same moment: the second renews the first's invitation
      if (violatedUniqueConstraint(error) !== 'invitations_open_key') throw error;
      return this.inviteOnce(companyId, actorId, input);
    }
  }

  private async inviteOnce(companyId: string, actorId: string, input: NewInvitation): Promise<InvitationSent> {
    const token = `vpi_${randomToken(32)}`;
    const at = this.deps.clock.now();
    const expiresAt = new Date(at.getTime() + INVITATION_DAYS * 86_400_000);
    const rights = canonical(rightsFor(input.role, input.rights));
    const id = await this.db.transaction().execute(async (tx) => {
      // The company knows its own members; whether the email has an account elsewhere stays unsaid.
      if (await repo.isMemberEmail(tx, companyId, input.email)) {
        throw new DomainError('email_taken', `${input.email} is already a member of this company`, { field: 'email' });
      }
      const open = await repo.lockOpenInvitationByEmail(tx, companyId, input.email);
      const invitationId = open?.id ?? newId('invitation');
      const fields = {
        tokenHash: sha256(token),
        at,
        expiresAt,
        invitedBy: actorId,
        deliveredBy: this.deliveredBy,
        role: input.role,
        rights,
        name: input.name ?? null,
      };
      if (open) await repo.renewInvitation(tx, open.id, fields);
      else await repo.insertInvitation(tx, { id: invitationId, companyId, email: input.email, ...fields });
      await this.audit(
        tx,
        companyId,
        actorId,
        'user.invited',
        invitationId,
        { email: maskEmail(input.email), role: input.role, rights },
        at,
      );
      return invitationId;
    });
    return this.deliver(companyId, actorId, id, token);
  }

  /** A new link for an open invitation, sent (or shown) again. */
  async resend(companyId: string, actorId: string, id: string): Promise<InvitationSent> {
    const token = `vpi_${randomToken(32)}`;
    const at = this.deps.clock.now();
    const current = await repo.findOpenInvitation(this.db, companyId, id);
    if (!current) throw notFound('invitation', id);
    await this.assertMailQuota(companyId, current.email);
    await this.db.transaction().execute(async (tx) => {
      const open = await repo.findOpenInvitation(tx, companyId, id);
      if (!open) throw notFound('invitation', id);
      const expiresAt = new Date(at.getTime() + INVITATION_DAYS * 86_400_000);
      await repo.renewInvitation(tx, id, {
        tokenHash: sha256(token),
        at,
        expiresAt,
        invitedBy: actorId,
        deliveredBy: this.deliveredBy,
      });
      await this.audit(tx, companyId, actorId, 'user.invitation_resent', id, { email: maskEmail(open.email) }, at);
    });
    return this.deliver(companyId, actorId, id, token);
  }

  async revoke(companyId: string, actorId: string, id: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const open = await repo.findOpenInvitation(tx, companyId, id);
      if (!open) throw notFound('invitation', id);
      const at = this.deps.clock.now();
      await repo.markRevoked(tx, id, at);
      await this.audit(tx, companyId, actorId, 'user.invitation_revoked', id, { email: maskEmail(open.email) }, at);
    });
  }

  /**
   * What the accept page shows to the holder of the link. Whether the email has an account is told
   * only when the link was emailed (its holder holds the address); a link shown to the inviter
   * answers `null`, so that inviting is no way to learn who has an account.
   */
  async lookup(token: string) {
    const row = await this.openByToken(this.db, token);
    const accountExists =
      row.delivered_by === 'email' ? (await findUserByEmail(this.db, row.email)) !== undefined : null;
    return {
      companyName: row.company_name,
      email: row.email,
      name: row.name,
      role: row.role as Role,
      accountExists,
      expiresAt: row.expires_at,
    };
  }

  /**
   * Accepts: a new person gets an account with the password they chose; an existing account must
   * give its own password (throttled like a sign-in). Then the membership exists, and a session opens.
   */
  async accept(token: string, input: { name?: string | undefined; password: string }): Promise<OpenedSession> {
    const preview = await this.openByToken(this.db, token);
    const existing = await findUserByEmail(this.db, preview.email);
    if (!existing && input.password.length < 8)
      throw validation('password', 'Choose a password of at least 8 characters');
    const account = existing
      ? await this.deps.auth.verifiedAccount(preview.email, input.password)
      : {
          id: newId('user'),
          email: preview.email,
          name: (input.name ?? preview.name ?? '').trim(),
          passwordHash: await hashPassword(input.password),
        };
    if (!existing && !account.name) throw validation('name', 'Tell us your name');
    const accepted = this.db.transaction().execute(async (tx) => {
      const row = await repo.lockInvitationByToken(tx, sha256(token));
      if (!row || !this.isOpen(row)) throw INVALID();
      // An invitation speaks for its inviter only while they may still invite (S1: a removed member's
      // invitations are revoked with them; this also covers one who merely lost users.manage).
      const inviter = await findMembership(tx, row.invited_by, row.company_id);
      if (!inviter?.rights.includes('users.manage')) throw INVALID();
      if ('passwordHash' in account) {
        if (await findUserByEmail(tx, row.email)) throw INVALID();
        await insertUser(tx, {
          id: account.id,
          email: row.email,
          name: account.name,
          passwordHash: account.passwordHash,
        });
      }
      const at = this.deps.clock.now();
      if (!(await repo.isMemberEmail(tx, row.company_id, row.email))) {
        await insertMembership(tx, {
          companyId: row.company_id,
          userId: account.id,
          role: row.role as Role,
          rights: canonical(row.rights),
        });
      }
      await repo.markAccepted(tx, row.id, account.id, at);
      await this.audit(
        tx,
        row.company_id,
        account.id,
        'user.joined',
        account.id,
        { invitationId: row.id, role: row.role, rights: canonical(row.rights), newAccount: !existing },
        at,
      );
      const user = (await findUser(tx, account.id))!;
      return this.deps.auth.openSession(tx, user);
    });
    try {
      return await accepted;
    } catch (error) {
      // the same new email accepted in two companies at the same moment: one made the account
      if (violatedUniqueConstraint(error) === 'users_email_key') {
        throw new DomainError(
          'conflict',
          'This email got its account a moment ago: open the invitation link again and accept with that password',
        );
      }
      throw error;
    }
  }

  private get deliveredBy(): 'email' | 'link' {
    return this.deps.mail ? 'email' : 'link';
  }

  /** R38: invitation emails go through the operator's mail server, so they count like payment-link emails. */
  private async assertMailQuota(companyId: string, email: string) {
    if (!this.deps.mail || !this.deps.quotas) return;
    const company = await companyOrNotFound(this.db, companyId);
    await this.deps.quotas.assertAvailable({
      companyId,
      timezone: company.timezone,
      channel: 'email',
      recipient: email,
    });
  }

  private isOpen(row: { accepted_at: Date | null; revoked_at: Date | null; expires_at: Date }) {
    return !row.accepted_at && !row.revoked_at && row.expires_at.getTime() > this.deps.clock.now().getTime();
  }

  private async openByToken(db: Executor, token: string) {
    if (!/^vpi_[A-Za-z0-9_-]{43}$/.test(token)) throw INVALID();
    const row = await repo.findInvitationByToken(db, sha256(token));
    if (!row || !this.isOpen(row)) throw INVALID();
    return row;
  }

  /** Emails the link when mail is set up; otherwise hands it to the inviter, this once. */
  private async deliver(companyId: string, actorId: string, id: string, token: string): Promise<InvitationSent> {
    const row = (await repo.findOpenInvitation(this.db, companyId, id))!;
    const invitation = this.toInvitation(row);
    // The token travels in the fragment: browsers never send it to the server, so no log keeps it.
    const url = `${this.deps.origins.public}/invite#${token}`;
    if (!this.deps.mail) return { invitation, delivery: 'link', inviteUrl: url };
    const company = await companyOrNotFound(this.db, companyId);
    const inviter = await findUser(this.db, actorId);
    const mail = renderInvitationMail({
      companyName: company.name,
      country: company.country,
      inviterName: inviter?.name ?? company.name,
      url,
      expiresAt: row.expires_at,
    });
    await this.deps.quotas?.take({ companyId, timezone: company.timezone, channel: 'email', recipient: row.email });
    try {
      await this.deps.mail.send({ fromName: company.name, to: row.email, ...mail });
    } catch (error) {
      throw new DomainError(
        'email_send_failed',
        `The invitation is saved, but the email could not be sent (${error instanceof Error ? error.message : String(error)}); try Resend`,
        {
          invitationId: id,
        },
      );
    }
    return { invitation, delivery: 'email' };
  }

  private audit(
    tx: Executor,
    companyId: string,
    actorId: string,
    action: string,
    entityId: string,
    details: Record<string, unknown>,
    at: Date,
  ) {
    const entityType = entityId.startsWith('inv_') ? 'invitation' : 'user';
    return recordAudit(tx, {
      companyId,
      at,
      actor: { type: 'user', id: actorId },
      action,
      entityType,
      entityId,
      details,
    });
  }
}
