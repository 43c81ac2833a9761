import { describe, expect, it } from 'vitest';
import { linkReachAdvice, linkReachOf, type LinkReach } from '../../src/shared/link-reach.js';

/** O7: who can open a link built on the public origin, judged from the URL alone. */

const CASES: Record<LinkReach, string[]> = {
  this_computer: [
    'http://localhost:3000',
    'http://LOCALHOST.:3000',
    'http://salon.localhost',
    'http://127.0.0.1:3000',
    'http://127.1:3000',
    'http://0.0.0.0:3000',
    'http://[::1]:3000',
    'http://[::ffff:127.0.0.1]:3000',
    'http://[::]:3000',
  ],
  local_network: [
    'http://192.168.1.20:3000',
    'http://10.0.0.5',
    'http://172.16.0.1',
    'http://172.31.255.254:8080',
    'http://169.254.10.1',
    'http://100.64.0.7',
    'http://[fd12:3456::1]:3000',
    'http://[fe80::1]:3000',
    'http://[::ffff:192.168.1.20]:3000',
    'http://salon-pc.local:3000',
    'http://salon.lan:3000',
    'https://pay.salon.home.arpa',
    'http://frontdesk:3000',
    'http://pay.salon.internal',
  ],
  internet: [
    'https://pay.example-salon.test',
    'https://pay.salon.example',
    'https://salon.de',
    'http://93.184.216.34:3000',
    'https://[2606:4700:4700::1111]',
    'https://lan-salon.com',
    'https://local.salon.com',
  ],
};

describe('link reach (O7)', () => {
  for (const [reach, origins] of Object.entries(CASES)) {
    it(`O7 judges ${reach}: ${origins.length} origins`, () => {
      for (const origin of origins) expect(linkReachOf(origin), origin).toBe(reach);
    });
  }

  it('O7 the start log advice: names the address and how to set PUBLIC_URL; nothing for a public one', () => {
    const unset = linkReachAdvice('http://localhost:3000', false).join('\n');
    expect(unset).toContain('http://localhost:3000 (PUBLIC_URL is not set)');
    expect(unset).toContain("clients' phones cannot open them");
    expect(unset).toMatch(/PUBLIC_URL=https:\/\/\S+ npm start/);
    const lan = linkReachAdvice('http://192.168.1.20:3000', true).join('\n');
    expect(lan).toContain("phones on the salon's Wi-Fi can open them");
    expect(lan).toContain('PUBLIC_URL=');
    expect(linkReachAdvice('https://pay.example-salon.test', true)).toEqual([]);
  });
});
