import type { Db, Executor } from '../../db/database.js';
import type { Clock } from '../../shared/clock.js';
import { DomainError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { randomToken, sha256 } from '../../shared/secrets.js';
import * as repo from './access.repository.js';
import { isRight, type Right, type Role } from './domain/rights.js';
import {
  clearLoginAttempts,
  DEFAULT_LOGIN_THROTTLE,
  takeLoginAttempt,
  type LoginThrottlePolicy,
} from './login-throttle.js';
import { dummyPasswordHash, hashPassword, verifyPassword } from './password.js';
import type { MembershipContext } from './domain/rights.js';

const SESSION_DAYS = 7;

export interface OpenedSession {
  token: string;
  expiresAt: Date;
  user: { id: string; email: string; name: string };
}

export const wrongCredentials = () => new DomainError('invalid_credentials', 'Wrong email or password');

/** Sessions, sign-in and what an account holder does to their own account (S3, S9). */
export class AuthService {
  private readonly throttle: LoginThrottlePolicy;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly options: {
      secretKey: string;
      companiesPerAccount: number;
      throttle?: Partial<LoginThrottlePolicy>;
    },
  ) {
    this.throttle = { ...DEFAULT_LOGIN_THROTTLE, ...options.throttle, secretKey: options.secretKey };
  }

  /**
   * Checks the password and opens a session; the token is returned once and stored only as a hash.
   * Throttled per account (S9) before the password is checked, whichever address the tries come from.
   */
  async login(email: string, password: string): Promise<OpenedSession> {
    const user = await this.verifiedAccount(email, password);
    return this.openSession(this.db, user);
  }

  /** The account of `email` if `password` is its password, counting the try against the account's throttle. */
  async verifiedAccount(email: string, password: string) {
    await takeLoginAttempt(this.db, email, this.clock.now(), this.throttle);
    const user = await repo.findUserByEmail(this.db, email);
    const ok = await verifyPassword(user?.password_hash ?? (await dummyPasswordHash()), password);
    if (!user || !ok) throw wrongCredentials();
    await clearLoginAttempts(this.db, email, this.throttle);
    return user;
  }

  async openSession(db: Executor, user: { id: string; email: string; name: string }): Promise<OpenedSession> {
    const token = `vps_${randomToken(32)}`;
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + SESSION_DAYS * 86_400_000);
    await repo.insertSession(db, {
      id: newId('session'),
      tokenHash: sha256(token),
      userId: user.id,
      createdAt: now,
      expiresAt,
    });
    return { token, expiresAt, user: { id: user.id, email: user.email, name: user.name } };
  }

  async authenticate(token: string): Promise<{ sessionId: string; userId: string } | undefined> {
    if (!token.startsWith('vps_') || token.length > 100) return undefined;
    const session = await repo.findLiveSession(this.db, sha256(token), this.clock.now());
    return session ? { sessionId: session.id, userId: session.user_id } : undefined;
  }

  async logout(sessionId: string): Promise<void> {
    await repo.revokeSession(this.db, sessionId, this.clock.now());
  }

  /** S3: ends every session of the account, this one included. */
  async logoutEverywhere(userId: string): Promise<void> {
    await repo.revokeSessionsOf(this.db, userId, this.clock.now());
  }

  /**
   * S3: the holder changes their own password, proving the current one (throttled like a sign-in);
   * every other session of the account ends, so whoever knew the old password is out.
   */
  async changePassword(
    userId: string,
    sessionId: string,
    input: { currentPassword: string; newPassword: string },
  ): Promise<void> {
    const account = await repo.findUser(this.db, userId);
    if (!account) throw new DomainError('unauthenticated', 'Session user no longer exists');
    try {
      await this.verifiedAccount(account.email, input.currentPassword);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'invalid_credentials') {
        throw new DomainError('invalid_credentials', 'The current password is wrong', { field: 'currentPassword' });
      }
      throw error;
    }
    const passwordHash = await hashPassword(input.newPassword);
    await this.db.transaction().execute(async (tx) => {
      await repo.updatePassword(tx, userId, passwordHash);
      await repo.revokeSessionsOf(tx, userId, this.clock.now(), sessionId);
    });
  }

  /** S1: an account's name is changed by its holder only. */
  async rename(userId: string, name: string): Promise<void> {
    await repo.updateUserName(this.db, userId, name);
  }

  /**
   * S2: only owners of a company (holding users.manage there, not just the role's name) create
   * companies, and no more than the installation allows per account: each company comes with its own
   * sending quotas (R38), so a cap keeps one account from multiplying them.
   */
  async assertMayCreateCompany(userId: string): Promise<void> {
    const owned = await repo.companiesOwnedBy(this.db, userId);
    if (owned === 0)
      throw new DomainError('forbidden', 'Only an owner of a company can create another one', { right: 'owner' });
    if (owned >= this.options.companiesPerAccount) {
      throw new DomainError(
        'forbidden',
        `An account may own at most ${this.options.companiesPerAccount} companies on this server (VISITPAY_COMPANIES_PER_ACCOUNT)`,
        {
          right: 'owner',
        },
      );
    }
  }

  /**
   * For responses that outlive their request (event streams): whether the session is still live
   * and the user still holds `right` in the company, so that a removed member or a signed-out
   * session stops receiving at once (S1, S3).
   */
  async stillAllowed(sessionId: string, userId: string, companyId: string, right: Right): Promise<boolean> {
    const [live, membership] = await Promise.all([
      repo.isSessionLive(this.db, sessionId, this.clock.now()),
      this.membership(userId, companyId),
    ]);
    return live && membership?.rights.has(right) === true;
  }

  async membership(userId: string, companyId: string): Promise<MembershipContext | undefined> {
    const m = await repo.findMembership(this.db, userId, companyId);
    if (!m) return undefined;
    return { companyId, role: m.role as Role, rights: new Set(m.rights.filter(isRight) as Right[]) };
  }

  async me(userId: string) {
    const user = await repo.findUser(this.db, userId);
    if (!user) throw new DomainError('unauthenticated', 'Session user no longer exists');
    const companies = await repo.listMembershipsOfUser(this.db, userId);
    return { user: { id: user.id, email: user.email, name: user.name }, companies };
  }
}
