import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubSmsRu {
  smsId: string;
  to: string;
  msg: string;
  from: string | null;
}

/**
 * A local server speaking SMS.ru's `POST /sms/send` (form body `api_id`, `to`, `msg`, `from`,
 * `json=1`). Like SMS.ru it answers HTTP 200 either way, with the outcome in the JSON: status
 * "OK"/100 for the request and for each number, or "ERROR" with a code and a Russian text —
 * 200 for a wrong api_id, 202 for a malformed number, 207 for a number it may not send to.
 */
export async function startSmsRuStub(apiId: string, options: { blocked?: string[] } = {}) {
  const messages: StubSmsRu[] = [];
  let next = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const answer = (body: unknown) => {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'POST' || req.url !== '/sms/send' || form.get('json') !== '1')
        return answer({ status: 'ERROR', status_code: 100, status_text: 'Метод не найден' });
      if (form.get('api_id') !== apiId)
        return answer({ status: 'ERROR', status_code: 200, status_text: 'Неправильный api_id' });
      const to = form.get('to') ?? '';
      const msg = form.get('msg') ?? '';
      if (!msg) return answer({ status: 'ERROR', status_code: 203, status_text: 'Нет текста сообщения' });
      let one: Record<string, unknown>;
      if (!/^\d{10,15}$/.test(to))
        one = {
          status: 'ERROR',
          status_code: 202,
          status_text: 'Неправильно указан номер телефона получателя, либо на него нет маршрута',
        };
      else if (options.blocked?.includes(to))
        one = { status: 'ERROR', status_code: 207, status_text: 'На этот номер нельзя отправлять сообщения' };
      else {
        const smsId = `${String(100000 + next).padStart(6, '0')}-${String(1000000 + ++next)}`;
        messages.push({ smsId, to, msg, from: form.get('from') });
        one = { status: 'OK', status_code: 100, sms_id: smsId };
      }
      answer({ status: 'OK', status_code: 100, sms: { [to]: one }, balance: 4122.56 });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    messages,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
