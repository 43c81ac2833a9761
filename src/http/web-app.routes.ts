import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { App } from './types.js';

/** Where `npm run build` puts the admin app. */
export const DEFAULT_WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** Paths the server owns: an unknown path under one of them is a 404, never the admin app. */
const SERVER_PREFIXES = ['/api', '/pay', '/webhooks', '/sandbox', '/docs', '/metrics', '/healthz', '/readyz'];

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Visitpay</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem">
<h1>Visitpay</h1>
<p>The admin app is not built yet. Run <code>npm run build</code> (or start Visitpay with <code>npm start</code>, which builds it first) and reload this page.</p>
<p>The API answers meanwhile: <a href="/docs">API docs</a>.</p>
</body></html>`;

function isServerPath(pathname: string): boolean {
  return SERVER_PREFIXES.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}

/**
 * Serves the admin app (web/dist) at `/`: hashed assets cached for good, every other GET outside
 * the server's own paths answered with index.html so the app's router can take it. Without a
 * build, `/` explains how to make one and the API keeps working.
 */
export async function registerWebApp(app: App, distDir: string = DEFAULT_WEB_DIST): Promise<void> {
  await app.register(fastifyStatic, { root: distDir, serve: false, suppressWarning: true });

  app.get('/*', { config: { access: 'public' }, schema: { hide: true } }, async (req, reply) => {
    const pathname = req.url.split('?', 1)[0] ?? '/';
    if (isServerPath(pathname)) return reply.callNotFound();
    if (!existsSync(`${distDir}/index.html`)) {
      return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(NOT_BUILT_PAGE);
    }
    if (pathname.startsWith('/assets/')) {
      // file names carry a content hash: a new build gets new names
      return reply.sendFile(pathname.slice(1), distDir, { maxAge: '365d', immutable: true });
    }
    // A path that names a file (favicon.svg) is served or missing; anything else is a screen of the app.
    const last = pathname.slice(pathname.lastIndexOf('/') + 1);
    const file = last.includes('.') ? pathname.slice(1) : 'index.html';
    return reply.header('cache-control', 'no-cache').sendFile(file, distDir, { cacheControl: false });
  });
}
