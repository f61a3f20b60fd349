import { sql } from 'kysely';
import { appendAudit, type Actor } from '../../core/audit.js';
import type { AuthContext } from '../../core/auth/context.js';
import type { Db, Executor } from '../../core/db.js';
import { fieldError, notFound, outOfScope } from '../../core/errors.js';
import { prepareImages, saveImage, type FileStore } from '../../core/files.js';
import { isPositionStaff } from './policy.js';

/** Photos of a service position: public, like the register itself; staff of the position add and remove them. Every write is audited. */

export const MAX_POSITION_PHOTOS = 9;

const photoRef = (positionId: number, fileId: number) => ({
  id: fileId, url: `/api/positions/${positionId}/photos/${fileId}`, thumbUrl: `/api/positions/${positionId}/photos/${fileId}?thumb=1`,
});

/** The photos of some positions, in upload order, keyed by position. */
export async function photosOf(db: Executor, positionIds: number[]) {
  const out = new Map<number, ReturnType<typeof photoRef>[]>();
  if (!positionIds.length) return out;
  const rows = await db.selectFrom('service_position_photos').select(['position_id', 'file_id'])
    .where('position_id', 'in', positionIds).orderBy('sort').orderBy('file_id').execute();
  for (const r of rows) (out.get(r.position_id) ?? out.set(r.position_id, []).get(r.position_id)!).push(photoRef(r.position_id, r.file_id));
  return out;
}

async function staffPosition(db: Executor, auth: AuthContext, id: number, lock = false) {
  let q = db.selectFrom('service_positions').select(['id', 'name', 'region_path']).where('id', '=', id);
  if (lock) q = q.forUpdate();
  const p = await q.executeTakeFirst();
  if (!p) throw notFound();
  if (!isPositionStaff(auth, p.region_path)) throw outOfScope();
  return p;
}

/** Adds 1–9 photos (at most 9 per position); returns the new ones. */
export async function addPositionPhotos(d: { db: Db; files: FileStore }, auth: AuthContext, actor: Actor, id: number, images: Buffer[]) {
  if (!images.length) throw fieldError('photos', 'required');
  await staffPosition(d.db, auth, id);
  const prepared = await prepareImages(images); // outside the transaction: CPU work holds no connection
  return d.db.transaction().execute(async (tx) => {
    const p = await staffPosition(tx, auth, id, true); // the lock serialises concurrent uploads against the limit
    const { n } = await tx.selectFrom('service_position_photos').select(sql<number>`count(*)::int`.as('n')).where('position_id', '=', id).executeTakeFirstOrThrow();
    if (n + prepared.length > MAX_POSITION_PHOTOS) throw fieldError('photos', 'too_many_photos', { max: MAX_POSITION_PHOTOS });
    const ids: number[] = [];
    for (const [i, img] of prepared.entries()) {
      const f = await saveImage(tx, d.files, img, auth.accountId);
      await tx.insertInto('service_position_photos').values({ position_id: id, file_id: f.id, sort: n + i }).execute();
      ids.push(f.id);
    }
    await appendAudit(tx, actor, { action: 'position.photos', targetType: 'service_position', targetId: id, summary: { name: p.name, count: ids.length } });
    return ids.map((f) => photoRef(id, f));
  });
}

/** Takes a photo off the position (the file row stays, unlinked, so the audit trail can still name it). */
export async function deletePositionPhoto(db: Db, auth: AuthContext, actor: Actor, id: number, fileId: number) {
  return db.transaction().execute(async (tx) => {
    const p = await staffPosition(tx, auth, id);
    const gone = await tx.deleteFrom('service_position_photos').where('position_id', '=', id).where('file_id', '=', fileId).executeTakeFirst();
    if (!Number(gone.numDeletedRows)) throw notFound();
    await appendAudit(tx, actor, { action: 'position.photo_delete', targetType: 'service_position', targetId: id, summary: { name: p.name, fileId } });
    return { id };
  });
}

/**
 * A position's photo for anyone, served only under its own position. Stopped positions' photos stay
 * readable: they were public already, and the console shows them through these same URLs.
 */
export async function publicPositionPhoto(db: Db, store: FileStore, positionId: number, fileId: number, thumb: boolean) {
  const f = await db.selectFrom('files as f').innerJoin('service_position_photos as pp', 'pp.file_id', 'f.id')
    .select(['f.storage_key', 'f.thumb_key', 'f.mime']).where('f.id', '=', fileId).where('pp.position_id', '=', positionId).executeTakeFirst();
  if (!f) throw notFound();
  const key = thumb && f.thumb_key ? f.thumb_key : f.storage_key;
  return { bytes: await store.get(key), mime: thumb && f.thumb_key ? 'image/webp' : f.mime };
}

/** Through /api/files/:id: a position's photos are public, so any signed-in reader may see them; undefined when the file is not one. */
export async function readPositionFile(db: Db, _auth: AuthContext, fileId: number): Promise<boolean | undefined> {
  const link = await db.selectFrom('service_position_photos').select('position_id').where('file_id', '=', fileId).executeTakeFirst();
  return link ? true : undefined;
}
