import { sql } from 'kysely';
import { appendAudit, SYSTEM_ACTOR } from '../../core/audit.js';
import type { Db, Executor } from '../../core/db.js';
import { notify } from '../../core/notify.js';
import { OPEN_STATUSES } from './requests-policy.js';
import { recordRequestEvent } from './service-requests.js';

/**
 * The SLA clock. A request not done within its category's SLA escalates to its community;
 * after the same time again, to its street; each step notifies that level's dispatchers (and
 * the assignee). Idempotent, and safe with several instances: each step takes one row with
 * FOR UPDATE SKIP LOCKED and moves it by a conditional update, so a step happens once.
 * `now` is the caller's clock (the timer passes the real time, tests a controlled one).
 */
export async function escalateOverdue(deps: { db: Db }, now = new Date(), batch = 500) {
  let community = 0, street = 0;
  for (let i = 0; i < batch; i++) {
    const moved = await deps.db.transaction().execute(async (tx) => {
      const r = await tx.selectFrom('service_requests as r').innerJoin('service_types as t', 't.id', 'r.service_type_id')
        .select(['r.id', 'r.escalation_level', 'r.due_at', 'r.sla_hours', 'r.community_id', 'r.street_id', 'r.assignee_id', 't.name as service_name'])
        .where('r.next_escalation_at', '<=', now).where('r.status', 'in', OPEN_STATUSES)
        .orderBy('r.next_escalation_at').limit(1).forUpdate('r').skipLocked().executeTakeFirst();
      if (!r) return null;
      const level = r.escalation_level + 1;
      const next = level === 1 ? new Date(new Date(r.due_at).getTime() + r.sla_hours * 3600_000) : null;
      const row = await tx.updateTable('service_requests').set({ escalation_level: level, escalated_at: now, next_escalation_at: next, updated_at: now })
        .where('id', '=', r.id).where('escalation_level', '=', r.escalation_level).returning('id').executeTakeFirst();
      if (!row) return 0;
      const where = level === 1 ? '社区' : '街道';
      const region = level === 1 ? r.community_id : r.street_id;
      const title = `报事超时升级至${where}`;
      const body = `「${r.service_name}」（报事编号 ${r.id}）超过时限 ${r.sla_hours * level} 小时未办结，已升级至${where}督办。`;
      const recipients = new Set(region ? await dispatchersOf(tx, region) : []);
      if (r.assignee_id) recipients.add(r.assignee_id);
      for (const accountId of recipients) await notify(tx, { accountId, kind: level === 1 ? 'request_escalated_community' : 'request_escalated_street', title, body });
      await recordRequestEvent(tx, r.id, level === 1 ? 'escalated_community' : 'escalated_street', null, null, { level, notified: recipients.size });
      await appendAudit(tx, SYSTEM_ACTOR, { action: 'service_request.escalate', targetType: 'service_request', targetId: r.id, summary: { level, at: now.toISOString() } });
      return level;
    });
    if (moved === null) break;
    if (moved === 1) community++;
    if (moved === 2) street++;
  }
  return { community, street };
}

/** Active accounts whose scope is exactly this region and who may dispatch requests. */
async function dispatchersOf(tx: Executor, regionId: number) {
  const rows = await tx.selectFrom('accounts as a').innerJoin('account_roles as ar', 'ar.account_id', 'a.id').innerJoin('roles as ro', 'ro.code', 'ar.role_code')
    .select('a.id').distinct().where('a.scope_region_id', '=', regionId).where('a.active', '=', true)
    .where((eb) => eb.or([eb(sql.lit('request:dispatch'), '=', sql<string>`any(ro.permissions)`), eb(sql.lit('*'), '=', sql<string>`any(ro.permissions)`)]))
    .orderBy('a.id').execute();
  return rows.map((a) => a.id);
}
