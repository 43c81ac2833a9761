import { escapeHtml } from '../../../shared/html.js';
import { piecesOf, type Piece, type PlaceholderValues } from './placeholders.js';
import { renderPieces } from './render-template.js';
import { DEFAULT_ACTION } from './default-templates.js';
import type { MessageLocale } from './template-key.js';
import { mailAccent, mailBrandHeader, mailContactHtml, type MailBrand } from '../../branding/domain/mail-brand.js';

/** What the HTML email is made of: its text template, the values, and its language. */
export interface EmailHtmlInput {
  locale: MessageLocale;
  /** the rendered subject (the document's title) */
  subject: string;
  /** the text template the body is made from */
  template: string;
  values: PlaceholderValues;
  /** R39: the company's logo (absolute URL), accent colour for the button and contact line */
  brand?: MailBrand | undefined;
}

const STYLE = {
  body: 'margin:0;padding:24px;background:#f5f5f7;font-family:Arial,Helvetica,sans-serif;color:#1d1d1f',
  card: 'max-width:520px;margin:0 auto;background:#fff;border-radius:8px;padding:24px',
  header: 'margin:0 0 16px;font-size:14px;color:#6e6e73',
  paragraph: 'margin:0 0 12px;font-size:16px',
  note: 'margin:0 0 12px;font-size:13px;color:#6e6e73',
  button:
    'display:inline-block;background:#0a7c5a;color:#fff;text-decoration:none;padding:12px 20px;border-radius:6px;font-size:16px',
  url: 'margin:0 0 20px;font-size:13px;color:#6e6e73;word-break:break-all',
  urlLink: 'color:#0a5c8a',
} as const;

/**
 * The HTML email, made from the text template (R37): every value and every word escaped, blank
 * lines make paragraphs, the amount in bold, and the first line with `{link}` becomes the button
 * (its words before the link are the button's label) with the address under it; what follows the
 * button is set as small print. One function, so the look of every email is decided here.
 */
export function emailHtml(input: EmailHtmlInput): string {
  const e = escapeHtml;
  const { values } = input;
  const parts: string[] = [];
  let paragraph: string[] = [];
  let buttonDone = false;
  const flush = () => {
    if (paragraph.length > 0)
      parts.push(`<p style="${buttonDone ? STYLE.note : STYLE.paragraph}">${paragraph.join('<br>')}</p>`);
    paragraph = [];
  };
  for (const line of input.template.split('\n')) {
    const pieces = piecesOf(line);
    if (renderPieces(pieces, values).trim() === '') {
      flush();
      continue;
    }
    const linkAt = pieces.findIndex((p) => p.type === 'placeholder' && p.name === 'link');
    if (buttonDone || linkAt < 0) {
      paragraph.push(lineHtml(pieces, values));
      continue;
    }
    flush();
    const label = renderPieces(pieces.slice(0, linkAt), values)
      .trim()
      .replace(/[:：]$/, '')
      .trim();
    const url = e(values.link);
    parts.push(
      `<p style="margin:0 0 20px"><a href="${url}" style="${STYLE.button.replace('#0a7c5a', mailAccent(input.brand, '#0a7c5a'))}">${e(label || DEFAULT_ACTION[input.locale])}</a></p>`,
      `<p style="${STYLE.url}"><a href="${url}" style="${STYLE.urlLink}">${url}</a></p>`,
    );
    buttonDone = true;
    const after = pieces.slice(linkAt + 1);
    if (renderPieces(after, values).trim() !== '') paragraph.push(lineHtml(after, values));
  }
  flush();
  return (
    `<!doctype html><html lang="${input.locale}"><head><meta charset="utf-8"><title>${e(input.subject)}</title></head>` +
    `<body style="${STYLE.body}"><div style="${STYLE.card}">` +
    mailBrandHeader(values.companyName, input.brand) +
    parts.join('') +
    mailContactHtml(input.brand) +
    `</div></body></html>`
  );
}

/** One line's HTML: literal words escaped, the amount bold, any further link a plain anchor. */
function lineHtml(pieces: readonly Piece[], values: PlaceholderValues): string {
  let out = '';
  for (const piece of pieces) {
    if (piece.type !== 'placeholder') {
      out += escapeHtml(piece.text);
      continue;
    }
    const value = values[piece.name];
    if (value === '') out = out.replace(/[ \t]*,?[ \t]*$/, '');
    else if (piece.name === 'amount') out += `<strong>${escapeHtml(value)}</strong>`;
    else if (piece.name === 'link')
      out += `<a href="${escapeHtml(value)}" style="${STYLE.urlLink}">${escapeHtml(value)}</a>`;
    else out += escapeHtml(value);
  }
  return out;
}
