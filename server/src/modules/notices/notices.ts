import { sql, type SqlBool } from 'kysely';
import type { AuthContext } from '../../core/auth/context.js';
import { appendAudit, type Actor } from '../../core/audit.js';
import type { Db, Executor } from '../../core/db.js';
import { AppError, fieldError } from '../../core/errors.js';
import type { EventBus } from '../../core/events.js';
import { paginate, type PageQuery } from '../../core/paging.js';
import { screenPublicText } from '../../core/public-text.js';
import { inScope, regionFieldInScope, regionInScope } from '../../core/scope.js';
import { noticeFor } from './access.js';
import { attachmentRef, managedColumns, presentManaged } from './present.js';
import { NOTICE_LEVELS, type NoticeStatus } from './tables.js';

/** The publishing side of notices: list, publish, edit, withdraw; and one notice for either side. */

export const NOTICE_CHANNEL = 'notice_events';
/** What the channel carries when a notice is published, changed or withdrawn (ids and a path: no text). */
export interface NoticeEvent { noticeId: number; regionPath: string; kind: 'published' | 'updated' | 'withdrawn' }

async function announce(bus: EventBus | null | undefined, tx: Executor, e: NoticeEvent) {
  await bus?.publish(tx, NOTICE_CHANNEL, e);
}

export interface NoticeFilter { q?: string; status?: NoticeStatus; regionId?: number; pinned?: '0' | '1' }

/** Notices published to regions inside the caller's scope, pinned first, newest first, with read rates. */
export async function listNotices(db: Db, auth: AuthContext, filter: NoticeFilter, page: PageQuery) {
  let q = managedColumns(db).where(inScope(auth, 'n.region_path'));
  if (filter.regionId) q = q.where('n.region_path', 'like', `${(await regionInScope(db, auth, filter.regionId)).path}%`);
  const term = filter.q?.trim();
  if (term) q = q.where('n.title', 'like', `%${term.replace(/[%_\\]/g, '\\$&')}%`);
  if (filter.pinned) q = q.where('n.pinned', '=', filter.pinned === '1');
  if (filter.status === 'withdrawn') q = q.where('n.withdrawn_at', 'is not', null);
  if (filter.status === 'expired') q = q.where('n.withdrawn_at', 'is', null).where(sql<SqlBool>`n.expires_at <= now()`);
  if (filter.status === 'active') q = q.where('n.withdrawn_at', 'is', null).where(sql<SqlBool>`(n.expires_at is null or n.expires_at > now())`);
  const res = await paginate(q.orderBy(sql`n.withdrawn_at is not null`).orderBy('n.pinned', 'desc').orderBy('n.published_at', 'desc').orderBy('n.id', 'desc'), page);
  return { ...res, items: res.items.map(presentManaged) };
}

/** The region a notice goes to: in scope, and at a level that has residents to tell (not a unit or room). */
async function noticeRegion(db: Executor, auth: AuthContext, regionId: number) {
  const region = await regionFieldInScope(db, auth, 'regionId', regionId);
  if (!(NOTICE_LEVELS as readonly string[]).includes(region.level)) throw fieldError('regionId', 'notice_region_level');
  return region;
}

function checkExpiry(expiresAt: string | null | undefined) {
  if (expiresAt && Date.parse(expiresAt) <= Date.now()) throw fieldError('expiresAt', 'expiry_in_past');
}

export interface NoticeInput { regionId: number; title: string; body: string; pinned?: boolean; expiresAt?: string | null }

/** Publishes a notice; title and body go through the public-text screen (phones, ID numbers, door numbers masked). */
export async function createNotice(d: { db: Db; bus: EventBus | null }, auth: AuthContext, actor: Actor, input: NoticeInput) {
  checkExpiry(input.expiresAt);
  return d.db.transaction().execute(async (tx) => {
    const region = await noticeRegion(tx, auth, input.regionId);
    const row = await tx.insertInto('notices').values({
      region_id: region.id, region_path: region.path, title: screenPublicText(input.title), body: screenPublicText(input.body), pinned: input.pinned ?? false,
      expires_at: input.expiresAt ?? null, published_by: auth.accountId,
    }).returning('id').executeTakeFirstOrThrow();
    await appendAudit(tx, actor, {
      action: 'notice.publish', targetType: 'notice', targetId: row.id,
      summary: { regionId: region.id, title: screenPublicText(input.title), pinned: input.pinned ?? false, expiresAt: input.expiresAt ?? null },
    });
    await announce(d.bus, tx, { noticeId: row.id, regionPath: region.path, kind: 'published' });
    return presentManaged((await managedColumns(tx).where('n.id', '=', row.id).executeTakeFirst())!);
  });
}

