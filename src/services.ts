import type { Config } from './config.js';
import type { Db } from './db/database.js';
import { AuthService } from './modules/access/auth.service.js';
import { AppointmentsService } from './modules/appointments/appointments.service.js';
import { ItemsService } from './modules/appointments/items.service.js';
import { UsersService } from './modules/access/users.service.js';
import { AuditService } from './modules/audit/audit.service.js';
import { CatalogService } from './modules/catalog/catalog.service.js';
import { ClientsService } from './modules/clients/clients.service.js';
import { CompaniesService } from './modules/companies/companies.service.js';
import { DemoDataService } from './modules/demo/demo-data.service.js';
import { DeskPaymentsService } from './modules/payments/desk-payments.service.js';
import { TransactionsReportService } from './modules/reports/transactions.service.js';
import { StaffService } from './modules/staff/staff.service.js';
import type { Clock } from './shared/clock.js';

/** Every use-case service, wired once. main.ts and the tests build the same graph. */
export function createServices(deps: { db: Db; clock: Clock; config: Config; secretKey: string }) {
  const { db, clock } = deps;
  const auth = new AuthService(db, clock);
  const companies = new CompaniesService(db, clock);
  const demo = new DemoDataService(db, clock);
  const catalog = new CatalogService(db, clock);
  const clients = new ClientsService(db, clock);
  const staff = new StaffService(db, clock);
  const users = new UsersService(db, clock);
  const audit = new AuditService(db);
  const appointments = new AppointmentsService(db, clock);
  const items = new ItemsService(db, clock);
  const deskPayments = new DeskPaymentsService(db, clock);
  const reports = new TransactionsReportService(db);
  return { auth, companies, demo, catalog, clients, staff, users, audit, appointments, items, deskPayments, reports };
}

export type Services = ReturnType<typeof createServices>;
