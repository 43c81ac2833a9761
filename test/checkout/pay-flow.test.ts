import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/test-app.js';
import {
  appointmentOf,
  completeSandbox,
  connectSandbox,
  copyLink,
  onlinePayments,
  payableAppointment,
  pressPay,
} from '../helpers/links.js';

const t = await createTestApp();
await t.listen();

describe('pay by link end to end (sandbox)', () => {
  it('R9 R12 R17 copy, open, Pay, complete at the sandbox bank: one online payment, link paid, lock released', async () => {
    const company = await t.newCompany();
    await connectSandbox(company);
    const appt = await payableAppointment(t, company, { price: 10_000 });
    const link = await copyLink(company, appt.id);
    expect(link.url).toBe(`http://visitpay.test/pay/${link.token}`);

    const page = await t.anonymous.get(`/pay/${link.token}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Anna');
    expect(page.text).not.toContain('Smith');

    const pay = await pressPay(t, link.token);
    expect(pay.status, pay.body).toBe(303);
    expect(pay.location).toMatch(/\/sandbox\/checkout\/sbx_/);
    expect((await appointmentOf(company, appt.id)).lockedUntil).not.toBeNull();

    const back = await completeSandbox(t, pay.location!);
    expect(back).toBe(`http://visitpay.test/pay/${link.token}/return`);
    await t.jobs.drain();

    const payments = await onlinePayments(t, appt.id);
    expect(payments.map((p) => p.amount)).toEqual([10_000]);
    const after = await appointmentOf(company, appt.id);
    expect(after).toMatchObject({ due: 0, paymentStatus: 'paid', lockedUntil: null });
    const linkAfter = await company.owner.get(`${company.base}/appointments/${appt.id}/payment-link`);
    expect(linkAfter.body.status).toBe('paid');
    expect(linkAfter.body.attempts[0].status).toBe('succeeded');

    const full = await company.owner.get(`${company.base}/appointments/${appt.id}`);
    expect(full.body.paymentLink).toMatchObject({ id: link.id, status: 'paid', collected: 10_000 });
    expect(full.body.paymentLink.attempts.map((a: { status: string }) => a.status)).toEqual(['succeeded']);
    expect(full.body.refunds).toEqual([]);
    const reader = await t.newUser(company.id, 'staff');
    const limited = await reader.api.get(`${company.base}/appointments/${appt.id}`);
    expect(limited.status).toBe(200);
    expect(limited.body.paymentLink).toBeNull();

    const ret = await t.anonymous.get(`/pay/${link.token}/return`);
    expect(ret.status).toBe(200);
    const again = await pressPay(t, link.token);
    expect(again.location).toBe(`/pay/${link.token}`);
  });
});
