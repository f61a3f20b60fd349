import { sql, type Expression, type SqlBool } from 'kysely';
import type { Executor } from '../../core/db.js';
import { screenPublicText } from '../../core/public-text.js';
import type { WishCategory, WishStatus, WishTargetGroup } from '../../core/schema.js';

export const wishCode = (id: number) => `XY${String(id).padStart(6, '0')}`;
/** 'XY000123' or '123' → 123 */
export const wishIdFromCode = (code: string) => {
  const m = /^(?:XY)?0*(\d+)$/i.exec(code.trim());
  return m ? Number(m[1]) : null;
};

export const CATEGORY_NAMES: Record<WishCategory, string> = { goods: '物质', service: '服务', companionship: '陪伴' };
export const TARGET_NAMES: Record<WishTargetGroup, string> = { elder: '独居老人', child: '儿童', disabled: '残疾人', hardship: '困难家庭', other: '其他' };
export const STATUS_NAMES: Record<WishStatus, string> = {
  pending_review: '待审核', published: '待认领', rejected: '未通过', claimed: '已认领', fulfilled: '已圆梦', confirmed: '已确认', withdrawn: '已撤回',
};

const yuan = (fen: number) => Math.round(fen) / 100;

export interface WishRow {
  id: number; season_id: number; community_id: number; region_path: string; beneficiary_person_id: number | null; beneficiary_surname: string;
  title: string; story: string; category: WishCategory; target_group: WishTargetGroup; estimated_value_fen: number; channel: 'h5' | 'visit' | 'import' | 'wechat';
  status: WishStatus; review_status: 'pending' | 'approved' | 'rejected'; review_reason: string | null; published_at: Date | string | null; claimed_at: Date | string | null;
  fulfilled_at: Date | string | null; confirmed_at: Date | string | null; rating: number | null; thanks: string | null; view_count: number;
  created_at: Date | string; submitted_by: number | null; visit_date: string | null; visitor: string | null;
}

/** The public face of a wish: beneficiary as surname + 某, community name, free text screened — nothing that identifies the person. */
export function presentPublicWish(w: WishRow, extra: { communityName: string; claimerName?: string | null; claimerPartyMember?: boolean; photos?: PhotoRef[] }) {
  return {
    id: w.id, code: wishCode(w.id), seasonId: w.season_id, title: screenPublicText(w.title), story: screenPublicText(w.story),
    category: w.category, categoryName: CATEGORY_NAMES[w.category], targetGroup: w.target_group, targetGroupName: TARGET_NAMES[w.target_group],
    estimatedValue: yuan(w.estimated_value_fen), status: w.status, statusName: STATUS_NAMES[w.status],
    beneficiary: `${w.beneficiary_surname}某`, communityId: w.community_id, communityName: extra.communityName,
    claimerName: extra.claimerName ?? null, claimerPartyMember: extra.claimerPartyMember ?? false, publishedAt: w.published_at, claimedAt: w.claimed_at, fulfilledAt: w.fulfilled_at, confirmedAt: w.confirmed_at,
    rating: w.rating, thanks: screenPublicText(w.thanks), viewCount: w.view_count, photos: extra.photos ?? [],
  };
}

export interface PhotoRef { id: number; kind: 'wish' | 'evidence'; url: string; thumbUrl: string }

export async function photosOf(db: Executor, wishIds: number[]): Promise<Map<number, PhotoRef[]>> {
  const out = new Map<number, PhotoRef[]>();
  if (!wishIds.length) return out;
  const rows = await db.selectFrom('wish_photos').select(['wish_id', 'file_id', 'kind']).where('wish_id', 'in', wishIds).orderBy('kind').orderBy('sort').orderBy('id').execute();
  for (const r of rows) {
    const list = out.get(r.wish_id) ?? [];
    list.push({ id: r.file_id, kind: r.kind, url: `/api/public/files/${r.file_id}`, thumbUrl: `/api/public/files/${r.file_id}?thumb=1` });
    out.set(r.wish_id, list);
  }
  return out;
}

export async function communityNames(db: Executor, ids: number[]): Promise<Map<number, string>> {
  if (!ids.length) return new Map();
  const rows = await db.selectFrom('regions').select(['id', 'name']).where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The name the public sees for a claimer: the organisation, or a party member as surname + 某. */
export function publicClaimerName(name: string, isOrg: boolean) {
  return isOrg ? name : `${name[0]}某`;
}

/**
 * Which claimer accounts are party members (亮身份: a member's claims show the badge), registered by
 * the party module so that this module needs no knowledge of the register.
 */
export type PartyBadgeLookup = (db: Executor, accountIds: number[]) => Promise<Map<number, unknown>>;
/** The same test as a condition on an account id column, for lists that join their claims in one query. */
export type PartyBadgeCondition = (accountId: Expression<number | null>) => Expression<SqlBool>;
let partyBadges: PartyBadgeLookup | null = null;
let partyBadgeCondition: PartyBadgeCondition | null = null;
export function setPartyBadgeLookup(lookup: PartyBadgeLookup, condition: PartyBadgeCondition) {
  partyBadges = lookup;
  partyBadgeCondition = condition;
}
/** Whether the account in this column wears the party badge (false when the party module is not wired). */
export const hasPartyBadge = (accountId: Expression<number | null>): Expression<SqlBool> => partyBadgeCondition?.(accountId) ?? sql<SqlBool>`false`;

export async function liveClaimers(db: Executor, wishIds: number[]) {
  if (!wishIds.length) return new Map<number, { claimerId: number; name: string; publicName: string; partyMember: boolean; status: string; dueAt: Date | string; claimedAt: Date | string }>();
  const rows = await db.selectFrom('wish_claims').select(['wish_id', 'claimer_id', 'claimer_name', 'claimer_org_id', 'status', 'due_at', 'claimed_at'])
    .where('wish_id', 'in', wishIds).where('status', 'in', ['live', 'fulfilled']).execute();
  // An alliance unit's claim is the unit's, not a member's, even when its account's person is one.
  const badges = partyBadges && rows.length ? await partyBadges(db, rows.filter((r) => r.claimer_org_id == null).map((r) => r.claimer_id)) : new Map<number, unknown>();
  return new Map(rows.map((r) => [r.wish_id, {
    claimerId: r.claimer_id, name: r.claimer_name, publicName: publicClaimerName(r.claimer_name, r.claimer_org_id != null),
    partyMember: r.claimer_org_id == null && badges.has(r.claimer_id), status: r.status, dueAt: r.due_at, claimedAt: r.claimed_at,
  }]));
}
