import { useState, type FormEvent } from 'react';
import { AppointmentWhenFields, type AppointmentWhen } from '../components/appointment-when-fields';
import { ErrorNote } from '../components/error-note';
import { ItemsEditor } from '../components/items-editor';
import { PaymentLinkPanel } from '../components/payment-link-panel';
import { SavedNote } from '../components/saved-note';
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
  const [when, setWhen] = useState<AppointmentWhen>({
    staffId: view.staff.id,
    day: start.day,
    time: start.time,
    duration: String(view.durationMinutes),
  });
  const { staffId, day, time, duration } = when;
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
        <AppointmentWhenFields
          idPrefix="ad"
          staff={staff.data ?? [view.staff]}
          value={when}
          onChange={(patch) => setWhen((now) => ({ ...now, ...patch }))}
        />
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
