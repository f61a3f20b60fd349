/**
 * 社区公告: the shapes the server answers. Types are the wire side of
 * server/src/modules/notices/schemas.ts (types only, nothing bundled).
 */
import type { z } from 'zod';
import type * as schemas from '@server/modules/notices/schemas.js';

type Wire<T extends z.ZodType> = z.input<T>;

export type NoticeStatus = Wire<typeof schemas.noticeStatus>;
export type ManagedNotice = Wire<typeof schemas.managedNotice>;
export type NoticeDetail = Wire<typeof schemas.noticeDetail>;
export type FeedNotice = Wire<typeof schemas.feedNotice>;

export const NOTICE_STATUSES = ['active', 'expired', 'withdrawn'] as const satisfies readonly NoticeStatus[];
