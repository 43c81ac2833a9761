import { deflateSync } from 'node:zlib';

/** Real image files: a PNG made here that any decoder opens, and JPEG and WebP files from an encoder. */

function crc32(bytes: Buffer): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A PNG of one colour, `width`×`height`; `padding` bytes of an ancillary chunk make it as large as wanted. */
export function png(width: number, height: number, rgb: [number, number, number] = [29, 78, 216], padding = 0): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    ...(padding > 0 ? [chunk('tEXt', Buffer.alloc(padding, 0x61))] : []),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * Real files from a real encoder: Chromium's canvas.toDataURL of a 3×2 blue rectangle. The JPEG is
 * baseline with JFIF APP0, DQT, SOF0, DHT and one scan (its ICC APP2 segment left out); the WebPs are
 * the lossy ('VP8 ') and lossless ('VP8L') bitstreams in the simple format, and the encoder's own
 * extended file (VP8X, ICCP, VP8). Each opens in Chromium as a 3×2 image.
 */
export const JPEG_3X2 = Buffer.from(
  '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAACAAMDASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAX/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFQEBAQAAAAAAAAAAAAAAAAAABQb/xAAUEQEAAAAAAAAAAAAAAAAAAAAA/9oADAMBAAIRAxEAPwCMApBz/9k=',
  'base64',
);
export const WEBP_LOSSY_3X2 = Buffer.from(
  'UklGRjYAAABXRUJQVlA4ICoAAACQAQCdASoDAAIAAsBMJaACdLoAA5gA/u3O3/5mj+SP0C6D/1qZGPkXAAA=',
  'base64',
);
export const WEBP_LOSSLESS_3X2 = Buffer.from('UklGRh4AAABXRUJQVlA4TBEAAAAvAkAAAAdQp3YUu/+BiOh/AAA=', 'base64');
export const WEBP_EXTENDED_3X2 = Buffer.from(
  'UklGRhgCAABXRUJQVlA4WAoAAAAgAAAAAgAAAQAASUNDUMgBAAAAAAHIAAAAAAQwAABtbnRyUkdCIFhZWiAH4AABAAEAAAAAAABhY3NwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQAA9tYAAQAAAADTLQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAlkZXNjAAAA8AAAACRyWFlaAAABFAAAABRnWFlaAAABKAAAABRiWFlaAAABPAAAABR3dHB0AAABUAAAABRyVFJDAAABZAAAAChnVFJDAAABZAAAAChiVFJDAAABZAAAAChjcHJ0AAABjAAAADxtbHVjAAAAAAAAAAEAAAAMZW5VUwAAAAgAAAAcAHMAUgBHAEJYWVogAAAAAAAAb6IAADj1AAADkFhZWiAAAAAAAABimQAAt4UAABjaWFlaIAAAAAAAACSgAAAPhAAAts9YWVogAAAAAAAA9tYAAQAAAADTLXBhcmEAAAAAAAQAAAACZmYAAPKnAAANWQAAE9AAAApbAAAAAAAAAABtbHVjAAAAAAAAAAEAAAAMZW5VUwAAACAAAAAcAEcAbwBvAGcAbABlACAASQBuAGMALgAgADIAMAAxADZWUDggKgAAAJABAJ0BKgMAAgACwEwloAJ0ugADmAD+7c7f/maP5I/QLoP/WpkY+RcAAA==',
  'base64',
);

/** A RIFF/WEBP file of the given chunks, its size field right. */
export function riffWebp(...chunks: Buffer[]): Buffer {
  const body = Buffer.concat([Buffer.from('WEBP', 'ascii'), ...chunks]);
  const head = Buffer.alloc(8);
  head.write('RIFF', 0, 'ascii');
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body]);
}

/** Files that pass a header-only check but are not images a browser shows. */
export const NOT_IMAGES = {
  /** signature and IHDR (33 bytes): no image data, no IEND */
  pngHeaderOnly: Buffer.from(png(1, 1).subarray(0, 33)),
  /** a PNG's signature and IHDR with an HTML page behind them */
  pngThenHtml: Buffer.concat([png(1, 1).subarray(0, 33), Buffer.from('<html><script>alert(document.cookie)</script>')]),
  /** RIFF/WEBP with a VP8X chunk (canvas 1×1, sizes all right) and no image after it: 30 bytes */
  webpVp8xOnly: riffWebp(Buffer.concat([Buffer.from('VP8X', 'ascii'), Buffer.from([10, 0, 0, 0]), Buffer.alloc(10)])),
  /** a PNG cut before its IEND chunk */
  pngTruncated: png(4, 4).subarray(0, png(4, 4).length - 12),
  /** a PNG whose IDAT data no longer matches its CRC */
  pngBadCrc: (() => {
    const b = png(4, 4);
    const at = b.length - 12 - 4 - 2; // a byte of IDAT's data, before its CRC and the IEND chunk
    b[at] = b[at]! ^ 0x01;
    return b;
  })(),
  /** a JPEG whose EOI is cut off */
  jpegNoEoi: JPEG_3X2.subarray(0, JPEG_3X2.length - 2),
  /** a WebP whose RIFF size is 2 more than the file holds */
  webpWrongRiffSize: (() => {
    const b = Buffer.from(WEBP_LOSSY_3X2);
    b.writeUInt32LE(b.readUInt32LE(4) + 2, 4);
    return b;
  })(),
};

export const SVG = Buffer.from(
  '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>',
);
