import { sql } from 'kysely';
import type { AuthContext } from '../../core/auth/context.js';
import type { Db, Executor } from '../../core/db.js';
import { fieldError } from '../../core/errors.js';
import { inScope } from '../../core/scope.js';
import { addMonths, monthBounds, monthOf } from './compound-assessment.js';
import { FORMULA_NOTES, FORMULA_TEXT, COMPONENTS, DEDUCTION_CAP, DEDUCTION_PER_MATTER, rankCompounds, type CompoundFigures } from './compound-ranking.js';
import { shanghaiDate, shanghaiDayStart } from './positions.js';

/**
 * A month's live figures for the demonstration-compound ranking, per compound in the caller's scope
 * that took part that month (the community's checklist or residents' ratings): ratings and checklist
 * (compound-assessment.ts), service requests and their SLA (service_requests), practical matters
 * (practical_matters, practical_surveys) and joint-meeting follow-ups. The formula is compound-ranking.ts.
 */

type Ids = number[];

async function ratingsBy(db: Executor, ids: Ids, month: string) {
  return db.selectFrom('compound_ratings').select(['compound_id', sql<number>`count(*)::int`.as('n'), sql<number>`avg(score)::float8`.as('average')])
    .where('compound_id', 'in', ids).where('month', '=', month).groupBy('compound_id').execute();
}

/**
 * Requests created in the month count once they are finished or past their time limit (a request
 * still inside its limit cannot have failed it yet); requests closed as duplicates, not ours or
 * referred elsewhere never count. "On time": first finished within the time limit, as the statistics page counts it.
 */
async function requestsBy(db: Executor, ids: Ids, start: Date, end: Date, now: Date) {
  const limit = sql`r.created_at + make_interval(hours => r.sla_hours)`;
  return db.selectFrom('service_requests as r').select([
    'r.compound_id',
    sql<number>`count(*) filter (where r.first_done_at is not null or ${limit} < ${now})::int`.as('counted'),
    sql<number>`count(*) filter (where r.first_done_at is not null and r.first_done_at <= ${limit})::int`.as('on_time'),
  ]).where('r.compound_id', 'in', ids).where('r.created_at', '>=', start).where('r.created_at', '<', end)
    .where(sql<boolean>`coalesce(r.outcome, '') not in ('duplicate', 'not_ours', 'referred')`).groupBy('r.compound_id').execute();
}

/**
 * The practical-matter terms, read from the practical-matters tables (migrations/0012_practical_matters.sql,
 * owned by practical-*.ts) by name: survey answers of the compound's own households on matters serving
 * it, up to the cut-off; and matters serving it whose due date had passed by the cut-off without being
 * accepted (or closed) by then. Kept in this one function so that a change there changes only this.
 */
async function practicalBy(db: Executor, ids: Ids, cutoff: Date) {
  const cutoffDay = shanghaiDate(cutoff);
  const [surveys, overdue] = await Promise.all([
    db.selectFrom('practical_matter_compounds as pc').innerJoin('practical_surveys as v', 'v.matter_id', 'pc.matter_id').innerJoin('households as h', 'h.id', 'v.household_id')
      .select(['pc.compound_id', sql<number>`count(*)::int`.as('n'), sql<number>`avg(v.score)::float8`.as('average')])
      .where('pc.compound_id', 'in', ids).where(sql<boolean>`h.region_path like pc.compound_path || '%'`).where('v.answered_at', '<', cutoff)
      .groupBy('pc.compound_id').execute(),
    db.selectFrom('practical_matter_compounds as pc').innerJoin('practical_matters as m', 'm.id', 'pc.matter_id')
      .select(['pc.compound_id', sql<number>`count(*)::int`.as('n')])
      .where('pc.compound_id', 'in', ids).where('m.due_on', '<', cutoffDay).where('m.created_at', '<', cutoff)
      .where(sql<boolean>`not (m.status in ('accepted', 'closed') and coalesce(m.accepted_at, m.closed_at, '-infinity'::timestamptz) < ${cutoff})`)
      .groupBy('pc.compound_id').execute(),
  ]);
  return { surveys, overdue };
}

