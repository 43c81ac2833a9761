/**
 * R39: what a logo is, read from its bytes — never from its name or the type the uploader claims.
 * PNG, JPEG and WebP only (SVG can carry script and is never accepted); the header is parsed far
 * enough to know the pixel size, so a renamed text file or a truncated image is refused.
 *
 * Formats: PNG (ISO/IEC 15948, IHDR first), JPEG (ITU T.81, the SOFn segment), WebP (RIFF container,
 * VP8 / VP8L / VP8X chunk as in the WebP container specification).
 */
import type { LogoType } from '../../../shared/logo-path.js';

export type { LogoType };

export interface ImageHeader {
  type: LogoType;
  width: number;
  height: number;
}

export type ImageRefusal = 'not_an_image' | 'svg' | 'unreadable';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  if (bytes.length < at + prefix.length) return false;
  return prefix.every((b, i) => bytes[at + i] === b);
}

const ascii = (bytes: Uint8Array, at: number, length: number) =>
  String.fromCharCode(...bytes.subarray(at, at + length));

function png(b: Uint8Array): ImageHeader | undefined {
  // signature, then the IHDR chunk: length 13, type, width, height (big-endian)
  if (b.length < 33 || ascii(b, 12, 4) !== 'IHDR') return undefined;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return { type: 'image/png', width: view.getUint32(16), height: view.getUint32(20) };
}

// Start-of-frame markers carry the size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but do not.
const SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

function jpeg(b: Uint8Array): ImageHeader | undefined {
  let at = 2;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return undefined;
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return undefined; // end of image or scan data before any frame
    const length = (b[at + 2]! << 8) | b[at + 3]!;
    if (length < 2) return undefined;
    if (SOF.has(marker)) {
      if (at + 9 > b.length) return undefined;
      const height = (b[at + 5]! << 8) | b[at + 6]!;
      const width = (b[at + 7]! << 8) | b[at + 8]!;
      return { type: 'image/jpeg', width, height };
    }
    at += 2 + length;
  }
  return undefined;
}

function webp(b: Uint8Array): ImageHeader | undefined {
  if (b.length < 30 || ascii(b, 8, 4) !== 'WEBP') return undefined;
  const chunk = ascii(b, 12, 4);
  const u24 = (at: number) => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16);
  if (chunk === 'VP8X') return { type: 'image/webp', width: u24(24) + 1, height: u24(27) + 1 };
  if (chunk === 'VP8 ') {
    // the key frame's start code, then 14-bit width and height
    if (!startsWith(b, [0x9d, 0x01, 0x2a], 23)) return undefined;
    return { type: 'image/webp', width: (b[26]! | (b[27]! << 8)) & 0x3fff, height: (b[28]! | (b[29]! << 8)) & 0x3fff };
  }
  if (chunk === 'VP8L') {
    if (b[20] !== 0x2f) return undefined;
    const bits = b[21]! | (b[22]! << 8) | (b[23]! << 16) | (b[24]! << 24);
    return { type: 'image/webp', width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  return undefined;
}

/** SVG (or any XML/HTML) — said apart so the refusal can name it. */
function looksLikeMarkup(b: Uint8Array): boolean {
  const head = new TextDecoder('utf-8', { fatal: false })
    .decode(b.subarray(0, 512))
    .replace(/^\uFEFF/, '')
    .trimStart();
  return /^<(\?xml|svg|!doctype|!--|html)/i.test(head) || /<svg[\s>]/i.test(head);
}

/** The image's type and size from its bytes, or why it is not a logo Visitpay accepts. */
export function readImageHeader(bytes: Uint8Array): ImageHeader | ImageRefusal {
  let header: ImageHeader | undefined;
  if (startsWith(bytes, PNG_SIGNATURE)) header = png(bytes);
  else if (startsWith(bytes, [0xff, 0xd8, 0xff])) header = jpeg(bytes);
  else if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46])) header = webp(bytes);
  else return looksLikeMarkup(bytes) ? 'svg' : 'not_an_image';
  if (!header || header.width < 1 || header.height < 1) return 'unreadable';
  return header;
}
