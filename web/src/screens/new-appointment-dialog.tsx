import { useState, type FormEvent } from 'react';
import type { Service, StaffMember } from '../api/types';
import { AppointmentWhenFields, type AppointmentWhen } from '../components/appointment-when-fields';
import { ClientPicker, type ClientChoice } from '../components/client-picker';
import { Dialog } from '../components/dialog';
import { FormFooter } from '../components/form-footer';
import { MoneyInput, useFormatMoney } from '../components/money';
import { useI18n } from '../i18n';
import { parseDecimal, toDecimalString } from '../lib/money';
import { useAction, useResource } from '../lib/use-async';
import { zonedToInstant, type Day } from '../lib/zoned-time';
import { useCompany } from '../session';

export interface NewAppointmentPrefill {
  day: Day;
  staffId?: string;
  time?: string;
}

interface Line {
  key: number;
  service: Service;
  price: string;
}

/** Create an appointment: client (found or new), staff member, time, services at a price within their range. */
export function NewAppointmentDialog(props: {
  prefill: NewAppointmentPrefill;
  staff: StaffMember[];
  onClose: () => void;
  onCreated: (id: string, day: Day) => void;
}) {
  const { prefill, staff, onClose, onCreated } = props;
  const { t } = useI18n();
  const { company, api } = useCompany();
  const format = useFormatMoney();
  const services = useResource(() => api.services.list(), [api]);
  const [client, setClient] = useState<ClientChoice>();
  const [when, setWhen] = useState<AppointmentWhen>({
    staffId: prefill.staffId ?? staff[0]?.id ?? '',
    day: prefill.day,
    time: prefill.time ?? '10:00',
    duration: '60',
  });
  const { staffId, day, time, duration } = when;
  const [lines, setLines] = useState<Line[]>([]);
  const [comment, setComment] = useState('');
  const [problem, setProblem] = useState<string>();
  const action = useAction();

  const addService = (serviceId: string) => {
    const service = services.data?.find((s) => s.id === serviceId);
    if (service)
      setLines((ls) => [
        ...ls,
        { key: Date.now() + ls.length, service, price: toDecimalString(service.priceMin, company.currency) },
      ]);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    if (!client) return setProblem(t('appointment.chooseClient'));
    if (client.kind === 'new' && !client.name.trim()) return setProblem(t('appointment.clientNameRequired'));
    const priced = lines.map((l) => ({ line: l, price: parseDecimal(l.price, company.currency) }));
    const bad = priced.find(
      ({ line, price }) => price === undefined || price < line.service.priceMin || price > line.service.priceMax,
    );
    if (bad)
      return setProblem(
        t('appointment.priceOutOfRange', {
          title: bad.line.service.title,
          min: format(bad.line.service.priceMin),
          max: format(bad.line.service.priceMax),
        }),
      );
    const minutes = Number(duration);
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440)
      return setProblem(t('appointment.durationInvalid'));

    await action.run(async () => {
      let clientId: string;
      if (client.kind === 'new') {
        const created = await api.clients.create({
          name: client.name.trim(),
          phone: client.phone.trim() || null,
          email: client.email.trim() || null,
        });
        // A retry after a refused appointment must not create the client twice.
        setClient({ kind: 'existing', client: created });
        clientId = created.id;
      } else {
        clientId = client.client.id;
      }
      const appointment = await api.appointments.create({
        clientId,
        staffId,
        startsAt: zonedToInstant(day, time, company.timezone).toISOString(),
        durationMinutes: minutes,
        services: priced.map(({ line, price }) => ({ serviceId: line.service.id, price: price! })),
        ...(comment.trim() ? { comment: comment.trim() } : {}),
      });
      onCreated(appointment.id, day);
    });
  };

  return (
    <Dialog title={t('calendar.newAppointment')} onClose={onClose} testId="new-appointment-dialog" wide>
      <form onSubmit={(e) => void submit(e)} className="stack">
        <ClientPicker value={client} onChange={setClient} />
        <AppointmentWhenFields
          idPrefix="na"
          staff={staff}
          value={when}
          onChange={(patch) => setWhen((now) => ({ ...now, ...patch }))}
          staffRequired
          testIds
        />
        <fieldset>
          <legend>{t('appointment.services')}</legend>
          {lines.map((line) => (
            <div key={line.key} className="service-line" data-testid="na-service-line">
              <span className="service-title">{line.service.title}</span>
              <MoneyInput
                label={t('appointment.price')}
                value={line.price}
                onChange={(price) => setLines((ls) => ls.map((l) => (l.key === line.key ? { ...l, price } : l)))}
                hint={t('appointment.priceRange', {
                  min: format(line.service.priceMin),
                  max: format(line.service.priceMax),
                })}
                data-testid="na-service-price"
              />
              <button
                type="button"
                className="secondary"
                onClick={() => setLines((ls) => ls.filter((l) => l.key !== line.key))}
                aria-label={t('appointment.removeService', { title: line.service.title })}
              >
                {t('common.remove')}
              </button>
            </div>
          ))}
          <div className="field">
            <label htmlFor="na-add-service">{t('appointment.addService')}</label>
            <select
              id="na-add-service"
              value=""
              onChange={(e) => {
                addService(e.target.value);
                e.target.value = '';
              }}
              disabled={!services.data}
              data-testid="na-add-service"
            >
              <option value="">{services.data ? t('appointment.chooseService') : t('common.loading')}</option>
              {services.data?.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.title} (
                  {s.priceMin === s.priceMax ? format(s.priceMin) : `${format(s.priceMin)} – ${format(s.priceMax)}`})
                </option>
              ))}
            </select>
          </div>
        </fieldset>
        <div className="field">
          <label htmlFor="na-comment">{t('appointment.comment')}</label>
          <textarea id="na-comment" rows={2} value={comment} onChange={(e) => setComment(e.target.value)} />
        </div>
        <FormFooter
          action={action}
          saveTestId="na-submit"
          onCancel={onClose}
          problem={problem}
          saveLabel={t('appointment.create')}
        />
      </form>
    </Dialog>
  );
}
