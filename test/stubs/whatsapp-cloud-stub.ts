import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubWhatsAppMessage {
  id: string;
  version: string;
  phoneNumberId: string;
  to: string;
  template: string;
  language: string;
  params: string[];
}

/**
 * A local server speaking the part of Meta's WhatsApp Business Cloud API that sending a template
 * message uses (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages):
 * `POST /{version}/{phone-number-id}/messages` with `Authorization: Bearer <token>` and a JSON
 * body `{messaging_product: "whatsapp", to, type: "template", template: {name, language: {code},
 * components: [{type: "body", parameters: [{type: "text", text}]}]}}`. It answers 200
 * `{messaging_product, contacts: [{input, wa_id}], messages: [{id: "wamid…"}]}`, or a Graph API
 * error `{error: {message, type, code, error_data: {messaging_product, details}, fbtrace_id}}`
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes): 190 for a bad
 * token (401), 100 for a malformed request, 132001 for a template or translation it does not
 * know, 132000 for a wrong number of parameters, 131030 for a recipient not on its allowed list,
 * 132018 for a parameter with a new line, and the codes it is told to fail with.
 */
export async function startWhatsAppCloudStub(account: {
  token: string;
  phoneNumberId: string;
  /** registered templates: name → language code → number of body parameters */
  templates: Record<string, Record<string, number>>;
  /** recipients (digits) the test number may not message */
  blocked?: string[];
}) {
  const messages: StubWhatsAppMessage[] = [];
  const failures: { status: number; code: number; message: string }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const error = (status: number, code: number, message: string, details = message) =>
        answer(status, {
          error: {
            message: `(#${code}) ${message}`,
            type: 'OAuthException',
            code,
            error_data: { messaging_product: 'whatsapp', details },
            fbtrace_id: `A${randomBytes(8).toString('hex')}`,
          },
        });
      const match = /^\/(v\d+\.\d+)\/([^/]+)\/messages$/.exec(req.url ?? '');
      if (req.method !== 'POST' || !match)
        return error(400, 100, 'Unsupported post request', 'Object does not exist or does not support this operation');
      if (req.headers.authorization !== `Bearer ${account.token}`)
        return error(401, 190, 'Invalid OAuth access token - Cannot parse access token');
      if (match[2] !== account.phoneNumberId)
        return error(
          400,
          100,
          'Invalid parameter',
          `Unsupported post request. Object with ID '${match[2]}' does not exist`,
        );
      const failure = failures.shift();
      if (failure) return error(failure.status, failure.code, failure.message);
      if (!(req.headers['content-type'] ?? '').startsWith('application/json'))
        return error(400, 100, 'Invalid parameter', 'the body must be JSON');
      let body: {
        messaging_product?: string;
        to?: string;
        type?: string;
        template?: {
          name?: string;
          language?: { code?: string };
          components?: { type?: string; parameters?: { type?: string; text?: string }[] }[];
        };
      };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return error(400, 100, 'Invalid parameter', 'the body is not valid JSON');
      }
      if (body.messaging_product !== 'whatsapp')
        return error(400, 100, 'Invalid parameter', 'messaging_product must be whatsapp');
      if (body.type !== 'template' || !body.template)
        return error(400, 100, 'Invalid parameter', 'type must be template with a template object');
      const to = (body.to ?? '').replace(/^\+/, '');
      if (!/^[1-9]\d{6,14}$/.test(to))
        return error(400, 100, 'Invalid parameter', `the to number ${body.to} is invalid`);
      if (account.blocked?.includes(to))
        return error(
          400,
          131030,
          'Recipient phone number not in allowed list',
          'Add recipient phone number to recipient list and try again.',
        );
      const name = body.template.name ?? '';
      const language = body.template.language?.code ?? '';
      const expected = account.templates[name]?.[language];
      if (expected === undefined)
        return error(
          404,
          132001,
          'Template name does not exist in the translation',
          `template name (${name}) does not exist in ${language}`,
        );
      const components = body.template.components ?? [];
      const bodyComponent = components.find((c) => c.type === 'body');
      const parameters = bodyComponent?.parameters ?? [];
      if (parameters.some((p) => p.type !== 'text' || typeof p.text !== 'string' || p.text === ''))
        return error(400, 100, 'Invalid parameter', 'each body parameter must be {type: "text", text} with a text');
      if (parameters.some((p) => /[\n\t]| {5,}/.test(p.text!)))
        return error(
          400,
          132018,
          'There was an issue with the parameters in your template.',
          'Param text cannot have new-line/tab characters or more than 4 consecutive spaces',
        );
      if (parameters.length !== expected)
        return error(
          400,
          132000,
          'Number of parameters does not match the expected number of params',
          `body: number of localizable_params (${parameters.length}) does not match the expected number of params (${expected})`,
        );
      const message: StubWhatsAppMessage = {
        id: `wamid.${randomBytes(24).toString('base64url')}`,
        version: match[1]!,
        phoneNumberId: match[2]!,
        to: body.to!,
        template: name,
        language,
        params: parameters.map((p) => p.text!),
      };
      messages.push(message);
      answer(200, {
        messaging_product: 'whatsapp',
        contacts: [{ input: body.to, wa_id: to }],
        messages: [{ id: message.id, message_status: 'accepted' }],
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    messages,
    /** the next requests fail with these Graph API errors, in order */
    failNext: (...errors: { status: number; code: number; message: string }[]) => failures.push(...errors),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
