import type { ColumnType, Generated } from 'kysely';

/** Kysely types of the notice tables (migrations/0022_notices.sql), merged into core's Database. */
type Id = Generated<number>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Stamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** The levels a notice may be published to (a unit or a room is too small for a notice board). */
export const NOTICE_LEVELS = ['district', 'street', 'community', 'compound', 'building'] as const;

export const NOTICE_STATUSES = ['active', 'expired', 'withdrawn'] as const;
export type NoticeStatus = (typeof NOTICE_STATUSES)[number];
export const NOTICE_STATUS_NAMES: Record<NoticeStatus, string> = { active: '发布中', expired: '已过期', withdrawn: '已撤回' };

export interface NoticesTable {
  id: Id; region_id: number; region_path: string; title: string; body: string; pinned: Generated<boolean>; expires_at: Timestamp | null;
  published_by: number | null; published_at: Stamp; updated_at: Stamp; withdrawn_at: Timestamp | null; withdrawn_by: number | null;
}
export interface NoticeAttachmentsTable { notice_id: number; file_id: number; name: string; sort: Generated<number> }
export interface NoticeReadsTable { notice_id: number; account_id: number; read_at: Stamp }

declare module '../../core/schema.js' {
  interface Database {
    notices: NoticesTable;
    notice_attachments: NoticeAttachmentsTable;
    notice_reads: NoticeReadsTable;
  }
}
