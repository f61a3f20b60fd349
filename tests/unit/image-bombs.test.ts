import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../server/src/core/errors.js';
import { MAX_IMAGE_PIXELS, prepareImage } from '../../server/src/core/files.js';

/**
 * Issue 13, uploads bounded in pixels: every image upload goes through prepareImage, so a JPEG or
 * WebP whose header declares 16000×16000 (256 MP in a few hundred bytes) is refused from the header
 * with 413, whatever the format (the API test upload-bombs.test.ts covers a real PNG on three routes).
 */

const small = (format: 'jpeg' | 'webp' | 'png') => sharp({ create: { width: 16, height: 16, channels: 3, background: '#ffffff' } }).toFormat(format).toBuffer();

/** A small image whose header is rewritten to claim 16000×16000. */
async function lyingHeader(format: 'jpeg' | 'webp') {
  const bytes = Buffer.from(await small(format));
  if (format === 'jpeg') {
    const sof = bytes.indexOf(Buffer.from([0xff, 0xc0])); // baseline frame header: length, precision, height, width
    bytes.writeUInt16BE(16000, sof + 5);
    bytes.writeUInt16BE(16000, sof + 7);
  } else {
    const key = bytes.indexOf(Buffer.from([0x9d, 0x01, 0x2a])); // VP8 key frame start code, then 14-bit width and height
    bytes.writeUInt16LE(16000, key + 3);
    bytes.writeUInt16LE(16000, key + 5);
  }
  return bytes;
}

describe('images bounded in pixels', () => {
  it('a small image of each format is accepted', async () => {
    for (const format of ['jpeg', 'webp', 'png'] as const) {
      const img = await prepareImage(await small(format));
      expect([img.width, img.height]).toEqual([16, 16]);
    }
  });

  for (const format of ['jpeg', 'webp'] as const) {
    it(`a ${format} that declares 16000×16000 is refused with 413 before it is decoded`, async () => {
      const bomb = await lyingHeader(format);
      expect(bomb.length).toBeLessThan(2048);
      const meta = await sharp(bomb).metadata();
      expect(meta.width! * meta.height!).toBeGreaterThan(MAX_IMAGE_PIXELS); // the lie is what sharp reads
      const err = await prepareImage(bomb, 'photos').then(() => null, (e) => e);
      expect(err).toBeInstanceOf(AppError);
      expect(err.status).toBe(413);
      expect(err.fields.photos.key).toBe('image_too_many_pixels');
    });
  }
});
