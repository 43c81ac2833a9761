import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ArrivedMail {
  rcptTo: string[];
  mail: ParsedMail;
}

/**
 * A real SMTP server on a local port that keeps every mail it accepts, for the tests of what
 * Visitpay sends. `refuse` answers a recipient with an SMTP error (a 5xx bounce, a 4xx "later"),
 * or undefined to take it.
 */
export async function startMailCatcher(
  options: { refuse?: (address: string) => { code: number; message: string } | undefined } = {},
) {
  const arrived: ArrivedMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const refusal = options.refuse?.(address.address);
      if (refusal) return callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          arrived.push({ rcptTo: session.envelope.rcptTo.map((r) => r.address), mail });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as { port: number }).port;
  return {
    arrived,
    port,
    /** SMTP_URL for this server, sending as salon@example.test */
    smtpUrl: `smtp://127.0.0.1:${port}?from=salon%40example.test`,
    close: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  };
}
