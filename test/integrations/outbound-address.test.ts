import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { newId } from '../../src/shared/ids.js';
import type { HostResolver } from '../../src/shared/outbound/outbound-guard.js';
import { freePort, processEnv } from '../reliability/process-api.js';
import { startServer } from '../helpers/server-process.js';
import { createTestApp, type TestApp, type TestCompany } from '../helpers/test-app.js';

/**
 * S4: webhook endpoints are refused at private addresses when added and again at every send;
 * redirects are not followed; a receiver's body is never echoed; the development setting allows
 * local targets.
 */

/** A DNS of the test's own: each name answers its lists in turn, the last one from then on. */
const answers = new Map<string, string[][]>();
const asked: string[] = [];
const resolveHost: HostResolver = async (name) => {
  asked.push(name);
  const queue = answers.get(name);
  if (!queue) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
  const list = queue.length > 1 ? queue.shift()! : queue[0]!;
  return list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};
answers.set('hooks.example', [['93.184.216.34', '2606:4700:4700::1111']]);
answers.set('intranet.example', [['10.0.0.5']]);
answers.set('mixed.example', [['93.184.216.34', '127.0.0.1']]);
answers.set('metadata.example', [['::ffff:169.254.169.254']]);
answers.set('unique-local.example', [['fd00::5']]);
answers.set('nothing.example', [[]]);

/** The default mode: nothing but the injected resolver set. */
const t = await createTestApp({ resolveHost });
/** The development setting. */
const dev = await createTestApp({ env: { VISITPAY_ALLOW_PRIVATE_WEBHOOKS: 'true' } });

