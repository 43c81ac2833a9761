import { useState, type FormEvent } from 'react';
import type { Service, VatCode } from '../api/types';
import { Dialog } from '../components/dialog';
import { FormFooter } from '../components/form-footer';
import { Money, MoneyInput } from '../components/money';
import { EditCell } from '../components/row-edit';
import { TaxFields } from '../components/tax-fields';
import { ListScreen } from '../components/list-screen';
import { dynamicKey, useI18n } from '../i18n';
import { parseDecimal, toDecimalString } from '../lib/money';
import { useAction, useResource } from '../lib/use-async';
import { useCompany } from '../session';

/** Catalog → Services: price ranges (R16), taxation and VAT (R23). Changing them needs finance.settings. */
export function ServicesScreen() {
  const { t } = useI18n();
  const { api, can } = useCompany();
  const services = useResource(() => api.services.list(), [api]);
  const [editing, setEditing] = useState<Service | 'new'>();
  const mayEdit = can('finance.settings');
  return (
    <ListScreen
      name="services"
      title={t('nav.services')}
      create={mayEdit && { label: t('catalog.newService'), onClick: () => setEditing('new'), testId: 'new-service' }}
      rows={services}
      empty={t('catalog.noServices')}
      columns={[
        { header: t('catalog.title'), cell: (s) => s.title },
        { header: t('catalog.priceMin'), cell: (s) => <Money amount={s.priceMin} />, className: 'num' },
        { header: t('catalog.priceMax'), cell: (s) => <Money amount={s.priceMax} />, className: 'num' },
        { header: t('catalog.taxSystem'), cell: (s) => t(dynamicKey('tax', s.taxSystem)) },
        { header: t('catalog.vat'), cell: (s) => t(dynamicKey('vat', s.vat)) },
      ]}
      actions={mayEdit && ((s) => <EditCell name={s.title} onEdit={() => setEditing(s)} />)}
    >
      {editing && (
        <ServiceDialog
          service={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            services.reload();
          }}
        />
      )}
    </ListScreen>
  );
}

function ServiceDialog({ service, onClose, onSaved }: { service?: Service; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const { company, api } = useCompany();
  const [title, setTitle] = useState(service?.title ?? '');
  const [priceMin, setPriceMin] = useState(service ? toDecimalString(service.priceMin, company.currency) : '');
  const [priceMax, setPriceMax] = useState(service ? toDecimalString(service.priceMax, company.currency) : '');
  const [tax, setTax] = useState<{ taxSystem: string; vat: VatCode }>({
    taxSystem: service?.taxSystem ?? company.defaultTaxSystem,
    vat: service?.vat ?? 'none',
  });
  const [problem, setProblem] = useState<string>();
  const action = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    const min = parseDecimal(priceMin, company.currency);
    const max = parseDecimal(priceMax || priceMin, company.currency);
    if (min === undefined || max === undefined) return setProblem(t('common.invalidAmount'));
    const input = { title: title.trim(), priceMin: min, priceMax: max, ...tax };
    const saved = await action.run(() =>
      service ? api.services.update(service.id, input) : api.services.create(input),
    );
    if (saved) onSaved();
  };
  return (
    <Dialog
      title={service ? t('catalog.editService') : t('catalog.newService')}
      onClose={onClose}
      testId="service-dialog"
    >
      <form className="stack" onSubmit={(e) => void submit(e)}>
        <div className="field">
          <label htmlFor="sv-title">{t('catalog.title')}</label>
          <input
            id="sv-title"
            required
            maxLength={200}
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            data-testid="service-title"
          />
        </div>
        <div className="field-row">
          <MoneyInput
            label={t('catalog.priceMin')}
            value={priceMin}
            onChange={setPriceMin}
            required
            data-testid="service-price-min"
          />
          <MoneyInput
            label={t('catalog.priceMax')}
            value={priceMax}
            onChange={setPriceMax}
            hint={t('catalog.priceMaxHint')}
            data-testid="service-price-max"
          />
        </div>
        <TaxFields
          idPrefix="sv"
          taxSystem={tax.taxSystem}
          vat={tax.vat}
          onChange={(c) => setTax((v) => ({ ...v, ...c }))}
        />
        <FormFooter action={action} saveTestId="service-save" onCancel={onClose} problem={problem} />
      </form>
    </Dialog>
  );
}