export type NoticePatch = Partial<NoticeInput>;

/** Edits a notice that is not withdrawn; moving it to another region needs that region in scope too. */
export async function updateNotice(d: { db: Db; bus: EventBus | null }, auth: AuthContext, actor: Actor, id: number, patch: NoticePatch) {
  checkExpiry(patch.expiresAt);
  return d.db.transaction().execute(async (tx) => {
    await noticeFor(tx, auth, id, 'manage');
    const current = await tx.selectFrom('notices').select(['withdrawn_at']).where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
    if (current.withdrawn_at) throw new AppError(409, 'notice_withdrawn');
    const region = patch.regionId != null ? await noticeRegion(tx, auth, patch.regionId) : null;
    await tx.updateTable('notices').set({
      ...(region && { region_id: region.id, region_path: region.path }),
      ...(patch.title != null && { title: screenPublicText(patch.title) }),
      ...(patch.body != null && { body: screenPublicText(patch.body) }),
      ...(patch.pinned != null && { pinned: patch.pinned }),
      ...(patch.expiresAt !== undefined && { expires_at: patch.expiresAt }),
      updated_at: new Date(),
    }).where('id', '=', id).execute();
    await appendAudit(tx, actor, { action: 'notice.update', targetType: 'notice', targetId: id, summary: { fields: Object.keys(patch) } });
    const n = (await managedColumns(tx).where('n.id', '=', id).executeTakeFirst())!;
    await announce(d.bus, tx, { noticeId: id, regionPath: n.region_path, kind: 'updated' });
    return presentManaged(n);
  });
}

/** Withdraws a notice (kept for the record, gone from residents' feeds); withdrawing again changes nothing. */
export async function withdrawNotice(d: { db: Db; bus: EventBus | null }, auth: AuthContext, actor: Actor, id: number) {
  return d.db.transaction().execute(async (tx) => {
    await noticeFor(tx, auth, id, 'manage');
    const done = await tx.updateTable('notices').set({ withdrawn_at: new Date(), withdrawn_by: auth.accountId, updated_at: new Date() })
      .where('id', '=', id).where('withdrawn_at', 'is', null).returning('region_path').executeTakeFirst();
    if (done) {
      await appendAudit(tx, actor, { action: 'notice.withdraw', targetType: 'notice', targetId: id, summary: {} });
      await announce(d.bus, tx, { noticeId: id, regionPath: done.region_path, kind: 'withdrawn' });
    }
    return presentManaged((await managedColumns(tx).where('n.id', '=', id).executeTakeFirst())!);
  });
}

/**
 * One notice. The publishing side gets the read figures; the audience gets the notice and whether they
 * have read it (opening it does not mark it read: the H5 posts /read, so a preview never counts).
 */
export async function getNotice(db: Db, auth: AuthContext, id: number) {
  const { side } = await noticeFor(db, auth, id, 'read');
  const n = (await managedColumns(db).where('n.id', '=', id).executeTakeFirst())!;
  const files = await db.selectFrom('notice_attachments as na').innerJoin('files as f', 'f.id', 'na.file_id')
    .select(['na.file_id', 'na.name', 'f.mime']).where('na.notice_id', '=', id).orderBy('na.sort').orderBy('na.file_id').execute();
  const read = await db.selectFrom('notice_reads').select('read_at').where('notice_id', '=', id).where('account_id', '=', auth.accountId).executeTakeFirst();
  const base = presentManaged(n);
  const common = {
    id: base.id, title: base.title, body: n.body, region: base.region, pinned: base.pinned, expiresAt: base.expiresAt, publishedAt: base.publishedAt,
    updatedAt: base.updatedAt, status: base.status, statusName: base.statusName, attachments: files.map(attachmentRef), readAt: read?.read_at ?? null,
    canManage: side === 'manage',
  };
  if (side === 'audience') return { ...common, publisher: null, stats: null };
  return { ...common, publisher: base.publisher, stats: { readers: base.readers, audience: base.audience, readRate: base.readRate } };
}

/** Through /api/files/:id: a notice's attachments for those who may read the notice; undefined when the file is not one. */
export async function readNoticeFile(db: Db, auth: AuthContext, fileId: number): Promise<boolean | undefined> {
  const links = await db.selectFrom('notice_attachments').select('notice_id').where('file_id', '=', fileId).execute();
  if (!links.length) return undefined;
  for (const l of links) {
    try {
      await noticeFor(db, auth, l.notice_id, 'read');
      return true;
    } catch { /* the next link may be readable */ }
  }
  return false;
}

