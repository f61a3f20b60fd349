import { sql } from 'kysely';
import type { Executor } from '../../core/db.js';
import { NOTICE_STATUS_NAMES, type NoticeStatus } from './tables.js';

/**
 * How notices leave the module. Read rate: of the active accounts whose person's home lies under the
 * notice's region today (its audience), how many have opened it. Both counts are of accounts, not of
 * persons: a person without an account cannot read a notice on the H5.
 */

const status = sql<NoticeStatus>`case when n.withdrawn_at is not null then 'withdrawn' when n.expires_at is not null and n.expires_at <= now() then 'expired' else 'active' end`;
const audience = sql<number>`(select count(*)::int from accounts aa join persons ap on ap.id = aa.person_id where aa.active and ap.region_path like n.region_path || '%')`;
const readers = sql<number>`(select count(*)::int from notice_reads nr join accounts ra on ra.id = nr.account_id join persons rp on rp.id = ra.person_id
  where nr.notice_id = n.id and ra.active and rp.region_path like n.region_path || '%')`;
const attachments = sql<number>`(select count(*)::int from notice_attachments na where na.notice_id = n.id)`;

/** Columns of the publishing side's list and detail (on a noticesFrom query). */
export function managedColumns(db: Executor) {
  return db.selectFrom('notices as n').innerJoin('regions as r', 'r.id', 'n.region_id').leftJoin('accounts as pa', 'pa.id', 'n.published_by')
    .select([
      'n.id', 'n.title', 'n.body', 'n.region_id', 'r.name as region_name', 'r.level as region_level', 'n.region_path', 'n.pinned', 'n.expires_at',
      'n.published_at', 'n.updated_at', 'n.withdrawn_at', 'pa.display_name as publisher', status.as('status'), audience.as('audience'), readers.as('readers'),
      attachments.as('attachments'),
    ]);
}
type ManagedRow = NonNullable<Awaited<ReturnType<ReturnType<typeof managedColumns>['executeTakeFirst']>>>;

/** Percent with one decimal; null when nobody is in the audience. */
export const readRate = (readers: number, audience: number) => (audience > 0 ? Math.round((readers * 1000) / audience) / 10 : null);

const region = (n: { region_id: number; region_name: string; region_level: string }) => ({ id: n.region_id, name: n.region_name, level: n.region_level });

export function presentManaged(n: ManagedRow) {
  const readersN = Number(n.readers), audienceN = Number(n.audience);
  return {
    id: n.id, title: n.title, region: region(n), pinned: n.pinned, expiresAt: n.expires_at, publishedAt: n.published_at, updatedAt: n.updated_at,
    withdrawnAt: n.withdrawn_at, status: n.status, statusName: NOTICE_STATUS_NAMES[n.status], publisher: n.publisher ?? null,
    attachments: Number(n.attachments), readers: readersN, audience: audienceN, readRate: readRate(readersN, audienceN),
  };
}

/** The audience's side: no publisher account, no read figures. */
export function feedColumns(db: Executor) {
  return db.selectFrom('notices as n').innerJoin('regions as r', 'r.id', 'n.region_id')
    .select(['n.id', 'n.title', 'n.body', 'n.region_id', 'r.name as region_name', 'r.level as region_level', 'n.pinned', 'n.expires_at', 'n.published_at', attachments.as('attachments')]);
}
type FeedRow = NonNullable<Awaited<ReturnType<ReturnType<typeof feedColumns>['executeTakeFirst']>>>;

const EXCERPT = 60;
export function presentFeed(n: FeedRow, read: boolean) {
  const flat = n.body.replace(/\s+/g, ' ').trim();
  return {
    id: n.id, title: n.title, excerpt: flat.length > EXCERPT ? `${flat.slice(0, EXCERPT)}…` : flat, region: region(n), pinned: n.pinned,
    publishedAt: n.published_at, expiresAt: n.expires_at, attachments: Number(n.attachments), read,
  };
}

export const attachmentRef = (a: { file_id: number; name: string; mime: string }) => ({
  id: a.file_id, name: a.name, mime: a.mime, url: `/api/files/${a.file_id}`, thumbUrl: a.mime.startsWith('image/') ? `/api/files/${a.file_id}?thumb=1` : null,
});
