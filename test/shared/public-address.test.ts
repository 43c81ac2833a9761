import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OutboundGuard, OutboundRefused } from '../../src/shared/outbound/outbound-guard.js';
import { isLocalhostName, isPublicAddress } from '../../src/shared/outbound/public-address.js';

/** S4: the address policy of outbound calls, without network. */

const REFUSED = {
  'IPv4 unspecified, loopback, private': [
    '0.0.0.0',
    '0.1.2.3',
    '127.0.0.1',
    '127.255.255.254',
    '10.0.0.1',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
  ],
  'IPv4 link-local (cloud metadata), CGNAT, benchmarking': [
    '169.254.169.254',
    '100.64.0.1',
    '100.127.255.254',
    '198.18.0.1',
    '198.19.255.255',
  ],
  'IPv4 documentation, reserved, multicast, broadcast': [
    '192.0.0.1',
    '192.0.2.1',
    '198.51.100.1',
    '203.0.113.1',
    '192.88.99.1',
    '240.0.0.1',
    '224.0.0.1',
    '239.255.255.250',
    '255.255.255.255',
  ],
  'IPv4 shorthand, decimal, hex and octal spellings': [
    '2130706433',
    '0x7f000001',
    '127.1',
    '0x7f.1',
    '0177.0.0.1',
    '0xa9.0xfe.0xa9.0xfe',
  ],
  'IPv6 unspecified, loopback, link-local, unique-local, site-local, multicast': [
    '::',
    '::1',
    '[::1]',
    'fe80::1',
    'fe80::1%eth0',
    'fc00::1',
    'fd00::1',
    'fec0::1',
    'ff02::1',
    'ff05::1:3',
  ],
  'IPv6 documentation, benchmarking, discard, reserved, outside 2000::/3': [
    '2001:db8::1',
    '2001:2::1',
    '100::1',
    '3fff::1',
    '5f00::1',
    '::2',
    '4000::1',
    'e000::1',
  ],
  'IPv4-mapped and -translated': [
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:169.254.169.254',
    '::ffff:10.0.0.1',
    '::ffff:0:127.0.0.1',
    '[::ffff:7f00:1]',
  ],
  'IPv4-compatible': ['::127.0.0.1', '::7f00:1', '::10.0.0.1'],
  'NAT64 (well-known prefix and local use)': ['64:ff9b::127.0.0.1', '64:ff9b::a9fe:a9fe', '64:ff9b:1::808:808'],
  '6to4 of a private IPv4': ['2002:7f00:1::1', '2002:a9fe:a9fe::', '2002:c0a8:101::1'],
  'Teredo with a private client or server': [
    '2001:0:4136:e378:8000:63bf:3fff:fdd2',
    '2001:0:a00:1:8000:63bf:f7f7:f7f7',
  ],
  'not an IP address': ['', 'localhost', 'example.com', '1.2.3.4.5', '127.0.0.1:80'],
};

const PUBLIC = [
  '8.8.8.8',
  '93.184.216.34',
  '1.1.1.1',
  '172.32.0.1',
  '192.169.0.1',
  '100.128.0.1',
  '198.20.0.1',
  '11.0.0.1',
  '2606:4700:4700::1111',
  '2a00:1450:4001::1',
  '[2606:4700:4700::1111]',
  '::ffff:8.8.8.8',
  '64:ff9b::8.8.8.8',
  '2002:808:808::1',
  // Teredo: server 65.54.227.120, client ~f7f7:f7f7 = 8.8.8.8
  '2001:0:4136:e378:8000:63bf:f7f7:f7f7',
];

