import pg from 'pg';
import { LIVE_CHANNEL, type AppointmentChanged } from './live-events.js';

type Listener = (event: AppointmentChanged) => void;

// Appointment ids never contain a colon, so company keys cannot collide with them.
const companyKey = (companyId: string) => `company:${companyId}`;

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

  /** Changes of one appointment (its window). */
  subscribe(appointmentId: string, listener: Listener, onDrop?: () => void): Promise<() => void> {
    return this.listen(appointmentId, listener, onDrop);
  }

  /** Changes of every appointment of one company (the calendar, and the notice that a client paid). */
  subscribeCompany(companyId: string, listener: Listener, onDrop?: () => void): Promise<() => void> {
    return this.listen(companyKey(companyId), listener, onDrop);
  }

  private async listen(key: string, listener: Listener, onDrop?: () => void): Promise<() => void> {
    await this.connect();
    let set = this.listeners.get(key);
    if (!set) {
      set = new Set();
      this.listeners.set(key, set);
    }
    const subscription: Subscription = { listener, onDrop };
    set.add(subscription);
    return () => {
      const current = this.listeners.get(key);
      current?.delete(subscription);
      if (current?.size === 0) this.listeners.delete(key);
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
    for (const { listener } of this.listeners.get(companyKey(event.companyId)) ?? []) listener(event);
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
