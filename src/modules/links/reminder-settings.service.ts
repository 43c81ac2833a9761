import type { Db } from '../../db/database.js';
import type { Actor } from '../../shared/actor.js';
import type { Clock } from '../../shared/clock.js';
import { validation } from '../../shared/errors.js';
import { changes, recordAudit } from '../audit/index.js';
import type { ReminderOffset, ReminderSettings } from './domain/reminder-schedule.js';
import { findReminderSettings, lockReminderSettings, saveReminderSettings } from './reminders.repository.js';

export type ReminderSettingsChange = Partial<ReminderSettings>;

/** R35: a company's reminder setting (off by default), read and changed by staff with `finance.settings`. */
export class ReminderSettingsService {
  constructor(private readonly deps: { db: Db; clock: Clock }) {}

  view(companyId: string): Promise<ReminderSettings> {
    return findReminderSettings(this.deps.db, companyId);
  }

  /** Changes what is given, keeps the rest; refuses (writing nothing) a setting that would make no sense. */
  async update(companyId: string, actor: Actor, change: ReminderSettingsChange): Promise<ReminderSettings> {
    const { db, clock } = this.deps;
    return db.transaction().execute(async (tx) => {
      await lockReminderSettings(tx, companyId);
      const current = await findReminderSettings(tx, companyId);
      const next: ReminderSettings = {
        enabled: change.enabled ?? current.enabled,
        offsets: change.offsets ?? current.offsets,
        maxCount: change.maxCount ?? current.maxCount,
        quietHours: change.quietHours ?? current.quietHours,
      };
      assertSensible(next);
      const diff = changes(flat(current), flat(next));
      if (Object.keys(diff).length === 0) return current;
      const now = clock.now();
      await saveReminderSettings(tx, companyId, next, now);
      await recordAudit(tx, {
        companyId,
        at: now,
        actor,
        action: 'settings.reminders_changed',
        entityType: 'reminder_settings',
        entityId: companyId,
        details: diff,
      });
      return next;
    });
  }
}

/** The setting as audit-comparable scalars. */
function flat(s: ReminderSettings) {
  return {
    enabled: s.enabled,
    offsets: s.offsets.map(describeOffset).join(', '),
    maxCount: s.maxCount,
    quietHours: `${s.quietHours.from}–${s.quietHours.to}`,
  };
}

const describeOffset = (o: ReminderOffset) =>
  `${o.minutes} min ${o.anchor === 'after_sending' ? 'after sending' : 'before the visit'}`;

function assertSensible(s: ReminderSettings): void {
  if (s.enabled && s.offsets.length === 0)
    throw validation('offsets', 'reminders need at least one time: after sending or before the visit');
  const seen = new Set<string>();
  s.offsets.forEach((o, i) => {
    const key = `${o.anchor}:${o.minutes}`;
    if (seen.has(key)) throw validation(`offsets.${i}`, 'this reminder time is listed twice');
    seen.add(key);
  });
}
