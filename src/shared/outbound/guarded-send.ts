import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { GuardedPost } from './guarded-post.js';
import type { OutboundGuard } from './outbound-guard.js';

/** What a caller does with the receiver's answer: settles the send with a value or an error. */
export type AnswerHandler<T> = (
  res: IncomingMessage,
  resolve: (value: T) => void,
  reject: (error: unknown) => void,
) => void;

/**
 * The one way out (SPEC S4) behind `postGuarded` and `requestGuarded`: checks the target against
 * the guard, connects through the guard's lookup (so the address is judged again at connect
 * time) on a connection of its own, with the post's timeout, and hands the answer to `onAnswer`.
 * Nothing follows a redirect. Rejects with OutboundRefused or with the network's error.
 */
export function sendGuarded<T>(guard: OutboundGuard, post: GuardedPost, onAnswer: AnswerHandler<T>): Promise<T> {
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
      (res: IncomingMessage) => onAnswer(res, resolve, reject),
    );
    req.on('error', reject);
    req.end(post.body);
  });
}