/** A TCP listener on 127.0.0.1 that counts the connections it gets: a connection attempt there is the leak. */
async function countingListener() {
  let connections = 0;
  const server = createTcpServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** An HTTP receiver on 127.0.0.1: /moved redirects to /target, /secret fails with words of its own, the rest take the event. */
const seen: string[] = [];
const SECRET = 'SECRET-db-password-hunter2';
const receiver: Server = createHttpServer((req, res) => {
  seen.push(req.url ?? '');
  req.resume();
  req.on('end', () => {
    if (req.url === '/moved') res.writeHead(302, { location: '/target' }).end();
    else if (req.url === '/secret')
      res.writeHead(500, `Failed: ${SECRET}`, { 'content-type': 'text/plain' }).end(`stack trace with ${SECRET}`);
    else res.writeHead(200).end('{}');
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
afterAll(async () => {
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

const add = (company: TestCompany, url: string) => company.owner.post(`${company.base}/webhook-endpoints`, { url });

async function pingAndRun(app: TestApp, company: TestCompany, endpointId: string) {
  const queued = await company.owner.post(`${company.base}/webhook-endpoints/${endpointId}/ping`, {});
  expect(queued.status, queued.text).toBe(202);
  // the delivery job has run once this resolves: what it would have sent, it has tried
  await app.jobs.drain();
  const deliveries = await company.owner.get(`${company.base}/webhook-endpoints/${endpointId}/deliveries`);
  return deliveries.body.items[0] as {
    status: string;
    tries: number;
    lastStatus: number | null;
    lastError: string | null;
  };
}

describe('S4 webhook endpoints at private addresses', () => {
  it('S4 refuses every spelling of a loopback, private, link-local, CGNAT, benchmark, multicast or reserved target when added, and writes nothing', async () => {
    const company = await t.newCompany();
    const refused = [
      // IPv4 literals and the spellings the URL parser turns into them
      'https://127.0.0.1/h',
      'https://2130706433/h',
      'https://0x7f000001/h',
      'https://0177.0.0.1/h',
      'https://127.1/h',
      'https://127.0.0.1./h',
      'https://0/h',
      'https://0.0.0.0/h',
      'https://10.0.0.1/h',
      'https://172.16.0.1/h',
      'https://192.168.1.1/h',
      'https://169.254.169.254/latest/meta-data',
      'https://100.64.0.1/h',
      'https://198.18.0.1/h',
      'https://224.0.0.1/h',
      'https://240.0.0.1/h',
      'https://255.255.255.255/h',
      'https://192.0.2.1/h',
      // IPv6 literals, and IPv6 spellings of private IPv4 addresses
      'https://[::1]/h',
      'https://[::]/h',
      'https://[::ffff:127.0.0.1]/h',
      'https://[::ffff:7f00:1]/h',
      'https://[::ffff:169.254.169.254]/h',
      'https://[::127.0.0.1]/h',
      'https://[64:ff9b::127.0.0.1]/h',
      'https://[2002:7f00:1::1]/h',
      'https://[2002:a9fe:a9fe::]/h',
      'https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/h',
      'https://[fe80::1]/h',
      'https://[fd00::1]/h',
      'https://[fec0::1]/h',
      'https://[ff02::1]/h',
      'https://[2001:db8::1]/h',
      // localhost names
      'https://localhost/h',
      'https://localhost./h',
      'https://LOCALHOST:8443/h',
      'https://api.localhost/h',
      'https://api.localhost./h',
      // names: resolving inside, partly inside, to nothing, or not at all
      'https://intranet.example/h',
      'https://mixed.example/h',
      'https://metadata.example/h',
      'https://unique-local.example/h',
      'https://nothing.example/h',
      'https://nowhere.example/h',
      // plain http, even to a public address
      'http://93.184.216.34/h',
      'http://hooks.example/h',
    ];
    for (const url of refused) {
      const res = await add(company, url);
      expect(res.status, url).toBe(400);
      expect(res.body.error, url).toMatchObject({ code: 'validation_failed', field: 'url' });
    }
    const rows = await t.db.selectFrom('webhook_endpoints').select('id').where('company_id', '=', company.id).execute();
    expect(rows).toEqual([]);
  });

  it('S4 accepts https:// endpoints at public addresses: literals and names that resolve to public addresses only', async () => {
    const company = await t.newCompany();
    for (const url of [
      'https://93.184.216.34/h',
      'https://[2606:4700:4700::1111]/h',
      'https://[::ffff:93.184.216.34]/h',
      'https://hooks.example/visitpay',
    ]) {
      const res = await add(company, url);
      expect(res.status, `${url}: ${res.text}`).toBe(201);
    }
  });

  it('S4 a name that resolved public when added and resolves to 127.0.0.1 at send (DNS rebinding) is refused at connect time: nothing reaches the local listener', async () => {
    const company = await t.newCompany();
    const listener = await countingListener();
    try {
      answers.set('rebind.example', [['93.184.216.34'], ['127.0.0.1']]);
      const created = await add(company, `https://rebind.example:${listener.port}/hook`);
      expect(created.status, created.text).toBe(201);
      const before = asked.filter((name) => name === 'rebind.example').length;

      const delivery = await pingAndRun(t, company, created.body.id);
      // the send asked the resolver again, got 127.0.0.1, and stopped there
      expect(asked.filter((name) => name === 'rebind.example').length).toBeGreaterThan(before);
      expect(listener.connections()).toBe(0);
      expect(delivery).toMatchObject({ status: 'pending', tries: 1, lastStatus: null });
      expect(delivery.lastError).toMatch(/OutboundRefused: .*rebind\.example.* not public/);
    } finally {
      await listener.close();
    }
  });

  it('S4 an endpoint stored while private targets were allowed is refused at send once they are not', async () => {
    const company = await t.newCompany();
    const listener = await countingListener();
    try {
      const id = newId('webhook_endpoint');
      await t.db
        .insertInto('webhook_endpoints')
        .values({
          id,
          company_id: company.id,
          url: `http://127.0.0.1:${listener.port}/hook`,
          events: ['payment_link.paid'],
          secret_sealed: t.services.secrets.seal('whsec_x'),
          description: null,
          created_at: t.clock.now(),
        })
        .execute();
      const delivery = await pingAndRun(t, company, id);
      expect(listener.connections()).toBe(0);
      expect(delivery).toMatchObject({
        status: 'pending',
        lastStatus: null,
        lastError: expect.stringContaining('OutboundRefused'),
      });
    } finally {
      await listener.close();
    }
  });
});

describe('S4 what a receiver answers', () => {
  it('S4 a redirect is not followed: recorded as the answer, retried later, the target never asked', async () => {
    const company = await dev.newCompany();
    const created = await add(company, `${receiverUrl}/moved`);
    expect(created.status, created.text).toBe(201);
    const delivery = await pingAndRun(dev, company, created.body.id);
    expect(delivery).toMatchObject({
      status: 'pending',
      tries: 1,
      lastStatus: 302,
      lastError: 'HTTP 302 Found (redirects are not followed)',
    });
    expect(seen.filter((path) => path === '/moved')).toHaveLength(1);
    expect(seen).not.toContain('/target');
  });

  it('S4 a receiver’s error body and reason phrase are not echoed: lastError holds the status and its standard phrase only', async () => {
    const company = await dev.newCompany();
    const created = await add(company, `${receiverUrl}/secret`);
    const delivery = await pingAndRun(dev, company, created.body.id);
    expect(seen).toContain('/secret');
    expect(delivery).toMatchObject({ lastStatus: 500, lastError: 'HTTP 500 Internal Server Error' });
    const stored = await dev.db
      .selectFrom('webhook_deliveries')
      .select('last_error')
      .where('endpoint_id', '=', created.body.id)
      .execute();
    expect(JSON.stringify(stored)).not.toContain('SECRET');
    const listed = await company.owner.get(`${company.base}/webhook-endpoints/${created.body.id}/deliveries`);
    expect(listed.text).not.toContain('SECRET');
  });
});

describe('S4 the development setting', () => {
  it('S4 is off unless set to true, and refuses other values', () => {
    expect(loadConfig({}).VISITPAY_ALLOW_PRIVATE_WEBHOOKS).toBe('false');
    expect(loadConfig({ NODE_ENV: 'development' }).VISITPAY_ALLOW_PRIVATE_WEBHOOKS).toBe('false');
    expect(() => loadConfig({ VISITPAY_ALLOW_PRIVATE_WEBHOOKS: 'yes' })).toThrow(/VISITPAY_ALLOW_PRIVATE_WEBHOOKS/);
  });

  it('S4 with VISITPAY_ALLOW_PRIVATE_WEBHOOKS=true a local http:// receiver is allowed and gets the event', async () => {
    const company = await dev.newCompany();
    const created = await add(company, `${receiverUrl}/local`);
    expect(created.status, created.text).toBe(201);
    const delivery = await pingAndRun(dev, company, created.body.id);
    expect(delivery).toMatchObject({ status: 'delivered', lastStatus: 200, lastError: null });
    expect(seen).toContain('/local');
  });

  it('S4 a server started with the setting says so in its log', async () => {
    const server = await startServer(
      processEnv({
        DATABASE_URL: t.database.url,
        PORT: String(await freePort()),
        HOST: '127.0.0.1',
        VISITPAY_ALLOW_PRIVATE_WEBHOOKS: 'true',
      }),
    );
    try {
      expect(server.output()).toMatch(/WARNING: VISITPAY_ALLOW_PRIVATE_WEBHOOKS=true.*local development only/);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  }, 60_000);
});
