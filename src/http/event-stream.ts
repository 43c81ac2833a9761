import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppointmentChanged } from '../live/index.js';

/** How a stream hears changes: subscribe before the first byte, and whether its watcher may still hear. */
export interface EventSource {
  subscribe(listener: (event: AppointmentChanged) => void, onDrop: () => void): Promise<() => void>;
  /** asked before every event and heartbeat: a removed member or an ended session stops hearing at once */
  stillAllowed(): Promise<boolean>;
}

const HEARTBEAT_MS = 25_000;

/**
 * Server-sent events (R29): `event: changed` with the appointment id and what happened, for each
 * change the source hears. Open streams are kept in `streams` so the server can end them when it
 * closes, or it would wait for every watcher to leave.
 */
export async function streamChanges(
  req: FastifyRequest,
  reply: FastifyReply,
  source: EventSource,
  streams: Set<() => void>,
): Promise<void> {
  const res = reply.raw;
  let ended = false;
  let heartbeat: NodeJS.Timeout | undefined;
  const end = () => {
    if (ended) return;
    ended = true;
    clearInterval(heartbeat);
    streams.delete(end);
    unsubscribe();
    res.end();
  };
  const whileAllowed = (write: () => void) =>
    void source.stillAllowed().then(
      (ok) => (ok ? !ended && write() : end()),
      () => end(),
    );
  // Subscribed before the first byte goes out: a watcher that has the response misses no change.
  const unsubscribe = await source.subscribe(
    (event) =>
      whileAllowed(() =>
        res.write(
          `event: changed\ndata: ${JSON.stringify({ appointmentId: event.appointmentId, reason: event.reason })}\n\n`,
        ),
      ),
    // The database connection dropped: the browser reconnects and re-reads the state.
    () => end(),
  );
  reply.hijack();
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-request-id': req.id,
  });
  res.write('retry: 3000\n\n');
  heartbeat = setInterval(() => whileAllowed(() => res.write(': keep-alive\n\n')), HEARTBEAT_MS);
  streams.add(end);
  res.on('close', end);
  if (res.destroyed) end();
}
