import { sql } from 'kysely';
import { z } from 'zod';
import type { Db } from '../db/database.js';
import { migrationsApplied } from '../db/migrator.js';
import { DomainError } from '../shared/errors.js';
import type { App } from './types.js';

export function registerHealthRoutes(app: App, db: Db): void {
  app.get(
    '/healthz',
    {
      config: { access: 'public' },
      schema: { tags: ['health'], response: { 200: z.object({ status: z.literal('ok') }) } },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      config: { access: 'public' },
      schema: { tags: ['health'], response: { 200: z.object({ status: z.literal('ready') }) } },
    },
    async () => {
      try {
        await sql`SELECT 1`.execute(db);
      } catch {
        throw new DomainError('not_ready', 'database unreachable');
      }
      if (!(await migrationsApplied(db))) throw new DomainError('not_ready', 'migrations not applied');
      return { status: 'ready' as const };
    },
  );
}
