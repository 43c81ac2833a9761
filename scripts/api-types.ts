/**
 * `npm run api:types`: the admin app's API types (web/src/api/openapi.d.ts) drawn from the server's
 * own OpenAPI document, so a DTO changes in one place. The app is built in-process and never
 * listens; the database pool connects lazily and no route runs, so no database is needed.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { loadConfig } from '../src/config.js';
import { connectDatabase } from '../src/db/database.js';
import { buildApp } from '../src/http/app.js';
import { createServices } from '../src/services.js';
import { systemClock } from '../src/shared/clock.js';
import { silentLogger } from '../src/shared/logger.js';

export const API_TYPES_FILE = fileURLToPath(new URL('../web/src/api/openapi.d.ts', import.meta.url));

const HEADER = "// Generated from the server's OpenAPI document by `npm run api:types`; do not edit.\n\n";

/** The server's OpenAPI document, as /api/v1/openapi.json serves it. */
export async function openApiDocument(): Promise<object> {
  const secretKey = Buffer.alloc(32, 1).toString('base64');
  const config = loadConfig({ NODE_ENV: 'test', SECRET_KEY: secretKey, LOG_LEVEL: 'silent' });
  const databaseUrl = 'postgres://unused@127.0.0.1:1/unused';
  const database = connectDatabase(databaseUrl, 1);
  const services = createServices({
    db: database.db,
    pool: database.pool,
    clock: systemClock,
    logger: silentLogger(),
    config,
    secretKey,
    databaseUrl,
  });
  const app = await buildApp({ config, db: database.db, services, logger: false });
  try {
    await app.ready();
    return app.swagger();
  } finally {
    await app.close();
    await services.live.close();
    await database.close();
  }
}

/** The TypeScript text of openapi.d.ts. */
export async function apiTypesSource(): Promise<string> {
  const ast = await openapiTS(JSON.stringify(await openApiDocument()), { exportType: true });
  return HEADER + astToString(ast);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeFile(API_TYPES_FILE, await apiTypesSource());
  console.log(`wrote ${API_TYPES_FILE}`);
}
