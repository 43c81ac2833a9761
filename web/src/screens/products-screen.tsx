import { useState, type FormEvent } from 'react';
import { PRODUCT_KINDS, type Product, type ProductKind, type VatCode } from '../api/types';
import { Dialog } from '../components/dialog';
import { FormFooter } from '../components/form-footer';
import { Money, MoneyInput } from '../components/money';
import { EditCell } from '../components/row-edit';
import { TaxFields } from '../components/tax-fields';
import { ListScreen } from '../components/list-screen';
import { useI18n } from '../i18n';
import { parseDecimal, toDecimalString } from '../lib/money';
import { useAction, useDebounced } from '../lib/use-async';
import { usePagedList } from '../lib/use-paged-list';
import { useCompany } from '../session';

/** Catalog → Products: goods, memberships and gift cards with SKU and barcode (R21). */
export function ProductsScreen() {
  const { t } = useI18n();
  const { api, can } = useCompany();
  const [q, setQ] = useState('');
  const search = useDebounced(q.trim());
  const list = usePagedList(search, (cursor) => api.products.search(search, cursor), [api, search]);
  const [editing, setEditing] = useState<Product | 'new'>();
  const mayEdit = can('finance.settings');

  return (
    <ListScreen
      name="products"
      title={t('nav.products')}
      search={{ id: 'pr-q', label: t('catalog.searchProducts'), value: q, onChange: setQ, testId: 'products-search' }}
      create={mayEdit && { label: t('catalog.newProduct'), onClick: () => setEditing('new'), testId: 'new-product' }}
      rows={list}
      empty={search ? t('catalog.noProductsFound') : t('catalog.noProducts')}
      columns={[
        { header: t('catalog.title'), cell: (p) => p.title },
        { header: t('catalog.sku'), cell: (p) => <code>{p.sku}</code> },
        { header: t('catalog.barcode'), cell: (p) => p.barcode && <code>{p.barcode}</code> },
        { header: t('catalog.kind'), cell: (p) => t(`product.kind.${p.kind}`) },
        { header: t('appointment.price'), cell: (p) => <Money amount={p.price} />, className: 'num' },
      ]}
      actions={mayEdit && ((p) => <EditCell name={p.title} onEdit={() => setEditing(p)} />)}
    >
      {editing && (
        <ProductDialog
          product={editing === 'new' ? undefined : editing}
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

function ProductDialog({ product, onClose, onSaved }: { product?: Product; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const { company, api } = useCompany();
  const [title, setTitle] = useState(product?.title ?? '');
  const [sku, setSku] = useState(product?.sku ?? '');
  const [barcode, setBarcode] = useState(product?.barcode ?? '');
  const [kind, setKind] = useState<ProductKind>(product?.kind ?? 'goods');
  const [price, setPrice] = useState(product ? toDecimalString(product.price, company.currency) : '');
  const [tax, setTax] = useState<{ taxSystem: string; vat: VatCode }>({
    taxSystem: product?.taxSystem ?? company.defaultTaxSystem,
    vat: product?.vat ?? 'none',
  });
  const [problem, setProblem] = useState<string>();
  const action = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    const minor = parseDecimal(price, company.currency);
    if (minor === undefined) return setProblem(t('common.invalidAmount'));
    const input = { title: title.trim(), sku: sku.trim(), barcode: barcode.trim() || null, kind, price: minor, ...tax };
    const saved = await action.run(() =>
      product ? api.products.update(product.id, input) : api.products.create(input),
    );
    if (saved) onSaved();
  };
  return (
    <Dialog
      title={product ? t('catalog.editProduct') : t('catalog.newProduct')}
      onClose={onClose}
      testId="product-dialog"
    >
      <form className="stack" onSubmit={(e) => void submit(e)}>
        <div className="field">
          <label htmlFor="pd-title">{t('catalog.title')}</label>
          <input
            id="pd-title"
            required
            maxLength={200}
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            data-testid="product-title"
          />
        </div>
        <div className="field-row">
          <div className="field">
            <label htmlFor="pd-sku">{t('catalog.sku')}</label>
            <input
              id="pd-sku"
              required
              maxLength={64}
              pattern="\S+"
              value={sku}
              onChange={(e) => setSku(e.target.value)}
              data-testid="product-sku"
            />
          </div>
          <div className="field">
            <label htmlFor="pd-barcode">
              {t('catalog.barcode')} <span className="muted">({t('common.optional')})</span>
            </label>
            <input
              id="pd-barcode"
              maxLength={64}
              pattern="\S+"
              value={barcode}
              onChange={(e) => setBarcode(e.target.value)}
              data-testid="product-barcode"
            />
          </div>
        </div>
        <div className="field-row">
          <div className="field">
            <label htmlFor="pd-kind">{t('catalog.kind')}</label>
            <select
              id="pd-kind"
              value={kind}
              onChange={(e) => setKind(e.target.value as ProductKind)}
              data-testid="product-kind"
            >
              {PRODUCT_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`product.kind.${k}`)}
                </option>
              ))}
            </select>
          </div>
          <MoneyInput
            label={t('appointment.price')}
            value={price}
            onChange={setPrice}
            required
            data-testid="product-price"
          />
        </div>
        <TaxFields
          idPrefix="pd"
          taxSystem={tax.taxSystem}
          vat={tax.vat}
          onChange={(c) => setTax((v) => ({ ...v, ...c }))}
        />
        <FormFooter action={action} saveTestId="product-save" onCancel={onClose} problem={problem} />
      </form>
    </Dialog>
  );
}
