import ipaddr from 'ipaddr.js';
import { isIpLiteral, isLocalhostName, isPublicAddress } from './outbound/public-address.js';

/**
 * Who can open a link built on the public origin (O7):
 * - `internet`: a public address or an ordinary DNS name — any phone, wherever it is;
 * - `local_network`: a private, link-local, unique-local or carrier-NAT address, or a name that
 *   only a local network resolves (`.local`, `.lan`, `.home.arpa`, a name without a dot …) —
 *   phones on the salon's Wi-Fi, nobody outside;
 * - `this_computer`: localhost, a loopback or unspecified address — nobody but this machine.
 */
export type LinkReach = 'internet' | 'local_network' | 'this_computer';

/** Suffixes that public DNS does not answer (RFC 6762, RFC 8375, and common router defaults). */
const LOCAL_SUFFIXES = [
  '.local',
  '.lan',
  '.home',
  '.home.arpa',
  '.internal',
  '.intranet',
  '.localdomain',
  '.corp',
  '.private',
];

/**
 * Judged from the URL alone, without asking DNS: what a name resolves to on this server says
 * nothing about what a client's phone on mobile data resolves it to.
 */
export function linkReachOf(origin: string): LinkReach {
  const host = new URL(origin).hostname.toLowerCase().replace(/\.$/, '');
  if (isIpLiteral(host)) {
    const address = ipaddr.process(host.replace(/^\[(.*)\]$/, '$1'));
    if (address.range() === 'loopback' || address.range() === 'unspecified') return 'this_computer';
    return isPublicAddress(host) ? 'internet' : 'local_network';
  }
  if (isLocalhostName(host)) return 'this_computer';
  if (!host.includes('.') || LOCAL_SUFFIXES.some((suffix) => host.endsWith(suffix))) return 'local_network';
  return 'internet';
}

/**
 * The start log's advice while links cannot reach every client (O7); nothing when they can.
 * Plain lines, for an operator reading the console of a fresh install.
 */
export function linkReachAdvice(publicOrigin: string, publicUrlSet: boolean): string[] {
  const reach = linkReachOf(publicOrigin);
  if (reach === 'internet') return [];
  const how =
    'set PUBLIC_URL to the address clients open, e.g. PUBLIC_URL=https://pay.your-salon.example npm start (or in the environment of your service or compose file)';
  if (reach === 'this_computer') {
    return [
      `WARNING: payment links point at ${publicOrigin}${publicUrlSet ? '' : ' (PUBLIC_URL is not set)'}: clients' phones cannot open them, and payment providers cannot deliver their notifications.`,
      `To send links to clients, ${how}.`,
    ];
  }
  return [
    `NOTE: payment links point at ${publicOrigin}, an address of the local network: phones on the salon's Wi-Fi can open them, clients elsewhere (mobile data, at home) cannot, nor can payment providers deliver their notifications.`,
    `To send links to clients anywhere, ${how}.`,
  ];
}
