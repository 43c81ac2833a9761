import type { Db, Executor } from '../../db/database.js';
import type { Clock } from '../../shared/clock.js';
import { DomainError, validation } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import type { Right } from '../access/domain/rights.js';
import { recordAudit } from '../audit/index.js';
import { announceChange } from '../../live/index.js';
import { findProduct, findProductBySku, findService } from '../catalog/index.js';
import { findCompany } from '../companies/index.js';
import { toItemDto, type AppointmentDto, type ItemDto } from './appointment-dto.js';
import { amountsOf, assertNotCancelled, lockForMoneyChange } from './appointment-lock.js';
import * as repo from './appointments.repository.js';
import { loadAppointmentDto } from './appointments.service.js';
import type { Amounts } from './domain/amounts.js';
import { MAX_QUANTITY, assertTotalFits, productLine, serviceLine, servicePrice } from './domain/items.js';

export type NewItem =
  | { kind: 'service'; serviceId: string; price?: number | undefined }
  /** exactly one of productId and sku (R21: the desk scans or types the SKU) */
  | { kind: 'product'; productId?: string | undefined; sku?: string | undefined; quantity: number };

export interface ItemChanges {
  price?: number | undefined;
  quantity?: number | undefined;
}

/** The right each kind of line needs (SPEC §4): the route admits either, the service decides. */
export const RIGHT_OF_KIND = { service: 'appointments.write', product: 'products.sell' } as const satisfies Record<
  string,
  Right
>;

export type RightCheck = (right: Right) => void;

export interface ItemResult {
  item: ItemDto;
  appointment: AppointmentDto;
}

const missing = (what: string, field: string, id: string) =>
  new DomainError('not_found', `${what} not found`, { field, id });

/**
 * Adding, repricing and removing the lines of an appointment. Each is a money change: it takes
 * the appointment's row lock, is refused while a client pays by link (R13), and is audited with
 * the total and the amount due before and after.
 */
