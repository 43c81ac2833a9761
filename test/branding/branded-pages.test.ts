import { describe, expect, it } from 'vitest';
import { connectSandbox, copyLink, payableAppointment, pressPay } from '../helpers/links.js';
import { createTestApp } from '../helpers/test-app.js';
import { png } from './images.js';

/** R39: the branding on the sandbox bank's page and in the link email. */
const t = await createTestApp({ env: { VISITPAY_PUBLIC_RATE_LIMIT: '0', PUBLIC_URL: 'https://pay.salon.test' } });

async function brandedCompany() {
  const company = await t.newCompany({ name: 'Salon Aurora' });
  await connectSandbox(company);
  const logo = await company.owner.put(`${company.base}/settings/branding/logo`, {
    logo: png(90, 30).toString('base64'),
  });
  expect(logo.status, logo.text).toBe(200);
  const set = await company.owner.put(`${company.base}/settings/branding`, {
    accentColor: '#7c2d12',
    contactLine: 'Hauptstr. 5, Berlin · +49 30 1234567',
  });
  expect(set.status, set.text).toBe(200);
  return { company, logoPath: logo.body.logo.url as string };
}

describe('R39 branding beyond the link page', () => {
  it('R39 the sandbox bank shows the merchant’s logo, colour and contact line', async () => {
    const { company, logoPath } = await brandedCompany();
    const appointment = await payableAppointment(t, company);
    const link = await copyLink(company, appointment.id);
    const pay = await pressPay(t, link.token);
    expect(pay.status, pay.body).toBe(303);
    const page = await t.app.inject({ method: 'GET', url: new URL(pay.location!).pathname });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`<img class="logo" src="${logoPath}" alt="" width="90" height="30">`);
    expect(page.body).toContain('.actions .pay { background: #7c2d12; }');
    expect(page.body).toContain('<p class="contact">Hauptstr. 5, Berlin · +49 30 1234567</p>');
  });

  it('R39 the link email carries the logo by absolute URL on the public base URL, the colour and the contact line', async () => {
    const { company, logoPath } = await brandedCompany();
    const appointment = await payableAppointment(t, company, { client: { email: 'anna@example.test', phone: null } });
    const res = await company.owner.post(`${company.base}/appointments/${appointment.id}/payment-link/send`, {
      channel: 'email',
      preview: true,
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.html).toContain(
      `<img src="https://pay.salon.test${logoPath}" alt="Salon Aurora" height="48" width="144"`,
    );
    expect(res.body.html).toContain('background:#7c2d12;color:#fff');
    expect(res.body.html).toContain('Hauptstr. 5, Berlin · +49 30 1234567');
  });

  it('R39 without branding the email and the bank page are as before', async () => {
    const company = await t.newCompany();
    await connectSandbox(company);
    const appointment = await payableAppointment(t, company, { client: { email: 'anna@example.test', phone: null } });
    const res = await company.owner.post(`${company.base}/appointments/${appointment.id}/payment-link/send`, {
      channel: 'email',
      preview: true,
    });
    expect(res.body.html).not.toContain('<img');
    expect(res.body.html).toContain('background:#0a7c5a');
  });
});
