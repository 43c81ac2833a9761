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

/** Cases sent to one route: each names the field it breaks; the route's table must stay as it was. */
function route(method: Case['method'], path: string, table: Table) {
  return (name: string, body: unknown, field: string): Case => ({ name, method, path, body, field, table });
}
const postService = route('post', 'services', 'services');
const patchService = route('patch', `services/${service.id}`, 'services');
const postProduct = route('post', 'products', 'products');
const patchProduct = route('patch', `products/${product.id}`, 'products');
const postClient = route('post', 'clients', 'clients');
const patchClient = route('patch', `clients/${client.id}`, 'clients');
const postStaff = route('post', 'staff', 'staff');
const patchStaff = route('patch', `staff/${member.id}`, 'staff');
// adding a user invites them: an invitation is what such a request would write
const inviteUser = route('post', 'users', 'invitations');
const postUser = route('post', 'users', 'users');

const cases: Case[] = [
  // minor units: negative, fractional, numeric strings, null
  postService('negative priceMin', { ...validService, priceMin: -1 }, 'priceMin'),
  postService('fractional priceMin', { ...validService, priceMin: 10.5 }, 'priceMin'),
  postService('priceMin as a string', { ...validService, priceMin: '100' }, 'priceMin'),
  postService('null priceMax', { ...validService, priceMax: null }, 'priceMax'),
  postService('unsafe priceMax', { ...validService, priceMax: 2 ** 60 }, 'priceMax'),
  postProduct('fractional price', { ...validProduct, price: 1.5 }, 'price'),
  postProduct('negative price', { ...validProduct, price: -100 }, 'price'),
  patchService('negative priceMin on PATCH', { priceMin: -5 }, 'priceMin'),
  patchProduct('price as a string on PATCH', { price: '900' }, 'price'),
  // unknown enum values
  postProduct('unknown kind', { ...validProduct, kind: 'service' }, 'kind'),
  patchProduct('unknown kind on PATCH', { kind: 'food' }, 'kind'),
  postService('unknown vat', { ...validService, vat: 'vat99' }, 'vat'),
  inviteUser('unknown role', { ...validUser, role: 'god' }, 'role'),
  inviteUser('unknown right', { ...validUser, rights: ['root'] }, 'rights.0'),
  // wrong types, missing, blank and over-long strings
  postService('numeric title', { ...validService, title: 123 }, 'title'),
  postService('over-long title', { ...validService, title: long(201) }, 'title'),
  postProduct('blank title', { ...validProduct, title: '   ' }, 'title'),
  patchService('over-long title on PATCH', { title: long(5_000) }, 'title'),
  postProduct('SKU with a space', { ...validProduct, sku: 'WX 1' }, 'sku'),
  postProduct('numeric barcode', { ...validProduct, barcode: 4006381333931 }, 'barcode'),
  postService('numeric taxSystem', { ...validService, taxSystem: 1 }, 'taxSystem'),
  postClient('missing client name', { phone: '+491701234567' }, 'name'),
  postClient('over-long client name', { name: long(201) }, 'name'),
  postClient('numeric phone', { name: 'A', phone: 491701234567 }, 'phone'),
  patchClient('over-long email on PATCH', { email: `${long(300)}@example.test` }, 'email'),
  postStaff('array as staff name', { name: ['Maria'] }, 'name'),
  patchStaff('blank staff name on PATCH', { name: '' }, 'name'),
  postUser('a password chosen by the company (S1)', { ...validUser, password: 'long-enough-pw' }, 'password'),
  // unknown fields are refused, not silently dropped
  postService('unknown service field', { ...validService, color: 'red' }, 'color'),
  patchProduct('unknown product field on PATCH', { price: 1, companyId: 'co_x' }, 'companyId'),
  postClient('unknown client field', { name: 'A', vip: true }, 'vip'),
  postStaff('unknown staff field', { name: 'A', id: 'stf_mine' }, 'id'),
  inviteUser('unknown user field', { ...validUser, passwordHash: 'x' }, 'passwordHash'),
  postService('an array instead of an object', [validService], 'body'),
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
