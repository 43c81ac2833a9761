import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { companyOf, requireRight, userId } from '../../http/authenticate.js';
import { entityId as id, entityParams, minorUnits } from '../../http/schemas.js';
import type { App } from '../../http/types.js';
import { validation } from '../../shared/errors.js';
import { appointmentDto, itemDto } from './appointment-dto.js';
import { MAX_QUANTITY } from './domain/items.js';
import type { ItemsService, NewItem, RightCheck } from './items.service.js';

const quantity = z.number().int().min(1).max(MAX_QUANTITY);

const addBody = z
  .strictObject({
    serviceId: id.optional(),
    price: minorUnits.optional().describe('services only: within the service range; default priceMin'),
    productId: id.optional(),
    sku: z.string().trim().min(1).max(64).optional().describe('products: instead of productId (R21)'),
    quantity: quantity.optional().describe('products only; default 1'),
  })
  .describe('A service {serviceId, price?} or a product {productId | sku, quantity}');

const patchBody = z
  .strictObject({ price: minorUnits.optional(), quantity: quantity.optional() })
  .describe('price for a service line (within its range), quantity for a product line');

const itemParams = entityParams.extend({ itemId: id });
const itemResult = z.object({ item: itemDto, appointment: appointmentDto });

/** The body is one object with optional fields so a mistake gets an error naming the field. */
function toNewItem(body: z.infer<typeof addBody>): NewItem {
  const isProduct = body.productId !== undefined || body.sku !== undefined;
  if (body.serviceId !== undefined) {
    if (isProduct)
      throw validation(body.productId !== undefined ? 'productId' : 'sku', 'send serviceId or productId/sku, not both');
    if (body.quantity !== undefined) throw validation('quantity', 'a service line has no quantity');
    return { kind: 'service', serviceId: body.serviceId, price: body.price };
  }
  if (!isProduct) throw validation('serviceId', 'send serviceId for a service, or productId or sku for a product');
  if (body.productId !== undefined && body.sku !== undefined)
    throw validation('sku', 'send productId or sku, not both');
  if (body.price !== undefined) throw validation('price', 'a product is sold at its catalogue price');
  return { kind: 'product', productId: body.productId, sku: body.sku, quantity: body.quantity ?? 1 };
}

const rightsOf =
  (req: FastifyRequest): RightCheck =>
  (right) =>
    requireRight(req, right);

const BASE = '/api/v1/companies/:companyId/appointments/:id/items';

/**
 * Either right opens these routes; the line's kind decides which one is needed
 * (services: appointments.write, products: products.sell).
 */
export function registerItemRoutes(app: App, items: ItemsService): void {
  const tags = ['appointments'];
  const access = ['appointments.write', 'products.sell'] as const;

  app.post(
    BASE,
    {
      config: { access },
      schema: {
        tags,
        description:
          "Adds a line. A product already on the appointment at the same price adds to that line's quantity (a scan " +
          'of the same SKU), answering the line it changed. 409 appointment_locked while a client pays by link (R13).',
        params: entityParams,
        body: addBody,
        response: { 201: itemResult },
      },
    },
    async (req, reply) => {
      const result = await items.add(companyOf(req), userId(req), req.params.id, toNewItem(req.body), rightsOf(req));
      return reply.code(201).send(result);
    },
  );

  app.patch(
    `${BASE}/:itemId`,
    { config: { access }, schema: { tags, params: itemParams, body: patchBody, response: { 200: itemResult } } },
    async (req) => items.change(companyOf(req), userId(req), req.params.id, req.params.itemId, req.body, rightsOf(req)),
  );

  app.delete(
    `${BASE}/:itemId`,
    {
      config: { access },
      schema: {
        tags,
        description: 'Removes a line; answers it as it was and the appointment after.',
        params: itemParams,
        response: { 200: itemResult },
      },
    },
    async (req) => items.remove(companyOf(req), userId(req), req.params.id, req.params.itemId, rightsOf(req)),
  );
}
