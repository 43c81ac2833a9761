import { useState, type FormEvent } from 'react';
import { ErrorNote } from '../components/error-note';
import { ItemsEditor } from '../components/items-editor';
import { PaymentLinkPanel } from '../components/payment-link-panel';
import { SavedNote } from '../components/saved-note';
import { TimeInput } from '../components/time-input';
import { DateInput } from '../components/date-input';
import { useI18n } from '../i18n';
import { useResource } from '../lib/use-async';
import { useSaveForm } from '../lib/use-save-form';
import { zonedParts, zonedToInstant } from '../lib/zoned-time';
import { useCompany } from '../session';
import type { TabProps } from './appointment-window';

/** Details: who, when, with whom, the comment, and the items of the bill. */
export function DetailsTab({ view, locked, reload }: TabProps) {
  const { t } = useI18n();
  return (
    // the link panel comes first: on top on a phone, beside the form on a wider screen (R4)
    <div className="tab-grid side-first">
      <div className="tab-side">
        <PaymentLinkPanel view={view} locked={locked} reload={reload} variant="compact" />
      </div>
      <div className="stack tab-main">
        <AppointmentForm view={view} reload={reload} />
        <section aria-labelledby="items-title">
          <h3 id="items-title">{t('appointment.items')}</h3>
          <ItemsEditor view={view} locked={locked} reload={reload} />
        </section>
      </div>
    </div>
  );
}

function AppointmentForm({ view, reload }: Omit<TabProps, 'locked'>) {
  const { t } = useI18n();
  const { company, api, can } = useCompany();
  const start = zonedParts(view.startsAt, company.timezone);
  const [day, setDay] = useState(start.day);
  const [time, setTime] = useState(start.time);
  const [duration, setDuration] = useState(String(view.durationMinutes));
  const [staffId, setStaffId] = useState(view.staff.id);
  const [comment, setComment] = useState(view.comment ?? '');
  const staff = useResource(() => api.staff.list(), [api]);
  const action = useSaveForm();
  const editable = can('appointments.write') && view.status !== 'cancelled';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    action.hideSaved();
    const startsAt = zonedToInstant(day, time, company.timezone).toISOString();
    await action.save(
      () =>
        api.appointments.update(view.id, {
          ...(startsAt !== new Date(view.startsAt).toISOString() ? { startsAt } : {}),
          ...(Number(duration) !== view.durationMinutes ? { durationMinutes: Number(duration) } : {}),
          ...(staffId !== view.staff.id ? { staffId } : {}),
          ...(comment.trim() !== (view.comment ?? '') ? { comment: comment.trim() } : {}),
        }),
      () => reload(),
    );
  };

  return (
    <form className="stack" onSubmit={(e) => void submit(e)} data-testid="appointment-form">
      <p>
        <span className="muted">{t('appointment.client')}:</span>{' '}
        <strong data-testid="appointment-client">{view.client.name}</strong>
      </p>
      <fieldset disabled={!editable} className="plain">
        <legend className="visually-hidden">{t('appointment.when')}</legend>
        <div className="field-row">
          <div className="field">
            <label htmlFor="ad-staff">{t('appointment.staff')}</label>
            <select id="ad-staff" value={staffId} onChange={(e) => setStaffId(e.target.value)}>
              {(staff.data ?? [view.staff]).map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="ad-day">{t('appointment.date')}</label>
            <DateInput id="ad-day" value={day} onChange={setDay} required />
          </div>
          <div className="field">
            <label htmlFor="ad-time">{t('appointment.time')}</label>
            <TimeInput id="ad-time" value={time} onChange={setTime} required />
          </div>
          <div className="field">
            <label htmlFor="ad-duration">{t('appointment.durationMinutes')}</label>
            <input
              id="ad-duration"
              type="number"
              min={5}
              max={1440}
              step={5}
              value={duration}
              onChange={(e) => setDuration(e.target.value)}
              required
            />
          </div>
        </div>
        <div className="field">
          <label htmlFor="ad-comment">{t('appointment.comment')}</label>
          <textarea
            id="ad-comment"
            rows={2}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            data-testid="appointment-comment"
          />
        </div>
        {editable && (
          <div className="actions">
            <button type="submit" disabled={action.pending} data-testid="save-appointment">
              {action.pending ? t('common.saving') : t('common.save')}
            </button>
            <SavedNote shown={action.saved && !action.error} className="muted" />
          </div>
        )}
      </fieldset>
      <ErrorNote error={action.error} />
    </form>
  );
}
