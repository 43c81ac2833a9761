import type { Config } from '../../config.js';
import type { ProviderSettings } from '../port.js';
import { modeOf, notificationModeSchema, type NotificationMode } from './sandbox-events.js';
import { readNotificationMode, writeNotificationMode } from './sandbox-notifications.repository.js';

/** R1: the built-in sandbox bank takes no real money, so production refuses it unless the operator allows it. */
export function sandboxRefusedUnder(
  config: Pick<Config, 'NODE_ENV' | 'VISITPAY_ALLOW_SANDBOX_IN_PRODUCTION'>,
): string | undefined {
  return config.NODE_ENV === 'production' && config.VISITPAY_ALLOW_SANDBOX_IN_PRODUCTION !== 'true'
    ? 'the sandbox provider is refused in production (VISITPAY_ALLOW_SANDBOX_IN_PRODUCTION)'
    : undefined;
}

/** How the sandbox bank delivers a company's notifications, shown and changed as `sandboxNotifications`. */
export const sandboxSettings: ProviderSettings<NotificationMode> = {
  field: 'sandboxNotifications',
  schema: notificationModeSchema,
  read: async (db, companyId) => modeOf(await readNotificationMode(db, companyId)),
  write: (db, companyId, mode, at) => writeNotificationMode(db, companyId, mode, at),
};
