import { piecesOf, type Piece, type PlaceholderValues } from './placeholders.js';

/**
 * Fills a template's placeholders (R37), in one pass: a value is never read as a template itself.
 * A placeholder whose value is empty takes the comma and spaces before it along
 * ("Hello, {clientFirstName}!" → "Hello!" for a client without a name). Text in braces that is not
 * a placeholder stays as written (validation refuses it before a template is saved).
 */
export function renderTemplate(template: string, values: PlaceholderValues): string {
  return renderPieces(piecesOf(template), values);
}

export function renderPieces(pieces: readonly Piece[], values: PlaceholderValues): string {
  let out = '';
  for (const piece of pieces) {
    if (piece.type !== 'placeholder') out += piece.text;
    else if (values[piece.name] === '') out = out.replace(/[ \t]*,?[ \t]*$/, '');
    else out += values[piece.name];
  }
  return out;
}
