import { createServer } from 'node:net';

/**
 * A TCP port on 127.0.0.1 that nothing listens on now, drawn at random from [from, to) and tried
 * until one binds. Ranges lie below Linux's ephemeral range (32768–60999): a port there can be
 * taken at any moment by an outgoing connection of a parallel test, which made an embedded
 * PostgreSQL fail to start ("could not create listen socket") now and then.
 */
export async function unusedLocalPort(from: number, to: number): Promise<number> {
  const span = to - from;
  const start = Math.floor(Math.random() * span);
  for (let i = 0; i < span; i++) {
    const port = from + ((start + i) % span);
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port on 127.0.0.1 in ${from}–${to}`);
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
