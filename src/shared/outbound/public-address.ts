import ipaddr from 'ipaddr.js';

type IPv4 = ipaddr.IPv4;
type IPv6 = ipaddr.IPv6;

/** IANA's global unicast space (RFC 4291 §2.4): everything else in IPv6 is special, unassigned or local. */
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

const v4Of = (high: number, low: number): IPv4 => new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);

/**
 * The IPv4 addresses an IPv6 address carries and that a packet to it may end up at: IPv4-mapped
 * and -translated (::ffff:a.b.c.d, ::ffff:0:a.b.c.d), IPv4-compatible (::a.b.c.d), NAT64's
 * well-known prefix (64:ff9b::a.b.c.d), 6to4 (2002:AABB:CCDD::) and Teredo (server and client,
 * the client obfuscated by inversion). Undefined when it carries none.
 */
function embeddedIPv4(address: IPv6): IPv4[] | undefined {
  const p = address.parts;
  const range = address.range();
  const lastTwo = v4Of(p[6]!, p[7]!);
  if (range === 'ipv4Mapped' || range === 'rfc6145') return [lastTwo];
  if (address.match(ipaddr.parseCIDR('64:ff9b::/96'))) return [lastTwo];
  // ::a.b.c.d, except :: and ::1 themselves (unspecified, loopback: refused on their own)
  if (p.slice(0, 6).every((part) => part === 0) && range !== 'unspecified' && range !== 'loopback') return [lastTwo];
  if (range === '6to4') return [v4Of(p[1]!, p[2]!)];
  if (range === 'teredo') return [v4Of(p[2]!, p[3]!), v4Of(~p[6]! & 0xffff, ~p[7]! & 0xffff)];
  return undefined;
}

const isPublicV4 = (address: IPv4): boolean => address.range() === 'unicast';

const isPublicV6 = (address: IPv6): boolean => {
  const carried = embeddedIPv4(address);
  if (carried) return carried.every(isPublicV4);
  return address.range() === 'unicast' && address.match(GLOBAL_UNICAST_V6);
};

/**
 * Whether an outbound call may go to this IP address (SPEC S4): only ipaddr.js's `unicast`
 * class, which leaves out loopback, private (RFC 1918), unique-local, link-local (cloud
 * metadata), carrier-grade NAT, benchmarking, documentation, multicast, broadcast and reserved
 * ranges, in IPv6 also outside 2000::/3; an IPv6 address that carries an IPv4 one is judged by
 * that. Anything that is not an IP address is not public.
 */
export function isPublicAddress(ip: string): boolean {
  const literal = ip.replace(/^\[(.*)\]$/, '$1');
  // ipaddr.js also reads shorthand IPv4 (127.1, 0x7f000001): so do URL parsers and some resolvers.
  if (!ipaddr.isValid(literal)) return false;
  const address = ipaddr.parse(literal);
  return address.kind() === 'ipv4' ? isPublicV4(address as IPv4) : isPublicV6(address as IPv6);
}

/** Whether a host is an IP literal rather than a name (brackets of a URL's IPv6 host allowed). */
export function isIpLiteral(host: string): boolean {
  return ipaddr.isValid(host.replace(/^\[(.*)\]$/, '$1'));
}

/**
 * `localhost` and every name under it, with or without the final dot: RFC 6761 lets any resolver
 * answer them with loopback, so they are refused without asking one.
 */
export function isLocalhostName(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}
