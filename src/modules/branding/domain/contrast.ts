/**
 * R39: the accent colour is the background of the link page's Pay button, with white text on it.
 * WCAG 2.1 relative luminance and contrast ratio (success criterion 1.4.3: 4.5:1 for normal text).
 */
export const MIN_CONTRAST = 4.5;
export const BUTTON_TEXT = '#ffffff';

const HEX = /^#[0-9a-f]{6}$/;

/** `#1D4ED8` → `#1d4ed8`; undefined for anything else (three-digit forms included: one spelling is stored). */
export function normalHex(value: string): string | undefined {
  const v = value.trim().toLowerCase();
  return HEX.test(v) ? v : undefined;
}

function channels(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number];
}

/** WCAG 2.1 relative luminance of an sRGB colour. */
export function relativeLuminance(hex: string): number {
  const [r, g, b] = channels(hex).map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [
    number,
    number,
    number,
  ];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: string, b: string): number {
  const [l1, l2] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (l1 + 0.05) / (l2 + 0.05);
}

/** Rounded down to two decimals, so a shown 4.50 is never really 4.499. */
export const shownRatio = (ratio: number) => Math.floor(ratio * 100) / 100;

/** The same hue darkened just enough for white text to reach the minimum: what to suggest instead. */
export function darkenToContrast(hex: string, against = BUTTON_TEXT): string {
  const [r, g, b] = channels(hex);
  for (let k = 1; k >= 0; k -= 0.01) {
    const candidate = `#${[r, g, b]
      .map((c) =>
        Math.round(c * k * 255)
          .toString(16)
          .padStart(2, '0'),
      )
      .join('')}`;
    if (contrastRatio(candidate, against) >= MIN_CONTRAST) return candidate;
  }
  return '#000000';
}
