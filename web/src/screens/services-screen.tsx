import { useState, type FormEvent } from 'react';
import type { Service, VatCode } from '../api/types';
import { Dialog } from '../components/dialog';
import { FormFooter } from '../components/form-footer';
import { Money, MoneyInput } from '../components/money';
import { ActionsHeader, EditCell } from '../components/row-edit';
import { Empty, Loaded } from '../components/states';
import { TaxFields } from '../components/tax-fields';
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
    <section className="screen" aria-labelledby="services-title">
      <div className="toolbar">
        <h1 id="services-title">{t('nav.services')}</h1>
        <span className="spacer" />
        {mayEdit && (
          <button type="button" className="primary" onClick={() => setEditing('new')} data-testid="new-service">
            {t('catalog.newService')}
          </button>
        )}
      </div>
      <Loaded data={services.data} error={services.error} reload={services.reload}>
        {(list) =>
          list.length === 0 ? (
            <Empty>{t('catalog.noServices')}</Empty>
          ) : (
            <table className="table" data-testid="services">
              <thead>
                <tr>
                  <th scope="col">{t('catalog.title')}</th>
                  <th scope="col" className="num">
                    {t('catalog.priceMin')}
                  </th>
                  <th scope="col" className="num">
                    {t('catalog.priceMax')}
                  </th>
                  <th scope="col">{t('catalog.taxSystem')}</th>
                  <th scope="col">{t('catalog.vat')}</th>
                  {mayEdit && <ActionsHeader />}
                </tr>
              </thead>
              <tbody>
                {list.map((s) => (
                  <tr key={s.id}>
                    <th scope="row">{s.title}</th>
                    <td className="num">
                      <Money amount={s.priceMin} />
                    </td>
                    <td className="num">
                      <Money amount={s.priceMax} />
                    </td>
                    <td>{t(dynamicKey('tax', s.taxSystem))}</td>
                    <td>{t(dynamicKey('vat', s.vat))}</td>
                    {mayEdit && <EditCell name={s.title} onEdit={() => setEditing(s)} />}
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Loaded>
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
    </section>
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
