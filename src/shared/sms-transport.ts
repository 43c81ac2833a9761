import type { Config } from '../config.js';

export interface SmsMessage {
  /** E.164, e.g. +491701234567 */
  to: string;
  text: string;
}

/** Sends one SMS. The Twilio and SMS.ru adapters below are the real ones; tests point them at local servers speaking their APIs. */
export interface SmsTransport {
  send(message: SmsMessage): Promise<{ messageId: string }>;
}

/** The gateway refused the message, or could not be reached; `message` is fit to show staff. */
export class SmsSendError extends Error {
  constructor(
    message: string,
    /** the gateway's error code (Twilio 21211: invalid To number; SMS.ru 207: the number may not be sent to …) */
    readonly code?: number,
  ) {
    super(message);
    this.name = 'SmsSendError';
  }
}

/** Twilio Messaging Service SIDs stand where a sender would: `MessagingServiceSid` instead of `From`. */
const MESSAGING_SERVICE = /^MG[0-9a-fA-F]{32}$/;

/**
 * Twilio's Messages API: `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, HTTP Basic auth
 * (Account SID : Auth Token), form-encoded `To`, `From` (or `MessagingServiceSid`) and `Body`;
 * 201 with the Message resource (`sid` SM…), else an error object `{code, message, more_info, status}`.
 */
export function twilioSms(options: {
  accountSid: string;
  authToken: string;
  from: string;
  apiUrl: string;
  timeoutMs?: number;
}): SmsTransport {
  const url = `${options.apiUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;
  const sender: Record<string, string> = MESSAGING_SERVICE.test(options.from)
    ? { MessagingServiceSid: options.from }
    : { From: options.from };
  return {
    async send(message) {
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: new URLSearchParams({ To: message.to, ...sender, Body: message.text }).toString(),
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
      } catch (error) {
        throw new SmsSendError(
          `Twilio could not be reached: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      const body = (await res.json().catch(() => ({}))) as { sid?: string; code?: number; message?: string };
      if (res.status === 201 || res.status === 200) return { messageId: String(body.sid ?? '') };
      throw new SmsSendError(
        `Twilio refused the message (HTTP ${res.status}${body.code ? `, error ${body.code}` : ''}): ${body.message ?? 'no message'}`,
        body.code,
      );
    },
  };
}

interface SmsRuAnswer {
  status?: string;
  status_code?: number;
  status_text?: string;
  sms?: Record<string, { status?: string; status_code?: number; status_text?: string; sms_id?: string }>;
}

/**
 * SMS.ru's HTTP API: `POST /sms/send` with a form body (`api_id`, `to` as digits without `+`,
 * `msg`, optional `from`, `json=1`). It answers HTTP 200 either way; the outcome is in the JSON:
 * `status` "OK" with `status_code` 100 for the request and for each number under `sms`, else
 * "ERROR" with a code and a Russian `status_text` (200: wrong api_id, 202: bad number, 207: the
 * number may not be sent to …).
 */
export function smsRuSms(options: {
  apiId: string;
  from?: string | undefined;
  apiUrl: string;
  timeoutMs?: number;
}): SmsTransport {
  const url = `${options.apiUrl.replace(/\/+$/, '')}/sms/send`;
  return {
    async send(message) {
      const to = message.to.replace(/^\+/, '');
      const form = new URLSearchParams({
        api_id: options.apiId,
        to,
        msg: message.text,
        json: '1',
        ...(options.from ? { from: options.from } : {}),
      });
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: form.toString(),
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
      } catch (error) {
        throw new SmsSendError(
          `SMS.ru could not be reached: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      const body = (await res.json().catch(() => ({}))) as SmsRuAnswer;
      const one = body.sms?.[to];
      if (res.ok && body.status === 'OK' && one?.status === 'OK' && one.sms_id) return { messageId: one.sms_id };
      const failed = one && one.status !== 'OK' ? one : body;
      const code = failed.status_code;
      throw new SmsSendError(
        `SMS.ru refused the message (HTTP ${res.status}${code ? `, code ${code}` : ''}): ${failed.status_text ?? 'no reason given'}`,
        code,
      );
    },
  };
}

/** The server's SMS gateway, when the operator configured one (TWILIO_* or SMSRU_API_ID). */
export function smsTransportOf(config: Config): SmsTransport | undefined {
  if (config.SMSRU_API_ID)
    return smsRuSms({ apiId: config.SMSRU_API_ID, from: config.SMSRU_FROM, apiUrl: config.VISITPAY_SMSRU_API_URL });
  if (!config.TWILIO_ACCOUNT_SID || !config.TWILIO_AUTH_TOKEN || !config.TWILIO_FROM) return undefined;
  return twilioSms({
    accountSid: config.TWILIO_ACCOUNT_SID,
    authToken: config.TWILIO_AUTH_TOKEN,
    from: config.TWILIO_FROM,
    apiUrl: config.VISITPAY_TWILIO_API_URL,
  });
}
