import { violatedUniqueConstraint, type Db, type Executor } from '../../db/database.js';
import type { ProductRow, ServiceRow } from '../../db/schema.js';
import { decodeCursor, splitPage } from '../../db/paging.js';
import type { Clock } from '../../shared/clock.js';
import { DomainError, notFound } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { changes } from '../audit/index.js';
import { recordAudit } from '../audit/index.js';
import { companyOrNotFound } from '../companies/index.js';
import * as repo from './catalog.repository.js';
import { decodeProductCursor, encodeProductCursor } from './product-cursor.js';
import { assertPriceRange, resolveTaxSystem, type ProductKind } from './domain/catalog-rules.js';
import type { VatCode } from './domain/taxation.js';

interface Taxation {
  taxSystem?: string | undefined;
  vat?: VatCode | undefined;
}

export interface NewService extends Taxation {
  title: string;
  priceMin: number;
  priceMax: number;
}
export type ServiceChanges = Partial<NewService>;

export interface NewProduct extends Taxation {
  title: string;
  sku: string;
  barcode?: string | null | undefined;
  kind: ProductKind;
  price: number;
}
export type ProductChanges = Partial<NewProduct>;

export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
}

/** Rows come back with the company's currency, which every DTO needs to format its amounts. */
export interface Priced<T> {
  currency: string;
  value: T;
}

const isSkuConflict = (error: unknown) => violatedUniqueConstraint(error) === 'products_sku_key';

const skuTaken = (sku: string) =>
  new DomainError('sku_taken', `SKU ${sku} is already used by another product`, { field: 'sku' });

/** Where services and products differ when created: their table and the columns their audit entry records. */
interface CatalogTable<Columns, Row> {
  entity: 'service' | 'product';
  insert: (
    tx: Executor,
    row: Columns & { id: string; company_id: string; tax_system: string; vat: string },
  ) => Promise<void>;
  find: (tx: Executor, companyId: string, id: string) => Promise<Row | undefined>;
  audited: readonly (keyof Columns & string)[];
}

const SERVICES: CatalogTable<{ title: string; price_min: number; price_max: number }, ServiceRow> = {
  entity: 'service',
  insert: repo.insertService,
  find: repo.findService,
  audited: ['title', 'price_min', 'price_max'],
};

const PRODUCTS: CatalogTable<
  { title: string; sku: string; barcode: string | null; kind: ProductKind; price: number },
  ProductRow
> = {
  entity: 'product',
  insert: repo.insertProduct,
  find: repo.findProduct,
  audited: ['title', 'sku', 'kind', 'price'],
};

