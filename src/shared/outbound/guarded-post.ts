import { sendGuarded } from './guarded-send.js';
import type { OutboundGuard } from './outbound-guard.js';

export interface GuardedPost {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

/**
 * POSTs through the guard (SPEC S4) and answers the receiver's status. A redirect is an answer
 * like any other: nothing follows it. The receiver's body is never read: whatever it says stays
 * with it, so nothing of it can be stored or shown. Rejects with OutboundRefused when the policy
 * refuses the target (now, or at connect time), or with the network's error.
 */
export function postGuarded(guard: OutboundGuard, post: GuardedPost): Promise<number> {
  return sendGuarded<number>(guard, post, (res, resolve) => {
    res.on('error', () => undefined);
    res.destroy();
    resolve(res.statusCode ?? 0);
  });
}
