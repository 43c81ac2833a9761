import { useState, type FormEvent } from 'react';
import type { Client } from '../api/types';
import { Dialog } from '../components/dialog';
import { ErrorNote } from '../components/error-note';
import { Empty, Loaded } from '../components/states';
import { useI18n } from '../i18n';
import { useAction, useDebounced, useResource } from '../lib/use-async';
import { useCompany } from '../session';

/** Clients: find by name, phone or email; add and edit with appointments.write. */
export function ClientsScreen() {
  const { t } = useI18n();
  const { api, can } = useCompany();
  const [q, setQ] = useState('');
  const search = useDebounced(q.trim());
  const [extra, setExtra] = useState<{ search: string; items: Client[]; cursor: string | null }>();
  const first = useResource(() => api.clients.search(search), [api, search]);
  const more = useAction();
  const [editing, setEditing] = useState<Client | 'new'>();
  const mayEdit = can('appointments.write');
  const pages = extra?.search === search ? extra : undefined;

  const loadMore = async (cursor: string) => {
    const next = await more.run(() => api.clients.search(search, cursor));
    if (next) setExtra({ search, items: [...(pages?.items ?? []), ...next.items], cursor: next.nextCursor });
  };

  return (
    <section className="screen" aria-labelledby="clients-title">
      <div className="toolbar">
        <h1 id="clients-title">{t('nav.clients')}</h1>
        <div className="field inline-field">
          <label htmlFor="cl-q" className="visually-hidden">
            {t('clients.search')}
          </label>
          <input id="cl-q" type="search" placeholder={t('clients.search')} value={q} onChange={(e) => setQ(e.target.value)} data-testid="clients-search" />
        </div>
        <span className="spacer" />
        {mayEdit && (
          <button type="button" className="primary" onClick={() => setEditing('new')} data-testid="new-client">
            {t('clients.new')}
          </button>
        )}
      </div>
      <Loaded data={first.data} error={first.error} reload={first.reload}>
        {(page) => {
          const items = [...page.items, ...(pages?.items ?? [])];
          const cursor = pages ? pages.cursor : page.nextCursor;
          return items.length === 0 ? (
            <Empty>{search ? t('clients.noneFound') : t('clients.none')}</Empty>
          ) : (
            <>
              <table className="table" data-testid="clients">
                <thead>
                  <tr>
                    <th scope="col">{t('clients.name')}</th>
                    <th scope="col">{t('clients.phone')}</th>
                    <th scope="col">{t('clients.email')}</th>
                    {mayEdit && (
                      <th scope="col">
                        <span className="visually-hidden">{t('common.actions')}</span>
                      </th>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {items.map((c) => (
                    <tr key={c.id}>
                      <th scope="row">{c.name}</th>
                      <td>{c.phone}</td>
                      <td>{c.email}</td>
                      {mayEdit && (
                        <td>
                          <button type="button" className="secondary small" onClick={() => setEditing(c)} aria-label={t('common.editNamed', { name: c.name })}>
                            {t('common.edit')}
                          </button>
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
              {cursor && (
                <button type="button" className="secondary" disabled={more.pending} onClick={() => void loadMore(cursor)}>
                  {t('common.loadMore')}
                </button>
              )}
              <ErrorNote error={more.error} />
            </>
          );
        }}
      </Loaded>
      {editing && (
        <ClientDialog
          client={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            setExtra(undefined);
            first.reload();
          }}
        />
      )}
    </section>
  );
}

function ClientDialog({ client, onClose, onSaved }: { client?: Client; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const { api } = useCompany();
  const [name, setName] = useState(client?.name ?? '');
  const [phone, setPhone] = useState(client?.phone ?? '');
  const [email, setEmail] = useState(client?.email ?? '');
  const action = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input = { name: name.trim(), phone: phone.trim() || null, email: email.trim() || null };
    if (await action.run(() => (client ? api.clients.update(client.id, input) : api.clients.create(input)))) onSaved();
  };
  return (
    <Dialog title={client ? t('clients.edit') : t('clients.new')} onClose={onClose} testId="client-dialog">
      <form className="stack" onSubmit={(e) => void submit(e)}>
        <div className="field">
          <label htmlFor="cd-name">{t('clients.name')}</label>
          <input id="cd-name" required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} data-testid="client-name" />
        </div>
        <div className="field">
          <label htmlFor="cd-phone">{t('clients.phone')}</label>
          <input id="cd-phone" type="tel" value={phone} onChange={(e) => setPhone(e.target.value)} data-testid="client-phone" />
          <small className="hint">{t('clients.phoneHint')}</small>
        </div>
        <div className="field">
          <label htmlFor="cd-email">{t('clients.email')}</label>
          <input id="cd-email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} data-testid="client-email" />
        </div>
        <ErrorNote error={action.error} />
        <div className="actions">
          <button type="submit" className="primary" disabled={action.pending} data-testid="client-save">
            {t('common.save')}
          </button>
          <button type="button" className="secondary" onClick={onClose}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
