import type pg from 'pg';
import { previousSecretKeys, type Config } from './config.js';
import type { Db } from './db/database.js';
import { AuthService } from './modules/access/index.js';
import { AppointmentsService } from './modules/appointments/index.js';
import { ItemsService } from './modules/appointments/index.js';
import { ExternalAppointmentsService } from './modules/appointments/index.js';
import { UsersService } from './modules/access/index.js';
import { InvitationsService } from './modules/access/index.js';
import { AuditService } from './modules/audit/index.js';
import { BrandingService } from './modules/branding/index.js';
import { ConfirmationsService } from './modules/confirmations/index.js';
import { CatalogService } from './modules/catalog/index.js';
import { ClientsService } from './modules/clients/index.js';
import { CompaniesService } from './modules/companies/index.js';
import { DemoDataService } from './modules/demo/index.js';
import { DeskPaymentsService } from './modules/payments/index.js';
import { TransactionsReportService } from './modules/reports/index.js';
import { StaffService } from './modules/staff/index.js';
import { CashlessSettingsService } from './modules/cashless/index.js';
import { TipSettingsService } from './modules/tips/index.js';
import { CheckoutGateway } from './modules/checkout/index.js';
import { LinkPageService } from './modules/pay-page/index.js';
import { LiveAnnouncer, LiveHub } from './live/index.js';
import { PayService } from './modules/checkout/index.js';
import { PaymentLinksService } from './modules/links/index.js';
import { LinkSender } from './modules/links/index.js';
import { SendQuotas, sendQuotaLimitsOf } from './modules/links/index.js';
import { LinkReminders, ReminderSettingsService, reminderTransports } from './modules/links/index.js';
import { ReconciliationService } from './modules/checkout/index.js';
import { SettlementService } from './modules/checkout/index.js';
import { ProviderRefundsService, RefundsService, StaffRefundsService } from './modules/refunds/index.js';
import { SettlementReceiptsService } from './modules/receipts/index.js';
import { WebhooksService } from './modules/webhooks/index.js';
import { MessageTemplatesService } from './modules/messages/index.js';
import { ProviderRegistry } from './providers/registry.js';
import { SandboxProvider } from './providers/sandbox/sandbox.provider.js';
import { StripeProvider } from './providers/stripe/stripe.provider.js';
import { YooKassaProvider } from './providers/yookassa/yookassa.provider.js';
import type { Clock } from './shared/clock.js';
import { serviceLogger, type Logger } from './shared/logger.js';
import { SecretBox } from './shared/encryption.js';
import { smtpTransport, type MailTransport } from './shared/mail-transport.js';
import { Origins } from './shared/origins.js';
import { smsTransportOf, type SmsTransport } from './shared/sms-transport.js';
import { whatsAppTransportOf, type WhatsAppTransport } from './shared/whatsapp-transport.js';
import { WebhookEndpointsService } from './modules/integrations/index.js';
import { OutboundGuard, type HostResolver } from './shared/outbound/outbound-guard.js';
import { backupDir, BackupStatusService, dailyBackupsOn } from './backups/backup-records.js';
import { dailyBackupJob } from './backups/daily-backup.job.js';

