import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { backoffDelayMs, claimDue, nextDueAfterFailure } from '../../src/db/durable-queue.js';
import { createTestDatabase } from '../helpers/database.js';

const handle = await createTestDatabase(12);
const { db } = handle;
afterAll(() => handle.close());

const T0 = new Date('2026-03-01T10:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const MINUTE = 60_000;
const LEASE = MINUTE;

let companies = 0;
/** A fresh company and its own outbox rows, so each test sees only its own queue. */
async function outbox(rows: { id: string; dueInMs: number; createdInMs?: number; delivered?: boolean }[]) {
  const companyId = `company_q${++companies}`;
  await db
    .insertInto('companies')
    .values({
      id: companyId,
      name: 'Queue',
      currency: 'RUB',
      timezone: 'UTC',
      country: 'RU',
      default_tax_system: 'osn',
    })
    .execute();
  await db
    .insertInto('sandbox_notifications')
    .values(
      rows.map((r) => ({
        id: `${companyId}_${r.id}`,
        company_id: companyId,
        body: '{}',
        deliver_at: at(r.dueInMs),
        created_at: at(r.createdInMs ?? 0),
        delivered_at: r.delivered ? T0 : null,
      })),
    )
    .execute();
  const claim = (now: Date, limit = 50, lease: Date = new Date(now.getTime() + LEASE)) =>
    claimDue(db, {
      table: 'sandbox_notifications',
      due: 'deliver_at',
      now,
      limit,
      lease,
      where: (eb) => eb.and([eb('company_id', '=', companyId), eb('delivered_at', 'is', null)]),
      thenBy: ['created_at'],
      count: 'tries',
    });
  const ids = (rows: { id: string }[]) => rows.map((r) => r.id.slice(companyId.length + 1));
  return { claim, ids, companyId };
}

describe('durable queue: claiming due rows', () => {
  it('claims only rows that are due, oldest due first (ties by the listed column), counting the try', async () => {
    const q = await outbox([
      { id: 'later', dueInMs: MINUTE },
      { id: 'b', dueInMs: -MINUTE, createdInMs: 2 },
      { id: 'a', dueInMs: -MINUTE, createdInMs: 1 },
      { id: 'now', dueInMs: 0 },
      { id: 'delivered', dueInMs: -2 * MINUTE, delivered: true },
    ]);
    const claimed = await q.claim(T0);
    expect(q.ids(claimed)).toEqual(['a', 'b', 'now']);
    expect(claimed.map((r) => r.tries)).toEqual([1, 1, 1]);
    expect(claimed.every((r) => r.deliver_at.getTime() === T0.getTime() + LEASE)).toBe(true);
  });

  it('takes at most `limit` rows per claim, leaving the rest for the next', async () => {
    const q = await outbox([1, 2, 3, 4, 5].map((n) => ({ id: `n${n}`, dueInMs: -n * 1000 })));
    expect(q.ids(await q.claim(T0, 2))).toEqual(['n5', 'n4']);
    expect(q.ids(await q.claim(T0, 2))).toEqual(['n3', 'n2']);
    expect(q.ids(await q.claim(T0, 2))).toEqual(['n1']);
  });

  it('a leased row is not claimed again until its lease has passed', async () => {
    const q = await outbox([{ id: 'one', dueInMs: 0 }]);
    expect(q.ids(await q.claim(T0))).toEqual(['one']);
    expect(await q.claim(T0)).toEqual([]);
    expect(await q.claim(at(LEASE - 1))).toEqual([]);
  });

  it('a row whose worker died comes back once its lease has passed, its try counted again', async () => {
    const q = await outbox([{ id: 'orphan', dueInMs: 0 }]);
    await q.claim(T0);
    // the worker holding it never reports back
    const again = await q.claim(at(LEASE));
    expect(q.ids(again)).toEqual(['orphan']);
    expect(again[0]!.tries).toBe(2);
  });

  it('a per-row lease moves each claimed row to its own next time', async () => {
    const q = await outbox([
      { id: 'x', dueInMs: -2000 },
      { id: 'y', dueInMs: -1000 },
    ]);
    const claimed = await claimDue(db, {
      table: 'sandbox_notifications',
      due: 'deliver_at',
      now: T0,
      limit: 5,
      lease: (row) => new Date(row.deliver_at.getTime() + 10 * MINUTE),
      where: (eb) => eb('company_id', '=', q.companyId),
    });
    expect(q.ids(claimed)).toEqual(['x', 'y']);
    expect(claimed.map((r) => r.deliver_at)).toEqual([at(10 * MINUTE - 2000), at(10 * MINUTE - 1000)]);
    expect(claimed.map((r) => r.tries)).toEqual([0, 0]);
    expect(await q.claim(at(10 * MINUTE - 2001))).toEqual([]);
    expect(q.ids(await q.claim(at(10 * MINUTE - 2000)))).toEqual(['x']);
    expect(q.ids(await q.claim(at(10 * MINUTE - 1000)))).toEqual(['y']);
  });

  it('two claimers at once never take the same row, and together take every due row', async () => {
    const q = await outbox(Array.from({ length: 60 }, (_, n) => ({ id: `r${n}`, dueInMs: -n })));
    const claimers = Array.from({ length: 8 }, () => q.claim(T0, 10));
    const taken = (await Promise.all(claimers)).flatMap((rows) => q.ids(rows));
    expect(new Set(taken).size).toBe(taken.length);
    // SKIP LOCKED may leave some for a later round; nothing is lost or doubled across rounds
    const rest = q.ids(await q.claim(T0, 100));
    expect(new Set([...taken, ...rest]).size).toBe(60);
    expect(taken.length + rest.length).toBe(60);
  });

  it('a row locked by another transaction is skipped, not waited for', async () => {
    const q = await outbox([
      { id: 'held', dueInMs: -2000 },
      { id: 'free', dueInMs: -1000 },
    ]);
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = db.transaction().execute(async (tx) => {
      await sql`SELECT 1 FROM sandbox_notifications WHERE id LIKE ${'%_held'} FOR UPDATE`.execute(tx);
      locked();
      await released;
    });
    await isLocked;
    expect(q.ids(await q.claim(T0))).toEqual(['free']);
    release();
    await holder;
    expect(q.ids(await q.claim(T0))).toEqual(['held']);
  });

  it('refuses a column outside the fixed list', async () => {
    await expect(
      claimDue(db, {
        table: 'sandbox_notifications',
        due: 'body' as 'deliver_at',
        now: T0,
        limit: 1,
        lease: T0,
      }),
    ).rejects.toThrow(/not a listed due column/);
  });
});

describe('durable queue: back-off after failures', () => {
  const schedule = { firstMs: 30_000, capMs: 3_600_000 };

  it('R18 refund tries back off 30 s, 1 min, 2 min … and never wait more than an hour', () => {
    expect([1, 2, 3, 4, 7, 8, 9, 40].map((n) => backoffDelayMs(n, schedule))).toEqual([
      30_000, 60_000, 120_000, 240_000, 1_920_000, 3_600_000, 3_600_000, 3_600_000,
    ]);
  });

  it('grows with every failure up to the cap, and the next due time is counted from the caller’s now', () => {
    let previous = 0;
    for (let failures = 1; failures <= 100; failures++) {
      const delay = backoffDelayMs(failures, schedule);
      expect(delay).toBeGreaterThanOrEqual(previous);
      expect(delay).toBeLessThanOrEqual(schedule.capMs);
      previous = delay;
    }
    expect(nextDueAfterFailure(T0, 2, schedule)).toEqual(at(MINUTE));
  });
});
