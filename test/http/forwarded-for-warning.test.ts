import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { createTestApp } from '../helpers/test-app.js';

const t = await createTestApp();

/** The same app as `npm start` builds, its log lines collected. */
async function appLogging(trustProxy: string) {
  const lines: { level: number; msg: string }[] = [];
  const app = await buildApp({
    config: { ...t.config, VISITPAY_TRUST_PROXY: trustProxy },
    db: t.db,
    services: t.services,
    logger: { level: 'info', stream: { write: (line: string) => lines.push(JSON.parse(line)) } },
  });
  await app.ready();
  afterAll(() => app.close());
  const warnings = () => lines.filter((line) => line.level === 40 && line.msg.includes('X-Forwarded-For'));
  return { app, lines, warnings };
}

const get = (app: Awaited<ReturnType<typeof appLogging>>['app'], headers: Record<string, string> = {}) =>
  app.inject({ method: 'GET', url: '/healthz', headers });

describe('X-Forwarded-For while no proxy is trusted (S9)', () => {
  it('S9 a server trusting no proxy warns once, naming VISITPAY_TRUST_PROXY, when requests carry X-Forwarded-For', async () => {
    const { app, lines, warnings } = await appLogging('false');
    await get(app);
    expect(warnings()).toHaveLength(0);
    for (let i = 0; i < 5; i++) expect((await get(app, { 'x-forwarded-for': `203.0.113.${i}` })).statusCode).toBe(200);
    // the requests themselves were logged (the access log's completion lines), so the log was listening
    expect(lines.filter((line) => line.msg === 'request completed')).toHaveLength(6);
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]!.msg).toMatch(
      /^X-Forwarded-For received but VISITPAY_TRUST_PROXY is false: .*set VISITPAY_TRUST_PROXY/,
    );
    // nobody's address is written down
    expect(JSON.stringify(warnings())).not.toContain('203.0.113');
  });

  it('S9 a server told which proxy to trust says nothing about X-Forwarded-For', async () => {
    const { app, lines, warnings } = await appLogging('127.0.0.1');
    for (let i = 0; i < 3; i++) await get(app, { 'x-forwarded-for': '203.0.113.7' });
    expect(lines.filter((line) => line.msg === 'request completed')).toHaveLength(3);
    expect(warnings()).toHaveLength(0);
  });
});
