import { sql } from 'kysely';
import { appendAudit, type Actor } from '../../core/audit.js';
import type { AuthContext } from '../../core/auth/context.js';
import type { Db, Executor } from '../../core/db.js';
import { AppError, notFound } from '../../core/errors.js';
import type { FileStore } from '../../core/files.js';
import { loadMatter } from './practical-matters.js';
import { surveyOpen, surveyRefusal } from './practical-policy.js';

/**
 * The residents' satisfaction survey of an accepted practical matter (one answer per household
 * of the compounds it serves, decided by the primary key), and the matter's photos, which are public.
 */

/** The caller's household, through the account's person record. */
async function householdOf(db: Executor, auth: AuthContext) {
  if (auth.personId == null) return null;
  return (await db.selectFrom('persons as p').innerJoin('households as h', 'h.id', 'p.household_id').select(['h.id', 'h.region_path'])
    .where('p.id', '=', auth.personId).executeTakeFirst()) ?? null;
}

/** For the H5: may the caller answer, and has the household answered (the answer itself only when it was the caller's). */
export async function mySurvey(db: Db, auth: AuthContext, id: number) {
  const m = await loadMatter(db, id);
  if (!m) throw notFound();
  const household = await householdOf(db, auth);
  const refusal = surveyRefusal(auth, m, household);
  const eligible = refusal == null || refusal.messageKey === 'survey_closed';
  const answer = eligible && household
    ? await db.selectFrom('practical_surveys').select(['score', 'comment', 'answered_at', 'account_id']).where('matter_id', '=', id).where('household_id', '=', household.id).executeTakeFirst()
    : undefined;
  const mine = answer && answer.account_id === auth.accountId ? { score: answer.score, comment: answer.comment, answeredAt: answer.answered_at } : null;
  return { matterId: id, open: surveyOpen(m.status), eligible, answered: !!answer, canAnswer: refusal == null && !answer, mine };
}

/**
 * Records the household's answer. The primary key (matter, household) decides a race between
 * members of one household: the first insert wins, every other gets 409 — on PostgreSQL the
 * second insert waits for the first to commit and then does nothing.
 */
export async function answerSurvey(db: Db, auth: AuthContext, actor: Actor, id: number, a: { score: number; comment?: string }) {
  return db.transaction().execute(async (tx) => {
    // A share lock: answers do not wait for each other, but closing the matter waits for them (and they for it).
    await sql`select id from practical_matters where id = ${id} for share`.execute(tx);
    const m = await loadMatter(tx, id);
    if (!m) throw notFound();
    const household = await householdOf(tx, auth);
    const refusal = surveyRefusal(auth, m, household);
    if (refusal) throw refusal;
    const row = await tx.insertInto('practical_surveys').values({ matter_id: id, household_id: household!.id, score: a.score, comment: a.comment ?? null, account_id: auth.accountId })
      .onConflict((oc) => oc.columns(['matter_id', 'household_id']).doNothing()).returning('matter_id').executeTakeFirst();
    if (!row) throw new AppError(409, 'survey_answered', 'survey_answered');
    await appendAudit(tx, actor, { action: 'practical.survey', targetType: 'practical_matter', targetId: id, summary: { score: a.score, comment: !!a.comment } });
    const { n, avg } = await tx.selectFrom('practical_surveys').select([sql<number>`count(*)::int`.as('n'), sql<number>`avg(score)::float8`.as('avg')])
      .where('matter_id', '=', id).executeTakeFirstOrThrow();
    return { matterId: id, score: a.score, count: n, average: Math.round(Number(avg) * 100) / 100 };
  });
}

/** A practical matter's photo for the public page: only a file attached to that matter. */
export async function publicMatterPhoto(db: Db, store: FileStore, matterId: number, fileId: number, thumb: boolean) {
  const f = await db.selectFrom('files as f').innerJoin('practical_matter_photos as p', 'p.file_id', 'f.id').select(['f.storage_key', 'f.thumb_key', 'f.mime'])
    .where('f.id', '=', fileId).where('p.matter_id', '=', matterId).executeTakeFirst();
  if (!f) throw notFound();
  const key = thumb && f.thumb_key ? f.thumb_key : f.storage_key;
  return { bytes: await store.get(key), mime: thumb && f.thumb_key ? 'image/webp' : f.mime };
}

/** Through /api/files/:id too: a practical matter's photos are public, so any signed-in reader may see them; undefined when the file is not one. */
export async function readPracticalFile(db: Db, _auth: AuthContext, fileId: number): Promise<boolean | undefined> {
  const link = await db.selectFrom('practical_matter_photos').select('matter_id').where('file_id', '=', fileId).executeTakeFirst();
  return link ? true : undefined;
}
