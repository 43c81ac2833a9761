import { describe, expect, it } from 'vitest';
import { routeAccessTable } from '../../src/http/authenticate.js';
import type { Access } from '../../src/http/types.js';
import { RIGHTS, type Right } from '../../src/modules/access/domain/rights.js';
import { createTestApp, type ApiClient } from '../helpers/test-app.js';

/**
 * SPEC §4 as a table: every route of the API and who may call it. A new route fails this test
 * until it is added here, so no route ships without a decision about its rights.
 */
const C = '/api/v1/companies/:companyId';
const A = `${C}/appointments/:id`;
const EXPECTED: Record<string, Access> = {
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /metrics': 'public',
  'GET /api/v1/openapi.json': 'public',
  'POST /api/v1/auth/login': 'public',
  'POST /api/v1/auth/logout': 'user',
  'POST /api/v1/auth/logout-all': 'user',
  'GET /api/v1/me': 'user',
  'PATCH /api/v1/me': 'user',
  'POST /api/v1/me/password': 'user',
  'GET /api/v1/server-info': 'user',
  // an invitation's link is its credential (S1)
  'POST /api/v1/invitations/lookup': 'public',
  'POST /api/v1/invitations/accept': 'public',
  'GET /api/v1/companies': 'user',
  'POST /api/v1/companies': 'user',

  [`GET ${C}/services`]: 'appointments.read',
  [`POST ${C}/services`]: 'finance.settings',
  [`GET ${C}/services/:id`]: 'appointments.read',
  [`PATCH ${C}/services/:id`]: 'finance.settings',
  [`GET ${C}/products`]: 'appointments.read',
  [`POST ${C}/products`]: 'finance.settings',
  [`GET ${C}/products/:id`]: 'appointments.read',
  [`PATCH ${C}/products/:id`]: 'finance.settings',
  [`GET ${C}/clients`]: 'appointments.read',
  [`POST ${C}/clients`]: 'appointments.write',
  [`GET ${C}/clients/:id`]: 'appointments.read',
  [`PATCH ${C}/clients/:id`]: 'appointments.write',
  [`GET ${C}/staff`]: 'appointments.read',
  [`POST ${C}/staff`]: 'appointments.write',
  [`GET ${C}/staff/:id`]: 'appointments.read',
  [`PATCH ${C}/staff/:id`]: 'appointments.write',
  [`GET ${C}/users`]: 'users.manage',
  [`POST ${C}/users`]: 'users.manage',
  [`GET ${C}/users/:id`]: 'users.manage',
  [`PATCH ${C}/users/:id`]: 'users.manage',
  [`DELETE ${C}/users/:id`]: 'users.manage',
  [`GET ${C}/invitations`]: 'users.manage',
  [`POST ${C}/invitations/:id/resend`]: 'users.manage',
  [`DELETE ${C}/invitations/:id`]: 'users.manage',
  // O2: a backup is of the whole installation: for owners
  [`GET ${C}/backups/latest`]: 'users.manage',
  [`GET ${C}/audit`]: 'reports.read',
  // R29: the calendar's live stream of every appointment's changes
  [`GET ${C}/events`]: 'appointments.read',
  [`GET ${C}/webhook-endpoints`]: 'finance.settings',
  [`POST ${C}/webhook-endpoints`]: 'finance.settings',
  [`DELETE ${C}/webhook-endpoints/:id`]: 'finance.settings',
  [`GET ${C}/webhook-endpoints/:id/deliveries`]: 'finance.settings',
  [`POST ${C}/webhook-endpoints/:id/deliveries/:eventId/redeliver`]: 'finance.settings',
  [`POST ${C}/webhook-endpoints/:id/ping`]: 'finance.settings',
  [`GET ${C}/reports/transactions`]: 'reports.read',

  [`GET ${C}/appointments`]: 'appointments.read',
  [`POST ${C}/appointments`]: 'appointments.write',
  [`PUT ${C}/appointments/external/:externalId`]: 'appointments.write',
  [`GET ${C}/appointments/external/:externalId`]: 'appointments.read',
  [`GET ${A}`]: 'appointments.read',
  [`PATCH ${A}`]: 'appointments.write',
  [`DELETE ${A}`]: 'appointments.write',
  [`POST ${A}/items`]: ['appointments.write', 'products.sell'],
  [`PATCH ${A}/items/:itemId`]: ['appointments.write', 'products.sell'],
  [`DELETE ${A}/items/:itemId`]: ['appointments.write', 'products.sell'],
  [`POST ${A}/payments`]: 'payments.record',
  [`DELETE ${A}/payments/:paymentId`]: 'payments.record',
  [`POST ${A}/payments/:paymentId/refunds`]: 'payments.refund',
  [`GET ${A}/events`]: 'appointments.read',

  [`GET ${C}/settings/cashless`]: ['finance.settings', 'cashless_payment'],
  [`PUT ${C}/settings/cashless`]: 'finance.settings',
  [`POST ${C}/settings/cashless/connect`]: 'finance.settings',
  [`DELETE ${C}/settings/cashless/connection`]: 'finance.settings',
  // R37: what clients are sent is a company setting, like its provider and webhooks
  [`GET ${C}/settings/messages`]: 'finance.settings',
  [`PUT ${C}/settings/messages/:channel/:kind/:locale`]: 'finance.settings',
  [`DELETE ${C}/settings/messages/:channel/:kind/:locale`]: 'finance.settings',
  [`POST ${C}/settings/messages/preview`]: 'finance.settings',
  [`GET ${C}/settings/tips`]: 'finance.settings',
  [`PUT ${C}/settings/tips`]: 'finance.settings',
  // R39: what the company shows its clients, set beside the cashless settings
  [`GET ${C}/settings/branding`]: 'finance.settings',
  [`PUT ${C}/settings/branding`]: 'finance.settings',
  [`PUT ${C}/settings/branding/logo`]: 'finance.settings',
  [`DELETE ${C}/settings/branding/logo`]: 'finance.settings',
  // R35: what the salon's clients are sent, and when, is a company setting like the others
  [`GET ${C}/settings/reminders`]: 'finance.settings',
  [`PUT ${C}/settings/reminders`]: 'finance.settings',
  [`POST ${A}/payment-link`]: 'cashless_payment',
  [`GET ${A}/payment-link`]: 'cashless_payment',
  [`DELETE ${A}/payment-link`]: 'cashless_payment',
  [`POST ${A}/payment-link/cancel-attempt`]: 'cashless_payment',
  [`GET ${A}/payment-link/qr.svg`]: 'cashless_payment',
  [`POST ${A}/payment-link/send`]: 'cashless_payment',
  // R35: stopping a link's reminders is part of sending it
  [`POST ${A}/payment-link/reminders/stop`]: 'cashless_payment',

  // the client's link pages, the providers' notifications and the sandbox bank are public by nature
  'GET /pay/:token': 'public',
  'POST /pay/:token': 'public',
  'GET /pay/:token/return': 'public',
  // R39: the logo by its content hash, shown on the public link page and in the link email
  'GET /logos/:file': 'public',
  'GET /api/v1/pay/:token': 'public',
  // any other path under them answers exactly as an unknown token does (R6)
  'GET /pay/*': 'public',
  'POST /pay/*': 'public',
  'GET /api/v1/pay/*': 'public',
  'POST /webhooks/:provider/:companyId': 'public',
  'GET /sandbox/checkout/:id': 'public',
  'POST /sandbox/checkout/:id/complete': 'public',
  // R32: the sandbox bank's merchant page, where refunds are made at the bank
  'GET /sandbox/merchant/companies/:companyId': 'finance.settings',
  'POST /sandbox/merchant/companies/:companyId/checkouts/:checkoutId/refunds': 'payments.refund',
  // the admin app (web/dist) and its screens' paths
  'GET /*': 'public',
};