export class ItemsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async add(
    companyId: string,
    actorId: string,
    appointmentId: string,
    input: NewItem,
    requireRight: RightCheck,
  ): Promise<ItemResult> {
    requireRight(RIGHT_OF_KIND[input.kind]);
    return this.moneyChange(companyId, appointmentId, async (tx, now, before) => {
      const line =
        input.kind === 'service'
          ? await this.serviceLineOf(tx, companyId, input)
          : await this.productLineOf(tx, companyId, input);
      assertTotalFits(before.total + line.unit_price * line.quantity, line.kind === 'service' ? 'price' : 'quantity');
      // A product scanned twice adds to its line's quantity, as a till does (one "Styling wax × 2"
      // on the card, the link page and the provider's page, not two lines of the same thing).
      const same = line.kind === 'product' ? await repo.findSameProductLine(tx, appointmentId, line) : undefined;
      if (same && same.quantity + line.quantity <= MAX_QUANTITY) {
        const quantity = same.quantity + line.quantity;
        await repo.updateItem(tx, same.id, { quantity });
        return this.finish(tx, {
          companyId,
          actorId,
          appointmentId,
          now,
          before,
          action: 'item.changed',
          itemId: same.id,
          details: {
            itemId: same.id,
            kind: line.kind,
            title: line.title,
            from: { unitPrice: same.unit_price, quantity: same.quantity },
            to: { unitPrice: same.unit_price, quantity },
          },
        });
      }
      const id = newId('item');
      await repo.insertItem(tx, { id, company_id: companyId, appointment_id: appointmentId, ...line });
      const details = {
        itemId: id,
        kind: line.kind,
        title: line.title,
        unitPrice: line.unit_price,
        quantity: line.quantity,
      };
      return this.finish(tx, {
        companyId,
        actorId,
        appointmentId,
        now,
        before,
        action: 'item.added',
        itemId: id,
        details,
      });
    });
  }

  async change(
    companyId: string,
    actorId: string,
    appointmentId: string,
    itemId: string,
    input: ItemChanges,
    requireRight: RightCheck,
  ): Promise<ItemResult> {
    await this.checkRightOfItem(companyId, appointmentId, itemId, requireRight);
    return this.moneyChange(companyId, appointmentId, async (tx, now, before) => {
      const item = await repo.findItem(tx, companyId, appointmentId, itemId);
      if (!item) throw missing('item', 'itemId', itemId);
      let next: { unit_price: number; quantity: number };
      if (item.kind === 'service') {
        if (input.quantity !== undefined)
          throw validation('quantity', 'a service line has no quantity; add the service again instead');
        if (input.price === undefined) throw validation('price', 'send the new price of the service');
        const service = await findService(tx, companyId, item.service_id ?? '');
        if (!service) throw missing('service', 'serviceId', item.service_id ?? '');
        next = {
          unit_price: servicePrice({ priceMin: service.price_min, priceMax: service.price_max }, input.price, 'price'),
          quantity: 1,
        };
      } else {
        if (input.price !== undefined)
          throw validation('price', 'a product is sold at its catalogue price; change the quantity instead');
        if (input.quantity === undefined) throw validation('quantity', 'send the new quantity');
        next = { unit_price: item.unit_price, quantity: input.quantity };
      }
      assertTotalFits(
        before.total - item.unit_price * item.quantity + next.unit_price * next.quantity,
        item.kind === 'service' ? 'price' : 'quantity',
      );
      const unchanged = next.unit_price === item.unit_price && next.quantity === item.quantity;
      if (!unchanged) await repo.updateItem(tx, itemId, next);
      const details = {
        itemId,
        kind: item.kind,
        title: item.title,
        from: { unitPrice: item.unit_price, quantity: item.quantity },
        to: { unitPrice: next.unit_price, quantity: next.quantity },
      };
      return this.finish(tx, {
        companyId,
        actorId,
        appointmentId,
        now,
        before,
        action: unchanged ? undefined : 'item.changed',
        itemId,
        details,
      });
    });
  }

  async remove(
    companyId: string,
    actorId: string,
    appointmentId: string,
    itemId: string,
    requireRight: RightCheck,
  ): Promise<ItemResult> {
    await this.checkRightOfItem(companyId, appointmentId, itemId, requireRight);
    return this.moneyChange(companyId, appointmentId, async (tx, now, before) => {
      const [row] = (await repo.listItems(tx, [appointmentId])).filter((i) => i.id === itemId);
      if (!row) throw missing('item', 'itemId', itemId);
      const company = await findCompany(tx, companyId);
      if (!company) throw missing('company', 'companyId', companyId);
      const removed = toItemDto(row, company.currency);
      await repo.deleteItem(tx, itemId);
      const details = { itemId, kind: row.kind, title: row.title, unitPrice: row.unit_price, quantity: row.quantity };
      return this.finish(tx, {
        companyId,
        actorId,
        appointmentId,
        now,
        before,
        action: 'item.removed',
        itemId,
        details,
        removed,
      });
    });
  }

  /** A line's kind never changes, so its right can be checked before the transaction (403 before 409). */
  private async checkRightOfItem(
    companyId: string,
    appointmentId: string,
    itemId: string,
    requireRight: RightCheck,
  ): Promise<void> {
    const item = await repo.findItem(this.db, companyId, appointmentId, itemId);
    if (!item) throw missing('item', 'itemId', itemId);
    requireRight(RIGHT_OF_KIND[item.kind === 'service' ? 'service' : 'product']);
  }

  private async serviceLineOf(tx: Executor, companyId: string, input: Extract<NewItem, { kind: 'service' }>) {
    const service = await findService(tx, companyId, input.serviceId);
    if (!service) throw missing('service', 'serviceId', input.serviceId);
    return serviceLine(service, input.price, 'price');
  }

  private async productLineOf(tx: Executor, companyId: string, input: Extract<NewItem, { kind: 'product' }>) {
    const product = input.productId
      ? await findProduct(tx, companyId, input.productId)
      : await findProductBySku(tx, companyId, input.sku ?? '');
    if (!product)
      throw input.productId
        ? missing('product', 'productId', input.productId)
        : missing('product', 'sku', input.sku ?? '');
    return productLine(product, input.quantity);
  }

  private moneyChange<T>(
    companyId: string,
    appointmentId: string,
    work: (tx: Executor, now: Date, before: Amounts) => Promise<T>,
  ): Promise<T> {
    return this.db.transaction().execute(async (tx) => {
      const now = this.clock.now();
      const appointment = await lockForMoneyChange(tx, companyId, appointmentId, now);
      assertNotCancelled(appointment);
      return work(tx, now, await amountsOf(tx, appointmentId));
    });
  }

  private async finish(
    tx: Executor,
    c: {
      companyId: string;
      actorId: string;
      appointmentId: string;
      now: Date;
      before: Amounts;
      /** undefined when nothing changed: nothing to audit */
      action: string | undefined;
      itemId: string;
      details: Record<string, unknown>;
      removed?: ItemDto;
    },
  ): Promise<ItemResult> {
    const appointment = await loadAppointmentDto(tx, c.companyId, c.appointmentId, c.now);
    if (c.action) {
      await recordAudit(tx, {
        companyId: c.companyId,
        at: c.now,
        actor: { type: 'user', id: c.actorId },
        action: c.action,
        entityType: 'appointment_item',
        entityId: c.itemId,
        appointmentId: c.appointmentId,
        amountBefore: c.before.due,
        amountAfter: appointment.due,
        details: { ...c.details, totalBefore: c.before.total, totalAfter: appointment.total },
      });
      await announceChange(tx, { companyId: c.companyId, appointmentId: c.appointmentId, reason: c.action });
    }
    const item = c.removed ?? appointment.items.find((i) => i.id === c.itemId);
    if (!item) throw missing('item', 'itemId', c.itemId);
    return { item, appointment };
  }
}
