import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { Executor } from './db.js';
import { fieldError } from './errors.js';

export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
const THUMB_WIDTH = 480;

/** Where file bytes live. DATA_DIR/files today; an S3-compatible store can implement the same three calls. */
export interface FileStore {
  put(key: string, bytes: Buffer): Promise<void>;
  get(key: string): Promise<Buffer>;
  remove(key: string): Promise<void>;
}

export function diskStore(root: string): FileStore {
  const full = (key: string) => {
    const p = path.resolve(root, key);
    if (!p.startsWith(path.resolve(root) + path.sep)) throw new Error('bad file key');
    return p;
  };
  return {
    async put(key, bytes) {
      fs.mkdirSync(path.dirname(full(key)), { recursive: true });
      await fs.promises.writeFile(full(key), bytes);
    },
    get: (key) => fs.promises.readFile(full(key)),
    remove: (key) => fs.promises.rm(full(key), { force: true }),
  };
}

/** JPEG, PNG or WebP by their first bytes — never by the name or the declared type. */
export function sniffImage(b: Buffer): 'image/jpeg' | 'image/png' | 'image/webp' | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  return null;
}

export interface StoredFile { id: number; mime: string; size: number; width: number | null; height: number | null }

/**
 * Checks an uploaded image by content and size, re-encodes it with the EXIF
 * orientation applied and all metadata (GPS location included) dropped, makes a
 * thumbnail, stores both under generated names and records the file row.
 */
export async function saveImage(tx: Executor, store: FileStore, bytes: Buffer, uploadedBy: number | null, field = 'photos'): Promise<StoredFile> {
  if (bytes.length > MAX_IMAGE_BYTES) throw fieldError(field, 'file_too_large', { max: '10 MB' });
  const mime = sniffImage(bytes);
  if (!mime) throw fieldError(field, 'not_an_image');
  let clean: Buffer, thumb: Buffer, meta: sharp.Metadata;
  try {
    const img = sharp(bytes, { failOn: 'error' }).rotate();
    const format = mime === 'image/jpeg' ? 'jpeg' : mime === 'image/png' ? 'png' : 'webp';
    clean = await img.clone().toFormat(format).toBuffer(); // sharp writes no metadata unless asked
    meta = await sharp(clean).metadata();
    thumb = await img.clone().resize({ width: THUMB_WIDTH, withoutEnlargement: true }).webp({ quality: 78 }).toBuffer();
  } catch {
    throw fieldError(field, 'not_an_image');
  }
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  const key = `${day}/${randomUUID()}.${mime.split('/')[1]}`;
  const thumbKey = key.replace(/\.\w+$/, '.thumb.webp');
  await store.put(key, clean);
  await store.put(thumbKey, thumb);
  const row = await tx.insertInto('files').values({
    storage_key: key, thumb_key: thumbKey, mime, size: clean.length, width: meta.width ?? null, height: meta.height ?? null,
    sha256: createHash('sha256').update(clean).digest('hex'), uploaded_by: uploadedBy,
  }).returning(['id', 'mime', 'size', 'width', 'height']).executeTakeFirstOrThrow();
  return row;
}
