/**
 * How many SMS parts a text costs (R37). GSM 03.38: the 7-bit alphabet fits 160 characters in one
 * part and 153 in each part of a longer message; a character of its extension table (`{`, `€` …)
 * takes two. Any other character (Cyrillic, most emoji) sends the whole message as UCS-2: 70 UTF-16
 * units in one part, 67 in each part of a longer one.
 */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '\f^{}\\[~]|€';

export type SmsEncoding = 'gsm7' | 'ucs2';

export interface SmsSegments {
  encoding: SmsEncoding;
  /** septets (GSM-7) or UTF-16 units (UCS-2) the text takes */
  units: number;
  segments: number;
  /** units one part holds at this length (160/153 or 70/67) */
  perSegment: number;
}

export function smsSegments(text: string): SmsSegments {
  // each character's cost in units: septets (GSM-7) or UTF-16 units (UCS-2); a character is never split across parts
  const gsm: number[] = [];
  for (const char of text) {
    if (GSM_BASIC.includes(char)) gsm.push(1);
    else if (GSM_EXTENSION.includes(char)) gsm.push(2);
    else
      return split(
        'ucs2',
        Array.from(text, (c) => c.length),
        70,
        67,
      );
  }
  return split('gsm7', gsm, 160, 153);
}

/**
 * Parts filled one at a time: an extension character (ESC and its septet) or a surrogate pair (an
 * emoji) that does not fit in what is left of a part starts the next one.
 */
function split(encoding: SmsEncoding, costs: readonly number[], single: number, multi: number): SmsSegments {
  const units = costs.reduce((sum, cost) => sum + cost, 0);
  if (units <= single) return { encoding, units, segments: units === 0 ? 0 : 1, perSegment: single };
  let segments = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > multi) {
      segments += 1;
      used = 0;
    }
    used += cost;
  }
  return { encoding, units, segments, perSegment: multi };
}
