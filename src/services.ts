import type { Config } from './config.js';
import type { Db } from './db/database.js';
import { AuthService } from './modules/access/auth.service.js';
import { CompaniesService } from './modules/companies/companies.service.js';
import { DemoDataService } from './modules/demo/demo-data.service.js';
import type { Clock } from './shared/clock.js';

/** Every use-case service, wired once. main.ts and the tests build the same graph. */
export function createServices(deps: { db: Db; clock: Clock; config: Config; secretKey: string }) {
  const { db, clock } = deps;
  const auth = new AuthService(db, clock);
  const companies = new CompaniesService(db, clock);
  const demo = new DemoDataService(db, clock);
  return { auth, companies, demo };
}

export type Services = ReturnType<typeof createServices>;
