import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import {
  announceChange,
  LIVE_CHANNEL,
  notifyingUnitOfWork,
  type AppointmentChanged,
  type UnitOfWork,
} from '../../src/live/index.js';
import { recordAudit } from '../../src/modules/audit/index.js';
import { newId } from '../../src/shared/ids.js';
import { createTestApp } from '../helpers/test-app.js';

const t = await createTestApp();
const company = await t.newCompany();

/** Everything said on the live channel, as a separate process watching it hears it. */
const heard: AppointmentChanged[] = [];
const listener = new pg.Client({ connectionString: t.database.url });
listener.on('notification', (msg) => heard.push(JSON.parse(msg.payload!) as AppointmentChanged));
await listener.connect();
await listener.query(`LISTEN ${LIVE_CHANNEL}`);
afterAll(() => listener.end());

const change = (appointmentId: string, reason: string): AppointmentChanged => ({
  companyId: company.id,
  appointmentId,
  reason,
});
const reasonsFor = (appointmentId: string) =>
  heard.filter((e) => e.appointmentId === appointmentId).map((e) => e.reason);

async function hear(appointmentId: string, reason: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!reasonsFor(appointmentId).includes(reason)) {
    if (Date.now() > deadline) throw new Error(`"${reason}" never came; heard ${JSON.stringify(heard)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A marker committed on its own connection: once it is heard, whatever committed before it has been heard too. */
async function signal(appointmentId: string, reason = 'signal'): Promise<void> {
  await announceChange(t.db, change(appointmentId, reason));
  await hear(appointmentId, reason);
}

type Opener = <T>(fn: (uow: UnitOfWork) => Promise<T>) => Promise<T>;
const openers: [string, Opener][] = [
  ['LiveAnnouncer.transaction (batched after the commit)', (fn) => t.services.announcer.transaction(fn)],
  [
    'a plain transaction (NOTIFY in the transaction)',
    (fn) => t.db.transaction().execute((tx) => fn(notifyingUnitOfWork(tx))),
  ],
];

describe('the unit of work announces after its commit (R29)', () => {
  for (const [name, open] of openers) {
    it(`R29 ${name}: an announcement made in the unit of work arrives only once it committed`, async () => {
      const appointmentId = newId('appointment');
      await open(async (uow) => {
        await uow.afterCommit(change(appointmentId, 'changed'));
        // a change committed meanwhile is heard; ours, not committed yet, is not
        await signal(appointmentId, 'meanwhile');
        expect(reasonsFor(appointmentId)).toEqual(['meanwhile']);
      });
      await hear(appointmentId, 'changed');
      expect(reasonsFor(appointmentId)).toEqual(['meanwhile', 'changed']);
    });

    it(`R29 ${name}: a rolled-back unit of work announces nothing`, async () => {
      const appointmentId = newId('appointment');
      await expect(
        open(async (uow) => {
          await uow.afterCommit(change(appointmentId, 'rolled.back'));
          throw new Error('the unit of work fails');
        }),
      ).rejects.toThrow('the unit of work fails');
      // the next unit of work's announcement is heard: the failed one, sent first if ever, would be heard by now
      await open((uow) => uow.afterCommit(change(appointmentId, 'committed')));
      await hear(appointmentId, 'committed');
      await signal(appointmentId);
      expect(reasonsFor(appointmentId)).toEqual(['committed', 'signal']);
    });
  }

  it('R27 R29 writing an audit entry of an appointment announces nothing, in a plain transaction or a unit of work', async () => {
    const appointmentId = newId('appointment');
    await t.db.transaction().execute((tx) =>
      recordAudit(tx, {
        companyId: company.id,
        at: new Date(),
        actor: { type: 'system' },
        action: 'payment.recorded',
        entityType: 'payment',
        entityId: newId('payment'),
        appointmentId,
      }),
    );
    await t.services.announcer.transaction((uow) =>
      recordAudit(uow.tx, {
        companyId: company.id,
        at: new Date(),
        actor: { type: 'system' },
        action: 'attempt.created',
        entityType: 'attempt',
        entityId: newId('attempt'),
        appointmentId,
      }),
    );
    await t.services.announcer.flush();
    await signal(appointmentId);
    expect(reasonsFor(appointmentId)).toEqual(['signal']);
    const audited = await t.db
      .selectFrom('audit_log')
      .select('action')
      .where('appointment_id', '=', appointmentId)
      .execute();
    expect(audited.map((a) => a.action).sort()).toEqual(['attempt.created', 'payment.recorded']);
  });
});
