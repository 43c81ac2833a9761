import type { Transporter } from 'nodemailer';

export interface MailMessage {
  /** display name of the sender; the address comes from the transport */
  fromName: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Sends one email. The SMTP adapter below is the real one; tests point it at a local SMTP server. */
export interface MailTransport {
  send(message: MailMessage): Promise<{ messageId: string }>;
  close(): void;
}

/**
 * nodemailer over `SMTP_URL` (smtp:// or smtps://, user and password in the URL). The sender
 * address is the URL's `from` parameter, else its user name when that is an address.
 */
export function smtpTransport(smtpUrl: string): MailTransport {
  const url = new URL(smtpUrl);
  const user = decodeURIComponent(url.username);
  const fromAddress = url.searchParams.get('from') ?? (user.includes('@') ? user : 'visitpay@localhost');
  url.searchParams.delete('from');
  // Timeouts short enough that a dead mail server answers the staff member instead of hanging the request.
  // nodemailer is loaded with the first message: most processes never send one
  let transporter: Promise<Transporter> | undefined;
  const connect = () =>
    (transporter ??= import('nodemailer').then((m) =>
      m.default.createTransport({
        url: url.toString(),
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 20_000,
      }),
    ));
  return {
    async send(message) {
      const info = await (await connect()).sendMail({
        from: { name: message.fromName, address: fromAddress },
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
      });
      return { messageId: String(info.messageId ?? '') };
    },
    close: () => void transporter?.then((t) => t.close()),
  };
}
