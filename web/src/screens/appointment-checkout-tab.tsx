import { useEffect, useState, type FormEvent } from 'react';
import { DESK_PAYMENT_METHODS, type DeskPaymentMethod, type Payment, type Refund } from '../api/types';
import { ErrorNote } from '../components/error-note';
import { Money, MoneyInput, useFormatMoney } from '../components/money';
import { PaymentLinkPanel } from '../components/payment-link-panel';
import { SettlementReceipts } from '../components/settlement-receipts';
import { dynamicKey, useI18n } from '../i18n';
import { parseDecimal, toDecimalString } from '../lib/money';
import { randomKey } from '../lib/random-key';
import { useAction } from '../lib/use-async';
import { formatInstant } from '../lib/zoned-time';
import { useCompany } from '../session';
import type { TabProps } from './appointment-window';
import { RefundDialog } from './refund-dialog';

/** Checkout: what is owed, what was paid and how, desk payments by any method (R15), and the link. */
export function CheckoutTab({ view, locked, reload }: TabProps) {
  const { t } = useI18n();
  const { can } = useCompany();
  return (
    <div className="tab-grid">
      <div className="stack">
        <dl className="totals" data-testid="checkout-totals">
          <dt>{t('money.total')}</dt>
          <dd>
            <Money amount={view.total} />
          </dd>
          <dt>{t('money.paidAmount')}</dt>
          <dd>
            <Money amount={view.paid} />
          </dd>
          <dt>{t('money.due')}</dt>
          <dd className="due">
            <Money amount={view.due} testId="checkout-due" />
          </dd>
        </dl>
        {view.due < 0 && <p className="notice">{t('checkout.overpaid')}</p>}
        {view.status === 'cancelled' && view.payments.some(stillRefundable) && (
          // R31: cancelling never refunds by itself (the provider's fees); the refund is made here.
          <p className="notice" data-testid="refund-hint">
            {t(can('payments.refund') ? 'refund.cancelledHint' : 'refund.cancelledHintNoRight')}
          </p>
        )}
        <Payments view={view} locked={locked} reload={reload} />
        <SettlementReceipts view={view} />
        {can('payments.record') && view.status !== 'cancelled' && (
          <DeskPaymentForm view={view} locked={locked} reload={reload} />
        )}
      </div>
      <PaymentLinkPanel view={view} locked={locked} reload={reload} variant="full" />
    </div>
  );
}

/** An online payment with something left to give back (R31). */
const stillRefundable = (p: Payment) => p.method === 'online' && !p.voided && (p.refundable ?? 0) > 0;

