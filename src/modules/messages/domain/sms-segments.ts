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
  let septets = 0;
  for (const char of text) {
    if (GSM_BASIC.includes(char)) septets += 1;
    else if (GSM_EXTENSION.includes(char)) septets += 2;
    else return split('ucs2', text.length, 70, 67);
  }
  return split('gsm7', septets, 160, 153);
}

function split(encoding: SmsEncoding, units: number, single: number, multi: number): SmsSegments {
  if (units <= single) return { encoding, units, segments: units === 0 ? 0 : 1, perSegment: single };
  return { encoding, units, segments: Math.ceil(units / multi), perSegment: multi };
}
