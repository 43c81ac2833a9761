import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
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
  const url = new URL(post.url);
  guard.checkUrl(url);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: 'POST',
        headers: { ...post.headers, 'content-length': String(Buffer.byteLength(post.body)) },
        lookup: guard.lookup,
        // a connection of its own, so every send resolves (and is judged) afresh
        agent: false,
        signal: AbortSignal.timeout(post.timeoutMs),
      },
      (res: IncomingMessage) => {
        res.on('error', () => undefined);
        res.destroy();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end(post.body);
  });
}
