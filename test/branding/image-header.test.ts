import { describe, expect, it } from 'vitest';
import { contrastRatio, darkenToContrast, relativeLuminance } from '../../src/modules/branding/domain/contrast.js';
import { crc32, readImageHeader } from '../../src/modules/branding/domain/image-header.js';
import {
  JPEG_3X2,
  NOT_IMAGES,
  png,
  riffWebp,
  SVG,
  WEBP_EXTENDED_3X2,
  WEBP_LOSSLESS_3X2,
  WEBP_LOSSY_3X2,
} from './images.js';

describe('R39 a logo is read by its bytes', () => {
  it('R39 real PNG, JPEG and WebP files give their type and pixel size', () => {
    expect(readImageHeader(png(30, 20))).toEqual({ type: 'image/png', width: 30, height: 20 });
    expect(readImageHeader(JPEG_3X2)).toEqual({ type: 'image/jpeg', width: 3, height: 2 });
    const webp = { type: 'image/webp', width: 3, height: 2 };
    expect(readImageHeader(WEBP_LOSSY_3X2)).toEqual(webp);
    expect(readImageHeader(WEBP_LOSSLESS_3X2)).toEqual(webp);
    expect(readImageHeader(WEBP_EXTENDED_3X2)).toEqual(webp);
  });

  it('R39 the PNG check reads every chunk: CRC-32 as the PNG specification gives it', () => {
    // the check value of the CRC-32 used by PNG (and zlib): "123456789" → cbf43926
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('R39 text renamed, SVG and a cut-off header are refused', () => {
    expect(readImageHeader(Buffer.from('hello, I am a text file named logo.png'))).toBe('not_an_image');
    expect(readImageHeader(SVG)).toBe('svg');
    expect(readImageHeader(Buffer.from('  <svg viewBox="0 0 1 1"></svg>'))).toBe('svg');
    expect(readImageHeader(png(4, 4).subarray(0, 20))).toBe('unreadable');
    expect(readImageHeader(JPEG_3X2.subarray(0, 12))).toBe('unreadable');
    expect(readImageHeader(Buffer.from('RIFF....WAVEfmt '))).toBe('unreadable');
  });

  it('R39 a valid header is not enough: header-only, HTML behind a PNG header and an empty VP8X are refused', () => {
    expect(NOT_IMAGES.pngHeaderOnly.length).toBe(33);
    expect(readImageHeader(NOT_IMAGES.pngHeaderOnly)).toBe('unreadable');
    expect(readImageHeader(NOT_IMAGES.pngThenHtml)).toBe('unreadable');
    expect(NOT_IMAGES.webpVp8xOnly.length).toBe(30);
    expect(readImageHeader(NOT_IMAGES.webpVp8xOnly)).toBe('unreadable');
  });

  it('R39 a cut-off, damaged or padded file is refused', () => {
    for (const [name, bytes] of Object.entries(NOT_IMAGES)) expect(readImageHeader(bytes), name).toBe('unreadable');
    const plus = (bytes: Buffer, extra: string | number[]) => Buffer.concat([bytes, Buffer.from(extra as string)]);
    // nothing after IEND, after EOI, or beyond the RIFF size
    expect(readImageHeader(plus(png(2, 2), '<script>'))).toBe('unreadable');
    expect(readImageHeader(plus(JPEG_3X2, [0, 0]))).toBe('unreadable');
    expect(readImageHeader(plus(JPEG_3X2, '<html>'))).toBe('unreadable');
    expect(readImageHeader(plus(WEBP_LOSSLESS_3X2, [0, 0]))).toBe('unreadable');
    // HTML hidden inside a chunk whose length runs past the end
    const long = Buffer.from(WEBP_LOSSY_3X2);
    long.writeUInt32LE(long.readUInt32LE(16) + 100, 16);
    expect(readImageHeader(long)).toBe('unreadable');
  });

  it('R39 each format is checked to its own rules', () => {
    // PNG: IHDR must come first; a colour type and bit depth the specification does not know is refused
    const odd = png(2, 2);
    odd[8 + 8 + 8] = 3; // bit depth 3, the chunk's CRC made right again so only the rule refuses it
    odd.writeUInt32BE(crc32(odd.subarray(12, 29)), 29);
    expect(readImageHeader(odd)).toBe('unreadable');
    // JPEG: a scan before any frame (SOF) is refused
    const sos = JPEG_3X2.indexOf(Buffer.from([0xff, 0xda]));
    const sof = JPEG_3X2.indexOf(Buffer.from([0xff, 0xc0]));
    const noFrame = Buffer.concat([JPEG_3X2.subarray(0, sof), JPEG_3X2.subarray(sof + 2 + 17)]);
    expect(sos).toBeGreaterThan(sof);
    expect(readImageHeader(noFrame)).toBe('unreadable');
    // WebP: VP8 without its start code; VP8L with a version other than 0; a VP8X canvas unlike its image
    const noStart = Buffer.from(WEBP_LOSSY_3X2);
    noStart[20 + 3] = 0;
    expect(readImageHeader(noStart)).toBe('unreadable');
    const v1 = Buffer.from(WEBP_LOSSLESS_3X2);
    v1[20 + 4] = v1[20 + 4]! | 0x20;
    expect(readImageHeader(v1)).toBe('unreadable');
    const vp8x = Buffer.concat([Buffer.from('VP8X', 'ascii'), Buffer.from([10, 0, 0, 0]), Buffer.alloc(10)]);
    expect(readImageHeader(riffWebp(vp8x, WEBP_LOSSY_3X2.subarray(12)))).toBe('unreadable'); // canvas 1×1, image 3×2
    vp8x.writeUIntLE(2, 12, 3);
    vp8x.writeUIntLE(1, 15, 3);
    expect(readImageHeader(riffWebp(vp8x, WEBP_LOSSY_3X2.subarray(12)))).toEqual({
      type: 'image/webp',
      width: 3,
      height: 2,
    });
  });
});

describe('R39 accent colour contrast (WCAG 2.1)', () => {
  it('R39 luminance and ratio match the WCAG definition', () => {
    expect(relativeLuminance('#ffffff')).toBeCloseTo(1, 5);
    expect(relativeLuminance('#000000')).toBe(0);
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    // the well-known pair: #767676 on white is 4.54:1
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
  });

  it('R39 a suggestion keeps the hue and reaches 4.5:1', () => {
    const suggestion = darkenToContrast('#ffcc00');
    expect(contrastRatio(suggestion, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(suggestion).toMatch(/^#[0-9a-f]{6}$/);
  });
});
