import { describe, expect, it } from 'vitest';
import { completeSandbox, connectSandbox, copyLink, payableAppointment, pressPay } from '../helpers/links.js';
import { expectBookedAtProvider } from '../helpers/provider-refunds.js';
import { checkoutIdOf, sandboxCheckout } from '../helpers/settlement.js';
import { createTestApp, TEST_PASSWORD, type TestCompany } from '../helpers/test-app.js';

/** R32: the sandbox bank's merchant page, where refunds are made at the bank (as in a provider's dashboard). */

const t = await createTestApp({ env: { VISITPAY_PUBLIC_RATE_LIMIT: '0' } });
await t.listen();

async function paidAtSandbox() {
  const company = await t.newCompany({ name: 'Salon <Rosa>' });
  await connectSandbox(company);
  const appt = await payableAppointment(t, company, { price: 10_000 });
  const link = await copyLink(company, appt.id);
  const pay = await pressPay(t, link.token);
  await completeSandbox(t, pay.location!);
  await t.jobs.drain();
  return { company, appt, checkoutId: checkoutIdOf(pay.location) };
}

/** A browser signed in as `email`: its cookies, and the CSRF token the admin app would read. */
async function browserOf(email: string) {
  const login = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password: TEST_PASSWORD },
  });
  expect(login.statusCode).toBe(200);
  const cookies = Object.fromEntries(login.cookies.map((c) => [c.name, c.value]));
  return { cookie: `vp_session=${cookies.vp_session}; vp_csrf=${cookies.vp_csrf}`, csrf: cookies.vp_csrf! };
}

const pagePath = (company: TestCompany) => `/sandbox/merchant/companies/${company.id}`;
const refundPath = (company: TestCompany, checkoutId: string) => `${pagePath(company)}/checkouts/${checkoutId}/refunds`;

function postForm(url: string, cookie: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  return t.app.inject({
    method: 'POST',
    url,
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: new URLSearchParams(form).toString(),
  });
}

describe('R32 the sandbox bank’s merchant page', () => {
  it('R32 lists the paid payments with what is left, and its Refund form refunds at the bank without a refund request of Visitpay’s', async () => {
    const { company, appt, checkoutId } = await paidAtSandbox();
    const browser = await browserOf(company.ownerEmail);
    const page = await t.app.inject({ method: 'GET', url: pagePath(company), headers: { cookie: browser.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('Salon &lt;Rosa&gt;');
    expect(page.body).toContain(`data-checkout="${checkoutId}"`);
    expect(page.body).toContain('data-left="10000"');
    const token = /name="csrf" value="([^"]+)"/.exec(page.body)?.[1];
    expect(token).toBe(browser.csrf);

    const refund = await postForm(
      refundPath(company, checkoutId),
      browser.cookie,
      { amount: '30.00', csrf: token! },
      {
        'sec-fetch-site': 'same-origin',
      },
    );
    expect(refund.statusCode, refund.body).toBe(303);
    expect(refund.headers.location).toMatch(new RegExp(`^${pagePath(company)}\\?refunded=sbr_`));
    expect((await sandboxCheckout(t, checkoutId)).refunded).toBe(3_000);
    // nothing asked by Visitpay: the bank notifies it, and it is booked as made at the provider
    await t.jobs.drain();
    const refundId = new URL(refund.headers.location as string, 'http://x').searchParams.get('refunded')!;
    await expectBookedAtProvider(t, company, appt.id, [{ refundId, amount: 3_000 }]);

    const after = await t.app.inject({ method: 'GET', url: pagePath(company), headers: { cookie: browser.cookie } });
    expect(after.body).toContain('data-left="7000"');
    // more than is left: the bank refuses, nothing moves
    const tooMuch = await postForm(refundPath(company, checkoutId), browser.cookie, { amount: '70.01', csrf: token! });
    expect(tooMuch.statusCode).toBe(422);
    expect(tooMuch.body).toContain('exceeds');
    expect((await sandboxCheckout(t, checkoutId)).refunded).toBe(3_000);
  });

  it('R32 S7 a cross-site post, or one without the session’s CSRF token, is refused and refunds nothing', async () => {
    const { company, checkoutId } = await paidAtSandbox();
    const browser = await browserOf(company.ownerEmail);
    const crossSite = await postForm(
      refundPath(company, checkoutId),
      browser.cookie,
      { amount: '10.00', csrf: browser.csrf },
      { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
    );
    expect(crossSite.statusCode).toBe(403);
    const noToken = await postForm(refundPath(company, checkoutId), browser.cookie, { amount: '10.00' });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().error.code).toBe('csrf_failed');
    const wrongToken = await postForm(refundPath(company, checkoutId), browser.cookie, {
      amount: '10.00',
      csrf: 'x'.repeat(43),
    });
    expect(wrongToken.statusCode).toBe(403);
    expect((await sandboxCheckout(t, checkoutId)).refunded).toBe(0);
  });

  it('R32 only users of the company holding finance.settings see or use it; another company’s checkout is not found', async () => {
    const { company, checkoutId } = await paidAtSandbox();
    const staff = await t.newUser(company.id, 'staff');
    const other = await t.newCompany();
    expect((await staff.api.get(pagePath(company))).status).toBe(403);
    expect((await staff.api.post(refundPath(company, checkoutId), { amount: '1.00' })).status).toBe(403);
    expect((await other.owner.get(pagePath(company))).status).toBe(404);
    expect((await other.owner.post(refundPath(company, checkoutId), { amount: '1.00' })).status).toBe(404);
    // the other company's owner on their own page, naming this company's checkout
    expect((await other.owner.post(refundPath(other, checkoutId), { amount: '1.00' })).status).toBe(404);
    expect((await t.anonymous.get(pagePath(company))).status).toBe(401);
    expect((await sandboxCheckout(t, checkoutId)).refunded).toBe(0);
  });
});
