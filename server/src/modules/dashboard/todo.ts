import { sql } from 'kysely';
import type { AuthContext } from '../../core/auth/context.js';
import { can } from '../../core/auth/roles.js';
import type { Db } from '../../core/db.js';
import { inScope } from '../../core/scope.js';

/** A claim due within this many days counts as "near its deadline". */
export const CLAIM_DUE_DAYS = 3;

export interface TodoItem { key: 'reviewWishes' | 'enterBallots' | 'claimsDue'; count: number; rooms?: number }

/**
 * The console home's to-do list: what waits for the caller, counted inside the caller's scope,
 * one item per duty the caller's permissions give (reads only; the tables stay their modules').
 */
export async function todoFor(db: Db, auth: AuthContext): Promise<{ items: TodoItem[]; claimDueDays: number }> {
  const items: TodoItem[] = [];
  if (can(auth.permissions, 'wish:review')) {
    const r = await db.selectFrom('wishes').select(sql<number>`count(*)::int`.as('n'))
      .where('status', '=', 'pending_review').where(inScope(auth, 'region_path')).executeTakeFirstOrThrow();
    items.push({ key: 'reviewWishes', count: r.n });
  }
  if (can(auth.permissions, 'consult:manage')) {
    // Open votes on consultations in scope where some room has not voted yet: the paper ballots still to come in.
    const r = await db.selectFrom('votes as v').innerJoin('consultations as c', 'c.id', 'v.consultation_id')
      .innerJoin('vote_rooms as vr', 'vr.vote_id', 'v.id')
      .leftJoin('vote_participations as vp', (j) => j.onRef('vp.vote_id', '=', 'vr.vote_id').onRef('vp.room_id', '=', 'vr.room_id'))
      .select([sql<number>`count(distinct v.id)::int`.as('votes'), sql<number>`count(*)::int`.as('rooms')])
      .where('v.status', '=', 'open').where('vp.room_id', 'is', null).where(inScope(auth, 'c.scope_path')).executeTakeFirstOrThrow();
    items.push({ key: 'enterBallots', count: r.votes, rooms: r.rooms });
  }
  if (can(auth.permissions, 'wish:read')) {
    const r = await db.selectFrom('wish_claims as wc').innerJoin('wishes as w', 'w.id', 'wc.wish_id').select(sql<number>`count(*)::int`.as('n'))
      .where('wc.status', '=', 'live').where('w.status', '=', 'claimed').where('wc.due_at', '<', new Date(Date.now() + CLAIM_DUE_DAYS * 86_400_000))
      .where(inScope(auth, 'w.region_path')).executeTakeFirstOrThrow();
    items.push({ key: 'claimsDue', count: r.n });
  }
  return { items, claimDueDays: CLAIM_DUE_DAYS };
}
