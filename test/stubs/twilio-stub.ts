import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

export interface StubSms {
  sid: string;
  accountSid: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  /** WhatsApp templates (Content API): the Content SID and the JSON of its variables */
  contentSid: string | null;
  contentVariables: string | null;
}

/**
 * A local server speaking the part of Twilio's REST API that sending an SMS uses:
 * `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` with HTTP Basic auth (Account SID and
 * Auth Token) and a form-encoded body (`To`, `From` or `MessagingServiceSid`, `Body`). It answers
 * 201 with a Message resource, or Twilio's error object `{code, message, more_info, status}`:
 * 20003 for bad credentials, 21211 for an invalid `To`, 21602 for a missing `Body`, and the
 * statuses it is told to fail with. WhatsApp (https://www.twilio.com/docs/content/send-templates-created-with-the-content-template-builder):
 * `To`/`From` as `whatsapp:+…` with `ContentSid` (HX…) and `ContentVariables` (a JSON object) in place of
 * `Body`; 63007 when `From` is not a WhatsApp sender, 21656 for variables that are not JSON.
 */
export async function startTwilioStub(account: { sid: string; token: string }) {
  const messages: StubSms[] = [];
  const failures: number[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const error = (status: number, code: number, message: string) =>
        answer(status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
      const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(req.url ?? '');
      if (req.method !== 'POST' || !match) return error(404, 20404, 'The requested resource was not found');
      const expected = `Basic ${Buffer.from(`${account.sid}:${account.token}`).toString('base64')}`;
      if (req.headers.authorization !== expected || decodeURIComponent(match[1]!) !== account.sid)
        return error(401, 20003, 'Authenticate');
      const failure = failures.shift();
      if (failure !== undefined)
        return error(
          failure,
          failure === 429 ? 20429 : 20500,
          failure === 429 ? 'Too Many Requests' : 'Internal Server Error',
        );
      if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded'))
        return error(400, 20001, 'Unsupported content type');
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const to = form.get('To') ?? '';
      if (!/^(whatsapp:)?\+[1-9]\d{6,14}$/.test(to))
        return error(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
      const contentSid = form.get('ContentSid');
      if (!form.get('Body') && !contentSid) return error(400, 21602, 'Message body is required.');
      if (contentSid && !/^HX[0-9a-f]{32}$/i.test(contentSid)) return error(400, 21655, 'The ContentSid is Invalid.');
      const variables = form.get('ContentVariables');
      if (variables !== null) {
        try {
          JSON.parse(variables);
        } catch {
          return error(400, 21656, 'The ContentVariables Parameter is invalid.');
        }
      }
      if (to.startsWith('whatsapp:') && form.get('From') !== null && !form.get('From')!.startsWith('whatsapp:'))
        return error(400, 63007, 'Twilio could not find a Channel with the specified From address');
      if (!form.get('From') && !form.get('MessagingServiceSid'))
        return error(400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required to send a message.");
      const sms: StubSms = {
        sid: `SM${randomBytes(16).toString('hex')}`,
        accountSid: account.sid,
        to,
        from: form.get('From'),
        messagingServiceSid: form.get('MessagingServiceSid'),
        body: form.get('Body') ?? '',
        contentSid,
        contentVariables: variables,
      };
      messages.push(sms);
      answer(201, {
        sid: sms.sid,
        account_sid: sms.accountSid,
        to: sms.to,
        from: sms.from,
        messaging_service_sid: sms.messagingServiceSid,
        body: sms.body,
        status: sms.messagingServiceSid ? 'accepted' : 'queued',
        direction: 'outbound-api',
        api_version: '2010-04-01',
        error_code: null,
        error_message: null,
        uri: `/2010-04-01/Accounts/${sms.accountSid}/Messages/${sms.sid}.json`,
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    messages,
    /** the next requests fail with these HTTP statuses, in order */
    failNext: (...statuses: number[]) => failures.push(...statuses),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
