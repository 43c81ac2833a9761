import { linkReachOf, type LinkReach } from './link-reach.js';

/**
 * Where Visitpay is reachable. `public` builds the URLs clients see (links, return pages);
 * `internal` is where this process can reach itself (the sandbox delivers its notifications
 * there). Both are known only once the server listens when PUBLIC_URL is not configured.
 */
export class Origins {
  private publicOrigin?: string;
  private internalOrigin?: string;

  /** PUBLIC_URL was configured; otherwise links fall back to http://localhost:<port> */
  readonly publicUrlSet: boolean;

  constructor(publicUrl?: string) {
    if (publicUrl) this.publicOrigin = publicUrl.replace(/\/+$/, '');
    this.publicUrlSet = Boolean(publicUrl);
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

  /** Who can open the links built on the public origin (O7). */
  get reach(): LinkReach {
    return linkReachOf(this.public);
  }

  get internal(): string {
    return this.internalOrigin ?? this.public;
  }
}
