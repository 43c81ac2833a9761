import type { App } from './types.js';

/**
 * S9: behind a proxy that Visitpay was not told about, every client shares the proxy's address, so
 * per-address rate limits and logs are wrong without any error to show it. The first request that
 * carries X-Forwarded-For says so in the log — once, as it is a setting to fix, not an event per
 * request (an app is built once per process). Neither the header nor any address is logged: they
 * may be clients' addresses.
 */
export function registerForwardedForWarning(app: App, trustProxy: string): void {
  if (trustProxy !== 'false') return;
  let warned = false;
  app.addHook('onRequest', (req, _reply, done) => {
    if (!warned && req.headers['x-forwarded-for'] !== undefined) {
      warned = true;
      app.log.warn(
        'X-Forwarded-For received but VISITPAY_TRUST_PROXY is false: every client appears with the address of the ' +
          'proxy in front, for rate limits and logs alike. Behind a proxy or load balancer, set VISITPAY_TRUST_PROXY ' +
          'to its addresses/CIDRs (or the number of proxy hops).',
      );
    }
    done();
  });
}
