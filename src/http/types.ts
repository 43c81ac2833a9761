import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { MembershipContext, Right } from '../modules/access/domain/rights.js';

export type { MembershipContext };

/** The Fastify instance every route module receives: zod schemas type the handlers. */
export type App = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/**
 * Who may call a route. `public`: anyone; `user`: any signed-in user (and, under a company,
 * any member of it); a right: a member of the company in the path holding that right;
 * a list of rights: holding any one of them (the handler then checks which one it needs,
 * e.g. adding a service item needs appointments.write, adding a product needs products.sell).
 */
export type Access = 'public' | 'user' | Right | readonly Right[];

export interface AuthContext {
  userId: string;
  sessionId: string;
  via: 'bearer' | 'cookie';
  /** cookie sessions: the CSRF token their writes must carry */
  csrfToken?: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /**
     * `form`: an HTML page's own form (no script can set the CSRF header), so cookie sessions
     * carry the session's CSRF token in the body field `csrf` instead; cross-site posts are refused.
     */
    csrf?: 'form';
  }
  interface FastifyRequest {
    /** the browser is on HTTPS (the socket, a trusted proxy, or PUBLIC_URL's https host): see security-headers.ts */
    viaHttps: boolean;
    auth?: AuthContext;
    membership?: MembershipContext;
  }
}
