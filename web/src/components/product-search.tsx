import { useId, useState, type KeyboardEvent } from 'react';
import type { Product } from '../api/types';
import { useI18n } from '../i18n';
import { useDebounced, useResource } from '../lib/use-async';
import { useCompany } from '../session';
import { Money } from './money';

/**
 * Adds a product by name, SKU or barcode (R21). A scanner types the code and Enter: an exact SKU or
 * barcode match (the API lists those first) is added at once.
 */
export function ProductSearch({
  onAdd,
  disabled,
}: {
  onAdd: (productId: string, quantity: number) => Promise<void>;
  disabled: boolean;
}) {
  const { t } = useI18n();
  const { api } = useCompany();
  const id = useId();
  const [q, setQ] = useState('');
  const [quantity, setQuantity] = useState('1');
  const search = useDebounced(q.trim(), 200);
  const results = useResource(() => (search ? api.products.search(search) : Promise.resolve(undefined)), [api, search]);
  const count = Math.max(1, Math.floor(Number(quantity)) || 1);

  const add = async (product: Product) => {
    await onAdd(product.id, count);
    setQ('');
    setQuantity('1');
  };

  const onKeyDown = async (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    const code = q.trim().toLowerCase();
    const found = search === q.trim() ? results.data?.items : (await api.products.search(q.trim())).items;
    const exact = found?.find((p) => p.sku.toLowerCase() === code || p.barcode?.toLowerCase() === code);
    if (exact) await add(exact);
  };

  return (
    <div className="product-search" data-testid="product-search">
      <div className="field-row">
        <div className="field grow">
          <label htmlFor={`${id}-q`}>{t('appointment.addProduct')}</label>
          <input
            id={`${id}-q`}
            type="search"
            value={q}
            placeholder={t('appointment.productSearchPlaceholder')}
            onChange={(e) => setQ(e.target.value)}
            onKeyDown={(e) => void onKeyDown(e)}
            autoComplete="off"
            disabled={disabled}
            data-testid="product-search-input"
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-qty`}>{t('appointment.quantity')}</label>
          <input
            id={`${id}-qty`}
            className="narrow"
            type="number"
            min={1}
            max={10000}
            value={quantity}
            onChange={(e) => setQuantity(e.target.value)}
            data-testid="product-quantity"
          />
        </div>
      </div>
      {search && (
        <ul className="pick-list" aria-live="polite" data-testid="product-results">
          {results.loading && !results.data && <li className="muted">{t('common.searching')}</li>}
          {results.data?.items.map((p) => (
            <li key={p.id}>
              <button
                type="button"
                className="pick"
                onClick={() => void add(p)}
                disabled={disabled}
                data-testid="product-result"
                aria-label={t('appointment.addProductNamed', { title: p.title, count })}
              >
                <strong>{p.title}</strong>{' '}
                <span className="muted">
                  {p.sku}
                  {p.barcode ? ` · ${p.barcode}` : ''} · {t(`product.kind.${p.kind}`)}
                </span>{' '}
                <Money amount={p.price} />
              </button>
            </li>
          ))}
          {results.data && results.data.items.length === 0 && (
            <li className="muted">{t('appointment.noProductFound')}</li>
          )}
        </ul>
      )}
    </div>
  );
}
