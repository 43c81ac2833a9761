import { useState, type FormEvent } from 'react';
import type { Client } from '../api/types';
import { Dialog } from '../components/dialog';
import { FormFooter } from '../components/form-footer';
import { PagedLoaded } from '../components/paged-list';
import { ActionsHeader, EditCell } from '../components/row-edit';
import { useI18n } from '../i18n';
import { useAction, useDebounced } from '../lib/use-async';
import { usePagedList } from '../lib/use-paged-list';
import { useCompany } from '../session';

/** Clients: find by name, phone or email; add and edit with appointments.write. */
export function ClientsScreen() {
  const { t } = useI18n();
  const { api, can } = useCompany();
  const [q, setQ] = useState('');
  const search = useDebounced(q.trim());
  const list = usePagedList(search, (cursor) => api.clients.search(search, cursor), [api, search]);
  const [editing, setEditing] = useState<Client | 'new'>();
  const mayEdit = can('appointments.write');

  return (
    <section className="screen" aria-labelledby="clients-title">
      <div className="toolbar">
        <h1 id="clients-title">{t('nav.clients')}</h1>
        <div className="field inline-field">
          <label htmlFor="cl-q" className="visually-hidden">
            {t('clients.search')}
          </label>
          <input
            id="cl-q"
            type="search"
            placeholder={t('clients.search')}
            value={q}
            onChange={(e) => setQ(e.target.value)}
            data-testid="clients-search"
          />
        </div>
        <span className="spacer" />
        {mayEdit && (
          <button type="button" className="primary" onClick={() => setEditing('new')} data-testid="new-client">
            {t('clients.new')}
          </button>
        )}
      </div>
      <PagedLoaded list={list} empty={search ? t('clients.noneFound') : t('clients.none')}>
        {(items) => (
          <table className="table" data-testid="clients">
            <thead>
              <tr>
                <th scope="col">{t('clients.name')}</th>
                <th scope="col">{t('clients.phone')}</th>
                <th scope="col">{t('clients.email')}</th>
                {mayEdit && <ActionsHeader />}
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr key={c.id}>
                  <th scope="row">{c.name}</th>
                  <td>{c.phone}</td>
                  <td>{c.email}</td>
                  {mayEdit && <EditCell name={c.name} onEdit={() => setEditing(c)} />}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </PagedLoaded>
      {editing && (
        <ClientDialog
          client={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            list.reset();
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
          <input
            id="cd-name"
            required
            maxLength={200}
            value={name}
            onChange={(e) => setName(e.target.value)}
            data-testid="client-name"
          />
        </div>
        <div className="field">
          <label htmlFor="cd-phone">{t('clients.phone')}</label>
          <input
            id="cd-phone"
            type="tel"
            value={phone}
            onChange={(e) => setPhone(e.target.value)}
            data-testid="client-phone"
          />
          <small className="hint">{t('clients.phoneHint')}</small>
        </div>
        <div className="field">
          <label htmlFor="cd-email">{t('clients.email')}</label>
          <input
            id="cd-email"
            type="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            data-testid="client-email"
          />
        </div>
        <FormFooter action={action} saveTestId="client-save" onCancel={onClose} />
      </form>
    </Dialog>
  );
}
