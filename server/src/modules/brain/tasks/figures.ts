import { sql } from 'kysely';
import type { Db } from '../../../core/db.js';
import { underPath } from '../../../core/scope.js';

/** Verification tasks under the cockpit's region: assigned, open, done, confirmed, wrong person (the cockpit's `verificationTasks`). */
export async function taskFigures(db: Db, scopePath: string) {
  const r = await db.selectFrom('brain_verification_tasks as t').where(underPath('t.region_path', scopePath)).select([
    sql<number>`count(*)::int`.as('assigned'),
    sql<number>`count(*) filter (where t.status = 'open')::int`.as('open'),
    sql<number>`count(*) filter (where t.status = 'done')::int`.as('done'),
    sql<number>`count(*) filter (where t.result = 'confirmed')::int`.as('confirmed'),
    sql<number>`count(*) filter (where t.result = 'wrong_person')::int`.as('wrongPerson'),
  ]).executeTakeFirstOrThrow();
  return { verificationTasks: { assigned: Number(r.assigned), open: Number(r.open), done: Number(r.done), confirmed: Number(r.confirmed), wrongPerson: Number(r.wrongPerson) } };
}
