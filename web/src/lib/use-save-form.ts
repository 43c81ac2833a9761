import { useCallback, useState } from 'react';
import { useAction, type Action } from './use-async';

export interface SaveForm extends Action {
  /** the last save went through and nothing was changed since: the form shows "Saved" */
  saved: boolean;
  /** takes the notice away: the form was changed, or a save starts that must earn it again */
  hideSaved: () => void;
  /** runs the write; when it goes through, hands its answer to `apply` and shows "Saved" */
  save: <T>(write: () => Promise<T>, apply: (result: T) => void) => Promise<T | undefined>;
}

/** A form's save: the write's refusal (as `useAction`) and the "Saved" notice that follows it. */
export function useSaveForm(): SaveForm {
  const action = useAction();
  const [saved, setSaved] = useState(false);
  const hideSaved = useCallback(() => setSaved(false), []);
  const { run } = action;
  const save = useCallback(
    async <T>(write: () => Promise<T>, apply: (result: T) => void): Promise<T | undefined> => {
      const result = await run(write);
      if (result) {
        apply(result);
        setSaved(true);
      }
      return result;
    },
    [run],
  );
  return { ...action, saved, hideSaved, save };
}
