import { useEffect, useState, type FormEvent } from 'react';
import { BarChart } from '../components/bar-chart';
import { ErrorNote } from '../components/error-note';
import { Money } from '../components/money';
import { Empty, Loaded } from '../components/states';
import { DateInput } from '../components/date-input';
import { dynamicKey, useI18n } from '../i18n';
import { navigate, useLocation, withSearch } from '../lib/router';
import { usePagedList } from '../lib/use-paged-list';
import { addDays, formatDay, formatInstant, isDay, todayIn } from '../lib/zoned-time';
import { useCompany } from '../session';

/** Reports → Transactions (R28): payments and refunds by appointment date, per method and per day. */
export function TransactionsScreen() {
  const { t, locale } = useI18n();
  const { company, api } = useCompany();
  const location = useLocation();
  const today = todayIn(company.timezone);
  const from = isDay(location.search.get('from')) ? location.search.get('from')! : `${today.slice(0, 8)}01`;
  const to = isDay(location.search.get('to')) ? location.search.get('to')! : today;
  const [draft, setDraft] = useState({ from, to });
  // the CSV a spreadsheet of the user's locale opens as numbers; the other style one click away
  const decimal = decimalMarkOf(locale);
  const otherDecimal = decimal === 'comma' ? 'point' : 'comma';
  useEffect(() => setDraft({ from, to }), [from, to]);
  const list = usePagedList(`${from}|${to}`, (cursor) => api.reports.transactions(from, to, cursor), [api, from, to]);
  const { first: report, more: moreAction } = list;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    navigate(withSearch(location, { from: draft.from, to: draft.to }));
  };

  return (
    <section className="screen" aria-labelledby="tx-title">
      <h1 id="tx-title">{t('reports.title')}</h1>
      <form className="toolbar" onSubmit={submit} data-testid="report-filter">
        <div className="field">
          <label htmlFor="tx-from">{t('reports.from')}</label>
          <DateInput
            id="tx-from"
            value={draft.from}
            onChange={(from) => setDraft((d) => ({ ...d, from }))}
            required
            data-testid="report-from"
          />
        </div>
        <div className="field">
          <label htmlFor="tx-to">{t('reports.to')}</label>
          <DateInput
            id="tx-to"
            value={draft.to}
            min={draft.from}
            onChange={(to) => setDraft((d) => ({ ...d, to }))}
            required
            data-testid="report-to"
          />
        </div>
        <button type="submit" data-testid="report-show">
          {t('reports.show')}
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => navigate(withSearch(location, { from: addDays(today, -6), to: today }))}
        >
          {t('reports.last7')}
        </button>
        <span className="spacer" />
        <a className="button secondary" href={api.reports.csvUrl(from, to, decimal)} download data-testid="report-csv">
          {t('reports.csv')}
        </a>
        <a className="small" href={api.reports.csvUrl(from, to, otherDecimal)} download data-testid="report-csv-other">
          {t(otherDecimal === 'comma' ? 'reports.csvComma' : 'reports.csvPoint')}
        </a>
      </form>
      <p className="muted small">{t('reports.note', { timezone: company.timezone })}</p>
      {report.error && report.data && <ErrorNote error={report.error} />}
      <Loaded data={report.data} error={report.error} reload={report.reload}>
        {(r) => {
          const { items, cursor } = list.merged(r);
          return (
            <div className="stack">
              <div className="report-grid">
                <section className="card" aria-labelledby="tx-methods">
                  <h2 id="tx-methods">{t('reports.byMethod')}</h2>
                  <table className="table" data-testid="totals-by-method">
                    <tbody>
                      {r.totals.byMethod.map((m) => (
                        <tr key={m.method}>
                          <th scope="row">{t(dynamicKey('method', m.method))}</th>
                          <td className="num">{m.count}</td>
                          <td className="num">
                            <Money amount={m.amount} />
                          </td>
                        </tr>
                      ))}
                    </tbody>
                    <tfoot>
                      <tr>
                        <th scope="row">{t('money.total')}</th>
                        <td className="num">{r.totals.count}</td>
                        <td className="num">
                          <Money amount={r.totals.amount} testId="report-total" />
                        </td>
                      </tr>
                    </tfoot>
                  </table>
                </section>
                <section className="card" aria-labelledby="tx-days">
                  <h2 id="tx-days">{t('reports.byDay')}</h2>
                  {r.totals.byDay.length === 0 ? (
                    <Empty>{t('reports.empty')}</Empty>
                  ) : (
                    <>
                      <BarChart
                        bars={fillDays(r.from, r.to, r.totals.byDay)}
                        title={t('reports.chartTitle', {
                          from: formatDay(r.from, locale),
                          to: formatDay(r.to, locale),
                        })}
                      />
                      <details>
                        <summary>{t('reports.dayTable')}</summary>
                        <table className="table" data-testid="totals-by-day">
                          <tbody>
                            {r.totals.byDay.map((d) => (
                              <tr key={d.date}>
                                <th scope="row">{formatDay(d.date, locale)}</th>
                                <td className="num">{d.count}</td>
                                <td className="num">
                                  <Money amount={d.amount} />
                                </td>
                              </tr>
                            ))}
                          </tbody>
                        </table>
                      </details>
                    </>
                  )}
                </section>
              </div>
              <section aria-labelledby="tx-lines">
                <h2 id="tx-lines">{t('reports.lines')}</h2>
                {items.length === 0 ? (
                  <Empty>{t('reports.empty')}</Empty>
                ) : (
                  <table className="table" data-testid="transactions">
                    <thead>
                      <tr>
                        <th scope="col">{t('reports.appointmentDate')}</th>
                        <th scope="col">{t('checkout.paidAt')}</th>
                        <th scope="col">{t('appointment.client')}</th>
                        <th scope="col">{t('appointment.staff')}</th>
                        <th scope="col">{t('checkout.method')}</th>
                        <th scope="col" className="num">
                          {t('link.amount')}
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {items.map((line) => (
                        <tr key={line.paymentId} className={line.voided ? 'voided' : undefined}>
                          <td>{formatDay(line.appointmentDate, locale)}</td>
                          <td>{formatInstant(line.paidAt, company.timezone, locale)}</td>
                          <td>{line.clientName}</td>
                          <td>{line.staffName}</td>
                          <td>
                            {t(dynamicKey('method', line.method))}
                            {line.refundOf && <span className="badge"> {t('checkout.refund')}</span>}
                            {line.voided && <span className="badge"> {t('checkout.voided')}</span>}
                          </td>
                          <td className="num">
                            <Money amount={line.amount} />
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
                {cursor && (
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => void list.loadMore(cursor)}
                    disabled={moreAction.pending}
                  >
                    {t('common.loadMore')}
                  </button>
                )}
                <ErrorNote error={moreAction.error} />
              </section>
            </div>
          );
        }}
      </Loaded>
    </section>
  );
}

/** Every day of the range, zero where nothing was paid, so the chart's gaps are real days. */
function fillDays(
  from: string,
  to: string,
  days: { date: string; amount: number }[],
): { date: string; amount: number }[] {
  const byDate = new Map(days.map((d) => [d.date, d.amount]));
  const result: { date: string; amount: number }[] = [];
  for (let day = from; day <= to && result.length < 400; day = addDays(day, 1))
    result.push({ date: day, amount: byDate.get(day) ?? 0 });
  return result;
}

/** `comma` where the locale writes 1,5 (German, Russian), `point` where it writes 1.5. */
function decimalMarkOf(locale: string): 'point' | 'comma' {
  const mark = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value;
  return mark === ',' ? 'comma' : 'point';
}
