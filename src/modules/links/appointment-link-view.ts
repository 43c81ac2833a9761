import type { Db } from '../../db/database.js';
import { refundRequestsOfAppointment, toRefundDto } from '../refunds/index.js';
import type { AppointmentLinkView } from './appointment-link-dto.js';
import type { PaymentLinksService } from './payment-links.service.js';

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
  return {
    paymentLink: canSeeLinks ? await deps.links.current(companyId, appointmentId) : null,
    refunds: refunds.map((r) => toRefundDto(r, currency)),
  };
}
