import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/schema.js';
import { newClient, newProduct, newService, newStaffMember } from '../helpers/factories.js';
import { createTestApp } from '../helpers/test-app.js';

const t = await createTestApp();
const c = await t.newCompany();
const service = await newService(t.db, c.id);
const product = await newProduct(t.db, c.id);
const client = await newClient(t.db, c.id);
const member = await newStaffMember(t.db, c.id);

const long = (n: number) => 'x'.repeat(n);
const validService = { title: 'Cut', priceMin: 100, priceMax: 200 };
const validProduct = { title: 'Wax', sku: 'WX-1', kind: 'goods', price: 500 };
const validUser = { email: 'new@example.test', name: 'New', role: 'staff' };

type Table = keyof Database;
interface Case {
  name: string;
  method: 'post' | 'patch';
  path: string;
  body: unknown;
  field: string;
  table: Table;
}

const cases: Case[] = [
  // minor units: negative, fractional, numeric strings, null
  {
    name: 'negative priceMin',
    method: 'post',
    path: 'services',
    body: { ...validService, priceMin: -1 },
    field: 'priceMin',
    table: 'services',
  },
  {
    name: 'fractional priceMin',
    method: 'post',
    path: 'services',
    body: { ...validService, priceMin: 10.5 },
    field: 'priceMin',
    table: 'services',
  },
  {
    name: 'priceMin as a string',
    method: 'post',
    path: 'services',
    body: { ...validService, priceMin: '100' },
    field: 'priceMin',
    table: 'services',
  },
  {
    name: 'null priceMax',
    method: 'post',
    path: 'services',
    body: { ...validService, priceMax: null },
    field: 'priceMax',
    table: 'services',
  },
  {
    name: 'unsafe priceMax',
    method: 'post',
    path: 'services',
    body: { ...validService, priceMax: 2 ** 60 },
    field: 'priceMax',
    table: 'services',
  },
  {
    name: 'fractional price',
    method: 'post',
    path: 'products',
    body: { ...validProduct, price: 1.5 },
    field: 'price',
    table: 'products',
  },
  {
    name: 'negative price',
    method: 'post',
    path: 'products',
    body: { ...validProduct, price: -100 },
    field: 'price',
    table: 'products',
  },
  {
    name: 'negative priceMin on PATCH',
    method: 'patch',
    path: `services/${service.id}`,
    body: { priceMin: -5 },
    field: 'priceMin',
    table: 'services',
  },
  {
    name: 'price as a string on PATCH',
    method: 'patch',
    path: `products/${product.id}`,
    body: { price: '900' },
    field: 'price',
    table: 'products',
  },
  // unknown enum values
  {
    name: 'unknown kind',
    method: 'post',
    path: 'products',
    body: { ...validProduct, kind: 'service' },
    field: 'kind',
    table: 'products',
  },
  {
    name: 'unknown kind on PATCH',
    method: 'patch',
    path: `products/${product.id}`,
    body: { kind: 'food' },
    field: 'kind',
    table: 'products',
  },
  {
    name: 'unknown vat',
    method: 'post',
    path: 'services',
    body: { ...validService, vat: 'vat99' },
    field: 'vat',
    table: 'services',
  },
  {
    name: 'unknown role',
    method: 'post',
    path: 'users',
    body: { ...validUser, role: 'god' },
    field: 'role',
    table: 'invitations',
  },
  {
    name: 'unknown right',
    method: 'post',
    path: 'users',
    body: { ...validUser, rights: ['root'] },
    field: 'rights.0',
    table: 'invitations',
  },
  // wrong types, missing, blank and over-long strings
  {
    name: 'numeric title',
    method: 'post',
    path: 'services',
    body: { ...validService, title: 123 },
    field: 'title',
    table: 'services',
  },
  {
    name: 'over-long title',
    method: 'post',
    path: 'services',
    body: { ...validService, title: long(201) },
    field: 'title',
    table: 'services',
  },
  {
    name: 'blank title',
    method: 'post',
    path: 'products',
    body: { ...validProduct, title: '   ' },
    field: 'title',
    table: 'products',
  },
  {
    name: 'over-long title on PATCH',
    method: 'patch',
    path: `services/${service.id}`,
    body: { title: long(5_000) },
    field: 'title',
    table: 'services',
  },
  {
    name: 'SKU with a space',
    method: 'post',
    path: 'products',
    body: { ...validProduct, sku: 'WX 1' },
    field: 'sku',
    table: 'products',
  },
  {
    name: 'numeric barcode',
    method: 'post',
    path: 'products',
    body: { ...validProduct, barcode: 4006381333931 },
    field: 'barcode',
    table: 'products',
  },
  {
    name: 'numeric taxSystem',
    method: 'post',
    path: 'services',
    body: { ...validService, taxSystem: 1 },
    field: 'taxSystem',
    table: 'services',
  },
  {
    name: 'missing client name',
    method: 'post',
    path: 'clients',
    body: { phone: '+491701234567' },
    field: 'name',
    table: 'clients',
  },
  {
    name: 'over-long client name',
    method: 'post',
    path: 'clients',
    body: { name: long(201) },
    field: 'name',
    table: 'clients',
  },
  {
    name: 'numeric phone',
    method: 'post',
    path: 'clients',
    body: { name: 'A', phone: 491701234567 },
    field: 'phone',
    table: 'clients',
  },
  {
    name: 'over-long email on PATCH',
    method: 'patch',
    path: `clients/${client.id}`,
    body: { email: `${long(300)}@example.test` },
    field: 'email',
    table: 'clients',
  },
  {
    name: 'array as staff name',
    method: 'post',
    path: 'staff',
    body: { name: ['Maria'] },
    field: 'name',
    table: 'staff',
  },
  {
    name: 'blank staff name on PATCH',
    method: 'patch',
    path: `staff/${member.id}`,
    body: { name: '' },
    field: 'name',
    table: 'staff',
  },
  {
    name: 'a password chosen by the company (S1)',
    method: 'post',
    path: 'users',
    body: { ...validUser, password: 'long-enough-pw' },
    field: 'password',
    table: 'users',
  },
  // unknown fields are refused, not silently dropped
  {
    name: 'unknown service field',
    method: 'post',
    path: 'services',
    body: { ...validService, color: 'red' },
    field: 'color',
    table: 'services',
  },
  {
    name: 'unknown product field on PATCH',
    method: 'patch',
    path: `products/${product.id}`,
    body: { price: 1, companyId: 'co_x' },
    field: 'companyId',
    table: 'products',
  },
  {
    name: 'unknown client field',
    method: 'post',
    path: 'clients',
    body: { name: 'A', vip: true },
    field: 'vip',
    table: 'clients',
  },
  {
    name: 'unknown staff field',
    method: 'post',
    path: 'staff',
    body: { name: 'A', id: 'stf_mine' },
    field: 'id',
    table: 'staff',
  },
  {
    name: 'unknown user field',
    method: 'post',
    path: 'users',
    body: { ...validUser, passwordHash: 'x' },
    field: 'passwordHash',
    table: 'invitations',
  },
  {
    name: 'an array instead of an object',
    method: 'post',
    path: 'services',
    body: [validService],
    field: 'body',
    table: 'services',
  },
];