/** Use cases of the catalogue: services (price ranges) and products, with taxation and audit. */
export class CatalogService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async listServices(companyId: string, page: PageRequest): Promise<Priced<ServiceRow[]>> {
    const { currency } = await companyOrNotFound(this.db, companyId);
    const rows = await repo.listServices(this.db, {
      companyId,
      after: decodeCursor(page.cursor),
      take: page.limit + 1,
    });
    return { currency, value: rows };
  }

  async getService(companyId: string, id: string): Promise<Priced<ServiceRow>> {
    const { currency } = await companyOrNotFound(this.db, companyId);
    const row = await repo.findService(this.db, companyId, id);
    if (!row) throw notFound('service', id);
    return { currency, value: row };
  }

  async createService(companyId: string, actorId: string, input: NewService): Promise<Priced<ServiceRow>> {
    assertPriceRange(input.priceMin, input.priceMax, 'priceMax');
    return this.create(SERVICES, companyId, actorId, input, {
      title: input.title,
      price_min: input.priceMin,
      price_max: input.priceMax,
    });
  }

  async updateService(
    companyId: string,
    actorId: string,
    id: string,
    input: ServiceChanges,
  ): Promise<Priced<ServiceRow>> {
    return this.db.transaction().execute(async (tx) => {
      const company = await companyOrNotFound(tx, companyId);
      const current = await repo.findService(tx, companyId, id, { forUpdate: true });
      if (!current) throw notFound('service', id);
      const next = {
        title: input.title,
        price_min: input.priceMin,
        price_max: input.priceMax,
        tax_system: input.taxSystem === undefined ? undefined : resolveTaxSystem(company, input.taxSystem),
        vat: input.vat,
      };
      assertPriceRange(
        next.price_min ?? current.price_min,
        next.price_max ?? current.price_max,
        input.priceMax === undefined ? 'priceMin' : 'priceMax',
      );
      const diff = changes(current, next);
      if (Object.keys(diff).length === 0) return { currency: company.currency, value: current };
      const updated = await repo.updateService(tx, companyId, id, stripUndefined(next));
      await this.audit(tx, companyId, actorId, 'service.updated', 'service', id, { changes: camelKeys(diff) });
      return { currency: company.currency, value: updated };
    });
  }

  /** One page of products, exact SKU/barcode matches of `q` first; the cursor carries the rank. */
  async listProducts(
    companyId: string,
    page: PageRequest & { q?: string | undefined },
  ): Promise<Priced<{ rows: ProductRow[]; nextCursor: string | null }>> {
    const { currency } = await companyOrNotFound(this.db, companyId);
    const found = await repo.listProducts(this.db, {
      companyId,
      search: page.q || undefined,
      after: decodeProductCursor(page.cursor),
      take: page.limit + 1,
    });
    const { items, nextCursor } = splitPage(found, page.limit, (last) =>
      encodeProductCursor({ rank: Number(last.search_rank), createdAt: last.created_at, id: last.id }),
    );
    return { currency, value: { rows: items, nextCursor } };
  }

  async getProduct(companyId: string, id: string): Promise<Priced<ProductRow>> {
    const { currency } = await companyOrNotFound(this.db, companyId);
    const row = await repo.findProduct(this.db, companyId, id);
    if (!row) throw notFound('product', id);
    return { currency, value: row };
  }

  async createProduct(companyId: string, actorId: string, input: NewProduct): Promise<Priced<ProductRow>> {
    try {
      return await this.create(PRODUCTS, companyId, actorId, input, {
        title: input.title,
        sku: input.sku,
        barcode: input.barcode ?? null,
        kind: input.kind,
        price: input.price,
      });
    } catch (error) {
      // The unique index on (company_id, lower(sku)) is the referee between concurrent creates.
      if (isSkuConflict(error)) throw skuTaken(input.sku);
      throw error;
    }
  }

  async updateProduct(
    companyId: string,
    actorId: string,
    id: string,
    input: ProductChanges,
  ): Promise<Priced<ProductRow>> {
    try {
      return await this.db.transaction().execute(async (tx) => {
        const company = await companyOrNotFound(tx, companyId);
        const current = await repo.findProduct(tx, companyId, id, { forUpdate: true });
        if (!current) throw notFound('product', id);
        const next = {
          title: input.title,
          sku: input.sku,
          barcode: input.barcode,
          kind: input.kind,
          price: input.price,
          tax_system: input.taxSystem === undefined ? undefined : resolveTaxSystem(company, input.taxSystem),
          vat: input.vat,
        };
        const diff = changes(current, next);
        if (Object.keys(diff).length === 0) return { currency: company.currency, value: current };
        const updated = await repo.updateProduct(tx, companyId, id, stripUndefined(next));
        await this.audit(tx, companyId, actorId, 'product.updated', 'product', id, { changes: camelKeys(diff) });
        return { currency: company.currency, value: updated };
      });
    } catch (error) {
      if (isSkuConflict(error)) throw skuTaken(input.sku ?? '');
      throw error;
    }
  }

  /** Creating either kind of item: the company's taxation filled in (R23), the row written and audited. */
  private create<Columns extends object, Row>(
    table: CatalogTable<Columns, Row>,
    companyId: string,
    actorId: string,
    taxation: Taxation,
    columns: Columns,
  ): Promise<Priced<Row>> {
    return this.db.transaction().execute(async (tx) => {
      const company = await companyOrNotFound(tx, companyId);
      const row = {
        id: newId(table.entity),
        company_id: companyId,
        ...columns,
        tax_system: resolveTaxSystem(company, taxation.taxSystem),
        vat: taxation.vat ?? 'none',
      };
      await table.insert(tx, row);
      const audited: (keyof typeof row)[] = [...table.audited, 'tax_system', 'vat'];
      const details = Object.fromEntries(audited.map((column) => [column, row[column]]));
      await this.audit(tx, companyId, actorId, `${table.entity}.created`, table.entity, row.id, camelKeys(details));
      return { currency: company.currency, value: (await table.find(tx, companyId, row.id))! };
    });
  }

  private audit(
    tx: Executor,
    companyId: string,
    actorId: string,
    action: string,
    entityType: string,
    entityId: string,
    details: Record<string, unknown>,
  ) {
    return recordAudit(tx, {
      companyId,
      at: this.clock.now(),
      actor: { type: 'user', id: actorId },
      action,
      entityType,
      entityId,
      details,
    });
  }
}

function stripUndefined<T extends Record<string, unknown>>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

/** Audit details speak the API's language (priceMin), not the column's (price_min). */
function camelKeys(diff: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(diff).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v]),
  );
}
