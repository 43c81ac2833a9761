import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/database.js';
import type { Clock } from '../../shared/clock.js';
import type { SecretBox } from '../../shared/encryption.js';
import { DomainError, notFound, validation } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { OutboundRefused, type OutboundGuard } from '../../shared/outbound/outbound-guard.js';
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
  constructor(private readonly deps: { db: Db; clock: Clock; secrets: SecretBox; outbound: OutboundGuard }) {}

  async create(companyId: string, input: NewEndpoint): Promise<EndpointDto & { secret: string }> {
    const url = new URL(input.url);
    if (url.username || url.password)
      throw validation('url', 'put no credentials in the URL; check the Visitpay-Signature header instead');
    // S4: the server must not be made to post into its own network (other services, cloud metadata) on an owner's say.
    try {
      await this.deps.outbound.check(url);
    } catch (error) {
      if (error instanceof OutboundRefused) throw validation('url', error.message);
      throw error;
    }
    const live = await repo.listEndpoints(this.deps.db, companyId);
    if (live.length >= MAX_ENDPOINTS)
      throw validation('url', `a company has at most ${MAX_ENDPOINTS} endpoints; disable one first`);
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
    const body = JSON.stringify({
      id: eventId,
      type: 'ping',
      created: now.toISOString(),
      data: { companyId, endpointId: id },
    });
    await repo.insertDelivery(this.deps.db, { endpointId: id, companyId, eventId, eventType: 'ping', body, now });
    return { eventId };
  }

  /**
   * Sends one event to the endpoint again — one it gave up on, or one the receiver lost — with
   * the same id and body, as soon as the delivery job runs.
   */
  async redeliver(companyId: string, id: string, eventId: string): Promise<void> {
    const endpoint = await this.endpointOf(companyId, id);
    if (endpoint.disabled_at)
      throw new DomainError('conflict', 'the endpoint is disabled; add it again to receive events', { field: 'id' });
    if (!(await repo.requeueDelivery(this.deps.db, id, eventId, this.deps.clock.now())))
      throw notFound('webhook delivery', eventId);
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
