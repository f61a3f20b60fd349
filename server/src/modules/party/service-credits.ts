import { sql } from 'kysely';
import type { Executor } from '../../core/db.js';
import { creditPoints, memberOfAccount } from './points.js';
import { RATED_SOURCE_NAMES, type RatedSource } from './tables.js';

/**
 * What other modules' events earn a party member, registered with those modules in modules/index.ts and
 * called inside the transaction of the event itself: a station service done, a verification task closed
 * with a result, a resident's rating of a service a member gave. Each credit goes through the ledger's
 * unique key, so a replayed event adds nothing.
 */

/** A station service marked done by its handler (taking it earns nothing). */
export async function creditStationService(tx: Executor, e: { serviceId: number; title: string; handlerAccountId: number }) {
  const m = await memberOfAccount(tx, e.handlerAccountId);
  if (m) await creditPoints(tx, { memberId: m.id, rule: 'station_service', sourceKind: 'station_service', sourceId: e.serviceId, note: `完成站点服务「${e.title}」` });
}

/** A verification task closed with a result by a worker who is a party member. */
export async function creditVerificationTask(tx: Executor, e: { taskId: number; title: string; closedByAccountId: number }) {
  const m = await memberOfAccount(tx, e.closedByAccountId);
  if (m) await creditPoints(tx, { memberId: m.id, rule: 'verification_task', sourceKind: 'verification_task', sourceId: e.taskId, note: `完成核查任务「${e.title}」` });
}

/** Stars from which a rating earns the service_rated bonus. */
export const GOOD_RATING = 4;

/**
 * A resident's rating of a service handled by a party member: kept on the member's side (once per service),
 * and a good one earns the bonus rule's points. Nothing when the handler is not a member.
 */
export function recordServiceRating(kind: RatedSource) {
  return async (tx: Executor, e: { serviceId: number; title: string; handlerAccountId: number | null; rating: number; comment: string | null }) => {
    if (e.handlerAccountId == null) return;
    const m = await memberOfAccount(tx, e.handlerAccountId);
    if (!m) return;
    const row = await tx.insertInto('party_service_ratings').values({ member_id: m.id, source_kind: kind, source_id: e.serviceId, rating: e.rating, comment: e.comment, title: e.title })
      .onConflict((oc) => oc.columns(['source_kind', 'source_id']).doNothing()).returning('id').executeTakeFirst();
    if (row && e.rating >= GOOD_RATING) {
      await creditPoints(tx, { memberId: m.id, rule: 'service_rated', sourceKind: 'service_rating', sourceId: row.id, note: `${RATED_SOURCE_NAMES[kind]}「${e.title}」获居民 ${e.rating} 星好评` });
    }
  };
}

/** The ratings residents gave a member's services: average, count and the latest ones (the ledger's and profile's 群众评价). */
export async function memberRatings(db: Executor, memberId: number, limit = 50) {
  const [sum, rows] = await Promise.all([
    db.selectFrom('party_service_ratings').select([sql<number>`count(*)::int`.as('n'), sql<number | null>`round(avg(rating), 1)::float8`.as('avg')]).where('member_id', '=', memberId).executeTakeFirstOrThrow(),
    db.selectFrom('party_service_ratings').select(['id', 'source_kind', 'source_id', 'rating', 'comment', 'title', 'created_at'])
      .where('member_id', '=', memberId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute(),
  ]);
  return {
    count: Number(sum.n), average: sum.avg == null ? null : Number(sum.avg),
    items: rows.map((r) => ({ id: r.id, source: { kind: r.source_kind, kindName: RATED_SOURCE_NAMES[r.source_kind], id: r.source_id }, title: r.title, rating: r.rating, comment: r.comment, createdAt: r.created_at })),
  };
}
