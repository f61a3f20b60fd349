import type { AuthContext } from '../../core/auth/context.js';
import { appendAudit, type Actor } from '../../core/audit.js';
import type { Db } from '../../core/db.js';
import { AppError, fieldError, notFound } from '../../core/errors.js';
import type { SecretBox } from '../../core/secret-box.js';
import { attendeesOf, myMember } from './activities.js';
import { CHECKIN_WINDOW_MIN, readActivityToken } from './checkin-token.js';
import { creditPoints } from './points.js';

/**
 * Sign-in by the activity's QR code. The code carries `activityId.expiry.mac`, an HMAC under a key
 * derived from REDCOM_SECRET_KEY (so every instance accepts every instance's codes), and expires when
 * the sign-in window closes. A member signs in once: the unique (activity, member) key decides a
 * retried or concurrent sign-in, and both answer the same.
 */

export async function checkIn(db: Db, secrets: SecretBox, auth: AuthContext, actor: Actor, id: number, token: string) {
  const t = readActivityToken(secrets, token);
  if (!t || t.activityId !== id) throw fieldError('token', 'invalid_checkin_token');
  if (t.expiresAt.getTime() <= Date.now()) throw fieldError('token', 'checkin_token_expired');
  return db.transaction().execute(async (tx) => {
    const a = await tx.selectFrom('party_activities').select(['id', 'topic', 'starts_at', 'ends_at']).where('id', '=', id).executeTakeFirst();
    if (!a) throw notFound();
    const me = await myMember(tx, auth);
    if (!me) throw new AppError(403, 'forbidden', 'not_a_member');
    if (!(await attendeesOf(tx, id).where('m.id', '=', me.id).select('m.id').executeTakeFirst())) throw new AppError(403, 'forbidden', 'not_activity_member');
    const now = Date.now();
    if (now < new Date(a.starts_at).getTime() - CHECKIN_WINDOW_MIN * 60_000 || now > new Date(a.ends_at).getTime() + CHECKIN_WINDOW_MIN * 60_000) {
      throw new AppError(409, 'checkin_window', 'activity_checkin_window', { minutes: CHECKIN_WINDOW_MIN });
    }
    const inserted = await tx.insertInto('party_attendance').values({ activity_id: id, member_id: me.id, via: 'qr' })
      .onConflict((oc) => oc.columns(['activity_id', 'member_id']).doNothing()).returning('id').executeTakeFirst();
    if (inserted) {
      await creditPoints(tx, { memberId: me.id, rule: 'activity_attendance', sourceKind: 'activity', sourceId: id, note: `参加组织生活「${a.topic}」` });
      await appendAudit(tx, actor, { action: 'party_activity.checkin', targetType: 'party_activity', targetId: id, summary: { memberId: me.id } });
    }
    const row = await tx.selectFrom('party_attendance').select(['checked_in_at']).where('activity_id', '=', id).where('member_id', '=', me.id).executeTakeFirstOrThrow();
    const points = await tx.selectFrom('party_points').select('points').where('source_kind', '=', 'activity').where('source_id', '=', id).where('member_id', '=', me.id).executeTakeFirst();
    return { activityId: id, topic: a.topic, memberId: me.id, name: me.name, checkedInAt: row.checked_in_at, points: points?.points ?? 0 };
  });
}
