/** R39: the image types a logo may be; read from its bytes (modules/branding/domain/image-header.ts). */
export type LogoType = 'image/png' | 'image/jpeg' | 'image/webp';

const EXTENSION: Record<LogoType, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };

/** R39: a logo's public path: its content hash, so a new logo is a new URL and the old one may be cached for good. */
export function logoPath(sha256: string, type: LogoType): string {
  return `/logos/${sha256}.${EXTENSION[type]}`;
}

/** The hash and type a logo's file name says, or undefined for anything else. */
export function logoFileOf(file: string): { sha256: string; type: LogoType } | undefined {
  const m = /^([0-9a-f]{64})\.(png|jpg|webp)$/.exec(file);
  if (!m) return undefined;
  const type = (Object.keys(EXTENSION) as LogoType[]).find((t) => EXTENSION[t] === m[2])!;
  return { sha256: m[1]!, type };
}