const key = (method: string, url: string) => `${method} ${url}`;
const rightsOf = (access: Access): readonly Right[] =>
  typeof access === 'string' ? (access === 'public' || access === 'user' ? [] : [access as Right]) : access;

const t = await createTestApp();
const company = await t.newCompany();
const other = await t.newCompany();
const administrator = await t.newUser(company.id, 'administrator');
const staff = await t.newUser(company.id, 'staff');
const nobody = await t.newUser(company.id, 'custom', []);
const table = routeAccessTable(t.app);

/** Fills path parameters with ids of the right shape that exist nowhere. */
function urlOf(url: string, companyId: string): string {
  return url.replace(':companyId', companyId).replace(/:(\w+)/g, (_m, name: string) => `${name}_doesnotexist0000`);
}

const origin = await t.listen();

/**
 * An event stream never ends by itself, so it is opened over a real connection: its status is
 * what the table checks, and the stream is dropped once the status is known.
 */
async function openStream(api: ApiClient, url: string) {
  const res = await fetch(`${origin}${url}`, {
    headers: api.token ? { authorization: `Bearer ${api.token}` } : {},
    signal: AbortSignal.timeout(10_000),
  });
  const isStream = (res.headers.get('content-type') ?? '').startsWith('text/event-stream');
  const text = isStream ? '' : await res.text();
  if (isStream) await res.body?.cancel();
  return { status: res.status, text, body: text ? JSON.parse(text) : undefined };
}

