import { useState, type FormEvent } from 'react';
import type { Client } from '../api/types';
import { Dialog } from '../components/dialog';
import { FormFooter } from '../components/form-footer';
import { EditCell } from '../components/row-edit';
import { ListScreen } from '../components/list-screen';
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
    <ListScreen
      name="clients"
      title={t('nav.clients')}
      search={{ id: 'cl-q', label: t('clients.search'), value: q, onChange: setQ, testId: 'clients-search' }}
      create={mayEdit && { label: t('clients.new'), onClick: () => setEditing('new'), testId: 'new-client' }}
      rows={list}
      empty={search ? t('clients.noneFound') : t('clients.none')}
      columns={[
        { header: t('clients.name'), cell: (c) => c.name },
        { header: t('clients.phone'), cell: (c) => c.phone },
        { header: t('clients.email'), cell: (c) => c.email },
      ]}
      actions={mayEdit && ((c) => <EditCell name={c.name} onEdit={() => setEditing(c)} />)}
    >
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
    </ListScreen>
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
