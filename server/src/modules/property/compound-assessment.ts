import { sql } from 'kysely';
import { appendAudit, type Actor } from '../../core/audit.js';
import type { AuthContext } from '../../core/auth/context.js';
import type { Db } from '../../core/db.js';
import { AppError, fieldError } from '../../core/errors.js';
import { screenPublicText } from '../../core/public-text.js';
import { requireCompound } from './compound-policy.js';
import { shanghaiDate, shanghaiDayStart } from './positions.js';

/**
 * The monthly property-service assessment of a compound: residents rate it on the H5 (one rating per
 * household per month — the unique key decides between concurrent submissions), and the community
 * scores a fixed checklist. Months are Asia/Shanghai calendar months, written 'YYYY-MM'.
 */

/** The community's checklist: the items and their maxima add up to 100. */
export const CHECKLIST = [
  { code: 'cleaning', name: '保洁', max: 20, hint: '楼道、道路和垃圾分类点整洁，垃圾日产日清' },
  { code: 'greening', name: '绿化', max: 15, hint: '绿地养护、补种，无毁绿占绿' },
  { code: 'order', name: '秩序维护', max: 20, hint: '门岗值守、夜间巡逻、车辆有序停放' },
  { code: 'repairs', name: '设施维修', max: 20, hint: '共用设施设备完好，报修及时上门' },
  { code: 'fire_safety', name: '消防安全', max: 15, hint: '消防通道畅通、器材完好、电动车不进楼道' },
  { code: 'disclosure', name: '收支公开', max: 10, hint: '物业费和公共收益收支按季公示' },
] as const;
export type ChecklistCode = (typeof CHECKLIST)[number]['code'];
export type ChecklistScores = Record<ChecklistCode, number>;

/** How far back the community may enter or correct a month's checklist: this month and the three before it. */
export const ASSESSMENT_MONTHS_BACK = 3;

export const monthOf = (at: Date) => shanghaiDate(at).slice(0, 7);
export function addMonths(month: string, n: number) {
  const k = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + n;
  return `${String(Math.floor(k / 12)).padStart(4, '0')}-${String((k % 12) + 1).padStart(2, '0')}`;
}
/** The instants a Shanghai month starts and ends (exclusive). */
export const monthBounds = (month: string) => ({ start: shanghaiDayStart(`${month}-01`), end: shanghaiDayStart(`${addMonths(month, 1)}-01`) });

/** A resident rates the compound they live in for the current month. */
export async function rateCompound(db: Db, auth: AuthContext, actor: Actor, regionId: number, b: { score: number; comment?: string }, now = new Date()) {
  const month = monthOf(now);
  return db.transaction().execute(async (tx) => {
    const { compound, home } = await requireCompound(tx, auth, regionId, 'rate');
    if (home?.household_id == null) throw new AppError(403, 'forbidden', 'no_household');
    const row = await tx.insertInto('compound_ratings').values({
      compound_id: compound.id, month, household_id: home.household_id, person_id: home.id, account_id: auth.accountId, score: b.score, comment: b.comment ?? null,
    }).onConflict((oc) => oc.columns(['household_id', 'month']).doNothing()).returning('id').executeTakeFirst();
    if (!row) throw new AppError(409, 'already_rated', 'already_rated', { month });
    await appendAudit(tx, actor, { action: 'compound_rating.create', targetType: 'compound_rating', targetId: row.id, summary: { compoundId: compound.id, month, score: b.score } });
    return { id: row.id, month, score: b.score };
  });
}

/** Whether the caller's household has rated the compound this month (the H5 shows the form or the rating given). */
export async function myRating(db: Db, auth: AuthContext, regionId: number, now = new Date()) {
  const month = monthOf(now);
  const { home } = await requireCompound(db, auth, regionId, 'rate');
  const r = home?.household_id != null
    ? await db.selectFrom('compound_ratings').select(['score', 'comment', 'created_at']).where('household_id', '=', home.household_id).where('month', '=', month).executeTakeFirst()
    : undefined;
  return { month, canRate: home?.household_id != null && !r, rated: !!r, score: r?.score ?? null, comment: r?.comment ?? null, ratedAt: r?.created_at ?? null };
}

