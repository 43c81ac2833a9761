import { useId, useState } from 'react';
import type { Client } from '../api/types';
import { useI18n } from '../i18n';
import { useDebounced, useResource } from '../lib/use-async';
import { useCompany } from '../session';

export type ClientChoice =
  | { kind: 'existing'; client: Client }
  | { kind: 'new'; name: string; phone: string; email: string };

/**
 * Find a client by name, phone or email, or type a new one (created when the form is sent);
 * `allowNew={false}` only finds (a filter by client).
 */
export function ClientPicker({
  value,
  onChange,
  allowNew = true,
  legend,
}: {
  value: ClientChoice | undefined;
  onChange: (choice: ClientChoice | undefined) => void;
  allowNew?: boolean;
  legend?: string;
}) {
  const { t } = useI18n();
  const { api, can } = useCompany();
  const id = useId();
  const [q, setQ] = useState('');
  const search = useDebounced(q.trim());
  const results = useResource(
    () => (search ? api.clients.search(search, undefined, 8) : Promise.resolve(undefined)),
    [api, search],
  );

  if (value?.kind === 'existing') {
    return (
      <fieldset className="client-picker">
        <legend>{legend ?? t('appointment.client')}</legend>
        <p className="chosen" data-testid="chosen-client">
          <strong>{value.client.name}</strong>{' '}
          {value.client.phone && <span className="muted">{value.client.phone}</span>}{' '}
          <button type="button" className="link-button" onClick={() => onChange(undefined)}>
            {t('common.change')}
          </button>
        </p>
      </fieldset>
    );
  }

  if (value?.kind === 'new') {
    const set = (changes: Partial<Omit<typeof value, 'kind'>>) => onChange({ ...value, ...changes });
    return (
      <fieldset className="client-picker">
        <legend>{t('appointment.newClient')}</legend>
        <div className="field">
          <label htmlFor={`${id}-name`}>{t('clients.name')}</label>
          <input
            id={`${id}-name`}
            required
            value={value.name}
            onChange={(e) => set({ name: e.target.value })}
            data-testid="new-client-name"
          />
        </div>
        <div className="field-row">
          <div className="field">
            <label htmlFor={`${id}-phone`}>{t('clients.phone')}</label>
            <input
              id={`${id}-phone`}
              type="tel"
              value={value.phone}
              onChange={(e) => set({ phone: e.target.value })}
              data-testid="new-client-phone"
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-email`}>{t('clients.email')}</label>
            <input
              id={`${id}-email`}
              type="email"
              value={value.email}
              onChange={(e) => set({ email: e.target.value })}
              data-testid="new-client-email"
            />
          </div>
        </div>
        <button type="button" className="link-button" onClick={() => onChange(undefined)}>
          {t('appointment.findExistingClient')}
        </button>
      </fieldset>
    );
  }

  return (
    <fieldset className="client-picker">
      <legend>{legend ?? t('appointment.client')}</legend>
      <div className="field">
        <label htmlFor={`${id}-search`}>{t('appointment.findClient')}</label>
        <input
          id={`${id}-search`}
          type="search"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          autoComplete="off"
          data-testid="client-search"
        />
      </div>
      {search && (
        <ul className="pick-list" aria-live="polite" data-testid="client-results">
          {results.loading && !results.data && <li className="muted">{t('common.searching')}</li>}
          {results.data?.items.map((c) => (
            <li key={c.id}>
              <button
                type="button"
                className="pick"
                onClick={() => onChange({ kind: 'existing', client: c })}
                data-testid="client-result"
              >
                <strong>{c.name}</strong>{' '}
                <span className="muted">{[c.phone, c.email].filter(Boolean).join(' · ')}</span>
              </button>
            </li>
          ))}
          {results.data && results.data.items.length === 0 && (
            <li className="muted">{t('appointment.noClientFound')}</li>
          )}
        </ul>
      )}
      {allowNew && can('appointments.write') && (
        <button
          type="button"
          className="secondary"
          onClick={() => onChange({ kind: 'new', name: q.trim(), phone: '', email: '' })}
          data-testid="add-new-client"
        >
          {t('appointment.addNewClient')}
        </button>
      )}
    </fieldset>
  );
}
