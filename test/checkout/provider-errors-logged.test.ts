import { pino } from 'pino';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { copyLink, payableAppointment, pressPay } from '../helpers/links.js';
import { attemptsOf, SECOND } from '../helpers/settlement.js';
import { createTestApp } from '../helpers/test-app.js';
import { startYooKassaStub, type StubShop } from '../stubs/yookassa-stub.js';

/** O5: a provider error the gateway or the reconciliation job catches is logged with the attempt it concerns. */

interface LogLine {
  level: number;
  msg: string;
  service?: string;
  attemptId?: string;
  [key: string]: unknown;
}

const lines: LogLine[] = [];
const written: string[] = [];
const logger = pino(
  { level: 'warn' },
  {
    write(line: string) {
      written.push(line);
      lines.push(JSON.parse(line) as LogLine);
    },
  },
);

const SHOP: StubShop = { shopId: '100501', secretKey: 'test_stubSecretKey0002' };
const stub = await startYooKassaStub({ shops: [SHOP] });
const t = await createTestApp({ env: { VISITPAY_YOOKASSA_API_URL: stub.url }, logger });
await t.listen();
afterAll(() => stub.close());
beforeEach(() => {
  lines.length = 0;
  written.length = 0;
});

async function paying() {
  const company = await t.newCompany({ country: 'RU', currency: 'RUB', timezone: 'Europe/Moscow' });
  const connected = await company.owner.post(`${company.base}/settings/cashless/connect`, {
    provider: 'yookassa',
    credentials: { shopId: SHOP.shopId, secretKey: SHOP.secretKey },
  });
  expect(connected.status, connected.text).toBe(200);
  const enabled = await company.owner.put(`${company.base}/settings/cashless`, { payByLinkEnabled: true });
  expect(enabled.status, enabled.text).toBe(200);
  const appt = await payableAppointment(t, company, { price: 100_000 });
  return { company, appt, link: await copyLink(company, appt.id) };
}

const WARN = 40;
const warningsOf = (service: string) => lines.filter((l) => l.service === service && l.level >= WARN);

/** S10: nothing secret or personal reaches the log, whatever went wrong. */
function expectNoSecretsLogged(token: string, email: string) {
  const all = written.join('');
  expect(all).not.toContain(token);
  expect(all).not.toContain(SHOP.secretKey);
  expect(all).not.toContain(email);
}

describe('O5 provider errors are logged with the attempt they concern', () => {
  it('O5 Pay meets YooKassa answering 500: the gateway logs the attempt id; the job meets it again and logs it too', async () => {
    const { company, appt, link } = await paying();
    stub.failNext(3, { kind: 'status', status: 500 }, '/v3/payments');
    const pay = await pressPay(t, link.token);
    expect(pay.status).toBe(502);
    const [attempt] = await attemptsOf(t, appt.id);
    expect(attempt!.status).toBe('creating');
    expect(warningsOf('checkout-gateway')).toEqual([
      expect.objectContaining({
        attemptId: attempt!.id,
        err: expect.objectContaining({ type: 'ProviderUnavailableError' }),
      }),
    ]);

    stub.failNext(3, { kind: 'status', status: 500 }, '/v3/payments');
    t.clock.advance(t.config.PAYLINK_RECONCILE_AFTER_SECONDS * SECOND);
    await t.jobs.drain();
    expect((await attemptsOf(t, appt.id))[0]!.status).toBe('creating');
    expect(warningsOf('reconciliation')).toEqual([expect.objectContaining({ attemptId: attempt!.id })]);
    expect(warningsOf('checkout-gateway').map((l) => l.attemptId)).toEqual([attempt!.id, attempt!.id]);
    expectNoSecretsLogged(link.token, company.ownerEmail);
  });

  it('O5 the job asks about a pending checkout while YooKassa answers 500: the attempt stays pending and the failure is logged with its id', async () => {
    const { company, appt, link } = await paying();
    const pay = await pressPay(t, link.token);
    expect(pay.status).toBe(303);
    const [attempt] = await attemptsOf(t, appt.id);
    expect(lines).toEqual([]);

    stub.failNext(3, { kind: 'status', status: 500 }, `/v3/payments/${attempt!.provider_checkout_id}`);
    t.clock.set(new Date(attempt!.check_at.getTime() + SECOND));
    await t.jobs.drain();
    expect((await attemptsOf(t, appt.id))[0]!.status).toBe('pending');
    expect(warningsOf('reconciliation')).toEqual([
      expect.objectContaining({
        attemptId: attempt!.id,
        err: expect.objectContaining({ type: 'ProviderUnavailableError' }),
      }),
    ]);
    expectNoSecretsLogged(link.token, company.ownerEmail);
  });
});
