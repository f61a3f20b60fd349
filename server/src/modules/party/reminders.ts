import type { ModuleDeps } from '../../core/module.js';
import { notify } from '../../core/notify.js';
import { attendeesOf } from './activities.js';
import { ACTIVITY_KIND_NAMES } from './tables.js';

/** Members are reminded this long before an activity starts (or at once, for one scheduled closer than that). */
export const REMIND_HOURS_BEFORE = 24;

/**
 * Reminds the attending members (those with an account) of activities starting within the next
 * 24 hours, once: the conditional update on reminded_at decides, so the sweep is idempotent and
 * safe on several instances. Messages go through core/notify (in-app + outbox).
 */
export async function sweepActivityReminders(d: Pick<ModuleDeps, 'db'>, now = new Date()) {
  const soon = new Date(now.getTime() + REMIND_HOURS_BEFORE * 3600_000);
  const due = await d.db.selectFrom('party_activities').select('id').where('reminded_at', 'is', null)
    .where('starts_at', '>', now).where('starts_at', '<=', soon).orderBy('starts_at').limit(200).execute();
  let reminded = 0;
  for (const { id } of due) {
    await d.db.transaction().execute(async (tx) => {
      const a = await tx.updateTable('party_activities').set({ reminded_at: now }).where('id', '=', id).where('reminded_at', 'is', null)
        .returning(['kind', 'topic', 'place', 'starts_at']).executeTakeFirst();
      if (!a) return;
      const accounts = await attendeesOf(tx, id).innerJoin('accounts as acc', 'acc.person_id', 'm.person_id')
        .where('acc.active', '=', true).select('acc.id').distinct().execute();
      const when = new Date(a.starts_at).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' });
      for (const acc of accounts) {
        await notify(tx, { accountId: acc.id, kind: 'party_activity_reminder', title: `${ACTIVITY_KIND_NAMES[a.kind]}提醒`, body: `${when} 在${a.place}召开${ACTIVITY_KIND_NAMES[a.kind]}「${a.topic}」，请准时参加并扫码签到。` });
        reminded++;
      }
    });
  }
  return { activities: due.length, reminded };
}
