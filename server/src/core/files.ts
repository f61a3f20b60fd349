import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { Executor } from './db.js';
import { AppError, fieldError } from './errors.js';

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

/** Images larger than this many pixels are refused from their header, before any decoding (16000×16000 would be 768 MB raw). */
export const MAX_IMAGE_PIXELS = 40_000_000;

/** An upload checked and re-encoded, ready to be written; made outside any transaction. */
export interface PreparedImage { mime: 'image/jpeg' | 'image/png' | 'image/webp'; clean: Buffer; thumb: Buffer; width: number | null; height: number | null }

/**
 * Checks an uploaded image by content, size and pixel count, re-encodes it with
 * the EXIF orientation applied and all metadata (GPS location included) dropped,
 * and makes a thumbnail. CPU work: call it before the transaction that stores it,
 * never inside one (on PGlite every other request would wait for the encoder).
 */
export async function prepareImage(bytes: Buffer, field = 'photos'): Promise<PreparedImage> {
  if (bytes.length > MAX_IMAGE_BYTES) throw fieldError(field, 'file_too_large', { max: '10 MB' }, 413);
  const mime = sniffImage(bytes);
  if (!mime) throw fieldError(field, 'not_an_image');
  const tooManyPixels = () => fieldError(field, 'image_too_many_pixels', { max: `${MAX_IMAGE_PIXELS / 1_000_000} MP` }, 413);
  try {
    const header = await sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS }).metadata();
    if ((header.width ?? 0) * (header.height ?? 0) > MAX_IMAGE_PIXELS) throw tooManyPixels();
    const img = sharp(bytes, { failOn: 'error', limitInputPixels: MAX_IMAGE_PIXELS }).rotate();
    const format = mime === 'image/jpeg' ? 'jpeg' : mime === 'image/png' ? 'png' : 'webp';
    const clean = await img.clone().toFormat(format).toBuffer({ resolveWithObject: true }); // sharp writes no metadata unless asked
    const thumb = await img.clone().resize({ width: THUMB_WIDTH, withoutEnlargement: true }).webp({ quality: 78 }).toBuffer();
    return { mime, clean: clean.data, thumb, width: clean.info.width ?? null, height: clean.info.height ?? null };
  } catch (err: any) {
    if (err instanceof AppError) throw err;
    if (/pixel limit/i.test(String(err?.message))) throw tooManyPixels();
    throw fieldError(field, 'not_an_image');
  }
}

/** Prepares several uploads one after another (one decoded image in memory at a time). */
export async function prepareImages(list: Buffer[], field = 'photos'): Promise<PreparedImage[]> {
  const out: PreparedImage[] = [];
  for (const bytes of list) out.push(await prepareImage(bytes, field));
  return out;
}

/** Stores a prepared image and its thumbnail under generated names and records the file row, in the caller's transaction. */
export async function saveImage(tx: Executor, store: FileStore, image: PreparedImage, uploadedBy: number | null): Promise<StoredFile> {
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  const key = `${day}/${randomUUID()}.${image.mime.split('/')[1]}`;
  const thumbKey = key.replace(/\.\w+$/, '.thumb.webp');
  await store.put(key, image.clean);
  await store.put(thumbKey, image.thumb);
  const row = await tx.insertInto('files').values({
    storage_key: key, thumb_key: thumbKey, mime: image.mime, size: image.clean.length, width: image.width, height: image.height,
    sha256: createHash('sha256').update(image.clean).digest('hex'), uploaded_by: uploadedBy,
  }).returning(['id', 'mime', 'size', 'width', 'height']).executeTakeFirstOrThrow();
  return row;
}

/** Stores a data file (an import's upload, kept so a run can be repeated or resumed) and records the file row; no transaction is needed (one insert after the write). */
export async function saveDataFile(tx: Executor, store: FileStore, bytes: Buffer, mime: string, ext: string, uploadedBy: number | null): Promise<StoredFile> {
  const key = `data/${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/${randomUUID()}.${ext}`;
  await store.put(key, bytes);
  return tx.insertInto('files').values({
    storage_key: key, thumb_key: null, mime, size: bytes.length, width: null, height: null,
    sha256: createHash('sha256').update(bytes).digest('hex'), uploaded_by: uploadedBy,
  }).returning(['id', 'mime', 'size', 'width', 'height']).executeTakeFirstOrThrow();
}