async function call(api: ApiClient, method: string, url: string) {
  if (method === 'GET' && url.endsWith('/events')) return openStream(api, url);
  switch (method) {
    case 'GET':
      return api.get(url);
    case 'POST':
      return api.post(url, {});
    case 'PUT':
      return api.put(url, {});
    case 'PATCH':
      return api.patch(url, {});
    case 'DELETE':
      return api.delete(url);
    default:
      throw new Error(`untested method ${method}`);
  }
}

describe('route × role table (SPEC §4)', () => {
  it('every route declares exactly the access the table gives it', () => {
    const actual = Object.fromEntries(
      table.filter((r) => !r.url.startsWith('/docs')).map((r) => [key(r.method, r.url), r.access]),
    );
    expect(actual).toEqual(EXPECTED);
  });

  const guarded = Object.entries(EXPECTED).filter(([, access]) => access !== 'public');
  it.each(guarded)('%s answers 401 without a session', async (route) => {
    const [method, url] = route.split(' ') as [string, string];
    const res = await call(t.anonymous, method, urlOf(url, company.id));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
  });

  const scoped = guarded.filter(([route]) => route.includes(':companyId'));
  it.each(scoped)('%s answers 404 to a user of another company', async (route) => {
    const [method, url] = route.split(' ') as [string, string];
    const res = await call(other.owner, method, urlOf(url, company.id));
    expect(res.status).toBe(404);
    // the company itself is unknown to this user, not merely the entity in the path
    expect(res.body.error).toMatchObject({ code: 'not_found', message: 'company not found' });
  });

  it.each(scoped)('%s: each role gets in exactly when it holds the right', async (route, access) => {
    const [method, url] = route.split(' ') as [string, string];
    const needed = rightsOf(access);
    const roles: [string, ApiClient, readonly Right[]][] = [
      ['owner', company.owner, RIGHTS],
      ['administrator', administrator.api, RIGHTS.filter((r) => r !== 'users.manage')],
      ['staff', staff.api, ['appointments.read']],
      ['no rights', nobody.api, []],
    ];
    for (const [role, api, held] of roles) {
      const res = await call(api, method, urlOf(url, company.id));
      const allowed = needed.length === 0 || needed.some((r) => held.includes(r));
      const why = `${role} ${route} → ${res.status} ${res.text.slice(0, 200)}`;
      if (allowed) {
        expect([401, 403], why).not.toContain(res.status);
        expect(res.status, why).toBeLessThan(500);
      } else {
        expect(res.status, why).toBe(403);
        expect(res.body.error.code, why).toBe('forbidden');
      }
    }
  });

  it.each(scoped.filter(([, access]) => access !== 'user'))(
    '%s: a user holding only its right gets in',
    async (route, access) => {
      const [method, url] = route.split(' ') as [string, string];
      for (const right of rightsOf(access)) {
        const only = await t.newUser(company.id, 'custom', [right]);
        const res = await call(only.api, method, urlOf(url, company.id));
        expect([401, 403], `${right} ${route} → ${res.status} ${res.text.slice(0, 200)}`).not.toContain(res.status);
      }
    },
  );
});
