import type { Config } from '../config.js';
import type { OutboundGuard } from './outbound/outbound-guard.js';
import { requestGuarded } from './outbound/guarded-request.js';

/** The languages Visitpay writes to clients in; each maps to one registered translation of the template. */
export type WhatsAppLocale = 'en' | 'ru';

export interface WhatsAppMessage {
  /** E.164, e.g. +491701234567 */
  to: string;
  /** which translation of the approved template goes out */
  locale: WhatsAppLocale;
  /** the template's body parameters {{1}}, {{2}} … in order (docs/messaging.md names them) */
  params: string[];
}

/**
 * Sends one WhatsApp template message (R36). WhatsApp lets a business open a conversation only
 * with a template approved beforehand, so the message is the template's parameters, not free
 * text. The Cloud API and Twilio adapters below are the real ones; tests point them at local
 * servers speaking their APIs.
 */
export interface WhatsAppTransport {
  /** the languages a template is configured for: a message in another one is refused before anything is sent */
  readonly locales: readonly WhatsAppLocale[];
  send(message: WhatsAppMessage): Promise<{ messageId: string }>;
}

/** The sender refused the message, or could not be reached; `message` is fit to show staff. */
export class WhatsAppSendError extends Error {
  constructor(
    message: string,
    /** the provider's error code (Cloud API 131026: message undeliverable, 132001: template missing; Twilio 63016 …) */
    readonly code?: number,
  ) {
    super(message);
    this.name = 'WhatsAppSendError';
  }
}

/** Meta refuses a text parameter with a new line, a tab or more than four spaces in a row (error 132018). */
const oneLine = (text: string) =>
  text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

interface CloudApiAnswer {
  messages?: { id?: string }[];
  error?: {
    message?: string;
    type?: string;
    code?: number;
    error_subcode?: number;
    error_data?: { details?: string };
    fbtrace_id?: string;
  };
}

/**
 * Meta's WhatsApp Business Cloud API, "send a message template":
 * `POST https://graph.facebook.com/{version}/{phone-number-id}/messages` with `Authorization: Bearer <token>` and
 * `{messaging_product: "whatsapp", recipient_type: "individual", to, type: "template",
 *   template: {name, language: {code}, components: [{type: "body", parameters: [{type: "text", text}, …]}]}}`.
 * Success is 200 `{messaging_product, contacts: [{input, wa_id}], messages: [{id: "wamid…"}]}`; failure is a Graph
 * API error `{error: {message, type, code, error_data: {messaging_product, details}, error_subcode, fbtrace_id}}`.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages
 * https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates
 * https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes
 * Template language codes (en, en_GB, ru …): https://developers.facebook.com/docs/whatsapp/api/messages/message-templates
 */
export function cloudApiWhatsApp(options: {
  token: string;
  phoneNumberId: string;
  template: string;
  languages: Record<WhatsAppLocale, string>;
  apiVersion: string;
  apiUrl: string;
  outbound: OutboundGuard;
  timeoutMs?: number;
}): WhatsAppTransport {
  const url = `${options.apiUrl.replace(/\/+$/, '')}/${options.apiVersion}/${encodeURIComponent(options.phoneNumberId)}/messages`;
  return {
    locales: ['en', 'ru'],
    async send(message) {
      const body = {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: message.to,
        type: 'template',
        template: {
          name: options.template,
          language: { code: options.languages[message.locale] },
          components: [
            { type: 'body', parameters: message.params.map((text) => ({ type: 'text', text: oneLine(text) })) },
          ],
        },
      };
      let res: { status: number; body: string };
      try {
        res = await requestGuarded(options.outbound, {
          url,
          headers: {
            authorization: `Bearer ${options.token}`,
            'content-type': 'application/json',
            accept: 'application/json',
          },
          body: JSON.stringify(body),
          timeoutMs: options.timeoutMs ?? 10_000,
        });
      } catch (error) {
        throw new WhatsAppSendError(`the WhatsApp Cloud API could not be reached: ${reason(error)}`);
      }
      const answer = parseJson<CloudApiAnswer>(res.body);
      const id = answer.messages?.[0]?.id;
      if (res.status >= 200 && res.status < 300 && id) return { messageId: id };
      const error = answer.error;
      const details = error?.error_data?.details;
      throw new WhatsAppSendError(
        withoutSecret(
          `WhatsApp refused the message (HTTP ${res.status}${error?.code ? `, error ${error.code}` : ''}): ${error?.message ?? 'no message'}${details ? ` — ${details}` : ''}`,
          options.token,
        ),
        error?.code,
      );
    },
  };
}

/** Twilio Messaging Service SIDs stand where a sender would: `MessagingServiceSid` instead of `From`. */
const MESSAGING_SERVICE = /^MG[0-9a-fA-F]{32}$/;

