import { serverInfo } from '../api/endpoints';
import type { ServerInfo } from '../api/types';
import { useResource } from './use-async';

// One question per page load: PUBLIC_URL, SMTP_URL and the SMS gateway change only with a restart. A failure is asked again.
let asked: Promise<ServerInfo> | undefined;
function askOnce(): Promise<ServerInfo> {
  asked ??= serverInfo().catch((error: unknown) => {
    asked = undefined;
    throw error;
  });
  return asked;
}

/** What this installation is set up for (where links point, which ways of sending them); undefined until known. */
export function useServerInfo(): ServerInfo | undefined {
  return useResource(() => askOnce(), []).data;
}
