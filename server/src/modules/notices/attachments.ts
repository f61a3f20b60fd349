import { sql } from 'kysely';
import type { AuthContext } from '../../core/auth/context.js';
import { appendAudit, type Actor } from '../../core/audit.js';
import type { Db } from '../../core/db.js';
import { AppError, fieldError, notFound } from '../../core/errors.js';
import { MAX_IMAGE_BYTES, prepareImage, saveDataFile, saveImage, sniffImage, type FileStore, type PreparedImage } from '../../core/files.js';
import { noticeFor } from './access.js';
import { attachmentRef } from './present.js';

/**
 * A notice's attachments: photos (checked and re-encoded without EXIF by core/files) and PDF documents
 * (checked by their first bytes). At most nine per notice; a withdrawn notice takes no more.
 */
export const MAX_NOTICE_ATTACHMENTS = 9;

type Prepared = { kind: 'image'; image: PreparedImage } | { kind: 'pdf'; bytes: Buffer };

const isPdf = (b: Buffer) => b.length >= 5 && b.toString('latin1', 0, 5) === '%PDF-';

async function prepare(bytes: Buffer): Promise<Prepared> {
  if (bytes.length > MAX_IMAGE_BYTES) throw fieldError('files', 'file_too_large', { max: '10 MB' }, 413);
  if (isPdf(bytes)) return { kind: 'pdf', bytes };
  if (!sniffImage(bytes)) throw fieldError('files', 'not_image_or_pdf');
  return { kind: 'image', image: await prepareImage(bytes, 'files') };
}

/** Adds 1–9 files; the CPU work (re-encoding) happens before the transaction. */
export async function addNoticeAttachments(d: { db: Db; files: FileStore }, auth: AuthContext, actor: Actor, id: number, uploads: Buffer[]) {
  if (!uploads.length) throw fieldError('files', 'required');
  await noticeFor(d.db, auth, id, 'manage');
  const prepared: Prepared[] = [];
  for (const b of uploads) prepared.push(await prepare(b));
  return d.db.transaction().execute(async (tx) => {
    await noticeFor(tx, auth, id, 'manage');
    const n = await tx.selectFrom('notices').select('withdrawn_at').where('id', '=', id).forUpdate().executeTakeFirstOrThrow(); // serialises uploads against the limit
    if (n.withdrawn_at) throw new AppError(409, 'notice_withdrawn');
    const { count } = await tx.selectFrom('notice_attachments').select(sql<number>`count(*)::int`.as('count')).where('notice_id', '=', id).executeTakeFirstOrThrow();
    if (count + prepared.length > MAX_NOTICE_ATTACHMENTS) throw fieldError('files', 'too_many_attachments', { max: MAX_NOTICE_ATTACHMENTS });
    const out: { file_id: number; name: string; mime: string }[] = [];
    for (const [i, p] of prepared.entries()) {
      const nth = count + i + 1;
      let file: { id: number; mime: string };
      if (p.kind === 'image') file = await saveImage(tx, d.files, p.image, auth.accountId);
      else file = await saveDataFile(tx, d.files, p.bytes, 'application/pdf', 'pdf', auth.accountId);
      const name = p.kind === 'image' ? `图片${nth}` : `附件${nth}.pdf`;
      await tx.insertInto('notice_attachments').values({ notice_id: id, file_id: file.id, name, sort: nth }).execute();
      out.push({ file_id: file.id, name, mime: file.mime });
    }
    await appendAudit(tx, actor, { action: 'notice.attach', targetType: 'notice', targetId: id, summary: { count: out.length } });
    return { attachments: out.map(attachmentRef) };
  });
}

/** Removes one attachment from a notice (the file row stays, as an upload's record). */
export async function removeNoticeAttachment(db: Db, auth: AuthContext, actor: Actor, id: number, fileId: number) {
  return db.transaction().execute(async (tx) => {
    await noticeFor(tx, auth, id, 'manage');
    const gone = await tx.deleteFrom('notice_attachments').where('notice_id', '=', id).where('file_id', '=', fileId).returning('file_id').executeTakeFirst();
    if (!gone) throw notFound();
    await appendAudit(tx, actor, { action: 'notice.detach', targetType: 'notice', targetId: id, summary: { fileId } });
    return { ok: true };
  });
}
