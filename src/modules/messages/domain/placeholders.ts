/** R37: the placeholders a template may hold, each replaced by one value when the message is rendered. */
export const PLACEHOLDERS = ['clientFirstName', 'companyName', 'date', 'time', 'staff', 'amount', 'link'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** The value of every placeholder for one message (already formatted in its language). */
export type PlaceholderValues = Record<Placeholder, string>;

export function isPlaceholder(name: string): name is Placeholder {
  return (PLACEHOLDERS as readonly string[]).includes(name);
}

/**
 * Anything in braces on one line is meant as a placeholder, so `{Link}` or `{ link }` is refused
 * as unknown rather than sent to the client as typed.
 */
const BRACED = /\{([^{}\n]{1,60})\}/g;

/** A template cut into literal text and placeholders; unknown names stay as `unknown` pieces. */
export type Piece =
  | { type: 'text'; text: string }
  | { type: 'placeholder'; name: Placeholder }
  | { type: 'unknown'; text: string; name: string };

export function piecesOf(template: string): Piece[] {
  const pieces: Piece[] = [];
  let at = 0;
  for (const match of template.matchAll(BRACED)) {
    const name = match[1]!;
    if (match.index > at) pieces.push({ type: 'text', text: template.slice(at, match.index) });
    pieces.push(isPlaceholder(name) ? { type: 'placeholder', name } : { type: 'unknown', text: match[0], name });
    at = match.index + match[0].length;
  }
  if (at < template.length) pieces.push({ type: 'text', text: template.slice(at) });
  return pieces;
}

/** The names in braces that are not placeholders, each once, in the order they appear. */
export function unknownPlaceholders(template: string): string[] {
  const names = piecesOf(template).flatMap((p) => (p.type === 'unknown' ? [p.name] : []));
  return [...new Set(names)];
}

export function usesPlaceholder(template: string, name: Placeholder): boolean {
  return piecesOf(template).some((p) => p.type === 'placeholder' && p.name === name);
}

/** A brace outside any `{name}`: most often a placeholder typed with one brace missing (`{link`). */
export function hasStrayBrace(template: string): boolean {
  return piecesOf(template).some((p) => p.type === 'text' && /[{}]/.test(p.text));
}
