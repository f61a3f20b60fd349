/**
 * Match jobs as the console and the CLI start and review them. Who may: the hub's stewards only
 * (policy.requireSteward), and only over datasets whose rows policy.rowAccess lets them use —
 * a 不予共享 dataset never enters a linkage. Starting a job appends one exchange-log record per
 * dataset (the rows flow into the linkage) and an audit record; review labels are audited.
 */
import { sql } from 'kysely';
import { appendAudit, type Actor } from '../../../core/audit.js';
import type { AuthContext } from '../../../core/auth/context.js';
import type { Db } from '../../../core/db.js';
import { AppError, notFound } from '../../../core/errors.js';
import type { SecretBox } from '../../../core/secret-box.js';
import { appendExchange } from '../exchange-log.js';
import { requireSteward, rowAccess, type DatasetForAccess, type RowAccess } from '../policy.js';
import { datasetForRead } from '../rows.js';
import { createMatchJob, requeueForRescore } from './jobs.js';
import type { MatchLabel } from './tables.js';

export interface StartMatchJob { leftDatasetId: number; rightDatasetId: number; thresholds?: { auto?: number; review?: number } }

export async function startMatchJob(db: Db, secrets: SecretBox, auth: AuthContext, actor: Actor, body: StartMatchJob): Promise<{ id: number }> {
  requireSteward(auth);
  return startMatchJobAs(db, secrets, { accountId: auth.accountId, actor, access: (ds) => rowAccess(db, auth, ds) }, body);
}

/** Who starts a job: an account through the API, or the operator's CLI on the server (no account), with the row-access rule that applies to each. */
export interface MatchStarter { accountId: number | null; actor: Actor; access: (ds: DatasetForAccess) => Promise<RowAccess> }

export async function startMatchJobAs(db: Db, secrets: SecretBox, who: MatchStarter, body: StartMatchJob): Promise<{ id: number }> {
  const sides = [] as Awaited<ReturnType<typeof datasetForRead>>[];
  for (const [field, id] of [['leftDatasetId', body.leftDatasetId], ['rightDatasetId', body.rightDatasetId]] as const) {
    const ds = await datasetForRead(db, id).catch((err) => {
      if (err instanceof AppError && err.status === 404) throw new AppError(404, 'not_found', 'match_dataset_missing', {}, { [field]: { key: 'match_dataset_missing' } });
      throw err;
    });
    const access = await who.access(ds);
    if (!access.ok) {
      await db.transaction().execute((tx) => appendExchange(tx, secrets, {
        kind: 'match', outcome: 'denied', accountId: who.accountId, actorName: who.actor.name, datasetId: ds.id, systemId: ds.system_id, detail: { reason: access.reason },
      }));
      throw access.error;
    }
    sides.push(ds);
  }
  const id = await createMatchJob(db, { ...body, createdBy: who.accountId });
  await db.transaction().execute(async (tx) => {
    for (const ds of sides) {
      await appendExchange(tx, secrets, {
        kind: 'match', outcome: 'ok', accountId: who.accountId, actorName: who.actor.name, datasetId: ds.id, systemId: ds.system_id,
        purpose: '数据比对（一人一档、核查任务）', detail: { matchJobId: id, side: ds.id === body.leftDatasetId ? 'left' : 'right' },
      });
    }
    await appendAudit(tx, who.actor, { action: 'brain.match.start', targetType: 'brain_match_job', targetId: id, summary: { left: sides[0].name, right: sides[1].name, thresholds: body.thresholds ?? null } });
  });
  return { id };
}

/** A pair is addressed by its two record ids, "left-right", as the links list gives it. */
export function parsePairId(pairId: string) {
  const m = /^(\d{1,10})-(\d{1,10})$/.exec(pairId);
  if (!m) throw notFound();
  return { leftId: Number(m[1]), rightId: Number(m[2]) };
}

/** A worker's decision on a pair from review: kept as a label that re-scoring learns from. */
export async function labelPair(db: Db, auth: AuthContext, actor: Actor, jobId: number, pairId: string, label: MatchLabel) {
  requireSteward(auth);
  const { leftId, rightId } = parsePairId(pairId);
  await db.transaction().execute(async (tx) => {
    const r = await tx.updateTable('brain_match_pairs').set({ label, labelled_by: auth.accountId, labelled_at: new Date() })
      .where('job_id', '=', jobId).where('left_id', '=', leftId).where('right_id', '=', rightId).returning(['decision', 'probability']).executeTakeFirst();
    if (!r) throw notFound();
    await appendAudit(tx, actor, { action: 'brain.match.label', targetType: 'brain_match_job', targetId: jobId, summary: { pair: pairId, label, decision: r.decision, probability: r.probability } });
  });
  const left = await sql<{ n: number }>`select count(*)::int as n from brain_match_pairs where job_id = ${jobId} and decision = 'review' and label is null`.execute(db);
  return { ok: true as const, reviewLeft: Number(left.rows[0].n) };
}

export async function rescoreMatchJob(db: Db, auth: AuthContext, actor: Actor, jobId: number, thresholds?: { auto?: number; review?: number }) {
  requireSteward(auth);
  await requeueForRescore(db, jobId, thresholds);
  await db.transaction().execute((tx) => appendAudit(tx, actor, { action: 'brain.match.rescore', targetType: 'brain_match_job', targetId: jobId, summary: { thresholds: thresholds ?? null } }));
  return { id: jobId };
}
