import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/**
 * A local HTTP server standing in for a webhook endpoint: records every request and answers
 * with the statuses it is told to, in order (200 once the plan runs out).
 */
export async function startWebhookReceiver() {
  const received: ReceivedRequest[] = [];
  const plans = new Map<string, number[]>();
  let delayMs = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({
        method: req.method ?? 'GET',
        path,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      });
      const status = plans.get(path)?.shift() ?? 200;
      setTimeout(() => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(status < 300 ? '{"received":true}' : '{"error":"try later"}');
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    received,
    /** requests whose path is `path` */
    to: (path: string) => received.filter((r) => r.path === path),
    /** the next requests to `path` get these statuses, in order */
    respond: (path: string, statuses: number[]) => plans.set(path, [...statuses]),
    slowDown: (ms: number) => {
      delayMs = ms;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;