describe('S4 public addresses', () => {
  for (const [kind, addresses] of Object.entries(REFUSED)) {
    it(`S4 refuses ${kind}`, () => {
      for (const address of addresses) expect(isPublicAddress(address), address).toBe(false);
    });
  }

  it('S4 accepts public unicast addresses, also when an IPv6 address carries a public IPv4 one', () => {
    for (const address of PUBLIC) expect(isPublicAddress(address), address).toBe(true);
  });

  it('S4 refuses localhost and every name under it, with or without the final dot, in any case', () => {
    for (const name of ['localhost', 'localhost.', 'LOCALHOST', 'api.localhost', 'api.localhost.', 'a.b.LocalHost'])
      expect(isLocalhostName(name), name).toBe(true);
    for (const name of ['localhost.example', 'mylocalhost', 'example.com'])
      expect(isLocalhostName(name), name).toBe(false);
  });

  const v4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255));
  const hex = (n: number) => n.toString(16);

  it('S4 every spelling of an IPv4 address is judged as that address: URL decimal and hex forms, mapped, compatible, NAT64, 6to4', () => {
    fc.assert(
      fc.property(v4, ([a, b, c, d]) => {
        const dotted = `${a}.${b}.${c}.${d}`;
        const expected = isPublicAddress(dotted);
        const n = ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
        const high = hex((a << 8) | b);
        const low = hex((c << 8) | d);
        const urlSpellings = [
          String(n),
          `0x${n.toString(16)}`,
          `0${a.toString(8)}.${b}.${c}.${d}`,
          `[::ffff:${dotted}]`,
        ].map((h) => new URL(`https://${h}/`).hostname);
        const spellings: string[] = [
          ...urlSpellings,
          `::ffff:${dotted}`,
          `::ffff:${high}:${low}`,
          `64:ff9b::${dotted}`,
          `2002:${high}:${low}::1`,
        ];
        // IPv4-compatible; its zero cases (::, ::1) are refused on their own, as are all of 0.0.0.0/8
        spellings.push(`::${dotted}`);
        for (const spelling of spellings) expect(isPublicAddress(spelling), `${spelling} for ${dotted}`).toBe(expected);
      }),
      { numRuns: 2_000 },
    );
  });

  it('S4 loopback, private, link-local and CGNAT IPv4 addresses are refused in every spelling', () => {
    const inside = fc.oneof(
      fc.tuple(fc.constant(127), fc.nat(255), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(10), fc.nat(255), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(172), fc.integer({ min: 16, max: 31 }), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(192), fc.constant(168), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(169), fc.constant(254), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(100), fc.integer({ min: 64, max: 127 }), fc.nat(255), fc.nat(255)),
    );
    fc.assert(
      fc.property(inside, ([a, b, c, d]) => {
        const dotted = `${a}.${b}.${c}.${d}`;
        for (const spelling of [
          dotted,
          `::ffff:${dotted}`,
          `::${dotted}`,
          `64:ff9b::${dotted}`,
          `2002:${hex((a << 8) | b)}:${hex((c << 8) | d)}::`,
        ]) {
          expect(isPublicAddress(spelling), spelling).toBe(false);
        }
      }),
    );
  });
});

describe('S4 the outbound guard', () => {
  const resolving = (answers: Record<string, string[]>) =>
    new OutboundGuard({
      allowPrivate: false,
      resolve: async (name) => {
        const addresses = answers[name];
        if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
        return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
      },
    });

  it('S4 refuses http://, names that do not resolve, and names with any non-public answer; accepts https:// to public answers', async () => {
    const guard = resolving({
      'public.example': ['93.184.216.34', '2606:4700:4700::1111'],
      'mixed.example': ['93.184.216.34', '10.0.0.1'],
      'empty.example': [],
    });
    await expect(guard.check(new URL('https://public.example/x'))).resolves.toBeUndefined();
    for (const url of [
      'http://public.example/x',
      'https://mixed.example/x',
      'https://empty.example/x',
      'https://nowhere.example/x',
      'https://localhost./x',
      'https://[::ffff:127.0.0.1]/x',
    ]) {
      await expect(guard.check(new URL(url)), url).rejects.toBeInstanceOf(OutboundRefused);
    }
  });

  it('S4 the connect-time lookup refuses a private answer and passes public ones on, one or all', async () => {
    const guard = resolving({
      'public.example': ['93.184.216.34', '2606:4700:4700::1111'],
      'inside.example': ['127.0.0.1'],
    });
    const lookup = (name: string, options: { all?: boolean; family?: number }) =>
      new Promise<unknown>((resolve, reject) =>
        guard.lookup(name, options, (error, address, family) =>
          error ? reject(error) : resolve(options.all ? address : [address, family]),
        ),
      );
    await expect(lookup('inside.example', {})).rejects.toBeInstanceOf(OutboundRefused);
    await expect(lookup('inside.example', { all: true })).rejects.toBeInstanceOf(OutboundRefused);
    await expect(lookup('public.example', {})).resolves.toEqual(['93.184.216.34', 4]);
    await expect(lookup('public.example', { family: 6 })).resolves.toEqual(['2606:4700:4700::1111', 6]);
    await expect(lookup('public.example', { all: true })).resolves.toEqual([
      { address: '93.184.216.34', family: 4 },
      { address: '2606:4700:4700::1111', family: 6 },
    ]);
  });

  it('S4 with the development setting, http:// and private targets pass', async () => {
    const guard = new OutboundGuard({ allowPrivate: true, resolve: async () => [{ address: '127.0.0.1', family: 4 }] });
    await expect(guard.check(new URL('http://127.0.0.1:8080/x'))).resolves.toBeUndefined();
    await expect(guard.check(new URL('http://localhost/x'))).resolves.toBeUndefined();
    await expect(guard.check(new URL('ftp://127.0.0.1/x'))).rejects.toBeInstanceOf(OutboundRefused);
  });
});
