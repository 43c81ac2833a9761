import { describe, expect, it } from 'vitest';
import { contrastRatio, darkenToContrast, relativeLuminance } from '../../src/modules/branding/domain/contrast.js';
import { readImageHeader } from '../../src/modules/branding/domain/image-header.js';
import { jpegHeader, png, SVG, webpLosslessHeader } from './images.js';

describe('R39 a logo is read by its bytes', () => {
  it('R39 PNG, JPEG and WebP give their type and pixel size', () => {
    expect(readImageHeader(png(30, 20))).toEqual({ type: 'image/png', width: 30, height: 20 });
    expect(readImageHeader(jpegHeader(640, 480))).toEqual({ type: 'image/jpeg', width: 640, height: 480 });
    expect(readImageHeader(webpLosslessHeader(300, 100))).toEqual({ type: 'image/webp', width: 300, height: 100 });
  });

  it('R39 text renamed, SVG and a cut-off header are refused', () => {
    expect(readImageHeader(Buffer.from('hello, I am a text file named logo.png'))).toBe('not_an_image');
    expect(readImageHeader(SVG)).toBe('svg');
    expect(readImageHeader(Buffer.from('  <svg viewBox="0 0 1 1"></svg>'))).toBe('svg');
    expect(readImageHeader(png(4, 4).subarray(0, 20))).toBe('unreadable');
    expect(readImageHeader(jpegHeader(10, 10).subarray(0, 12))).toBe('unreadable');
    expect(readImageHeader(Buffer.from('RIFF....WAVEfmt '))).toBe('unreadable');
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
