import { appendAudit, SYSTEM_ACTOR } from '../../../core/audit.js';
import type { Db } from '../../../core/db.js';
import { notify } from '../../../core/notify.js';
import { accountsHoldingAt } from '../../people/registry-rows.js';
import { TASK_DAYS } from './service.js';

/**
 * The clock of verification tasks, as service requests have one: a task still open at its
 * deadline escalates to its community's workers; after as long again, to its street's. Each step
 * happens once, also with several instances sweeping at the same moment: a task is taken with
 * FOR UPDATE SKIP LOCKED and moved by an update conditional on its level.
 * `now` is the caller's clock (the timer passes the real time, tests a controlled one).
 */
export async function escalateOverdueTasks(deps: { db: Db }, now = new Date(), batch = 500) {
  let community = 0, street = 0;
  for (let i = 0; i < batch; i++) {
    const moved = await deps.db.transaction().execute(async (tx) => {
      const t = await tx.selectFrom('brain_verification_tasks').select(['id', 'escalation_level', 'due_at', 'region_path', 'title'])
        .where('status', '=', 'open').where('next_escalation_at', '<=', now)
        .orderBy('next_escalation_at').limit(1).forUpdate().skipLocked().executeTakeFirst();
      if (!t) return null;
      const level = t.escalation_level + 1;
      const next = level === 1 ? new Date(new Date(t.due_at).getTime() + TASK_DAYS * 86400_000) : null;
      const row = await tx.updateTable('brain_verification_tasks').set({ escalation_level: level, escalated_at: now, next_escalation_at: next })
        .where('id', '=', t.id).where('escalation_level', '=', t.escalation_level).where('status', '=', 'open').returning('id').executeTakeFirst();
      if (!row) return 0;
      const ids = t.region_path.split('/').filter(Boolean).map(Number);
      const where = level === 1 ? '社区' : '街道';
      const region = level === 1 ? ids[2] : ids[1];
      const recipients = region ? await accountsHoldingAt(tx, region, 'task:verify') : [];
      for (const accountId of recipients) {
        await notify(tx, { accountId, kind: level === 1 ? 'task_escalated_community' : 'task_escalated_street', title: `核查任务超时升级至${where}`, body: `「${t.title}」（任务编号 ${t.id}）超过时限 ${TASK_DAYS * level} 天未完成，已升级至${where}督办。` });
      }
      await appendAudit(tx, SYSTEM_ACTOR, { action: 'brain.task.escalate', targetType: 'brain_verification_task', targetId: t.id, summary: { level, notified: recipients.length, at: now.toISOString() } });
      return level;
    });
    if (moved === null) break;
    if (moved === 1) community++;
    if (moved === 2) street++;
  }
  return { community, street };
}
