import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { registerAuthRoutes } from '../modules/access/auth.routes.js';
import { registerUserRoutes } from '../modules/access/users.routes.js';
import { registerInvitationAcceptRoutes } from '../modules/access/invitation-accept.routes.js';
import type { LinkViewOf } from '../modules/appointments/appointments.routes.js';
import { registerAppointmentRoutes } from '../modules/appointments/appointments.routes.js';
import { registerItemRoutes } from '../modules/appointments/items.routes.js';
import { registerExternalAppointmentRoutes } from '../modules/appointments/external-appointments.routes.js';
import { registerAuditRoutes } from '../modules/audit/audit.routes.js';
import { registerCatalogRoutes } from '../modules/catalog/catalog.routes.js';
import { registerClientRoutes } from '../modules/clients/clients.routes.js';
import { registerCompanyRoutes } from '../modules/companies/companies.routes.js';
import { registerPaymentRoutes } from '../modules/payments/payments.routes.js';
import { registerRefundRoutes } from '../modules/refunds/refunds.routes.js';
import { registerTransactionsReportRoutes } from '../modules/reports/transactions.routes.js';
import { registerStaffRoutes } from '../modules/staff/staff.routes.js';
import { registerCashlessSettingsRoutes } from '../modules/cashless/cashless-settings.routes.js';
import { registerMessageTemplateRoutes } from '../modules/messages/message-templates.routes.js';
import { registerTipSettingsRoutes } from '../modules/tips/tip-settings.routes.js';
import { registerBrandingRoutes } from '../modules/branding/branding.routes.js';
import { appointmentLinkViewOf } from '../modules/links/index.js';
import { registerLinkPageRoutes } from '../modules/pay-page/link-page.routes.js';
import { registerPaymentLinkRoutes } from '../modules/links/payment-links.routes.js';
import { registerLinkSendRoutes } from '../modules/links/link-send.routes.js';
import { registerReminderRoutes } from '../modules/links/reminders.routes.js';
import { registerWebhookRoutes } from '../modules/webhooks/webhooks.routes.js';
import { registerWebhookEndpointRoutes } from '../modules/integrations/webhook-endpoints.routes.js';
import { registerSandboxRoutes } from '../providers/sandbox/sandbox.routes.js';
import { registerBackupRoutes } from '../backups/backups.routes.js';
import type { Services } from '../services.js';
import { newId } from '../shared/ids.js';
import { registerAccessControl, registerFormCsrf } from './authenticate.js';
import { registerSecurityHeaders } from './security-headers.js';
import { registerServerInfoRoutes } from './server-info.routes.js';
import { errorHandler, notFoundHandler } from './error-handler.js';
import { registerHealthRoutes } from './health.routes.js';
import { createMetrics, registerMetrics, type Metrics } from './metrics.js';
import { registerForwardedForWarning } from './forwarded-for-warning.js';
import { registerNulGuard } from './nul-guard.js';
import { registerJsonOnlyApi } from './json-only-api.js';
import type { App } from './types.js';
import { registerWebApp } from './web-app.routes.js';

export interface AppDeps {
  config: Config;
  db: Db;
  services: Services;
  /** pino options or false, when there is no `loggerInstance` */
  logger?: boolean | object;
  /** O5: the process's one logger, the same the services write through (`services.log`) */
  loggerInstance?: FastifyBaseLogger;
  /** the built admin app; defaults to web/dist */
  webDist?: string;
  /** the process's metrics, when it also counts things outside HTTP (job runs); else the app's own */
  metrics?: Metrics;
}

