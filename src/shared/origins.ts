/**
 * Where Visitpay is reachable. `public` builds the URLs clients see (links, return pages);
 * `internal` is where this process can reach itself (the sandbox delivers its notifications
 * there). Both are known only once the server listens when PUBLIC_URL is not configured.
 */
export class Origins {
  private publicOrigin?: string;
  private internalOrigin?: string;

  constructor(publicUrl?: string) {
    if (publicUrl) this.publicOrigin = publicUrl.replace(/\/+$/, '');
  }

  /** Called once the server listens. */
  listening(port: number): void {
    this.internalOrigin = `http://127.0.0.1:${port}`;
    this.publicOrigin ??= `http://localhost:${port}`;
  }

  get public(): string {
    if (!this.publicOrigin) throw new Error('public origin unknown before the server listens');
    return this.publicOrigin;
  }

  get internal(): string {
    return this.internalOrigin ?? this.public;
  }
}
