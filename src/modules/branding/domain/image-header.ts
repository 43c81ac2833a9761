/**
 * R39: what a logo is, read from its bytes — never from its name or the type the uploader claims.
 * PNG, JPEG and WebP only (SVG can carry script and is never accepted). The logo is served from our
 * own origin with a year's immutable cache, so the whole file is walked, not only its header: every
 * byte must belong to the format's structure, and anything left over (an HTML page glued behind a
 * PNG signature, a cut-off file, a header with no image data) is refused. Pixels are not decoded.
 *
 * Formats:
 * - PNG: W3C Portable Network Graphics (PNG) Specification (ISO/IEC 15948) — §5.2 signature, §5.3 chunk
 *   layout and CRC-32, §5.4/5.6 critical chunks and their order, §11.2.2 IHDR, §11.2.4 IEND.
 * - JPEG: ITU-T T.81 (JFIF files) Annex B — B.1.1.2/B.1.1.3 markers and fill bytes, B.1.1.4 marker
 *   segment lengths, B.2.2 frame header (SOFn), B.2.3 scan header (SOS), B.1.1.5 entropy-coded data
 *   with byte stuffing (FF 00) and RSTn; a file is SOI … EOI.
 * - WebP: Google's WebP Container Specification (RIFF) — the RIFF size is the file length less 8, chunk
 *   payloads are padded to an even length, the simple formats are one 'VP8 ' or 'VP8L' chunk, the
 *   extended format starts with 'VP8X' (canvas size less one, 24-bit); the VP8 key-frame header
 *   (RFC 6386 §9.1: frame tag, start code 9d 01 2a, 14-bit sizes) and the VP8L header (WebP Lossless
 *   Bitstream Specification: signature 0x2f, 14-bit sizes less one, version 0).
 */
import type { LogoType } from '../../../shared/logo-path.js';

export type { LogoType };

export interface ImageHeader {
  type: LogoType;
  width: number;
  height: number;
}

export type ImageRefusal = 'not_an_image' | 'svg' | 'unreadable';

type Size = { width: number; height: number };

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  if (bytes.length < at + prefix.length) return false;
  return prefix.every((b, i) => bytes[at + i] === b);
}

const ascii = (bytes: Uint8Array, at: number, length: number) =>
  String.fromCharCode(...bytes.subarray(at, at + length));

const u16be = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
const u32be = (b: Uint8Array, at: number) =>
  ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
const u16le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const u24le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16);
const u32le = (b: Uint8Array, at: number) => (u24le(b, at) | (b[at + 3]! << 24)) >>> 0;

// ---------------------------------------------------------------------------------------------- PNG

/** CRC-32 as PNG §5.5 and Annex D define it (polynomial edb88320, reflected, initial and final ~0). */
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(bytes: Uint8Array): number {
  let c = ~0;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

const PNG_MAX_U31 = 2 ** 31 - 1;
/** §11.2.2: the bit depths each colour type allows. */
const PNG_DEPTHS: Record<number, readonly number[]> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};
/** §5.4: the critical chunks; any other one with an upper-case first letter cannot be decoded. */
const PNG_CRITICAL = new Set(['IHDR', 'PLTE', 'IDAT', 'IEND']);

interface PngChunk {
  type: string;
  data: Uint8Array;
}

/** §5.3: length (≤ 2³¹−1), a type of four ASCII letters, the data, and a CRC over type and data. */
function pngChunkAt(b: Uint8Array, at: number): PngChunk | undefined {
  if (at + 12 > b.length) return undefined;
  const length = u32be(b, at);
  if (length > PNG_MAX_U31 || at + 12 + length > b.length) return undefined;
  const typeBytes = b.subarray(at + 4, at + 8);
  if (!typeBytes.every((c) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a))) return undefined;
  if (crc32(b.subarray(at + 4, at + 8 + length)) !== u32be(b, at + 8 + length)) return undefined;
  return { type: ascii(typeBytes, 0, 4), data: b.subarray(at + 8, at + 8 + length) };
}

/** §11.2.2: IHDR's size and a known combination of bit depth, colour type, compression, filter, interlace. */
function pngIhdr(d: Uint8Array): (Size & { colourType: number }) | undefined {
  if (d.length !== 13) return undefined;
  const width = u32be(d, 0);
  const height = u32be(d, 4);
  const [depth, colourType, compression, filter, interlace] = d.subarray(8);
  if (width < 1 || width > PNG_MAX_U31 || height < 1 || height > PNG_MAX_U31) return undefined;
  if (!PNG_DEPTHS[colourType!]?.includes(depth!)) return undefined;
  if (compression !== 0 || filter !== 0 || (interlace !== 0 && interlace !== 1)) return undefined;
  return { width, height, colourType: colourType! };
}

