import { useEffect, useRef, useState } from 'react';

export type LiveState = 'connecting' | 'live' | 'reconnecting';

/** What one `changed` event says; absent after a reconnect (anything may have changed). */
export interface LiveChange {
  appointmentId: string;
  reason: string;
}

/**
 * Follows a server-sent events stream (`event: changed`) and calls `onChange` for each event, and
 * once more after a reconnect, since changes made while the stream was down were not announced.
 * EventSource sends the session cookie and reconnects by itself after a dropped connection; after a
 * refused one (an error status) it gives up, so this opens a new one a little later.
 */
export function useLiveUpdates(url: string, onChange: (change?: LiveChange) => void): LiveState {
  const [state, setState] = useState<LiveState>('connecting');
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  useEffect(() => {
    let source: EventSource | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let dropped = false;
    let stopped = false;
    const connect = () => {
      source = new EventSource(url);
      source.addEventListener('changed', (event) => onChangeRef.current(parseChange((event as MessageEvent).data)));
      source.onopen = () => {
        setState('live');
        if (dropped) {
          dropped = false;
          onChangeRef.current();
        }
      };
      source.onerror = () => {
        dropped = true;
        setState('reconnecting');
        if (source?.readyState === EventSource.CLOSED && !stopped) {
          source.close();
          retry = setTimeout(connect, 10_000);
        }
      };
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      source?.close();
    };
  }, [url]);
  return state;
}

function parseChange(data: unknown): LiveChange | undefined {
  try {
    const parsed = JSON.parse(String(data)) as Partial<LiveChange>;
    return typeof parsed.appointmentId === 'string' && typeof parsed.reason === 'string'
      ? { appointmentId: parsed.appointmentId, reason: parsed.reason }
      : undefined;
  } catch {
    return undefined;
  }
}