/** Every use-case service, wired once. main.ts and the tests build the same graph. */
export function createServices(deps: {
  db: Db;
  pool: pg.Pool;
  clock: Clock;
  /** O5: the process's one logger (Fastify's); each service writes through a child naming it */
  logger: Logger;
  config: Config;
  secretKey: string;
  databaseUrl: string;
  origins?: Origins;
  mailTransport?: MailTransport;
  smsTransport?: SmsTransport;
  whatsAppTransport?: WhatsAppTransport;
  resolveHost?: HostResolver;
}) {
  const { db, clock, config } = deps;
  const log = (service: string) => serviceLogger(deps.logger, service);
  const origins = deps.origins ?? new Origins(config.PUBLIC_URL);
  const secrets = new SecretBox(deps.secretKey, previousSecretKeys(config));
  const auth = new AuthService(db, clock, {
    secretKey: deps.secretKey,
    companiesPerAccount: config.VISITPAY_COMPANIES_PER_ACCOUNT,
  });
  const companies = new CompaniesService(db, clock);
  const demo = new DemoDataService(db, clock);
  const catalog = new CatalogService(db, clock);
  const clients = new ClientsService(db, clock);
  const staff = new StaffService(db, clock);
  const users = new UsersService(db, clock);
  const audit = new AuditService(db);
  const appointments = new AppointmentsService(db, clock);
  const items = new ItemsService(db, clock);
  const externalAppointments = new ExternalAppointmentsService(db, clock, appointments);
  const deskPayments = new DeskPaymentsService(db, clock);
  const reports = new TransactionsReportService(db);
  const branding = new BrandingService({ db, clock });

  // Payment links: the provider port's adapters, then the flow that uses them.
  const sandbox = new SandboxProvider({ db, clock, origins, secrets });
  const yookassa = new YooKassaProvider({ clock, client: { baseUrl: config.VISITPAY_YOOKASSA_API_URL } });
  const stripe = new StripeProvider({ clock, apiUrl: config.VISITPAY_STRIPE_API_URL });
  const providers = new ProviderRegistry([sandbox, stripe, yookassa], config);
  const cashless = new CashlessSettingsService({ db, clock, providers, secrets, origins });
  const announcer = new LiveAnnouncer(db, log('live-announcer'));
  const settlement = new SettlementService(db, clock, announcer, config.PAYLINK_RECONCILE_AFTER_SECONDS * 1000);
  const gateway = new CheckoutGateway({
    db,
    clock,
    log: log('checkout-gateway'),
    cashless,
    settlement,
    secrets,
    origins,
  });
  const paymentLinks = new PaymentLinksService({
    db,
    clock,
    log: log('payment-links'),
    cashless,
    settlement,
    gateway,
    secrets,
    origins,
  });
  // S4: where user-configured URLs (and the WhatsApp sender) may point, judged when configured and on every connection
  const outbound = new OutboundGuard({
    allowPrivate: config.VISITPAY_ALLOW_PRIVATE_WEBHOOKS === 'true',
    resolve: deps.resolveHost,
  });
  const mailTransport = deps.mailTransport ?? (config.SMTP_URL ? smtpTransport(config.SMTP_URL) : undefined);
  const sendQuotas = new SendQuotas({ db, clock, limits: sendQuotaLimitsOf(config), secretKey: deps.secretKey });
  const invitations = new InvitationsService({ db, clock, auth, origins, mail: mailTransport, quotas: sendQuotas });
  const smsTransport = deps.smsTransport ?? smsTransportOf(config);
  const whatsAppTransport = deps.whatsAppTransport ?? whatsAppTransportOf(config, outbound);
  const reminderSettings = new ReminderSettingsService({ db, clock });
  const linkReminders = new LinkReminders({
    db,
    clock,
    log: log('link-reminders'),
    cashless,
    links: paymentLinks,
    quotas: sendQuotas,
    transports: reminderTransports({ mail: mailTransport, sms: smsTransport, whatsapp: whatsAppTransport }),
  });
  const linkSender = new LinkSender({
    db,
    clock,
    cashless,
    links: paymentLinks,
    mail: mailTransport,
    sms: smsTransport,
    whatsapp: whatsAppTransport,
    quotas: sendQuotas,
    reminders: linkReminders,
  });
  const messageTemplates = new MessageTemplatesService({ db, clock, origins });
  const tipSettings = new TipSettingsService({ db, clock, cashless });
  const pay = new PayService({ db, clock, config, cashless, settlement, gateway, announcer });
  const linkPage = new LinkPageService({
    db,
    pool: deps.pool,
    clock,
    providers,
    confirmations: mailTransport !== undefined,
  });
  const confirmations = new ConfirmationsService({
    db,
    clock,
    log: log('confirmations'),
    mail: mailTransport,
    publicOrigin: () => origins.public,
  });
  const refunds = new RefundsService({ db, clock, log: log('refunds'), cashless });
  const staffRefunds = new StaffRefundsService({ db, clock, cashless, refunds });
  const settlementReceipts = new SettlementReceiptsService({ db, clock, log: log('settlement-receipts'), cashless });
  const providerRefunds = new ProviderRefundsService({ db, clock, log: log('provider-refunds'), cashless, refunds });
  const webhooks = new WebhooksService({
    db,
    clock,
    log: log('webhooks'),
    providers,
    cashless,
    gateway,
    refunds,
    providerRefunds,
  });
  const reconciliation = new ReconciliationService({
    db,
    clock,
    log: log('reconciliation'),
    gateway,
    settlement,
    graceMs: config.PAYLINK_RECONCILE_AFTER_SECONDS * 1000,
  });
  const live = new LiveHub(deps.databaseUrl);
  const webhookEndpoints = new WebhookEndpointsService({ db, clock, secrets, outbound });

  return {
    /** the process's one logger, for the HTTP app and the jobs */
    log: deps.logger,
    /** a named child of it, for code that is not a service here (jobs) */
    logFor: log,
    origins,
    secrets,
    auth,
    companies,
    demo,
    catalog,
    clients,
    staff,
    users,
    invitations,
    audit,
    appointments,
    items,
    externalAppointments,
    deskPayments,
    reports,
    branding,
    sandbox,
    providers,
    cashless,
    tipSettings,
    settlement,
    gateway,
    paymentLinks,
    linkSender,
    messageTemplates,
    reminderSettings,
    linkReminders,
    pay,
    linkPage,
    confirmations,
    refunds,
    staffRefunds,
    settlementReceipts,
    providerRefunds,
    webhooks,
    webhookEndpoints,
    outbound,
    reconciliation,
    live,
    announcer,
    backups: new BackupStatusService(db, clock, dailyBackupsOn(config)),
    /** O2: the daily backup, when this installation makes one; main.ts runs it beside the other jobs */
    backupJobs: dailyBackupsOn(config)
      ? [
          dailyBackupJob({
            db,
            clock,
            databaseUrl: deps.databaseUrl,
            dir: backupDir(config),
            retention: config.VISITPAY_BACKUP_RETENTION,
            secretKey: deps.secretKey,
            passphrase: config.VISITPAY_BACKUP_PASSPHRASE,
          }),
        ]
      : [],
  };
}

export type Services = ReturnType<typeof createServices>;
