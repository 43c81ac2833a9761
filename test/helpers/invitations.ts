import type { ApiClient, TestApp, TestCompany } from './test-app.js';
import { apiClient } from './test-app.js';

/** The token of an invitation link (`…/invite#vpi_…`). */
export const tokenOf = (inviteUrl: string) => inviteUrl.slice(inviteUrl.indexOf('#') + 1);

/** Invites `email` into the company as the owner; answers the token of the link shown (no mail set up). */
export async function invite(
  c: TestCompany,
  email: string,
  role = 'staff',
  extra: Record<string, unknown> = {},
): Promise<string> {
  const res = await c.owner.post(`${c.base}/users`, { email, role, ...extra });
  if (res.status !== 201) throw new Error(`invite answered ${res.status}: ${res.text}`);
  return tokenOf(res.body.inviteUrl);
}

/** Accepts an invitation as its holder would, and answers an API client signed in by it. */
export async function accept(t: TestApp, token: string, body: { name?: string; password: string }): Promise<ApiClient> {
  const res = await t.anonymous.post('/api/v1/invitations/accept', { token, ...body });
  if (res.status !== 200) throw new Error(`accept answered ${res.status}: ${res.text}`);
  return apiClient(t.app, res.body.token);
}
