import { useRef, useState, type FormEvent } from 'react';
import type { AppointmentView, Payment } from '../api/types';
import { Dialog } from '../components/dialog';
import { FormFooter } from '../components/form-footer';
import { Money, MoneyInput, useFormatMoney } from '../components/money';
import { useI18n } from '../i18n';
import { parseDecimal, toDecimalString } from '../lib/money';
import { randomKey } from '../lib/random-key';
import { useAction } from '../lib/use-async';
import { formatInstant } from '../lib/zoned-time';
import { useCompany } from '../session';

const REASON_MAX = 500;

/**
 * R31: gives back all or part of one online payment through the provider that took it. The amount
 * starts at what is left of the payment; more than that is refused here before anything is sent (the
 * server checks again). One Idempotency-Key per submission: sending the same amount and reason again
 * after a failure reuses it, so a retry never refunds twice.
 */
export function RefundDialog({
  view,
  payment,
  onClose,
  onRequested,
}: {
  view: AppointmentView;
  payment: Payment;
  onClose: () => void;
  onRequested: () => void;
}) {
  const { t, locale } = useI18n();
  const { company, api } = useCompany();
  const format = useFormatMoney();
  const left = payment.refundable ?? 0;
  const [amount, setAmount] = useState(() => toDecimalString(left, company.currency));
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<{ field: 'amount' | 'reason'; text: string }>();
  const submission = useRef<{ body: string; key: string } | undefined>(undefined);
  const action = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    action.clear();
    const minor = parseDecimal(amount, company.currency);
    if (!minor) return setProblem({ field: 'amount', text: t('common.invalidAmount') });
    if (minor > left) return setProblem({ field: 'amount', text: t('refund.exceedsLeft', { left: format(left) }) });
    const text = reason.trim();
    if (!text) return setProblem({ field: 'reason', text: t('refund.reasonRequired') });
    const input = { amount: minor, reason: text };
    const body = JSON.stringify(input);
    if (submission.current?.body !== body) submission.current = { body, key: randomKey() };
    const { key } = submission.current;
    if (await action.run(() => api.appointments.refund(view.id, payment.id, input, key))) onRequested();
  };

  return (
    <Dialog title={t('refund.title')} onClose={onClose} testId="refund-dialog">
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
        <p className="muted" data-testid="refund-payment">
          {t('refund.of', { paidAt: formatInstant(payment.paidAt, company.timezone, locale) })}{' '}
          <Money amount={payment.amount} /> · {t('refund.left')} <Money amount={left} testId="refund-left" />
        </p>
        <MoneyInput
          label={t('refund.amount')}
          value={amount}
          onChange={setAmount}
          hint={t('refund.amountHint', { left: format(left) })}
          invalid={problem?.field === 'amount'}
          data-testid="refund-amount"
        />
        <div className="field">
          <label htmlFor="refund-reason">{t('refund.reason')}</label>
          <textarea
            id="refund-reason"
            rows={2}
            maxLength={REASON_MAX}
            value={reason}
            aria-invalid={problem?.field === 'reason' || undefined}
            onChange={(e) => setReason(e.target.value)}
            data-testid="refund-reason"
          />
          <small className="hint">{t('refund.reasonHint')}</small>
        </div>
        <FormFooter
          action={action}
          saveTestId="refund-confirm"
          saveLabel={t('refund.confirm')}
          onCancel={onClose}
          problem={problem?.text}
        />
      </form>
    </Dialog>
  );
}
