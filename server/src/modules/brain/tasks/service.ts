/**
 * Verification tasks (核查任务): a match job's accepted links against the population registry
 * become tasks routed to the person's community and grid; a worker there records the outcome.
 * "Wrong person" goes back to the job as a non_match label, which re-scoring learns from.
 */
import { sql } from 'kysely';
import { appendAudit, type Actor } from '../../../core/audit.js';
import type { AuthContext } from '../../../core/auth/context.js';
import { can } from '../../../core/auth/roles.js';
import type { Db, Executor } from '../../../core/db.js';
import { prepareImage, saveImage, type FileStore } from '../../../core/files.js';
import { AppError, fieldError, notFound, outOfScope } from '../../../core/errors.js';
import { paginate, type PageQuery } from '../../../core/paging.js';
import { regionInScope, underPath } from '../../../core/scope.js';
import { gridsCovering, regionNames } from '../../regions/grids-covering.js';
import { requireSteward } from '../policy.js';
import { canSeeTask, taskViewer, visibleTasks, type TaskViewer } from './access.js';
import { presentTask, type TaskRow } from './present.js';
import { registryDatasetId } from './registry.js';
import type { TaskResult, TaskStatus } from './tables.js';

/** Days a worker has for a task before it escalates to the community (and as long again to the street). */
export const TASK_DAYS = 3;
const DAY_MS = 86400_000;

/** The person's region is the last id of its path; its community and street are the 3rd and 2nd. */
const pathIds = (path: string) => path.split('/').filter(Boolean).map(Number);

/** Accepted links of a job: auto-links nobody rejected, and pairs a reviewer accepted. */
const ACCEPTED = sql<boolean>`((p.decision = 'auto' and p.label is distinct from 'non_match') or p.label = 'match')`;

export async function createTasksForJob(db: Db, auth: AuthContext, actor: Actor, jobId: number): Promise<{ created: number; skipped: number }> {
  requireSteward(auth);
  const job = await db.selectFrom('brain_match_jobs as j').innerJoin('brain_datasets as l', 'l.id', 'j.left_dataset_id')
    .select(['j.id', 'j.status', 'j.right_dataset_id', 'l.name as left_name']).where('j.id', '=', jobId).executeTakeFirst();
  if (!job) throw notFound();
  if (job.right_dataset_id !== await registryDatasetId(db)) throw new AppError(409, 'task_job_not_registry', 'task_job_not_registry');
  if (job.status !== 'succeeded') throw new AppError(409, 'match_job_busy', 'match_job_busy');
  // Accepted links with the person's place from the registry row; those already tasked are skipped.
  const links = (await sql<{ left_id: number; right_id: number; person_key: string; path: string | null; tasked: boolean }>`
    select p.left_id, p.right_id, lr.key as person_key, rw.data->>'region_path' as path,
           exists (select 1 from brain_verification_tasks t where t.job_id = p.job_id and t.left_id = p.left_id and t.right_id = p.right_id) as tasked
    from brain_match_pairs p
    join brain_link_records lr on lr.id = p.right_id
    left join brain_rows rw on rw.dataset_id = ${job.right_dataset_id} and rw.key = lr.key
    where p.job_id = ${jobId} and ${ACCEPTED}
    order by p.left_id, p.right_id`.execute(db)).rows;
  const todo = links.filter((l) => !l.tasked && l.path && /^\d+$/.test(l.person_key));
  const grids = await gridsCovering(db, todo.map((l) => l.path!));
  const now = new Date();
  const due = new Date(now.getTime() + TASK_DAYS * DAY_MS);
  const title = `核实是否在本辖区居住（来源：${job.left_name}）`;
  const created = await db.transaction().execute(async (tx) => {
    let n = 0;
    for (let i = 0; i < todo.length; i += 1000) {
      const rows = todo.slice(i, i + 1000).map((l) => ({
        job_id: jobId, left_id: l.left_id, right_id: l.right_id, person_id: Number(l.person_key), region_id: pathIds(l.path!).at(-1)!, region_path: l.path!,
        grid_id: grids.get(l.path!) ?? null, title, due_at: due, next_escalation_at: due, created_by: auth.accountId, created_at: now,
      }));
      // A second call racing this one inserts nothing twice: the pair is unique.
      const ins = await tx.insertInto('brain_verification_tasks').values(rows).onConflict((oc) => oc.columns(['job_id', 'left_id', 'right_id']).doNothing()).returning('id').execute();
      n += ins.length;
    }
    await appendAudit(tx, actor, { action: 'brain.task.create', targetType: 'brain_match_job', targetId: jobId, summary: { created: n, accepted: links.length } });
    return n;
  });
  return { created, skipped: links.length - created };
}