function checkMonthWindow(month: string, now: Date) {
  const current = monthOf(now);
  if (month > current) throw fieldError('month', 'month_in_future');
  if (month < addMonths(current, -ASSESSMENT_MONTHS_BACK)) throw fieldError('month', 'month_closed', { months: ASSESSMENT_MONTHS_BACK });
}

/** The community's checklist for a month: entered, or corrected (the audit keeps the previous total). */
export async function saveAssessment(db: Db, auth: AuthContext, actor: Actor, regionId: number, month: string, b: { scores: ChecklistScores; note?: string | null }, now = new Date()) {
  checkMonthWindow(month, now);
  const total = CHECKLIST.reduce((s, item) => s + b.scores[item.code], 0);
  return db.transaction().execute(async (tx) => {
    const { compound } = await requireCompound(tx, auth, regionId, 'assess');
    const before = await tx.selectFrom('compound_assessments').select('total').where('compound_id', '=', compound.id).where('month', '=', month).executeTakeFirst();
    const values = { scores: JSON.stringify(b.scores), total, note: b.note ?? null, assessed_by: auth.accountId, assessed_at: now };
    await tx.insertInto('compound_assessments').values({ compound_id: compound.id, month, ...values })
      .onConflict((oc) => oc.columns(['compound_id', 'month']).doUpdateSet(values)).execute();
    await appendAudit(tx, actor, {
      action: 'compound_assessment.save', targetType: 'compound_assessment', targetId: `${compound.id}:${month}`,
      summary: { compoundId: compound.id, month, total, before: before?.total ?? null },
    });
    return { compoundId: compound.id, month, total };
  });
}

/** A month's assessment page: the checklist (scored or not), and the residents' ratings summed up, with recent comments screened. */
export async function getAssessment(db: Db, auth: AuthContext, regionId: number, month: string) {
  const { compound } = await requireCompound(db, auth, regionId, 'read');
  const [a, stats, dist, comments, households] = await Promise.all([
    db.selectFrom('compound_assessments as x').leftJoin('accounts as u', 'u.id', 'x.assessed_by').select(['x.scores', 'x.total', 'x.note', 'x.assessed_at', 'u.display_name as assessed_by'])
      .where('x.compound_id', '=', compound.id).where('x.month', '=', month).executeTakeFirst(),
    db.selectFrom('compound_ratings').select([sql<number>`count(*)::int`.as('n'), sql<number | null>`avg(score)::float8`.as('average')])
      .where('compound_id', '=', compound.id).where('month', '=', month).executeTakeFirstOrThrow(),
    db.selectFrom('compound_ratings').select(['score', sql<number>`count(*)::int`.as('n')]).where('compound_id', '=', compound.id).where('month', '=', month).groupBy('score').execute(),
    db.selectFrom('compound_ratings').select(['score', 'comment', 'created_at']).where('compound_id', '=', compound.id).where('month', '=', month)
      .where('comment', 'is not', null).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(10).execute(),
    db.selectFrom('households').select(sql<number>`count(*)::int`.as('n')).where('region_path', 'like', `${compound.path}%`).executeTakeFirstOrThrow(),
  ]);
  const scores = (a ? (typeof a.scores === 'string' ? JSON.parse(a.scores) : a.scores) : {}) as Partial<ChecklistScores>;
  return {
    compound: { id: compound.id, name: compound.name }, month,
    checklist: CHECKLIST.map((item) => ({ code: item.code, name: item.name, max: item.max, hint: item.hint, score: a ? scores[item.code] ?? null : null })),
    total: a?.total ?? null, note: a?.note ?? null, assessedBy: a?.assessed_by ?? null, assessedAt: a?.assessed_at ?? null,
    residents: {
      households: households.n, ratings: stats.n, averageScore: stats.average == null ? null : Math.round(stats.average * 100) / 100,
      distribution: [1, 2, 3, 4, 5].map((score) => ({ score, count: dist.find((d) => d.score === score)?.n ?? 0 })),
      // Ratings are anonymous on this page; free text may still carry a phone or a door number.
      comments: comments.map((c) => ({ score: c.score, comment: screenPublicText(c.comment ?? ''), at: c.created_at })),
    },
  };
}
