import { DomainError } from '../shared/errors.js';
import type { App } from './types.js';

// Bodies a plain HTML form can send across sites without asking (no CORS preflight).
const FORM_TYPES = /^\s*(application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)\b/i;

/**
 * The API takes JSON only. HTML forms (the pay page, the sandbox bank) post urlencoded bodies, so
 * the form parser is registered app-wide; without this, any site could auto-submit a form to
 * `/api/v1/auth/login` or `/api/v1/invitations/accept` and sign a visitor into an account of its
 * choosing (login CSRF). A JSON body from another site needs a CORS preflight, which Visitpay never
 * grants; and a browser that says the request is cross-site is refused outright.
 */
export function registerJsonOnlyApi(app: App): void {
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/') || req.method === 'GET' || req.method === 'HEAD') return;
    const type = req.headers['content-type'];
    if (typeof type === 'string' && FORM_TYPES.test(type)) {
      throw new DomainError('unsupported_media_type', 'Send the body as application/json');
    }
    if (req.headers['sec-fetch-site'] === 'cross-site') {
      throw new DomainError('forbidden', 'Requests from other sites are refused', { right: 'same-site' });
    }
  });
}