function taskQuery(db: Executor) {
  return db.selectFrom('brain_verification_tasks as t')
    .innerJoin('brain_match_jobs as j', 'j.id', 't.job_id')
    .innerJoin('brain_datasets as l', 'l.id', 'j.left_dataset_id')
    .leftJoin('brain_rows as rw', (jn) => jn.onRef('rw.dataset_id', '=', 'j.right_dataset_id').on(sql<boolean>`rw.key = t.person_id::text`))
    .leftJoin('accounts as c', 'c.id', 't.closed_by')
    .select(['t.id', 't.job_id', 't.status', 't.result', 't.note', 't.title', 't.person_id', 't.region_id', 't.region_path', 't.grid_id', 't.due_at',
      't.escalation_level', 't.escalated_at', 't.created_at', 't.closed_at', 't.photo_file_id', 'c.display_name as closed_by_name', 'l.name as source_name', sql<Record<string, unknown> | null>`rw.data`.as('person')]);
}

export interface TaskFilter { status?: TaskStatus; regionId?: number }

async function filtered(db: Db, v: TaskViewer, f: TaskFilter) {
  let q = taskQuery(db).where(visibleTasks(v));
  if (f.regionId) q = q.where(underPath('t.region_path', (await regionInScope(db, v.auth, f.regionId)).path));
  if (f.status) q = q.where('t.status', '=', f.status);
  return q;
}

/** Tasks the caller may see: open ones first, the most urgent first. */
export async function listTasks(db: Db, auth: AuthContext, f: TaskFilter, page: PageQuery) {
  const v = await taskViewer(db, auth);
  const q = (await filtered(db, v, f)).orderBy(sql`case when t.status = 'open' then 0 else 1 end`).orderBy('t.due_at').orderBy('t.id');
  const res = await paginate(q, page);
  return { ...res, items: res.items.map((t) => presentTask(t as TaskRow)) };
}

async function loadVisible(db: Executor, v: TaskViewer, id: number) {
  const t = await taskQuery(db).where('t.id', '=', id).executeTakeFirst();
  if (!t) throw notFound();
  if (!canSeeTask(v, t)) throw outOfScope();
  return t as TaskRow & { region_path: string };
}

export async function getTask(db: Db, auth: AuthContext, id: number) {
  return presentTask(await loadVisible(db, await taskViewer(db, auth), id));
}

export interface TaskResultInput { result: TaskResult; note?: string; }

export interface TaskClosed { taskId: number; title: string; closedByAccountId: number }
const closedListeners: ((tx: Executor, e: TaskClosed) => Promise<void>)[] = [];
/** Called inside the transaction that closes a task with its result (party points for a worker who is a member). */
export const onTaskClosed = (l: (tx: Executor, e: TaskClosed) => Promise<void>) => { closedListeners.push(l); };

/**
 * Closes a task with its outcome and an optional photo of the visit (once: a second close is 409);
 * "wrong person" labels the pair non_match.
 */
