import { randomUUID } from 'node:crypto';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import type { Clock } from '../../shared/clock.js';
import type { SecretBox } from '../../shared/encryption.js';
import { DomainError, notFound, validation } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { randomToken } from '../../shared/secrets.js';
import * as repo from './webhook-endpoints.repository.js';

/** The events an integrator can subscribe to (SPEC §9), each sent when the audit log records its fact. */
export const OUTGOING_EVENT_TYPES = ['payment_link.paid', 'attempt.succeeded', 'refund.created'] as const;
export type OutgoingEventType = (typeof OUTGOING_EVENT_TYPES)[number];

export interface NewEndpoint {
  url: string;
  events?: OutgoingEventType[] | undefined;
  description?: string | undefined;
}

type EndpointRow = Awaited<ReturnType<typeof repo.listEndpoints>>[number];

export function toEndpointDto(row: EndpointRow) {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    description: row.description,
    createdAt: row.created_at.toISOString(),
  };
}
export type EndpointDto = ReturnType<typeof toEndpointDto>;

/** The most endpoints one company may have: each event is written once per endpoint. */
export const MAX_ENDPOINTS = 10;

/**
 * A company's webhook endpoints. The signing secret is made here, shown once in the answer to
 * the create call, and kept only sealed; an endpoint is disabled, never deleted, so the record
 * of what was sent to it stays.
 */
export class WebhookEndpointsService {
  constructor(private readonly deps: { db: Db; clock: Clock; secrets: SecretBox; config: Config }) {}

  async create(companyId: string, input: NewEndpoint): Promise<EndpointDto & { secret: string }> {
    const url = new URL(input.url);
    // Events carry amounts and ids: in production they travel encrypted only.
    if (this.deps.config.NODE_ENV === 'production' && url.protocol !== 'https:') throw validation('url', 'the endpoint must be an https:// URL');
    if (url.username || url.password) throw validation('url', 'put no credentials in the URL; check the Visitpay-Signature header instead');
    // The server must not be made to post into its own network (other services, cloud metadata) on an owner's say.
    if (this.deps.config.NODE_ENV === 'production' && isInternalHost(url.hostname)) {
      throw validation('url', 'the endpoint must be a public address, not localhost or a private network');
    }
    const live = await repo.listEndpoints(this.deps.db, companyId);
    if (live.length >= MAX_ENDPOINTS) throw validation('url', `a company has at most ${MAX_ENDPOINTS} endpoints; disable one first`);
    const secret = `whsec_${randomToken(32)}`;
    const row = await repo.insertEndpoint(this.deps.db, {
      id: newId('webhook_endpoint'),
      company_id: companyId,
      url: url.toString(),
      events: [...new Set(input.events ?? OUTGOING_EVENT_TYPES)],
      secret_sealed: this.deps.secrets.seal(secret),
      description: input.description ?? null,
      created_at: this.deps.clock.now(),
    });
    return { ...toEndpointDto(row), secret };
  }

  async list(companyId: string): Promise<EndpointDto[]> {
    return (await repo.listEndpoints(this.deps.db, companyId)).map(toEndpointDto);
  }

  async disable(companyId: string, id: string): Promise<void> {
    const row = await repo.disableEndpoint(this.deps.db, companyId, id, this.deps.clock.now());
    if (!row) throw notFound('webhook endpoint', id);
  }

  /**
   * A `ping` event for checking the set-up: sent like any other (signed, retried, listed among the
   * deliveries), with nothing in it but the company and the endpoint.
   */
  async ping(companyId: string, id: string): Promise<{ eventId: string }> {
    const endpoint = await this.endpointOf(companyId, id);
    if (endpoint.disabled_at) throw notFound('webhook endpoint', id);
    const now = this.deps.clock.now();
    const eventId = `evt_${randomUUID().replace(/-/g, '')}`;
    const body = JSON.stringify({ id: eventId, type: 'ping', created: now.toISOString(), data: { companyId, endpointId: id } });
    await repo.insertDelivery(this.deps.db, { endpointId: id, companyId, eventId, eventType: 'ping', body, now });
    return { eventId };
  }

  /**
   * Sends one event to the endpoint again — one it gave up on, or one the receiver lost — with
   * the same id and body, as soon as the delivery job runs.
   */
  async redeliver(companyId: string, id: string, eventId: string): Promise<void> {
    const endpoint = await this.endpointOf(companyId, id);
    if (endpoint.disabled_at) throw new DomainError('conflict', 'the endpoint is disabled; add it again to receive events', { field: 'id' });
    if (!(await repo.requeueDelivery(this.deps.db, id, eventId, this.deps.clock.now()))) throw notFound('webhook delivery', eventId);
  }

  /** The company's endpoint, disabled or not; 404 for another company's. */
  private async endpointOf(companyId: string, id: string) {
    const endpoint = await repo.findEndpoint(this.deps.db, companyId, id);
    if (!endpoint) throw notFound('webhook endpoint', id);
    return endpoint;
  }

  /** The latest deliveries to one endpoint, newest first: what was sent, when, and what the receiver answered. */
  async deliveries(companyId: string, id: string) {
    await this.endpointOf(companyId, id);
    const rows = await repo.listDeliveries(this.deps.db, id, 100);
    return rows.map((d) => ({
      eventId: d.event_id,
      type: d.event_type,
      createdAt: d.created_at.toISOString(),
      status: d.delivered_at ? ('delivered' as const) : d.failed_at ? ('failed' as const) : ('pending' as const),
      tries: d.tries,
      nextTryAt: d.delivered_at || d.failed_at ? null : d.next_try_at.toISOString(),
      deliveredAt: d.delivered_at?.toISOString() ?? null,
      lastStatus: d.last_status,
      lastError: d.last_error,
    }));
  }
}

/**
 * Hosts a production server refuses as endpoints: localhost names and IP literals of loopback,
 * private, link-local (cloud metadata) and unique-local ranges. A public name that resolves
 * inside is the network's to block; this stops the plain cases.
 */
export function isInternalHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local') || host.endsWith('.internal')) return true;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
  }
  if (host.includes(':')) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host);
    if (mapped) return isInternalHost(mapped[1]!);
    return host === '::' || host === '::1' || /^f[cd]/.test(host) || /^fe[89ab]/.test(host);
  }
  return false;
}