/** Follow-ups due in the month up to the cut-off day; on time when done before the Shanghai day after the due date began. */
async function followUpsBy(db: Executor, ids: Ids, month: string, cutoff: Date) {
  const rows = await db.selectFrom('compound_follow_ups').select(['compound_id', 'due_on', 'done_at'])
    .where('compound_id', 'in', ids).where('due_on', '>=', `${month}-01`).where('due_on', '<', `${addMonths(month, 1)}-01`).where('due_on', '<', shanghaiDate(cutoff)).execute();
  const by = new Map<number, { due: number; onTime: number }>();
  for (const r of rows) {
    const x = by.get(r.compound_id) ?? { due: 0, onTime: 0 };
    x.due++;
    if (r.done_at && new Date(r.done_at) < new Date(shanghaiDayStart(r.due_on).getTime() + 86400_000)) x.onTime++;
    by.set(r.compound_id, x);
  }
  return by;
}

/** The figures of every compound in the caller's scope that took part in the month. */
export async function rankingFigures(db: Executor, auth: AuthContext, month: string, now = new Date()): Promise<CompoundFigures[]> {
  const compounds = await db.selectFrom('regions as c').leftJoin('regions as m', (j) => j.onRef('m.id', '=', 'c.parent_id').on('m.level', '=', 'community'))
    .select(['c.id', 'c.name', 'm.name as community_name'])
    .where('c.level', '=', 'compound').where(inScope(auth, 'c.path'))
    .where((eb) => eb.or([
      eb.exists(eb.selectFrom('compound_assessments as a').select('a.compound_id').whereRef('a.compound_id', '=', 'c.id').where('a.month', '=', month)),
      eb.exists(eb.selectFrom('compound_ratings as r').select('r.compound_id').whereRef('r.compound_id', '=', 'c.id').where('r.month', '=', month)),
    ])).orderBy('c.id').execute();
  const ids = compounds.map((c) => c.id);
  if (!ids.length) return [];
  const { start, end } = monthBounds(month);
  const cutoff = end < now ? end : now;
  const [ratings, checklists, requests, practical, followUps] = await Promise.all([
    ratingsBy(db, ids, month),
    db.selectFrom('compound_assessments').select(['compound_id', 'total']).where('compound_id', 'in', ids).where('month', '=', month).execute(),
    requestsBy(db, ids, start, end, now),
    practicalBy(db, ids, cutoff),
    followUpsBy(db, ids, month, cutoff),
  ]);
  return compounds.map((c) => {
    const r = ratings.find((x) => x.compound_id === c.id);
    const q = requests.find((x) => x.compound_id === c.id);
    const s = practical.surveys.find((x) => x.compound_id === c.id);
    return {
      compoundId: c.id, name: c.name, communityName: c.community_name,
      ratings: { households: r?.n ?? 0, averageScore: r?.average ?? null },
      checklist: checklists.find((x) => x.compound_id === c.id)?.total ?? null,
      requests: { counted: q?.counted ?? 0, onTime: q?.on_time ?? 0 },
      practical: { answers: s?.n ?? 0, averageScore: s?.average ?? null, overdueOpen: practical.overdue.find((x) => x.compound_id === c.id)?.n ?? 0 },
      followUps: followUps.get(c.id) ?? { due: 0, onTime: 0 },
    };
  });
}

/** GET /api/compounds/ranking: the month (default: last month, the latest whole one), the formula, and the ranked compounds. */
export async function compoundRanking(db: Db, auth: AuthContext, q: { month?: string }, now = new Date()) {
  const month = q.month ?? addMonths(monthOf(now), -1);
  if (month > monthOf(now)) throw fieldError('month', 'month_in_future');
  const items = rankCompounds(await rankingFigures(db, auth, month, now));
  return {
    month,
    formula: {
      text: FORMULA_TEXT, notes: FORMULA_NOTES,
      weights: COMPONENTS.map((c) => ({ code: c.code, name: c.name, weight: c.weight })),
      deductionPerMatter: DEDUCTION_PER_MATTER, deductionCap: DEDUCTION_CAP,
    },
    ranked: items.filter((i) => i.rank != null).length,
    items,
  };
}
