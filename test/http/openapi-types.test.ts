import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { API_TYPES_FILE, apiTypesSource } from '../../scripts/api-types.js';

describe('the admin app reads the API through types drawn from the server', () => {
  it('web/src/api/openapi.d.ts is what `npm run api:types` writes from the current OpenAPI document', async () => {
    const committed = await readFile(API_TYPES_FILE, 'utf8');
    const fresh = await apiTypesSource();
    // a DTO or schema changed on the server without `npm run api:types`: the admin app would read stale shapes
    expect(committed === fresh, 'web/src/api/openapi.d.ts is stale: run `npm run api:types`').toBe(true);
  }, 60_000);
});
