import { useState } from 'react';
import type { AppointmentView, Item } from '../api/types';
import { useI18n } from '../i18n';
import { parseDecimal, toDecimalString } from '../lib/money';
import { useAction, useResource } from '../lib/use-async';
import { useCompany } from '../session';
import { ErrorNote } from './error-note';
import { Money, MoneyInput, useFormatMoney } from './money';
import { ProductSearch } from './product-search';

interface EditorProps {
  view: AppointmentView;
  locked: boolean;
  reload: () => void;
}

/**
 * The bill's lines. Services: price within the catalogue range (appointments.write); products:
 * quantity (products.sell). Money controls are disabled while the appointment is locked (R13).
 */
export function ItemsEditor({ view, locked, reload }: EditorProps) {
  const { t } = useI18n();
  const { api, can } = useCompany();
  const action = useAction();
  const open = view.status !== 'cancelled' && !locked;
  const mayServices = can('appointments.write') && open;
  const mayProducts = can('products.sell') && open;
  const services = useResource(async () => (mayServices ? api.services.list() : undefined), [api, mayServices]);
  const format = useFormatMoney();

  const run = async (fn: () => Promise<unknown>) => {
    if (await action.run(fn)) reload();
  };

  return (
    <div className="items-editor" data-testid="items-editor">
      {view.items.length === 0 ? (
        <p className="empty">{t('appointment.noItems')}</p>
      ) : (
        <div className="table-scroll">
          <table className="table items-table">
            <thead>
              <tr>
                <th scope="col">{t('appointment.item')}</th>
                <th scope="col" className="num">
                  {t('appointment.price')}
                </th>
                <th scope="col" className="num">
                  {t('appointment.quantity')}
                </th>
                <th scope="col" className="num">
                  {t('money.total')}
                </th>
                <th scope="col">
                  <span className="visually-hidden">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {view.items.map((item) => (
                <ItemRow
                  key={`${item.id}|${item.unitPrice}|${item.quantity}`}
                  appointmentId={view.id}
                  item={item}
                  editable={item.kind === 'service' ? mayServices : mayProducts}
                  onRun={run}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ErrorNote error={action.error} testId="items-error" />
      {(mayServices || mayProducts) && (
        <div className="add-items">
          {mayServices && (
            <div className="field">
              <label htmlFor="add-service">{t('appointment.addService')}</label>
              <select
                id="add-service"
                value=""
                disabled={action.pending || !services.data}
                onChange={(e) => {
                  const serviceId = e.target.value;
                  if (serviceId) void run(() => api.appointments.addItem(view.id, { serviceId }));
                }}
                data-testid="add-service"
              >
                <option value="">{t('appointment.chooseService')}</option>
                {services.data?.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.title} (
                    {s.priceMin === s.priceMax ? format(s.priceMin) : `${format(s.priceMin)} – ${format(s.priceMax)}`})
                  </option>
                ))}
              </select>
            </div>
          )}
          {mayProducts && (
            <ProductSearch
              disabled={action.pending}
              onAdd={(productId, quantity) => run(() => api.appointments.addItem(view.id, { productId, quantity }))}
            />
          )}
        </div>
      )}
      {locked && <p className="muted small">{t('lock.controlsDisabled')}</p>}
    </div>
  );
}

interface RowProps {
  appointmentId: string;
  item: Item;
  editable: boolean;
  onRun: (fn: () => Promise<unknown>) => Promise<void>;
}

function ItemRow({ appointmentId, item, editable, onRun }: RowProps) {
  const { t } = useI18n();
  const { company, api } = useCompany();
  const format = useFormatMoney();
  const [price, setPrice] = useState(toDecimalString(item.unitPrice, company.currency));
  const [quantity, setQuantity] = useState(String(item.quantity));
  const [problem, setProblem] = useState<string>();
  const isService = item.kind === 'service';
  const ranged = isService && item.priceMin !== null && item.priceMax !== null && item.priceMin !== item.priceMax;

  const save = () => {
    setProblem(undefined);
    if (isService) {
      const minor = parseDecimal(price, company.currency);
      if (minor === undefined) return setProblem(t('common.invalidAmount'));
      if (minor === item.unitPrice) return;
      return void onRun(() => api.appointments.changeItem(appointmentId, item.id, { price: minor }));
    }
    const count = Number(quantity);
    if (!Number.isInteger(count) || count < 1) return setProblem(t('appointment.quantityInvalid'));
    if (count !== item.quantity)
      void onRun(() => api.appointments.changeItem(appointmentId, item.id, { quantity: count }));
  };

  return (
    <tr data-testid="item-row" data-item-id={item.id}>
      <th scope="row">
        {item.title}
        {item.productKind && <small className="muted"> · {t(`product.kind.${item.productKind}`)}</small>}
        {problem && (
          <div className="error-note" role="alert">
            {problem}
          </div>
        )}
      </th>
      <td className="num">
        <CellLabel>{t('appointment.price')}</CellLabel>
        {isService && editable && ranged ? (
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              save();
            }}
          >
            <MoneyInput
              label={t('appointment.priceOf', { title: item.title })}
              value={price}
              onChange={setPrice}
              hint={t('appointment.priceRange', { min: format(item.priceMin!), max: format(item.priceMax!) })}
              className="narrow"
              data-testid="item-price"
            />
            <button type="submit" className="secondary small">
              {t('common.apply')}
            </button>
          </form>
        ) : (
          <Money amount={item.unitPrice} />
        )}
      </td>
      <td className="num">
        <CellLabel>{t('appointment.quantity')}</CellLabel>
        {!isService && editable ? (
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              save();
            }}
          >
            <label className="visually-hidden" htmlFor={`qty-${item.id}`}>
              {t('appointment.quantityOf', { title: item.title })}
            </label>
            <input
              id={`qty-${item.id}`}
              className="narrow"
              type="number"
              min={1}
              max={10000}
              value={quantity}
              onChange={(e) => setQuantity(e.target.value)}
              data-testid="item-quantity"
            />
            <button type="submit" className="secondary small">
              {t('common.apply')}
            </button>
          </form>
        ) : (
          item.quantity
        )}
      </td>
      <td className="num" data-testid="item-total">
        <CellLabel>{t('money.total')}</CellLabel>
        <Money amount={item.total} />
      </td>
      <td className="item-actions">
        {editable && (
          <button
            type="button"
            className="secondary small"
            onClick={() => void onRun(() => api.appointments.removeItem(appointmentId, item.id))}
            aria-label={t('appointment.removeItem', { title: item.title })}
            data-testid="remove-item"
          >
            {t('common.remove')}
          </button>
        )}
      </td>
    </tr>
  );
}

/** A cell's column name, shown on a phone where the rows stack and the header is out of sight. */
function CellLabel({ children }: { children: string }) {
  return (
    <span className="cell-label" aria-hidden="true">
      {children}
    </span>
  );
}