async function snapshot(table: Table) {
  const rows = await t.db.selectFrom(table).selectAll().execute();
  return { count: rows.length, rows: JSON.stringify(rows) };
}

describe('request validation', () => {
  it.each(cases)(
    'answers 400 validation_failed naming the field, writing nothing: $name',
    async ({ method, path, body, field, table }) => {
      const before = await snapshot(table);
      const auditBefore = await snapshot('audit_log');
      const res = await c.owner[method](`${c.base}/${path}`, body);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'validation_failed', field });
      expect(res.body.error.requestId).toBe(res.headers['x-request-id']);
      expect(await snapshot(table)).toEqual(before);
      expect((await snapshot('audit_log')).count).toBe(auditBefore.count);
    },
  );

  it.each([
    ['services?limit=1000', 'limit'],
    ['services?limit=2.5', 'limit'],
    ['products?sort=title', 'sort'],
    [`products?q=${long(101)}`, 'q'],
    ['clients?limit=-1', 'limit'],
    ['audit?from=2026-13-01T00:00:00Z', 'from'],
  ])('answers 400 naming the query parameter: %s', async (query, field) => {
    const res = await c.owner.get(`${c.base}/${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', field });
  });

  it('checks the access before the body: a staff user gets 403, not a validation error', async () => {
    const staff = await t.newUser(c.id, 'staff');
    const res = await staff.api.post(`${c.base}/services`, { ...validService, priceMin: -1 });
    expect(res.status).toBe(403);
  });

  it.each([
    ['a NUL in a path id', 'get', `${c.base}/clients/a%00b`, undefined, 'url'],
    ['a NUL in a query parameter', 'get', `${c.base}/clients?q=%00`, undefined, 'url'],
    ['a NUL in a company id', 'get', '/api/v1/companies/%00/clients', undefined, 'url'],
    ['a NUL in a JSON string', 'post', `${c.base}/clients`, { name: 'a\u0000b' }, 'body'],
    [
      'a cursor whose id holds a NUL',
      'get',
      `${c.base}/clients?cursor=${Buffer.from('2026-01-01T00:00:00.000Z|a\u0000').toString('base64url')}`,
      undefined,
      'cursor',
    ],
    [
      'a cursor dated before any year PostgreSQL holds',
      'get',
      `${c.base}/clients?cursor=${Buffer.from('-271821-04-20T00:00:00.000Z|x').toString('base64url')}`,
      undefined,
      'cursor',
    ],
    ['the year 0000 as a day', 'get', `${c.base}/appointments?from=0000-01-01`, undefined, 'from'],
    [
      'the year 0000 in a report range',
      'get',
      `${c.base}/reports/transactions?from=0000-01-01&to=0000-01-02`,
      undefined,
      'from',
    ],
  ] as const)('answers 400 for input the database cannot hold: %s', async (_name, method, url, body, field) => {
    const res = method === 'get' ? await c.owner.get(url) : await c.owner.post(url, body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', field });
  });

  it('documents the catalogue, clients, staff, users and audit routes in OpenAPI', async () => {
    const doc = await t.anonymous.get('/api/v1/openapi.json');
    expect(doc.status).toBe(200);
    const paths = Object.keys(doc.body.paths);
    for (const path of [
      'services',
      'services/{id}',
      'products',
      'products/{id}',
      'clients',
      'clients/{id}',
      'staff',
      'staff/{id}',
      'users',
      'users/{id}',
      'audit',
    ]) {
      expect(paths).toContain(`/api/v1/companies/{companyId}/${path}`);
    }
  });
});
