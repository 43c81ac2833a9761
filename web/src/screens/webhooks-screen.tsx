import { useState, type FormEvent } from 'react';
import { OUTGOING_EVENT_TYPES, type OutgoingEventType, type WebhookEndpoint } from '../api/types';
import { ErrorNote } from '../components/error-note';
import { Empty, Loaded } from '../components/states';
import { dynamicKey, useI18n } from '../i18n';
import { useAction, useResource } from '../lib/use-async';
import { formatInstant } from '../lib/zoned-time';
import { useCompany } from '../session';

/**
 * Webhooks for integrators: where a booking system or an accounting tool hears that a link was
 * paid, an attempt succeeded or a refund was made. The signing secret is shown once, when the
 * endpoint is added.
 */
export function WebhooksScreen() {
  const { t } = useI18n();
  const { api } = useCompany();
  const endpoints = useResource(() => api.webhooks.list(), [api]);
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<OutgoingEventType[]>([...OUTGOING_EVENT_TYPES]);
  const [secret, setSecret] = useState<{ url: string; secret: string }>();
  const action = useAction();

  const toggle = (event: OutgoingEventType) =>
    setEvents((now) => (now.includes(event) ? now.filter((e) => e !== event) : [...now, event]));
  const add = async (submit: FormEvent) => {
    submit.preventDefault();
    const created = await action.run(() =>
      api.webhooks.create({
        url: url.trim(),
        events,
        ...(description.trim() ? { description: description.trim() } : {}),
      }),
    );
    if (!created) return;
    setSecret({ url: created.url, secret: created.secret });
    setUrl('');
    setDescription('');
    endpoints.reload();
  };

  return (
    <section className="screen" aria-labelledby="webhooks-title">
      <h1 id="webhooks-title">{t('nav.webhooks')}</h1>
      <p className="hint">{t('webhooks.intro')}</p>
      <form className="stack" onSubmit={(e) => void add(e)} data-testid="new-webhook-form">
        <div className="field">
          <label htmlFor="wh-url">{t('webhooks.url')}</label>
          <input
            id="wh-url"
            type="url"
            required
            maxLength={2000}
            placeholder="https://"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            data-testid="webhook-url"
          />
        </div>
        <fieldset className="stack">
          <legend>{t('webhooks.events')}</legend>
          {OUTGOING_EVENT_TYPES.map((event) => (
            <label key={event} className="checkbox">
              <input
                type="checkbox"
                checked={events.includes(event)}
                onChange={() => toggle(event)}
                data-testid={`webhook-event-${event}`}
              />
              <span>
                <code>{event}</code> — {t(dynamicKey('webhooks.event', event))}
              </span>
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="wh-description">
            {t('webhooks.description')} <span className="hint">({t('common.optional')})</span>
          </label>
          <input
            id="wh-description"
            maxLength={200}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        </div>
        <div className="actions">
          <button
            type="submit"
            className="primary"
            disabled={action.pending || events.length === 0}
            data-testid="webhook-add"
          >
            {t('webhooks.add')}
          </button>
        </div>
        <ErrorNote error={action.error} />
      </form>
      {secret && (
        <div className="notice success" role="status" data-testid="webhook-secret">
          <p>{t('webhooks.secretOnce', { url: secret.url })}</p>
          <p>
            <code data-testid="webhook-secret-value">{secret.secret}</code>
          </p>
          <button type="button" className="secondary small" onClick={() => setSecret(undefined)}>
            {t('webhooks.secretStored')}
          </button>
        </div>
      )}
      <Loaded data={endpoints.data} error={endpoints.error} reload={endpoints.reload}>
        {(list) =>
          list.length === 0 ? (
            <Empty>{t('webhooks.none')}</Empty>
          ) : (
            <ul className="plain-list" data-testid="webhooks">
              {list.map((endpoint) => (
                <EndpointRow key={endpoint.id} endpoint={endpoint} onDisabled={endpoints.reload} />
              ))}
            </ul>
          )
        }
      </Loaded>
    </section>
  );
}

function EndpointRow({ endpoint, onDisabled }: { endpoint: WebhookEndpoint; onDisabled: () => void }) {
  const { t } = useI18n();
  const { api } = useCompany();
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState(false);
  // bumped to read the deliveries afresh after a test event was queued
  const [version, setVersion] = useState(0);
  const action = useAction();
  const ping = async () => {
    if (!(await action.run(() => api.webhooks.ping(endpoint.id)))) return;
    setOpen(true);
    setVersion((v) => v + 1);
  };
  const disable = async () => {
    if (await action.run(() => api.webhooks.disable(endpoint.id).then(() => true))) onDisabled();
  };
  return (
    <li className="webhook" data-testid="webhook">
      <div className="row">
        <span>
          <strong className="break-all">{endpoint.url}</strong>
          {endpoint.description && <span className="hint"> — {endpoint.description}</span>}
          <br />
          <span className="hint">{endpoint.events.join(', ')}</span>
        </span>
        <span className="spacer" />
        <button
          type="button"
          className="secondary small"
          onClick={() => void ping()}
          disabled={action.pending}
          data-testid="webhook-ping"
        >
          {t('webhooks.ping')}
        </button>
        <button
          type="button"
          className="secondary small"
          aria-expanded={open}
          onClick={() => setOpen(!open)}
          data-testid="webhook-deliveries-toggle"
        >
          {t('webhooks.deliveries')}
        </button>
        {!confirming ? (
          <button
            type="button"
            className="danger small"
            onClick={() => setConfirming(true)}
            data-testid="webhook-disable"
          >
            {t('webhooks.disable')}
          </button>
        ) : (
          <button
            type="button"
            className="danger small"
            onClick={() => void disable()}
            disabled={action.pending}
            data-testid="webhook-disable-confirm"
          >
            {t('webhooks.disableConfirm')}
          </button>
        )}
      </div>
      <ErrorNote error={action.error} />
      {open && <Deliveries key={version} endpointId={endpoint.id} />}
    </li>
  );
}

function Deliveries({ endpointId }: { endpointId: string }) {
  const { t, locale } = useI18n();
  const { api, company } = useCompany();
  const deliveries = useResource(() => api.webhooks.deliveries(endpointId), [api, endpointId]);
  const resend = useAction();
  const redeliver = async (eventId: string) => {
    if (await resend.run(() => api.webhooks.redeliver(endpointId, eventId))) deliveries.reload();
  };
  return (
    <>
      <ErrorNote error={resend.error} />
      <Loaded data={deliveries.data} error={deliveries.error} reload={deliveries.reload}>
        {(list) =>
          list.length === 0 ? (
            <Empty>{t('webhooks.noDeliveries')}</Empty>
          ) : (
            <table className="table" data-testid="webhook-deliveries">
              <thead>
                <tr>
                  <th scope="col">{t('webhooks.event')}</th>
                  <th scope="col">{t('webhooks.at')}</th>
                  <th scope="col">{t('webhooks.status')}</th>
                  <th scope="col">{t('webhooks.tries')}</th>
                  <th scope="col">{t('webhooks.lastAnswer')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('common.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((d) => (
                  <tr key={d.eventId}>
                    <td>
                      <code>{d.type}</code>
                    </td>
                    <td>{formatInstant(d.createdAt, company.timezone, locale)}</td>
                    <td data-testid="webhook-delivery-status">{t(dynamicKey('webhooks.deliveryStatus', d.status))}</td>
                    <td>{d.tries}</td>
                    <td className="break-all">
                      {d.lastError ?? (d.lastStatus === null ? '—' : `HTTP ${d.lastStatus}`)}
                    </td>
                    <td>
                      {d.status !== 'pending' && (
                        <button
                          type="button"
                          className="secondary small"
                          onClick={() => void redeliver(d.eventId)}
                          disabled={resend.pending}
                          data-testid="webhook-redeliver"
                        >
                          {t('webhooks.redeliver')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Loaded>
    </>
  );
}
