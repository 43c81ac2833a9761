import { useSyncExternalStore } from 'react';

/** Whether the CSS media query matches now, re-rendering when that changes (a phone turned, a window resized). */
export function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const list = window.matchMedia(query);
      list.addEventListener('change', onChange);
      return () => list.removeEventListener('change', onChange);
    },
    () => window.matchMedia(query).matches,
  );
}

/** Phones: one column, one staff member's day at a time (styles.css uses the same width). */
export const PHONE_QUERY = '(max-width: 600px)';