/** Builds the HTTP application: plugins, security, every route. Does not listen. */
export async function buildApp(deps: AppDeps): Promise<App> {
  const { config, services } = deps;
  const app = Fastify({
    ...(deps.loggerInstance ? { loggerInstance: deps.loggerInstance } : { logger: deps.logger ?? false }),
    genReqId: () => newId('request'),
    requestIdHeader: false,
    trustProxy: trustProxyOf(config.VISITPAY_TRUST_PROXY),
    bodyLimit: 256 * 1024,
    // an externalId in the path may be as long as the body allows (200); link tokens are checked by shape anyway
    routerOptions: { maxParamLength: 256 },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  registerSecurityHeaders(app, config.PUBLIC_URL);

  await app.register(fastifyCookie);
  // plain HTML forms (the sandbox bank page, the pay page) post urlencoded bodies
  await app.register(fastifyFormbody);
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) => ({ statusCode: 429, message: `rate limited for ${ctx.after}` }),
  });

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Visitpay API',
        version: '1.0.0',
        description: 'Pay-by-link for appointment businesses. Amounts are integer minor units.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  // O6: the docs viewer's own CSP would upgrade its same-origin assets to https:// even when it is
  // opened over plain HTTP on a LAN address; over HTTPS they are https:// already.
  await app.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    transformStaticCSP: (csp) => csp.replace(/\s*upgrade-insecure-requests;?/, ''),
  });

  registerNulGuard(app);
  registerJsonOnlyApi(app);
  registerAccessControl(app, services.auth);
  registerFormCsrf(app);
  registerForwardedForWarning(app, config.VISITPAY_TRUST_PROXY);
  registerMetrics(app, deps.metrics ?? createMetrics(), config.VISITPAY_METRICS_TOKEN);

  app.get('/api/v1/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
  registerHealthRoutes(app, deps.db);
  registerAuthRoutes(app, services.auth);
  registerServerInfoRoutes(app, services.origins, () => services.linkSender.channels());
  registerCompanyRoutes(app, services.companies, services.auth);
  registerCatalogRoutes(app, services.catalog);
  registerClientRoutes(app, services.clients);
  registerStaffRoutes(app, services.staff);
  registerUserRoutes(app, services.users, services.invitations);
  registerInvitationAcceptRoutes(app, services.invitations);
  registerAuditRoutes(app, services.audit);
  registerTransactionsReportRoutes(app, services.reports);
  const linkViewOf: LinkViewOf = (companyId, id, canSeeLinks) =>
    appointmentLinkViewOf({ db: deps.db, links: services.paymentLinks }, companyId, id, canSeeLinks);
  registerAppointmentRoutes(app, services.appointments, linkViewOf);
  registerItemRoutes(app, services.items);
  registerExternalAppointmentRoutes(app, {
    external: services.externalAppointments,
    appointments: services.appointments,
    linkViewOf,
  });
  registerPaymentRoutes(app, services.deskPayments);
  registerRefundRoutes(app, services.staffRefunds);
  registerCashlessSettingsRoutes(app, services.cashless);
  registerTipSettingsRoutes(app, services.tipSettings);
  registerBrandingRoutes(app, services.branding);
  registerPaymentLinkRoutes(app, { links: services.paymentLinks, live: services.live, auth: services.auth });
  registerLinkSendRoutes(app, services.linkSender);
  registerMessageTemplateRoutes(app, services.messageTemplates);
  registerReminderRoutes(app, services.reminderSettings, services.linkReminders);
  registerLinkPageRoutes(app, {
    page: services.linkPage,
    pay: services.pay,
    reconciliation: services.reconciliation,
    origins: services.origins,
    perMinute: config.VISITPAY_PUBLIC_RATE_LIMIT,
  });
  registerWebhookRoutes(app, services.webhooks, { perMinute: config.VISITPAY_WEBHOOK_RATE_LIMIT });
  registerWebhookEndpointRoutes(app, services.webhookEndpoints);
  registerSandboxRoutes(app, services.sandbox, services.providers.refusal('sandbox'));
  registerBackupRoutes(app, services.backups);
  await registerWebApp(app, deps.webDist);

  return app;
}

/**
 * Per-IP rate limits and the client address in logs rely on X-Forwarded-For only from proxies
 * named here; trusting every sender would let anyone pick their own address.
 */
function trustProxyOf(value: string): boolean | string | ((address: string, hop: number) => boolean) {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return (_address, hop) => hop < hops;
  }
  return value;
}
