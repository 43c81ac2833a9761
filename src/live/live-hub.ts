import pg from 'pg';
import { LIVE_CHANNEL, type AppointmentChanged } from './live-events.js';

type Listener = (event: AppointmentChanged) => void;

interface Subscription {
  listener: Listener;
  /** the LISTEN connection dropped: events may have been missed */
  onDrop?: (() => void) | undefined;
}

/**
 * Fans PostgreSQL notifications out to the admin pages watching an appointment (R29). One
 * LISTEN connection per process, opened on the first watcher; every process hears every commit,
 * so a change made through any process reaches watchers connected to any other.
 */
export class LiveHub {
  private client?: pg.Client;
  private connecting?: Promise<void>;
  private readonly listeners = new Map<string, Set<Subscription>>();
  private closed = false;

  constructor(private readonly databaseUrl: string) {}

  async subscribe(appointmentId: string, listener: Listener, onDrop?: () => void): Promise<() => void> {
    await this.connect();
    let set = this.listeners.get(appointmentId);
    if (!set) {
      set = new Set();
      this.listeners.set(appointmentId, set);
    }
    const subscription: Subscription = { listener, onDrop };
    set.add(subscription);
    return () => {
      const current = this.listeners.get(appointmentId);
      current?.delete(subscription);
      if (current?.size === 0) this.listeners.delete(appointmentId);
    };
  }

  private async connect(): Promise<void> {
    if (this.client || this.closed) return;
    this.connecting ??= (async () => {
      const client = new pg.Client({ connectionString: this.databaseUrl });
      client.on('notification', (msg) => this.dispatch(msg.payload));
      // The connection dropped: watchers are told (they reconnect and re-read), the next one reconnects.
      const dropped = () => {
        if (this.client !== client) return;
        this.client = undefined;
        this.drop();
      };
      client.on('error', dropped);
      client.on('end', dropped);
      try {
        await client.connect();
        await client.query(`LISTEN ${LIVE_CHANNEL}`);
      } catch (error) {
        await client.end().catch(() => undefined);
        throw error;
      }
      if (this.closed) {
        await client.end().catch(() => undefined);
        return;
      }
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
    for (const { listener } of this.listeners.get(event.appointmentId) ?? []) listener(event);
  }

  private drop(): void {
    const subscriptions = [...this.listeners.values()].flatMap((set) => [...set]);
    this.listeners.clear();
    for (const { onDrop } of subscriptions) onDrop?.();
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = undefined;
    this.drop();
    await client?.end().catch(() => undefined);
  }
}
