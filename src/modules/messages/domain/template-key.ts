/** R37: what a template is for — the way it travels, what it says, and in which language. */
export const MESSAGE_CHANNELS = ['email', 'sms', 'whatsapp'] as const;
export type MessageChannel = (typeof MESSAGE_CHANNELS)[number];

/** `link`: the message that brings the payment link (R2); `reminder`: the automatic reminder (R35). */
export const MESSAGE_KINDS = ['link', 'reminder'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

export const MESSAGE_LOCALES = ['en', 'ru'] as const;
export type MessageLocale = (typeof MESSAGE_LOCALES)[number];

export interface TemplateKey {
  channel: MessageChannel;
  kind: MessageKind;
  locale: MessageLocale;
}

/** The words of a template: email has a subject, SMS and WhatsApp only a text. */
export interface TemplateText {
  /** email only */
  subject?: string | undefined;
  text: string;
}

/** The language a company's messages are written in: Russian for a company in Russia, English elsewhere. */
export function messageLocaleOf(country: string): MessageLocale {
  return country.toUpperCase() === 'RU' ? 'ru' : 'en';
}