function Payments({ view, locked, reload }: TabProps) {
  const { t, locale } = useI18n();
  const { company, api, can } = useCompany();
  const format = useFormatMoney();
  const action = useAction();
  const [refunding, setRefunding] = useState<string>();
  // Voiding takes money off the ledger: it is asked once more, as disabling a link is.
  const [confirmVoid, setConfirmVoid] = useState<string>();
  const voidable = (p: Payment) =>
    can('payments.record') && !p.voided && p.method !== 'online' && p.amount > 0 && !p.refundOf;
  const refundable = (p: Payment) => can('payments.refund') && stillRefundable(p);
  // the payment as the window last read it, so what is left follows live updates
  const refundOf = view.payments.find((p) => p.id === refunding);
  const voidPayment = async (p: Payment) => {
    setConfirmVoid(undefined);
    if (await action.run(() => api.appointments.voidPayment(view.id, p.id))) reload();
  };
  return (
    <section aria-labelledby="payments-title">
      <h3 id="payments-title">{t('checkout.payments')}</h3>
      {view.payments.length === 0 ? (
        <p className="empty">{t('checkout.noPayments')}</p>
      ) : (
        <div className="table-scroll">
          <table className="table payments-table" data-testid="payments">
            <thead>
              <tr>
                <th scope="col">{t('checkout.paidAt')}</th>
                <th scope="col">{t('checkout.method')}</th>
                <th scope="col" className="num">
                  {t('link.amount')}
                </th>
                <th scope="col">{t('checkout.takenBy')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {view.payments.map((p) => (
                <tr
                  key={p.id}
                  className={p.voided ? 'voided' : undefined}
                  data-testid="payment-row"
                  data-method={p.method}
                  data-voided={p.voided || undefined}
                  data-refund-of={p.refundOf ?? undefined}
                >
                  <td>{formatInstant(p.paidAt, company.timezone, locale)}</td>
                  <td>
                    {t(dynamicKey('method', p.method))}
                    {p.refundOf && <span className="badge"> {t('checkout.refund')}</span>}
                    {p.voided && <span className="badge"> {t('checkout.voided')}</span>}
                  </td>
                  <td className="num">
                    <Money amount={p.amount} />
                    {p.tip ? (
                      // R40: the tip came with the payment for the staff member; it is not part of what the visit was paid
                      <span className="muted small" data-testid="payment-tip">
                        {' '}
                        {t('checkout.tip', { amount: format(p.tip) })}
                      </span>
                    ) : null}
                  </td>
                  <td>{p.recordedBy.name ?? t(dynamicKey('actor', p.recordedBy.type))}</td>
                  <td>
                    {voidable(p) && confirmVoid !== p.id && (
                      <button
                        type="button"
                        className="secondary small"
                        onClick={() => setConfirmVoid(p.id)}
                        disabled={locked || action.pending}
                        data-testid="void-payment"
                      >
                        {t('checkout.void')}
                      </button>
                    )}
                    {voidable(p) && confirmVoid === p.id && (
                      <fieldset className="plain confirm" data-testid="void-confirm">
                        <legend className="visually-hidden">{t('checkout.voidConfirmLegend')}</legend>
                        {t('checkout.voidConfirm', {
                          amount: format(p.amount),
                          method: t(dynamicKey('method', p.method)),
                        })}{' '}
                        <button
                          type="button"
                          className="danger small"
                          onClick={() => void voidPayment(p)}
                          disabled={locked || action.pending}
                          data-testid="void-payment-confirm"
                        >
                          {t('checkout.voidYes')}
                        </button>{' '}
                        <button
                          type="button"
                          className="secondary small"
                          onClick={() => setConfirmVoid(undefined)}
                          data-testid="void-payment-keep"
                        >
                          {t('checkout.voidKeep')}
                        </button>
                      </fieldset>
                    )}
                    {refundable(p) && (
                      <button
                        type="button"
                        className="secondary small refund-open"
                        onClick={() => setRefunding(p.id)}
                        disabled={locked}
                        data-testid="refund-open"
                        data-refundable={p.refundable}
                      >
                        {t('refund.button', { left: format(p.refundable ?? 0) })}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ErrorNote error={action.error} testId="void-error" />
      {view.refunds.length > 0 && (
        <div className="refunds" data-testid="refunds">
          <h4>{t('checkout.refunds')}</h4>
          <ul>
            {view.refunds.map((r) => (
              <RefundLine key={r.id} refund={r} />
            ))}
          </ul>
        </div>
      )}
      {refundOf && (
        <RefundDialog
          view={view}
          payment={refundOf}
          onClose={() => setRefunding(undefined)}
          onRequested={() => {
            setRefunding(undefined);
            reload();
          }}
        />
      )}
    </section>
  );
}

/** A refund: how much, where it stands (pending until the provider confirms), why, and who asked. */
function RefundLine({ refund: r }: { refund: Refund }) {
  const { t, locale } = useI18n();
  const { company } = useCompany();
  const who =
    r.origin === 'provider'
      ? t('refund.atProvider')
      : r.origin === 'overpayment'
        ? t('refund.automatic')
        : t('refund.requestedBy', { name: r.requestedBy ?? t('actor.user') });
  return (
    <li data-testid="refund-row" data-status={r.status} data-origin={r.origin}>
      <Money amount={r.amount} /> —{' '}
      <span className={`badge refund-${r.status}`}>{t(dynamicKey('refund', r.status))}</span> · {r.reason} ·{' '}
      <span className="muted">
        {who}, {formatInstant(r.createdAt, company.timezone, locale)}
      </span>
      {r.failure && (
        <div className="refund-failure" data-testid="refund-failure">
          {t('refund.failure', { reason: r.failure })}
        </div>
      )}
    </li>
  );
}

function DeskPaymentForm({ view, locked, reload }: TabProps) {
  const { t } = useI18n();
  const { company, api } = useCompany();
  const [method, setMethod] = useState<DeskPaymentMethod>('cash');
  const dueText = view.due > 0 ? toDecimalString(view.due, company.currency) : '';
  const [amount, setAmount] = useState(dueText);
  // The default follows the amount due as it changes (a payment here, the client paying online),
  // until the receptionist types an amount of their own.
  const [typed, setTyped] = useState(false);
  useEffect(() => {
    if (!typed) setAmount(dueText);
  }, [dueText, typed]);
  // One key per payment the receptionist means to take: a double click or a retry records it once.
  const [key, setKey] = useState(() => randomKey());
  const [problem, setProblem] = useState<string>();
  const action = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    const minor = parseDecimal(amount, company.currency);
    if (!minor) return setProblem(t('common.invalidAmount'));
    const paid = await action.run(() => api.appointments.pay(view.id, { method, amount: minor }, key));
    if (paid) {
      setKey(randomKey());
      setTyped(false);
      reload();
    }
  };

  return (
    <form
      className="desk-payment stack"
      onSubmit={(e) => void submit(e)}
      aria-labelledby="desk-title"
      data-testid="desk-payment-form"
    >
      <h3 id="desk-title">{t('checkout.takePayment')}</h3>
      <fieldset disabled={locked || view.due <= 0} className="plain">
        <legend className="visually-hidden">{t('checkout.takePayment')}</legend>
        <div className="field-row">
          <div className="field">
            <label htmlFor="dp-method">{t('checkout.method')}</label>
            <select
              id="dp-method"
              value={method}
              onChange={(e) => setMethod(e.target.value as DeskPaymentMethod)}
              data-testid="payment-method"
            >
              {DESK_PAYMENT_METHODS.map((m) => (
                <option key={m} value={m}>
                  {t(`method.${m}`)}
                </option>
              ))}
            </select>
          </div>
          <MoneyInput
            label={t('link.amount')}
            value={amount}
            onChange={(text) => {
              setAmount(text);
              setTyped(true);
            }}
            data-testid="payment-amount"
          />
          <button type="submit" className="primary" disabled={action.pending} data-testid="record-payment">
            {action.pending ? t('common.saving') : t('checkout.record')}
          </button>
        </div>
      </fieldset>
      {view.due <= 0 && <p className="muted small">{t('checkout.nothingDue')}</p>}
      {problem && (
        <div className="error-note" role="alert">
          {problem}
        </div>
      )}
      <ErrorNote error={action.error} testId="payment-error" />
    </form>
  );
}
