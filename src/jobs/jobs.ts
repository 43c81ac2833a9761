import { deliverDueWebhooks } from '../modules/integrations/index.js';
import { deliverDueSandboxNotifications } from '../providers/sandbox/sandbox-notifier.js';
import type { Services } from '../services.js';
import type { Db } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import type { Job } from './job-runner.js';

/** Every background job of Visitpay (SPEC §8): expiry and reconciliation, inbox retries, refunds, settlement receipts, outgoing webhooks, reminders, sandbox delivery. */
export function visitpayJobs(deps: { db: Db; clock: Clock; services: Services }): Job[] {
  const { services } = deps;
  return [
    // R11, R20: attempts past their check time are asked about at the provider
    { name: 'attempts.reconcile', intervalMs: 2_000, run: () => services.reconciliation.processDue() },
    // R17: notifications that could not be applied at once
    { name: 'webhooks.retry', intervalMs: 2_000, run: () => services.webhooks.processDue() },
    // R18: overpayments refunded through the provider
    { name: 'refunds.process', intervalMs: 2_000, run: () => services.refunds.processDue() },
    // R33: settlement receipts of prepayments whose service was delivered
    { name: 'receipts.settle', intervalMs: 5_000, run: () => services.settlementReceipts.processDue() },
    // R41: the email confirming a link payment, once per payment
    { name: 'confirmations.send', intervalMs: 2_000, run: () => services.confirmations.processDue() },
    // R32: refunds made at the provider whose notification was lost, read from the provider
    { name: 'refunds.read-provider', intervalMs: 30_000, run: () => services.providerRefunds.processDue() },
    // R35: reminders of sent, unpaid links
    { name: 'reminders.send', intervalMs: 30_000, run: () => services.linkReminders.processDue() },
    // signed events for integrators' endpoints (SPEC §9)
    {
      name: 'webhooks.deliver',
      intervalMs: 1_000,
      run: () =>
        deliverDueWebhooks({
          db: deps.db,
          clock: deps.clock,
          log: services.logFor('webhook-delivery'),
          secrets: services.secrets,
          outbound: services.outbound,
        }),
    },
    // the built-in sandbox bank sends its notifications
    {
      name: 'sandbox.deliver',
      intervalMs: 1_000,
      run: async () => {
        const report = await deliverDueSandboxNotifications({
          db: deps.db,
          clock: deps.clock,
          origins: services.origins,
          secrets: services.secrets,
        });
        return report.expired + report.delivered + report.failed;
      },
    },
  ];
}
