import type { GuardedPost } from './guarded-post.js';
import { sendGuarded } from './guarded-send.js';
import type { OutboundGuard } from './outbound-guard.js';

/** How much of an answer is read: a provider's JSON reply or error object is far smaller. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * POSTs through the guard (SPEC S4) like `postGuarded`, for calls to a messaging provider the
 * operator configured, whose answer is needed (a message id, or the provider's error object):
 * the answer's status and up to 64 KB of its body, as text. A redirect is an answer like any
 * other: nothing follows it. Rejects with OutboundRefused when the policy refuses the target,
 * or with the network's error.
 */
export function requestGuarded(guard: OutboundGuard, post: GuardedPost): Promise<{ status: number; body: string }> {
  return sendGuarded<{ status: number; body: string }>(guard, post, (res, resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      if (size >= MAX_ANSWER_BYTES) return;
      chunks.push(chunk);
      size += chunk.length;
      if (size >= MAX_ANSWER_BYTES) res.destroy();
    });
    const done = () =>
      resolve({
        status: res.statusCode ?? 0,
        body: Buffer.concat(chunks).subarray(0, MAX_ANSWER_BYTES).toString('utf8'),
      });
    res.on('end', done);
    res.on('close', done);
    res.on('error', reject);
  });
}