/** The whole file: IHDR first, a palette where the colour type needs one, IDAT, IEND last and nothing after. */
function png(b: Uint8Array): ImageHeader | undefined {
  let at = PNG_SIGNATURE.length;
  let ihdr: ReturnType<typeof pngIhdr>;
  let palette = false;
  let idat = false;
  while (at < b.length) {
    const chunk = pngChunkAt(b, at);
    if (!chunk) return undefined;
    at += 12 + chunk.data.length;
    if (!ihdr) {
      ihdr = chunk.type === 'IHDR' ? pngIhdr(chunk.data) : undefined;
      if (!ihdr) return undefined;
      continue;
    }
    if (chunk.type === 'IEND') {
      const complete = chunk.data.length === 0 && idat && (ihdr.colourType !== 3 || palette);
      return complete && at === b.length ? { type: 'image/png', width: ihdr.width, height: ihdr.height } : undefined;
    }
    if (chunk.type === 'PLTE') palette = true;
    else if (chunk.type === 'IDAT') idat = true;
    else if (chunk.type === 'IHDR' || (!PNG_CRITICAL.has(chunk.type) && chunk.type.charCodeAt(0) < 0x61))
      return undefined;
  }
  return undefined; // no IEND
}

// --------------------------------------------------------------------------------------------- JPEG

// Start-of-frame markers carry the size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but do not.
const SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);
const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const isRst = (m: number) => m >= 0xd0 && m <= 0xd7;

/** B.2.2: Lf = 8 + 3·Nf, precision, lines (Y), samples per line (X), Nf components. */
function jpegFrame(b: Uint8Array, at: number, length: number): Size | undefined {
  if (length < 8) return undefined;
  const height = u16be(b, at + 5);
  const width = u16be(b, at + 7);
  const components = b[at + 9]!;
  if (components < 1 || length !== 8 + 3 * components) return undefined;
  return width >= 1 && height >= 1 ? { width, height } : undefined; // Y = 0 (size in a later DNL) is not taken
}

/** B.2.3: Ls = 6 + 2·Ns, 1 ≤ Ns ≤ 4. */
const jpegScanHeaderOk = (b: Uint8Array, at: number, length: number) =>
  b[at + 4]! >= 1 && b[at + 4]! <= 4 && length === 6 + 2 * b[at + 4]!;

/** B.1.1.5: entropy-coded data runs to the first FF not followed by 00 (stuffing) or RSTn; the next marker's position. */
function jpegEndOfScan(b: Uint8Array, at: number): number | undefined {
  for (let i = at; i + 1 < b.length; i++) {
    if (b[i] !== 0xff) continue;
    const next = b[i + 1]!;
    if (next === 0x00 || isRst(next)) i++;
    else if (next !== 0xff) return i;
  }
  return undefined;
}

/** SOI, marker segments with lengths inside the file, a frame before the first scan, EOI as the last two bytes. */
function jpeg(b: Uint8Array): ImageHeader | undefined {
  let at = 2;
  let frame: Size | undefined;
  let scanned = false;
  while (at + 2 <= b.length) {
    if (b[at] !== 0xff) return undefined;
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at += 1; // fill byte before a marker (B.1.1.2)
      continue;
    }
    if (marker === EOI) {
      return scanned && frame && at + 2 === b.length ? { type: 'image/jpeg', ...frame } : undefined;
    }
    if (marker === SOI || marker === 0x00 || marker === 0x01 || isRst(marker) || at + 4 > b.length) return undefined;
    const length = u16be(b, at + 2);
    if (length < 2 || at + 2 + length > b.length) return undefined;
    if (SOF.has(marker)) {
      if (frame) return undefined; // one frame per image
      frame = jpegFrame(b, at, length);
      if (!frame) return undefined;
    }
    at += 2 + length;
    if (marker === SOS) {
      if (!frame || !jpegScanHeaderOk(b, at - length - 2, length)) return undefined;
      const next = jpegEndOfScan(b, at);
      if (next === undefined) return undefined; // the scan runs off the end: no EOI
      scanned = true;
      at = next;
    }
  }
  return undefined;
}

