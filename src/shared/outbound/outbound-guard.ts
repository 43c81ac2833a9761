import { lookup as systemLookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { isIpLiteral, isLocalhostName, isPublicAddress } from './public-address.js';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Answers every address a host name resolves to; rejects when it resolves to none. Injected so tests can rebind a name. */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

/** The operating system's resolver (getaddrinfo: /etc/hosts, then DNS), as node:net uses by default. */
export const systemResolver: HostResolver = async (hostname) =>
  (await systemLookup(hostname, { all: true, verbatim: true })).map(({ address, family }) => ({
    address,
    family: family === 6 ? 6 : 4,
  }));

/** An outbound URL or address the policy does not allow; the message is meant for the user who configured it. */
export class OutboundRefused extends Error {
  override readonly name = 'OutboundRefused';
}

const REFUSED_KINDS =
  'localhost, private, link-local, shared (CGNAT), benchmarking, multicast and reserved addresses are refused';

/**
 * Where Visitpay may send requests that a user chose the target of (SPEC S4): https only, and only
 * to public addresses, judged when the URL is configured (`check`) and again on every connection
 * (`lookup`), so that a name that resolved public once and private later (DNS rebinding) is
 * refused at the moment it would be used. `allowPrivate` (VISITPAY_ALLOW_PRIVATE_WEBHOOKS, for
 * local development) lifts the address rules and allows plain http.
 */
export class OutboundGuard {
  readonly allowPrivate: boolean;
  private readonly resolve: HostResolver;

  constructor(options: { allowPrivate: boolean; resolve?: HostResolver | undefined }) {
    this.allowPrivate = options.allowPrivate;
    this.resolve = options.resolve ?? systemResolver;
  }

  /** What can be judged without DNS: the scheme, localhost names and IP literals. Throws OutboundRefused. */
  checkUrl(url: URL): void {
    if (url.protocol !== 'https:' && !(this.allowPrivate && url.protocol === 'http:')) {
      throw new OutboundRefused('the URL must start with https://');
    }
    if (this.allowPrivate) return;
    if (isLocalhostName(url.hostname) || (isIpLiteral(url.hostname) && !isPublicAddress(url.hostname)))
      throw new OutboundRefused(`the URL must point to a public address: ${REFUSED_KINDS}`);
  }

  /** `checkUrl`, then the host name resolved now: it must resolve, and to public addresses only. Throws OutboundRefused. */
  async check(url: URL): Promise<void> {
    this.checkUrl(url);
    if (this.allowPrivate || isIpLiteral(url.hostname)) return;
    await this.resolvePublic(url.hostname);
  }

  private async resolvePublic(hostname: string): Promise<ResolvedAddress[]> {
    let addresses: ResolvedAddress[];
    try {
      addresses = await this.resolve(hostname);
    } catch {
      throw new OutboundRefused(`the host name ${hostname} does not resolve`);
    }
    if (addresses.length === 0) throw new OutboundRefused(`the host name ${hostname} does not resolve`);
    // One private answer is enough to refuse: which one a connection would use is not ours to pick.
    if (!this.allowPrivate && addresses.some((a) => !isPublicAddress(a.address)))
      throw new OutboundRefused(
        `the host name ${hostname} resolves to an address that is not public (${REFUSED_KINDS})`,
      );
    return addresses;
  }

  /**
   * node:net's `lookup` option: the connection resolves through the policy, so the address it
   * connects to is the one just judged. (node:net calls no lookup for IP literals: `checkUrl` judges those.)
   */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    this.resolvePublic(hostname).then(
      (addresses) => {
        const family =
          options.family === 4 || options.family === 'IPv4'
            ? 4
            : options.family === 6 || options.family === 'IPv6'
              ? 6
              : undefined;
        const usable = family ? addresses.filter((a) => a.family === family) : addresses;
        if (options.all) return callback(null, usable);
        const first = usable[0];
        if (!first)
          return callback(
            Object.assign(new OutboundRefused(`the host name ${hostname} has no IPv${family} address`), {
              code: 'ENOTFOUND',
            }),
            '',
            0,
          );
        callback(null, first.address, first.family);
      },
      (error: Error) => callback(error, '', 0),
    );
  };
}
