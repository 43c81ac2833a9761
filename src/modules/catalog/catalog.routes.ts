import { z } from 'zod';
import type { ProductRow, ServiceRow } from '../../db/schema.js';
import { companyOf, userId } from '../../http/authenticate.js';
import { companyParams, entityParams, minorUnits, page, pageQuery, text } from '../../http/schemas.js';
import { toPage } from '../../db/paging.js';
import type { App } from '../../http/types.js';
import { formatMoney } from '../../shared/money.js';
import type { CatalogService } from './catalog.service.js';
import { PRODUCT_KINDS, type ProductKind } from './domain/catalog-rules.js';
import { VAT_CODES, type VatCode } from './domain/taxation.js';

const taxSystem = z.string().trim().min(1).max(40);
const vat = z.enum(VAT_CODES);
// SKUs and barcodes are typed or scanned at the desk: printable, no whitespace inside.
const sku = z.string().trim().min(1).max(64).regex(/^\S+$/, 'must not contain spaces');
const barcode = z.string().trim().min(1).max(64).regex(/^\S+$/, 'must not contain spaces');

const serviceBody = z.strictObject({
  title: text(200),
  priceMin: minorUnits,
  priceMax: minorUnits,
  taxSystem: taxSystem.optional(),
  vat: vat.optional(),
});
const servicePatch = serviceBody.partial();
const productBody = z.strictObject({
  title: text(200),
  sku,
  barcode: barcode.nullable().optional(),
  kind: z.enum(PRODUCT_KINDS),
  price: minorUnits,
  taxSystem: taxSystem.optional(),
  vat: vat.optional(),
});
const productPatch = productBody.partial();
const productQuery = pageQuery.extend({ q: z.string().trim().max(100).optional() });

/** A catalogue service as the API shows it; amounts in minor units plus a display string. */
export const serviceDto = z.object({
  id: z.string(),
  title: z.string(),
  priceMin: z.number().int(),
  priceMax: z.number().int(),
  priceMinFormatted: z.string(),
  priceMaxFormatted: z.string(),
  taxSystem: z.string(),
  vat: z.enum(VAT_CODES),
  createdAt: z.string(),
});

/** A product as the API shows it. */
export const productDto = z.object({
  id: z.string(),
  title: z.string(),
  sku: z.string(),
  barcode: z.string().nullable(),
  kind: z.enum(PRODUCT_KINDS),
  price: z.number().int(),
  priceFormatted: z.string(),
  taxSystem: z.string(),
  vat: z.enum(VAT_CODES),
  createdAt: z.string(),
});

export const toServiceDto = (s: ServiceRow, currency: string): z.infer<typeof serviceDto> => ({
  id: s.id,
  title: s.title,
  priceMin: s.price_min,
  priceMax: s.price_max,
  priceMinFormatted: formatMoney(s.price_min, currency),
  priceMaxFormatted: formatMoney(s.price_max, currency),
  taxSystem: s.tax_system,
  vat: s.vat as VatCode,
  createdAt: s.created_at.toISOString(),
});

export const toProductDto = (p: ProductRow, currency: string): z.infer<typeof productDto> => ({
  id: p.id,
  title: p.title,
  sku: p.sku,
  barcode: p.barcode,
  kind: p.kind as ProductKind,
  price: p.price,
  priceFormatted: formatMoney(p.price, currency),
  taxSystem: p.tax_system,
  vat: p.vat as VatCode,
  createdAt: p.created_at.toISOString(),
});

const BASE = '/api/v1/companies/:companyId';

/**
 * Reading the catalogue is part of working with appointments; changing prices and taxation is a
 * financial setting, so writes need `finance.settings`.
 */
export function registerCatalogRoutes(app: App, catalog: CatalogService): void {
  const tags = ['catalog'];

  app.get(
    `${BASE}/services`,
    {
      config: { access: 'appointments.read' },
      schema: { tags, params: companyParams, querystring: pageQuery, response: { 200: page(serviceDto) } },
    },
    async (req) => {
      const { currency, value } = await catalog.listServices(companyOf(req), req.query);
      return toPage(value, req.query.limit, (s) => toServiceDto(s, currency));
    },
  );

  app.get(
    `${BASE}/services/:id`,
    { config: { access: 'appointments.read' }, schema: { tags, params: entityParams, response: { 200: serviceDto } } },
    async (req) => {
      const { currency, value } = await catalog.getService(companyOf(req), req.params.id);
      return toServiceDto(value, currency);
    },
  );

  app.post(
    `${BASE}/services`,
    {
      config: { access: 'finance.settings' },
      schema: { tags, params: companyParams, body: serviceBody, response: { 201: serviceDto } },
    },
    async (req, reply) => {
      const { currency, value } = await catalog.createService(companyOf(req), userId(req), req.body);
      return reply.code(201).send(toServiceDto(value, currency));
    },
  );

  app.patch(
    `${BASE}/services/:id`,
    {
      config: { access: 'finance.settings' },
      schema: { tags, params: entityParams, body: servicePatch, response: { 200: serviceDto } },
    },
    async (req) => {
      const { currency, value } = await catalog.updateService(companyOf(req), userId(req), req.params.id, req.body);
      return toServiceDto(value, currency);
    },
  );

  app.get(
    `${BASE}/products`,
    {
      config: { access: 'appointments.read' },
      schema: {
        tags,
        description:
          'q matches the title, SKU or barcode (contains, any case); exact SKU or barcode matches come first.',
        params: companyParams,
        querystring: productQuery,
        response: { 200: page(productDto) },
      },
    },
    async (req) => {
      const { currency, value } = await catalog.listProducts(companyOf(req), req.query);
      return { items: value.rows.map((p) => toProductDto(p, currency)), nextCursor: value.nextCursor };
    },
  );

  app.get(
    `${BASE}/products/:id`,
    { config: { access: 'appointments.read' }, schema: { tags, params: entityParams, response: { 200: productDto } } },
    async (req) => {
      const { currency, value } = await catalog.getProduct(companyOf(req), req.params.id);
      return toProductDto(value, currency);
    },
  );

  app.post(
    `${BASE}/products`,
    {
      config: { access: 'finance.settings' },
      schema: { tags, params: companyParams, body: productBody, response: { 201: productDto } },
    },
    async (req, reply) => {
      const { currency, value } = await catalog.createProduct(companyOf(req), userId(req), req.body);
      return reply.code(201).send(toProductDto(value, currency));
    },
  );

  app.patch(
    `${BASE}/products/:id`,
    {
      config: { access: 'finance.settings' },
      schema: { tags, params: entityParams, body: productPatch, response: { 200: productDto } },
    },
    async (req) => {
      const { currency, value } = await catalog.updateProduct(companyOf(req), userId(req), req.params.id, req.body);
      return toProductDto(value, currency);
    },
  );
}
