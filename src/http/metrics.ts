import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { DomainError } from '../shared/errors.js';
import { joinClusterMetrics, metricsText } from './cluster-metrics.js';
import { constantTimeEqual, sha256Hex } from '../shared/secrets.js';
import { notFoundHandler } from './error-handler.js';
import type { App } from './types.js';

/** Prometheus metrics: process defaults, request counts and latencies by route, runs of the background jobs. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'visitpay_' });
  const requests = new Counter({
    name: 'visitpay_http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'visitpay_http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  // a job whose count stands still has stopped; one that keeps failing shows it here before anyone complains
  const jobRuns = new Counter({
    name: 'visitpay_job_runs_total',
    help: 'Finished runs of background jobs by job and outcome (work, idle, failed)',
    labelNames: ['job', 'outcome'] as const,
    registers: [registry],
  });
  // O3: a worker's figures are summed with the other workers' on every scrape
  joinClusterMetrics(registry);
  return { registry, requests, latency, jobRuns };
}

export type Metrics = ReturnType<typeof createMetrics>;

/**
 * S8: `/metrics` is for the operator's scraper only. Without VISITPAY_METRICS_TOKEN nobody gets it:
 * the route answers like any unknown one (404), so the public port shows no sign of it. With the
 * token, a caller without `Authorization: Bearer <token>` gets 401 and a `WWW-Authenticate`
 * challenge, which tells an operator whose scraper is misconfigured what is missing.
 */
export function registerMetrics(app: App, metrics: Metrics, token: string | undefined): void {
  app.addHook('onResponse', async (req, reply) => {
    // The route pattern, never the raw URL: it keeps link tokens out and label cardinality low.
    const route = req.routeOptions.url ?? 'unmatched';
    metrics.requests.inc({ method: req.method, route, status: String(reply.statusCode) });
    metrics.latency.observe({ method: req.method, route }, reply.elapsedTime / 1000);
  });
  // its own bearer check: a session token is no metrics token, so the access layer lets it through as 'public'
  app.get('/metrics', { config: { access: 'public' }, schema: { hide: true } }, async (req, reply) => {
    if (!token) return notFoundHandler(req, reply);
    if (!bearerMatches(req.headers.authorization, token)) {
      reply.header('www-authenticate', 'Bearer realm="metrics"');
      throw new DomainError('unauthenticated', 'Metrics need Authorization: Bearer <VISITPAY_METRICS_TOKEN>');
    }
    reply.header('content-type', metrics.registry.contentType);
    return metricsText(metrics.registry);
  });
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = header ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
  // digests of equal length: the comparison reveals neither the token nor its length
  return given !== undefined && constantTimeEqual(sha256Hex(given), sha256Hex(token));
}
