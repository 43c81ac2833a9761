import type { Db } from '../../db/database.js';
import { refundRequestsOfAppointment, toRefundDto } from '../refunds/index.js';
import { formatMoney } from '../../shared/money.js';
import { settlementReceiptsOfAppointment } from '../receipts/index.js';
import type { AppointmentLinkView } from './appointment-link-dto.js';
import type { PaymentLinksService } from './payment-links.service.js';
import { reminderSummary } from './reminders.repository.js';

export async function appointmentLinkViewOf(
  deps: { db: Db; links: PaymentLinksService },
  companyId: string,
  appointmentId: string,
  canSeeLinks: boolean,
): Promise<AppointmentLinkView> {
  const currency = (
    await deps.db.selectFrom('companies').select('currency').where('id', '=', companyId).executeTakeFirstOrThrow()
  ).currency;
  const refunds = await refundRequestsOfAppointment(deps.db, appointmentId);
  const settlements = await settlementReceiptsOfAppointment(deps.db, appointmentId);
  const paymentLink = canSeeLinks ? await deps.links.current(companyId, appointmentId) : null;
  const reminders = paymentLink ? await reminderSummary(deps.db, paymentLink.id) : null;
  // A link no longer active sends nothing more (the job skips what is left of its plan).
  if (reminders && paymentLink?.status !== 'active') reminders.next = null;
  return {
    paymentLink,
    linkReminders: reminders && {
      nextAt: reminders.next?.at.toISOString() ?? null,
      nextChannel: reminders.next?.channel ?? null,
      sent: reminders.sent,
    },
    refunds: refunds.map((r) => toRefundDto(r, currency)),
    settlementReceipts: settlements.map((r) => ({
      id: r.id,
      paymentId: r.payment_id,
      status: r.status,
      amount: r.amount,
      amountFormatted: r.amount === null ? null : formatMoney(r.amount, currency),
      failure: r.failure,
      dueAt: r.due_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
    })),
  };
}
