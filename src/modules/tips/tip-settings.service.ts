import type { Db } from '../../db/database.js';
import type { Actor } from '../../shared/actor.js';
import type { Clock } from '../../shared/clock.js';
import { DomainError } from '../../shared/errors.js';
import { recordAudit } from '../audit/index.js';
import type { CashlessSettingsService } from '../cashless/index.js';
import { MAX_TIP_PRESET_PERCENT, MAX_TIP_PRESETS, tipsOffered, type TipSettings } from './domain/tips.js';
import * as repo from './tips.repository.js';

export interface TipSettingsView extends TipSettings {
  /** false while fiscalization is on: tips can then be neither switched on nor offered */
  available: boolean;
  /** the link page offers tips right now */
  offered: boolean;
}

export interface TipSettingsChanges {
  enabled?: boolean | undefined;
  presets?: number[] | undefined;
}

/** Settings → Tips (R40): off by default, never offered while fiscalization is on. */
export class TipSettingsService {
  constructor(private readonly deps: { db: Db; clock: Clock; cashless: Pick<CashlessSettingsService, 'view'> }) {}

  async view(companyId: string): Promise<TipSettingsView> {
    const settings = await repo.readTipSettings(this.deps.db, companyId);
    return this.toView(settings, await this.fiscalization(companyId));
  }

  async update(companyId: string, actor: Actor, changes: TipSettingsChanges): Promise<TipSettingsView> {
    const { db, clock } = this.deps;
    const presets = changes.presets === undefined ? undefined : normalizePresets(changes.presets);
    const fiscalization = await this.fiscalization(companyId);
    if (changes.enabled === true && fiscalization)
      throw new DomainError('tips_unavailable', 'tips cannot be switched on while fiscalization is on', {
        field: 'enabled',
      });
    const now = clock.now();
    const after = await db.transaction().execute(async (tx) => {
      const before = await repo.lockTipSettings(tx, companyId, now);
      const next: TipSettings = {
        enabled: changes.enabled ?? before.enabled,
        presets: presets ?? before.presets,
      };
      await repo.writeTipSettings(tx, companyId, next, now);
      await recordAudit(tx, {
        companyId,
        at: now,
        actor,
        action: 'settings.changed',
        entityType: 'tip_settings',
        entityId: companyId,
        details: { before, after: next },
      });
      return next;
    });
    return this.toView(after, fiscalization);
  }

  private async fiscalization(companyId: string): Promise<boolean> {
    return (await this.deps.cashless.view(companyId)).fiscalization.enabled;
  }

  private toView(settings: TipSettings, fiscalization: boolean): TipSettingsView {
    return { ...settings, available: !fiscalization, offered: tipsOffered(settings, fiscalization) };
  }
}

/** Whole percentages 0–30, at most 4, each once, in ascending order. */
function normalizePresets(presets: number[]): number[] {
  const unique = [...new Set(presets)].sort((a, b) => a - b);
  if (unique.length === 0 || unique.length > MAX_TIP_PRESETS)
    throw new DomainError('validation_failed', `between 1 and ${MAX_TIP_PRESETS} presets`, { field: 'presets' });
  if (unique.some((p) => !Number.isInteger(p) || p < 0 || p > MAX_TIP_PRESET_PERCENT))
    throw new DomainError('validation_failed', `presets are whole percentages from 0 to ${MAX_TIP_PRESET_PERCENT}`, {
      field: 'presets',
    });
  return unique;
}
