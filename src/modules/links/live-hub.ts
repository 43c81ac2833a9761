import pg from 'pg';
import { LIVE_CHANNEL, type AppointmentChanged } from './live-events.js';

type Listener = (event: AppointmentChanged) => void;

/**
 * Fans PostgreSQL notifications out to the admin pages watching an appointment (R29). One
 * LISTEN connection per process, opened on the first watcher; every process hears every commit,
 * so a change made through any process reaches watchers connected to any other.
 */
export class LiveHub {
  private client?: pg.Client;
  private connecting?: Promise<void>;
  private readonly listeners = new Map<string, Set<Listener>>();
  private closed = false;

  constructor(private readonly databaseUrl: string) {}

  async subscribe(appointmentId: string, listener: Listener): Promise<() => void> {
    await this.connect();
    let set = this.listeners.get(appointmentId);
    if (!set) this.listeners.set(appointmentId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(appointmentId);
    };
  }

  private async connect(): Promise<void> {
    if (this.client || this.closed) return;
    this.connecting ??= (async () => {
      const client = new pg.Client({ connectionString: this.databaseUrl });
      client.on('notification', (msg) => this.dispatch(msg.payload));
      client.on('error', () => {
        // The connection dropped: the next watcher reconnects; pages re-read on reconnect anyway.
        this.client = undefined;
        this.connecting = undefined;
      });
      await client.connect();
      await client.query(`LISTEN ${LIVE_CHANNEL}`);
      this.client = client;
    })();
    try {
      await this.connecting;
    } finally {
      this.connecting = undefined;
    }
  }

  private dispatch(payload: string | undefined): void {
    if (!payload) return;
    let event: AppointmentChanged;
    try {
      event = JSON.parse(payload) as AppointmentChanged;
    } catch {
      return;
    }
    for (const listener of this.listeners.get(event.appointmentId) ?? []) listener(event);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
  }
}