// --------------------------------------------------------------------------------------------- WebP

interface RiffChunk {
  fourcc: string;
  data: Uint8Array;
}

/** Chunks laid end to end from `at` to exactly the end of `b`: FourCC, uint32 size, payload, a pad byte if odd. */
function riffChunks(b: Uint8Array, at: number): RiffChunk[] | undefined {
  const chunks: RiffChunk[] = [];
  while (at < b.length) {
    if (at + 8 > b.length) return undefined;
    const size = u32le(b, at + 4);
    const end = at + 8 + size + (size & 1);
    if (end > b.length) return undefined;
    chunks.push({ fourcc: ascii(b, at, 4), data: b.subarray(at + 8, at + 8 + size) });
    at = end;
  }
  return chunks;
}

/** RFC 6386 §9.1: a key frame (bit 0 clear), shown, its first partition inside the chunk, start code, 14-bit sizes. */
function vp8(d: Uint8Array): Size | undefined {
  if (d.length < 10) return undefined;
  const tag = u24le(d, 0);
  const keyFrame = (tag & 1) === 0;
  const version = (tag >> 1) & 7;
  const shown = (tag >> 4) & 1;
  const firstPartition = tag >>> 5;
  if (!keyFrame || version > 3 || !shown || firstPartition > d.length - 10) return undefined;
  if (!startsWith(d, [0x9d, 0x01, 0x2a], 3)) return undefined;
  const width = u16le(d, 6) & 0x3fff;
  const height = u16le(d, 8) & 0x3fff;
  return width >= 1 && height >= 1 ? { width, height } : undefined;
}

/** WebP Lossless §3: signature 0x2f, 14-bit width and height less one, alpha hint, 3-bit version that must be 0. */
function vp8l(d: Uint8Array): Size | undefined {
  if (d.length < 6 || d[0] !== 0x2f) return undefined;
  const bits = u32le(d, 1);
  if (bits >>> 29 !== 0) return undefined;
  return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
}

function bitstream(chunk: RiffChunk | undefined): Size | undefined {
  if (chunk?.fourcc === 'VP8 ') return vp8(chunk.data);
  if (chunk?.fourcc === 'VP8L') return vp8l(chunk.data);
  return undefined;
}

/** An ANMF frame: 16 bytes of offset, size and timing, then its own chunks ending in one image bitstream. */
function animationFrame(d: Uint8Array): Size | undefined {
  if (d.length < 16) return undefined;
  const inner = riffChunks(d, 16);
  return inner && inner.length > 0 ? bitstream(inner.at(-1)) : undefined;
}

const VP8X_ANIMATION = 0x02;

/** The extended format: VP8X's canvas, then either a still image (its size the canvas's) or ANIM and frames. */
function vp8x(vp8xData: Uint8Array, rest: RiffChunk[]): Size | undefined {
  if (vp8xData.length !== 10) return undefined;
  const canvas = { width: u24le(vp8xData, 4) + 1, height: u24le(vp8xData, 7) + 1 };
  if (vp8xData[0]! & VP8X_ANIMATION) {
    const frames = rest.filter((c) => c.fourcc === 'ANMF');
    if (!rest.some((c) => c.fourcc === 'ANIM') || frames.length === 0) return undefined;
    return frames.every((f) => animationFrame(f.data)) ? canvas : undefined;
  }
  const images = rest.filter((c) => c.fourcc === 'VP8 ' || c.fourcc === 'VP8L');
  const image = images.length === 1 ? bitstream(images[0]) : undefined;
  return image && image.width === canvas.width && image.height === canvas.height ? canvas : undefined;
}

/** 'RIFF', size = file length − 8 exactly, 'WEBP', then one of the three layouts with every chunk inside the file. */
function webp(b: Uint8Array): ImageHeader | undefined {
  if (b.length < 20 || u32le(b, 4) + 8 !== b.length || ascii(b, 8, 4) !== 'WEBP') return undefined;
  const chunks = riffChunks(b, 12);
  if (!chunks || chunks.length === 0) return undefined;
  const [first, ...rest] = chunks;
  const size = first!.fourcc === 'VP8X' ? vp8x(first!.data, rest) : rest.length === 0 ? bitstream(first) : undefined;
  return size && { type: 'image/webp', ...size };
}

// ----------------------------------------------------------------------------------------------- all

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
