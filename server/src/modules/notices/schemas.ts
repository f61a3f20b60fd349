import { z } from 'zod';
import { pageOf } from '../../core/paging.js';
import { code, instant, int, ok } from '../../core/response.js';

/** Response schemas of the notice routes (see core/response.ts). The enums repeat tables.ts's lists, so that the web can take its types from this file. */

export const noticeLevel = z.enum(['district', 'street', 'community', 'compound', 'building']);
export const noticeStatus = z.enum(['active', 'expired', 'withdrawn']);
const region = z.object({ id: int, name: z.string(), level: code(noticeLevel) });
const rate = z.number().nullable().describe('阅读率（%）：已读账号 / 公告范围内居住的在用账号，范围内无账号时为 null');

/** The publishing side's row: read figures included. */
export const managedNotice = z.object({
  id: int, title: z.string(), region, pinned: z.boolean(), expiresAt: instant.nullable(), publishedAt: instant, updatedAt: instant, withdrawnAt: instant.nullable(),
  status: code(noticeStatus), statusName: z.string(), publisher: z.string().nullable(), attachments: int, readers: int, audience: int, readRate: rate,
});
const attachment = z.object({ id: int, name: z.string(), mime: z.string(), url: z.string(), thumbUrl: z.string().nullable() });
/** One notice: `stats` and `publisher` for the publishing side only (null for the audience). */
export const noticeDetail = z.object({
  id: int, title: z.string(), body: z.string(), region, pinned: z.boolean(), expiresAt: instant.nullable(), publishedAt: instant, updatedAt: instant,
  status: code(noticeStatus), statusName: z.string(), attachments: z.array(attachment), readAt: instant.nullable(), canManage: z.boolean(),
  publisher: z.string().nullable(), stats: z.object({ readers: int, audience: int, readRate: rate }).nullable(),
});
/** A resident's feed item. */
export const feedNotice = z.object({
  id: int, title: z.string(), excerpt: z.string(), region, pinned: z.boolean(), publishedAt: instant, expiresAt: instant.nullable(), attachments: int, read: z.boolean(),
});

export const noticeResponses = {
  list: { 200: pageOf(managedNotice) },
  created: { 201: managedNotice },
  updated: { 200: managedNotice },
  detail: { 200: noticeDetail },
  feed: { 200: pageOf(feedNotice) },
  unread: { 200: z.object({ unread: int }) },
  read: { 200: z.object({ id: int, readAt: instant.nullable(), unread: int }) },
  attachments: { 200: z.object({ attachments: z.array(attachment) }) },
  ok: { 200: ok },
};