export async function recordTaskResult(d: { db: Db; files: FileStore }, auth: AuthContext, actor: Actor, id: number, input: TaskResultInput, photo?: Buffer) {
  const { db } = d;
  const v = await taskViewer(db, auth);
  const note = input.note?.trim() || null;
  await loadVisible(db, v, id); // scope first: nobody outside it gets an image decoded
  const image = photo ? await prepareImage(photo, 'photo') : null; // outside the transaction: CPU work holds no connection
  await db.transaction().execute(async (tx) => {
    const t = await loadVisible(tx, v, id);
    if (input.result === 'other' && !note) throw fieldError('note', 'required');
    const now = new Date();
    const file = image ? await saveImage(tx, d.files, image, auth.accountId) : null;
    const row = await tx.updateTable('brain_verification_tasks')
      .set({ status: 'done', result: input.result, note, photo_file_id: file?.id ?? null, closed_by: auth.accountId, closed_at: now, next_escalation_at: null })
      .where('id', '=', id).where('status', '=', 'open').returning(['job_id', 'left_id', 'right_id']).executeTakeFirst();
    if (!row) throw new AppError(409, 'task_closed', 'task_closed');
    if (input.result === 'wrong_person') {
      await tx.updateTable('brain_match_pairs').set({ label: 'non_match', labelled_by: auth.accountId, labelled_at: now })
        .where('job_id', '=', row.job_id).where('left_id', '=', row.left_id).where('right_id', '=', row.right_id).execute();
    }
    for (const l of closedListeners) await l(tx, { taskId: id, title: t.title, closedByAccountId: auth.accountId });
    await appendAudit(tx, actor, { action: 'brain.task.result', targetType: 'brain_verification_task', targetId: id, summary: { result: input.result, note, jobId: t.job_id, photo: !!file } });
  });
  return getTask(db, auth, id);
}

export interface TaskCounts { assigned: number; done: number; confirmed: number; wrongPerson: number; wrongPersonRate: number | null }
const counts = (r: { assigned: number; done: number; confirmed: number; wrong: number }): TaskCounts => {
  const done = Number(r.done), wrongPerson = Number(r.wrong);
  return { assigned: Number(r.assigned), done, confirmed: Number(r.confirmed), wrongPerson, wrongPersonRate: done ? Math.round((wrongPerson / done) * 10000) / 10000 : null };
};

/** Progress by street and community (assigned, done, confirmed, wrong-person rate among the done), over the tasks the caller sees. */
export async function taskStats(db: Db, auth: AuthContext, f: { regionId?: number }) {
  const v = await taskViewer(db, auth);
  const q = (await filtered(db, v, f)).clearSelect()
    .select([sql<number>`nullif(split_part(t.region_path, '/', 3), '')::int`.as('street'), sql<number>`nullif(split_part(t.region_path, '/', 4), '')::int`.as('community'),
      sql<number>`count(*)`.as('assigned'), sql<number>`count(*) filter (where t.status = 'done')`.as('done'),
      sql<number>`count(*) filter (where t.result = 'confirmed')`.as('confirmed'), sql<number>`count(*) filter (where t.result = 'wrong_person')`.as('wrong')])
    .groupBy([sql`1`, sql`2`]).orderBy(sql`1`).orderBy(sql`2`);
  const rows = await q.execute();
  const names = await regionNames(db, rows.flatMap((r) => [r.street, r.community]));
  const sum = (list: typeof rows) => list.reduce((a, r) => ({ assigned: a.assigned + Number(r.assigned), done: a.done + Number(r.done), confirmed: a.confirmed + Number(r.confirmed), wrong: a.wrong + Number(r.wrong) }),
    { assigned: 0, done: 0, confirmed: 0, wrong: 0 });
  const streets = [...new Set(rows.map((r) => r.street))].map((id) => ({ regionId: id, name: names.get(id) ?? '', ...counts(sum(rows.filter((r) => r.street === id))) }));
  const communities = rows.map((r) => ({ regionId: r.community, name: names.get(r.community) ?? '', streetId: r.street, ...counts(r) }));
  return { total: counts(sum(rows)), streets, communities };
}

/** Through /api/files/:id: a task's photo is seen by whoever sees the task; undefined when the file is not one. */
export async function readTaskFile(db: Db, auth: AuthContext, fileId: number): Promise<boolean | undefined> {
  const t = await db.selectFrom('brain_verification_tasks').select(['region_path', 'grid_id']).where('photo_file_id', '=', fileId).executeTakeFirst();
  if (!t) return undefined;
  // As the task routes: the verifying workers of the place, never a resident whose home is in that scope.
  return can(auth.permissions, 'task:verify') && canSeeTask(await taskViewer(db, auth), t);
}