/**
 * Twilio's WhatsApp sender, through the Messages API that SMS uses:
 * `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, HTTP Basic auth, form-encoded
 * `To=whatsapp:+…`, `From=whatsapp:+…` (or `MessagingServiceSid`), `ContentSid=HX…` (a Content
 * Template approved for WhatsApp) and `ContentVariables` (a JSON string `{"1": "…", "2": "…"}`);
 * 201 with the Message resource, else `{code, message, more_info, status}`.
 * https://www.twilio.com/docs/content/send-templates-created-with-the-content-template-builder
 * https://www.twilio.com/docs/whatsapp/tutorial/send-whatsapp-notification-messages-templates
 * https://www.twilio.com/en-us/changelog/content-templates-messaging-services-optional
 */
export function twilioWhatsApp(options: {
  accountSid: string;
  authToken: string;
  from: string;
  contentSids: Partial<Record<WhatsAppLocale, string>>;
  apiUrl: string;
  outbound: OutboundGuard;
  timeoutMs?: number;
}): WhatsAppTransport {
  const url = `${options.apiUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;
  const sender: Record<string, string> = MESSAGING_SERVICE.test(options.from)
    ? { MessagingServiceSid: options.from }
    : { From: options.from };
  return {
    locales: (['en', 'ru'] as const).filter((locale) => options.contentSids[locale] !== undefined),
    async send(message) {
      const contentSid = options.contentSids[message.locale];
      if (!contentSid) throw new WhatsAppSendError(`no WhatsApp template is configured for ${message.locale}`);
      const variables = Object.fromEntries(message.params.map((text, i) => [String(i + 1), oneLine(text)]));
      let res: { status: number; body: string };
      try {
        res = await requestGuarded(options.outbound, {
          url,
          headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: new URLSearchParams({
            To: `whatsapp:${message.to}`,
            ...sender,
            ContentSid: contentSid,
            ContentVariables: JSON.stringify(variables),
          }).toString(),
          timeoutMs: options.timeoutMs ?? 10_000,
        });
      } catch (error) {
        throw new WhatsAppSendError(`Twilio could not be reached: ${reason(error)}`);
      }
      const body = parseJson<{ sid?: string; code?: number; message?: string }>(res.body);
      if ((res.status === 201 || res.status === 200) && body.sid) return { messageId: body.sid };
      throw new WhatsAppSendError(
        withoutSecret(
          `Twilio refused the WhatsApp message (HTTP ${res.status}${body.code ? `, error ${body.code}` : ''}): ${body.message ?? 'no message'}`,
          options.authToken,
        ),
        body.code,
      );
    },
  };
}

/** The provider's words are shown to staff: a credential it echoes back (a malformed-token error does) is masked. */
function withoutSecret(text: string, secret: string): string {
  return secret.length >= 8 ? text.split(secret).join('[credential]') : text;
}

function parseJson<T>(text: string): Partial<T> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Partial<T>) : {};
  } catch {
    return {};
  }
}

/** The server's WhatsApp sender, when the operator configured one (WHATSAPP_TOKEN… or TWILIO_WHATSAPP_*). */
export function whatsAppTransportOf(config: Config, outbound: OutboundGuard): WhatsAppTransport | undefined {
  if (config.WHATSAPP_TOKEN && config.WHATSAPP_PHONE_NUMBER_ID)
    return cloudApiWhatsApp({
      token: config.WHATSAPP_TOKEN,
      phoneNumberId: config.WHATSAPP_PHONE_NUMBER_ID,
      template: config.WHATSAPP_TEMPLATE,
      languages: { en: config.WHATSAPP_TEMPLATE_LANGUAGE_EN, ru: config.WHATSAPP_TEMPLATE_LANGUAGE_RU },
      apiVersion: config.WHATSAPP_API_VERSION,
      apiUrl: config.VISITPAY_WHATSAPP_API_URL,
      outbound,
    });
  if (
    config.TWILIO_ACCOUNT_SID &&
    config.TWILIO_AUTH_TOKEN &&
    config.TWILIO_WHATSAPP_FROM &&
    config.TWILIO_WHATSAPP_CONTENT_SID
  )
    return twilioWhatsApp({
      accountSid: config.TWILIO_ACCOUNT_SID,
      authToken: config.TWILIO_AUTH_TOKEN,
      from: config.TWILIO_WHATSAPP_FROM,
      contentSids: { en: config.TWILIO_WHATSAPP_CONTENT_SID, ru: config.TWILIO_WHATSAPP_CONTENT_SID_RU },
      apiUrl: config.VISITPAY_TWILIO_API_URL,
      outbound,
    });
  return undefined;
}
