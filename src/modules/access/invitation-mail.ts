import { mailLocaleOf, type MailLocale } from '../links/index.js';
import { escapeHtml } from '../../shared/html.js';

/** What the invitation email says: who invites, to which company, and the link to accept. */
export interface InvitationMailInput {
  companyName: string;
  country: string;
  inviterName: string;
  url: string;
  expiresAt: Date;
}

const WORDS: Record<
  MailLocale,
  { subject: (c: string) => string; body: (i: InvitationMailInput, until: string) => string[] }
> = {
  en: {
    subject: (company) => `You are invited to ${company} on Visitpay`,
    body: (i, until) => [
      `${i.inviterName} invites you to join ${i.companyName} on Visitpay.`,
      '',
      `Accept the invitation (and choose your password, if you are new to Visitpay): ${i.url}`,
      '',
      `The link works until ${until}. If you did not expect this message, ignore it: nothing happens until you accept.`,
    ],
  },
  ru: {
    subject: (company) => `Приглашение в ${company} в Visitpay`,
    body: (i, until) => [
      `${i.inviterName} приглашает вас в ${i.companyName} в Visitpay.`,
      '',
      `Принять приглашение (и выбрать пароль, если вы впервые в Visitpay): ${i.url}`,
      '',
      `Ссылка действует до ${until}. Если вы не ждали этого письма, просто не обращайте на него внимания: без вашего согласия ничего не произойдёт.`,
    ],
  },
};

export function renderInvitationMail(input: InvitationMailInput) {
  const locale = mailLocaleOf(input.country);
  const until = `${new Intl.DateTimeFormat(locale === 'ru' ? 'ru-RU' : 'en-GB', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'UTC',
  }).format(input.expiresAt)} UTC`;
  const lines = WORDS[locale].body(input, until);
  const html = `<!doctype html><html lang="${locale}"><body style="font-family:Arial,Helvetica,sans-serif">${lines
    .filter(Boolean)
    .map(
      (line) =>
        `<p>${escapeHtml(line).replace(escapeHtml(input.url), `<a href="${escapeHtml(input.url)}">${escapeHtml(input.url)}</a>`)}</p>`,
    )
    .join('')}</body></html>`;
  return { subject: WORDS[locale].subject(input.companyName), text: lines.join('\n'), html };
}
