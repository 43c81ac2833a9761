import { useI18n } from '../i18n';
import type { Day } from '../lib/zoned-time';
import { DateInput } from './date-input';
import { TimeInput } from './time-input';

/** What the form holds of an appointment's when and with whom; the duration as typed. */
export interface AppointmentWhen {
  staffId: string;
  day: Day;
  time: string;
  duration: string;
}

/**
 * One row of the staff member, the day, the start time and the duration, shared by the new-appointment dialog and
 * the Details tab. `idPrefix` keeps the ids of the two apart; `testIds` names the fields for the dialog's tests.
 */
export function AppointmentWhenFields(props: {
  idPrefix: string;
  staff: readonly { id: string; name: string }[];
  value: AppointmentWhen;
  onChange: (patch: Partial<AppointmentWhen>) => void;
  staffRequired?: boolean;
  testIds?: boolean;
}) {
  const { idPrefix: id, staff, value, onChange, staffRequired, testIds } = props;
  const { t } = useI18n();
  const testId = (name: string) => (testIds ? `${id}-${name}` : undefined);
  return (
    <div className="field-row">
      <div className="field">
        <label htmlFor={`${id}-staff`}>{t('appointment.staff')}</label>
        <select
          id={`${id}-staff`}
          value={value.staffId}
          onChange={(e) => onChange({ staffId: e.target.value })}
          required={staffRequired}
          data-testid={testId('staff')}
        >
          {staff.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-day`}>{t('appointment.date')}</label>
        <DateInput
          id={`${id}-day`}
          value={value.day}
          onChange={(day) => onChange({ day })}
          required
          data-testid={testId('date')}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-time`}>{t('appointment.time')}</label>
        <TimeInput
          id={`${id}-time`}
          value={value.time}
          onChange={(time) => onChange({ time })}
          required
          data-testid={testId('time')}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-duration`}>{t('appointment.durationMinutes')}</label>
        <input
          id={`${id}-duration`}
          type="number"
          min={5}
          max={1440}
          step={5}
          value={value.duration}
          onChange={(e) => onChange({ duration: e.target.value })}
          required
          data-testid={testId('duration')}
        />
      </div>
    </div>
  );
}
