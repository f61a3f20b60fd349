import type { EventBus } from '../../core/events.js';
import type { Executor } from '../../core/db.js';
import { communityNames, wishCode } from './present.js';
import { screenPublicText } from '../../core/public-text.js';

export const WISH_CHANNEL = 'wish_events';

export type WishEventKind = 'submitted' | 'published' | 'rejected' | 'withdrawn' | 'edited' | 'claimed' | 'released' | 'revoked' | 'reminded' | 'fulfilled' | 'confirmed';

/** The live-feed payload: masked by construction (no person fields exist on it). */
export interface WishLiveEvent {
  type: WishEventKind; wishId: number; code: string; title: string; status: string; seasonId: number; category: string;
  communityId: number; communityName: string; beneficiary: string; claimerName: string | null; at: string;
}

/**
 * Adds a step to the wish's public timeline and, for the steps the public follows,
 * announces it on the live channel (delivered when the transaction commits).
 */
export async function recordWishEvent(tx: Executor, bus: EventBus | null, wishId: number, kind: WishEventKind, actorId: number | null, data: Record<string, unknown> = {}) {
  const at = new Date();
  await tx.insertInto('wish_events').values({ wish_id: wishId, kind, actor_id: actorId, at, data: JSON.stringify(data) }).execute();
  if (!bus || !['published', 'claimed', 'fulfilled', 'confirmed', 'released', 'revoked', 'withdrawn'].includes(kind)) return;
  const w = await tx.selectFrom('wishes').select(['id', 'title', 'status', 'community_id', 'beneficiary_surname', 'season_id', 'category']).where('id', '=', wishId).executeTakeFirstOrThrow();
  const names = await communityNames(tx, [w.community_id]);
  const event: WishLiveEvent = {
    type: kind, wishId, code: wishCode(wishId), title: screenPublicText(w.title), status: w.status, seasonId: w.season_id, category: w.category, communityId: w.community_id,
    communityName: names.get(w.community_id) ?? '', beneficiary: `${w.beneficiary_surname}某`,
    claimerName: (data.claimerName as string | undefined) ?? null, at: at.toISOString(),
  };
  await bus.publish(tx, WISH_CHANNEL, event);
}

export async function timelineOf(db: Executor, wishId: number) {
  const rows = await db.selectFrom('wish_events').select(['id', 'kind', 'at', 'data']).where('wish_id', '=', wishId).orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, kind: r.kind, at: r.at, ...(typeof r.data === 'string' ? JSON.parse(r.data) : (r.data as object)) }));
}
