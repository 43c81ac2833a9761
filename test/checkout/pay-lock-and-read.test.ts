import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { lockAndReadForPay } from '../../src/modules/checkout/pay.repository.js';
import { hashLinkToken } from '../../src/modules/links/domain/link-token.js';
import { connectSandbox, copyLink, payableAppointment } from '../helpers/links.js';
import { deskPayment } from '../helpers/settlement.js';
import { createTestApp } from '../helpers/test-app.js';

/**
 * Pay's first step, `pay_lock_and_read` (migration 0030): the lock of the link and its appointment
 * and the read the decision rests on, in one round trip. What it answers while another
 * transaction holds either row, and that what that transaction committed is read once it is gone.
 */
const t = await createTestApp();

async function aLink(price = 10_000) {
  const company = await t.newCompany();
  await connectSandbox(company);
  const appt = await payableAppointment(t, company, { price });
  const link = await copyLink(company, appt.id);
  return { company, appt, link, hash: hashLinkToken(link.token) };
}

/** Runs `hold` inside a transaction that keeps its locks until `hold` returns. */
async function whileHeld<T>(lock: (tx: typeof t.db) => Promise<unknown>, hold: () => Promise<T>): Promise<T> {
  return t.db.transaction().execute(async (tx) => {
    await lock(tx);
    return hold();
  });
}

describe('R9 R13 Pay locks the link and its appointment, then reads what the decision needs', () => {
  it('R9 an unknown token is no link; a known one is read with its items, payments, client, company and provider', async () => {
    expect(await lockAndReadForPay(t.db, hashLinkToken('x'.repeat(43)))).toBeUndefined();
    const { company, appt, link, hash } = await aLink(10_000);
    expect(await lockAndReadForPay(t.db, hash)).toMatchObject({
      link: { id: link.id, company_id: company.id, appointment_id: appt.id, status: 'active', amount: null },
      appointment: { id: appt.id, status: expect.any(String), deleted: false },
      context: {
        items: [expect.objectContaining({ unit_price: 10_000, quantity: 1 })],
        paid: 0,
        collected: 0,
        hasOpenAttempt: false,
        company: { currency: 'EUR' },
        settings: { provider: 'sandbox', pay_by_link_enabled: true },
      },
    });
  });

  it('R13 a press that meets the link or its appointment held by another transaction answers busy at once, without waiting', async () => {
    const { appt, hash } = await aLink();
    const byLink = await whileHeld(
      (tx) => sql`SELECT 1 FROM payment_links WHERE token_hash = ${hash} FOR UPDATE`.execute(tx),
      () => lockAndReadForPay(t.db, hash),
    );
    expect(byLink).toBe('busy');
    // the desk settling a payment holds the appointment
    const byAppointment = await whileHeld(
      (tx) => sql`SELECT 1 FROM appointments WHERE id = ${appt.id} FOR UPDATE`.execute(tx),
      () => lockAndReadForPay(t.db, hash),
    );
    expect(byAppointment).toBe('busy');
  });

  it('R9 R12 what the previous holder committed (a desk payment, an open attempt) is what the next press reads', async () => {
    const { company, appt, link, hash } = await aLink(10_000);
    expect((await deskPayment(company, appt.id, 3_000)).status).toBe(201);
    await t.db.transaction().execute(async (tx) => {
      const first = await lockAndReadForPay(tx, hash);
      expect(first).toMatchObject({ context: { paid: 3_000, hasOpenAttempt: false } });
      await sql`INSERT INTO checkout_attempts (id, company_id, appointment_id, link_id, provider, amount, currency, status, expires_at, created_at, updated_at, check_at)
        VALUES ('att_held', ${company.id}, ${appt.id}, ${link.id}, 'sandbox', 7000, 'EUR', 'creating', now() + interval '1 hour', now(), now(), now())`.execute(
        tx,
      );
    });
    expect(await lockAndReadForPay(t.db, hash)).toMatchObject({ context: { paid: 3_000, hasOpenAttempt: true } });
  });
});
