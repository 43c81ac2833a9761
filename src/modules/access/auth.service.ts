import type { Db } from '../../db/database.js';
import type { Clock } from '../../shared/clock.js';
import { DomainError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { randomToken, sha256 } from '../../shared/secrets.js';
import * as repo from './access.repository.js';
import { isRight, type Right, type Role } from './domain/rights.js';
import { dummyPasswordHash, verifyPassword } from './password.js';
import type { MembershipContext } from '../../http/types.js';

const SESSION_DAYS = 7;

export class AuthService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Checks the password and opens a session; the token is returned once and stored only as a hash. */
  async login(email: string, password: string) {
    const user = await repo.findUserByEmail(this.db, email);
    const ok = await verifyPassword(user?.password_hash ?? (await dummyPasswordHash()), password);
    if (!user || !ok) throw new DomainError('invalid_credentials', 'Wrong email or password');
    const token = `vps_${randomToken(32)}`;
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + SESSION_DAYS * 86_400_000);
    await repo.insertSession(this.db, { id: newId('session'), tokenHash: sha256(token), userId: user.id, createdAt: now, expiresAt });
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
