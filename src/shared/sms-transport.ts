import type { Config } from '../config.js';

export interface SmsMessage {
  /** E.164, e.g. +491701234567 */
  to: string;
  text: string;
}

/** Sends one SMS. The Twilio adapter below is the real one; tests point it at a local server speaking Twilio's API. */
export interface SmsTransport {
  send(message: SmsMessage): Promise<{ messageId: string }>;
}

/** The gateway refused the message, or could not be reached; `message` is fit to show staff. */
export class SmsSendError extends Error {
  constructor(
    message: string,
    /** Twilio's error code (21211: invalid To number, 21610: the recipient opted out …) */
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
export function twilioSms(options: { accountSid: string; authToken: string; from: string; apiUrl: string; timeoutMs?: number }): SmsTransport {
  const url = `${options.apiUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;
  const sender: Record<string, string> = MESSAGING_SERVICE.test(options.from) ? { MessagingServiceSid: options.from } : { From: options.from };
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
        throw new SmsSendError(`Twilio could not be reached: ${error instanceof Error ? error.message : String(error)}`);
      }
      const body = (await res.json().catch(() => ({}))) as { sid?: string; code?: number; message?: string };
      if (res.status === 201 || res.status === 200) return { messageId: String(body.sid ?? '') };
      throw new SmsSendError(`Twilio refused the message (HTTP ${res.status}${body.code ? `, error ${body.code}` : ''}): ${body.message ?? 'no message'}`, body.code);
    },
  };
}

/** The server's SMS gateway, when the operator configured one (TWILIO_*). */
export function smsTransportOf(config: Config): SmsTransport | undefined {
  if (!config.TWILIO_ACCOUNT_SID || !config.TWILIO_AUTH_TOKEN || !config.TWILIO_FROM) return undefined;
  return twilioSms({ accountSid: config.TWILIO_ACCOUNT_SID, authToken: config.TWILIO_AUTH_TOKEN, from: config.TWILIO_FROM, apiUrl: config.VISITPAY_TWILIO_API_URL });
}
