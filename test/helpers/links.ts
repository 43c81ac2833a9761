import { expect } from 'vitest';
import type { TestApp, TestCompany } from './test-app.js';
import { newClient, newService, newStaffMember } from './factories.js';

/** Helpers for the payment-link flow: a payable appointment, the sandbox connected, the client's clicks. */

export async function connectSandbox(company: TestCompany, options: { enable?: boolean } = {}) {
  const connected = await company.owner.post(`${company.base}/settings/cashless/connect`, {
    provider: 'sandbox',
    credentials: {},
  });
  expect(connected.status, connected.text).toBe(200);
  if (options.enable !== false) {
    const enabled = await company.owner.put(`${company.base}/settings/cashless`, { payByLinkEnabled: true });
    expect(enabled.status, enabled.text).toBe(200);
  }
}

/** An appointment with one service item at `price` (minor units), made through the API. */
export async function payableAppointment(
  t: TestApp,
  company: TestCompany,
  input: { price?: number; client?: { email: string | null; phone: string | null }; taxSystem?: string } = {},
) {
  const price = input.price ?? 10_000;
  const service = await newService(t.db, company.id, {
    priceMin: price,
    priceMax: price * 2,
    ...(input.taxSystem ? { taxSystem: input.taxSystem } : {}),
  });
  const client = await newClient(t.db, company.id, { name: 'Anna Smith', ...(input.client ?? {}) });
  const staff = await newStaffMember(t.db, company.id, { name: 'Maria' });
  const res = await company.owner.post(`${company.base}/appointments`, {
    clientId: client.id,
    staffId: staff.id,
    startsAt: new Date(t.clock.now().getTime() + 86_400_000).toISOString(),
    durationMinutes: 60,
    services: [{ serviceId: service.id }],
  });
  expect(res.status, res.text).toBe(201);
  return { id: res.body.id as string, service, client, staff };
}

export async function copyLink(company: TestCompany, appointmentId: string, amount?: number) {
  const res = await company.owner.post(
    `${company.base}/appointments/${appointmentId}/payment-link`,
    amount === undefined ? {} : { amount },
  );
  expect(res.status, res.text).toBe(200);
  return res.body as {
    id: string;
    url: string;
    token: string;
    status: string;
    amount: number | null;
    collected: number;
    attempts: { id: string; status: string; amount: number }[];
  };
}

/** The client presses Pay on the link page (a same-origin form post). */
export async function pressPay(t: TestApp, token: string, form: Record<string, string> = {}) {
  const res = await t.app.inject({
    method: 'POST',
    url: `/pay/${token}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
    payload: new URLSearchParams(form).toString(),
  });
  return { status: res.statusCode, location: res.headers.location as string | undefined, body: res.body };
}

/** The client completes the sandbox bank's page: `succeeded` (Pay) or `failed` (Decline). */
export async function completeSandbox(t: TestApp, checkoutUrl: string, outcome: 'succeeded' | 'failed' = 'succeeded') {
  const path = new URL(checkoutUrl).pathname;
  const res = await t.app.inject({
    method: 'POST',
    url: `${path}/complete`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: `outcome=${outcome}`,
  });
  expect(res.statusCode, res.body).toBe(303);
  return res.headers.location as string;
}

export async function appointmentOf(company: TestCompany, appointmentId: string) {
  const res = await company.owner.get(`${company.base}/appointments/${appointmentId}`);
  expect(res.status, res.text).toBe(200);
  return res.body as {
    total: number;
    paid: number;
    due: number;
    paymentStatus: string;
    lockedUntil: string | null;
    payments: { method: string; amount: number }[];
  };
}

/** The online payments and refunds of an appointment (without R32's schedule of refund reads, which moves by itself). */
export async function onlinePayments(t: TestApp, appointmentId: string) {
  const rows = await t.db
    .selectFrom('payments')
    .selectAll()
    .where('appointment_id', '=', appointmentId)
    .where('method', '=', 'online')
    .orderBy('created_at')
    .execute();
  return rows.map(({ refunds_check_at: _at, refunds_checks: _checks, ...payment }) => payment);
}

/** An appointment on 14 March 2031 at 09:30 UTC with one service at `price`, for a client with these contacts. */
export async function visitOn14March2031(
  app: TestApp,
  company: TestCompany,
  input: { price?: number; client: { name: string; email: string | null; phone: string | null } },
) {
  const price = input.price ?? 10_000;
  const service = await newService(app.db, company.id, { priceMin: price, priceMax: price });
  const client = await newClient(app.db, company.id, input.client);
  const staff = await newStaffMember(app.db, company.id);
  const res = await company.owner.post(`${company.base}/appointments`, {
    clientId: client.id,
    staffId: staff.id,
    startsAt: '2031-03-14T09:30:00.000Z',
    durationMinutes: 60,
    services: [{ serviceId: service.id }],
  });
  expect(res.status, res.text).toBe(201);
  return res.body.id as string;
}
