import { sql, type SqlBool } from 'kysely';
import type { AuthContext } from '../../core/auth/context.js';
import type { Db, Executor } from '../../core/db.js';
import { notFound } from '../../core/errors.js';
import { emptyPage, paginate, type PageQuery } from '../../core/paging.js';
import { screenPublicText } from '../../core/public-text.js';
import { underPath } from '../../core/scope.js';
import { matterAbilities, mattersInScope, requireMatterAbility, surveyOpen } from './practical-policy.js';
import {
  CATEGORY_NAMES, MATTER_STATUSES, STATUS_NAMES, UNIT_KIND_NAMES, UNIT_ROLE_NAMES, type MatterCategory, type MatterStatus,
} from './practical-tables.js';
import { shanghaiDate } from './positions.js';

/**
 * Practical matters (暖心实事), the reading side: the public list and page (names of units and
 * compounds, progress, photos, survey results — nothing about a person), the console page, the
 * district dashboard and the export. Progress rolls up from weighted milestones, as co-building
 * projects do; "overdue" is derived from due dates, never stored.
 */

export const todayInShanghai = () => shanghaiDate(new Date());

/** Open, and past its due date or with a milestone past its own (`m` is practical_matters). */
const overdueSql = (today: string) => sql<boolean>`(m.status in ('planned','in_progress') and (m.due_on < ${today}::date
  or exists (select 1 from practical_milestones x where x.matter_id = m.id and x.done_at is null and x.due_on < ${today}::date)))`;
/** The weighted share of completed milestones, 0–100; a matter without milestones is 100 once accepted. */
const progressSql = sql<number>`coalesce((select round(100.0 * sum(case when x.done_at is not null then x.weight else 0 end) / sum(x.weight))::int
  from practical_milestones x where x.matter_id = m.id), case when m.status in ('accepted','closed') then 100 else 0 end)`;

function matterQuery(db: Executor, today: string) {
  return db.selectFrom('practical_matters as m').innerJoin('regions as r', 'r.id', 'm.region_id').leftJoin('regions as s', 's.id', 'm.street_id')
    .select([
      'm.id', 'm.title', 'm.category', 'm.summary', 'm.year', 'm.status', 'm.budget_fen', 'm.spent_fen', 'm.starts_on', 'm.due_on', 'm.region_id', 'm.region_path',
      'r.name as region_name', 'm.street_id', 's.name as street_name', 'm.started_at', 'm.accepted_at', 'm.closed_at', 'm.created_at', 'm.updated_at',
      overdueSql(today).as('overdue'), progressSql.as('progress'),
      sql<number | null>`(select avg(v.score)::float8 from practical_surveys v where v.matter_id = m.id)`.as('survey_average'),
      sql<number>`(select count(*) from practical_surveys v where v.matter_id = m.id)`.as('survey_count'),
    ]);
}
type MatterRow = Awaited<ReturnType<ReturnType<typeof matterQuery>['executeTakeFirstOrThrow']>>;

const ORDER = sql`overdue desc, case m.status when 'in_progress' then 0 when 'planned' then 1 when 'accepted' then 2 else 3 end, m.due_on, m.id`;

export interface MatterFilter {
  status?: MatterStatus; category?: MatterCategory; year?: number; regionId?: number; streetId?: number; q?: string; overdue?: 'true' | 'false';
}

/** The filtered query, or null when a named region does not exist (nothing can match). */
async function filteredMatters(db: Executor, f: MatterFilter, today: string) {
  let qb = matterQuery(db, today).orderBy(ORDER);
  if (f.status) qb = qb.where('m.status', '=', f.status);
  if (f.category) qb = qb.where('m.category', '=', f.category);
  if (f.year != null) qb = qb.where('m.year', '=', f.year);
  if (f.q) qb = qb.where('m.title', 'ilike', `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (f.overdue) qb = qb.where(f.overdue === 'true' ? overdueSql(today) : sql<SqlBool>`not ${overdueSql(today)}`);
  // A region (street, community or compound): matters owned under it, or serving a compound under it.
  for (const id of [f.regionId, f.streetId]) {
    if (id == null) continue;
    const region = await db.selectFrom('regions').select('path').where('id', '=', id).executeTakeFirst();
    if (!region) return null;
    qb = qb.where(sql<SqlBool>`(${underPath('m.region_path', region.path)}
      or exists (select 1 from practical_matter_compounds c where c.matter_id = m.id and ${underPath('c.compound_path', region.path)}))`);
  }
  return qb;
}

async function compoundsOf(db: Executor, ids: number[]) {
  const out = new Map<number, { id: number; name: string }[]>();
  if (!ids.length) return out;
  const rows = await db.selectFrom('practical_matter_compounds as c').innerJoin('regions as g', 'g.id', 'c.compound_id')
    .select(['c.matter_id', 'g.id', 'g.name']).where('c.matter_id', 'in', ids).orderBy('g.path').execute();
  for (const r of rows) out.set(r.matter_id, [...(out.get(r.matter_id) ?? []), { id: r.id, name: r.name }]);
  return out;
}

const round2 = (n: number | null) => (n == null ? null : Math.round(Number(n) * 100) / 100);

function presentItem(r: MatterRow, compounds: { id: number; name: string }[]) {
  return {
    id: r.id, title: r.title, category: r.category, categoryName: CATEGORY_NAMES[r.category], year: r.year, status: r.status, statusName: STATUS_NAMES[r.status],
    overdue: !!r.overdue, progress: Number(r.progress), budgetFen: Number(r.budget_fen), spentFen: Number(r.spent_fen), startsOn: r.starts_on, dueOn: r.due_on,
    regionId: r.region_id, regionName: r.region_name, streetName: r.street_name, compounds,
    surveyAverage: round2(r.survey_average), surveyCount: Number(r.survey_count), updatedAt: r.updated_at,
  };
}

/** The public list: paged, filtered, overdue and ongoing matters first. */
export async function listMatters(db: Db, f: MatterFilter, page: PageQuery) {
  const qb = await filteredMatters(db, f, todayInShanghai());
  if (!qb) return emptyPage(page);
  const res = await paginate(qb, page);
  const compounds = await compoundsOf(db, res.items.map((r) => r.id));
  return { ...res, items: res.items.map((r) => presentItem(r, compounds.get(r.id) ?? [])) };
}

/** The console's list: the same filters, inside the caller's scope. */
export async function listManagedMatters(db: Db, auth: AuthContext, f: MatterFilter, page: PageQuery) {
  const qb = await filteredMatters(db, f, todayInShanghai());
  if (!qb || !auth.scope) return emptyPage(page);
  const res = await paginate(qb.where(mattersInScope(auth)), page);
  const compounds = await compoundsOf(db, res.items.map((r) => r.id));
  return { ...res, items: res.items.map((r) => presentItem(r, compounds.get(r.id) ?? [])) };
}

/** What the policy needs for one matter, with its compounds. */
export async function loadMatter(db: Executor, id: number) {
  const m = await db.selectFrom('practical_matters').select(['id', 'status', 'region_id', 'region_path', 'street_id']).where('id', '=', id).executeTakeFirst();
  if (!m) return null;
  const compounds = await db.selectFrom('practical_matter_compounds').select(['compound_id', 'compound_path']).where('matter_id', '=', id).execute();
  return { ...m, compound_paths: compounds.map((c) => c.compound_path), compound_ids: compounds.map((c) => c.compound_id) };
}

const photo = (matterId: number, fileId: number) => ({
  id: fileId, url: `/api/practical-matters/${matterId}/photos/${fileId}`, thumbUrl: `/api/practical-matters/${matterId}/photos/${fileId}?thumb=1`,
});

/** The survey's public result: average, count, the 1–5 distribution and the share of the served households that answered. */
async function surveyResult(db: Executor, id: number, status: MatterStatus) {
  const dist = await db.selectFrom('practical_surveys').select(['score', sql<number>`count(*)`.as('n')]).where('matter_id', '=', id).groupBy('score').execute();
  // One constant prefix per compound, so that the path index serves it at district scale too (compounds do not nest).
  const paths = (await db.selectFrom('practical_matter_compounds').select('compound_path').where('matter_id', '=', id).execute()).map((c) => c.compound_path);
  const households = paths.length ? await db.selectFrom('households').select(sql<number>`count(*)`.as('n'))
    .where((eb) => eb.or(paths.map((p) => eb('region_path', 'like', `${p}%`)))).executeTakeFirstOrThrow() : { n: 0 };
  const count = dist.reduce((s, d) => s + Number(d.n), 0);
  const total = Number(households.n);
  return {
    open: surveyOpen(status), count, households: total,
    average: count ? Math.round((dist.reduce((s, d) => s + d.score * Number(d.n), 0) / count) * 100) / 100 : null,
    ratePercent: total ? Math.round((count / total) * 1000) / 10 : null,
    distribution: [1, 2, 3, 4, 5].map((score) => ({ score, count: Number(dist.find((d) => d.score === score)?.n ?? 0) })),
  };
}

const presentUnit = (u: { kind: keyof typeof UNIT_KIND_NAMES; role: keyof typeof UNIT_ROLE_NAMES; name: string }) =>
  ({ name: u.name, kind: u.kind, kindName: UNIT_KIND_NAMES[u.kind], role: u.role, roleName: UNIT_ROLE_NAMES[u.role] });

/** The public page of one matter: no person on it — units and compounds by name, notes screened, no spending entries or comments. */
export async function getMatter(db: Executor, id: number) {
  return (await matterPage(db, id)).page;
}

async function matterPage(db: Executor, id: number) {
  const today = todayInShanghai();
  const r = await matterQuery(db, today).where('m.id', '=', id).executeTakeFirst();
  if (!r) throw notFound();
  const compounds = (await compoundsOf(db, [id])).get(id) ?? [];
  const units = await db.selectFrom('practical_matter_units').select(['kind', 'role', 'name', 'alliance_unit_id']).where('matter_id', '=', id).orderBy('sort').execute();
  const milestones = await db.selectFrom('practical_milestones').select(['id', 'title', 'weight', 'due_on', 'done_at', 'note']).where('matter_id', '=', id)
    .orderBy('sort').orderBy('id').execute();
  const photos = await db.selectFrom('practical_matter_photos').select(['file_id', 'kind', 'milestone_id']).where('matter_id', '=', id).orderBy('sort').orderBy('file_id').execute();
  const survey = await surveyResult(db, id, r.status);
  const open = r.status === 'planned' || r.status === 'in_progress';
  const page = {
    ...presentItem(r, compounds),
    summary: screenPublicText(r.summary), startedAt: r.started_at, acceptedAt: r.accepted_at, closedAt: r.closed_at,
    units: units.map(presentUnit),
    milestones: milestones.map((m) => ({
      id: m.id, title: m.title, weight: m.weight, dueOn: m.due_on, doneAt: m.done_at, note: screenPublicText(m.note),
      overdue: open && !m.done_at && m.due_on != null && m.due_on < today,
      photos: photos.filter((p) => p.milestone_id === m.id).map((p) => photo(id, p.file_id)),
    })),
    photos: {
      before: photos.filter((p) => p.kind === 'before').map((p) => photo(id, p.file_id)),
      after: photos.filter((p) => p.kind === 'after').map((p) => photo(id, p.file_id)),
    },
    survey,
  };
  return { row: r, units, page };
}

/** The console page: the public page plus what only the matter's workers see — ids to edit with, spending entries, survey comments, abilities. */
export async function getMatterForWorker(db: Db, auth: AuthContext, id: number) {
  const m = await loadMatter(db, id);
  if (!m) throw notFound();
  requireMatterAbility(auth, m, 'manage');
  const { row, units, page } = await matterPage(db, id);
  const spending = await db.selectFrom('practical_spending as p').leftJoin('accounts as a', 'a.id', 'p.recorded_by')
    .select(['p.id', 'p.amount_fen', 'p.spent_on', 'p.note', 'p.recorded_at', 'a.display_name']).where('p.matter_id', '=', id).orderBy('p.spent_on').orderBy('p.id').execute();
  // Comments without the household: the survey is anonymous to the workers too.
  const comments = await db.selectFrom('practical_surveys').select(['score', 'comment', 'answered_at']).where('matter_id', '=', id).where('comment', 'is not', null)
    .orderBy('answered_at', 'desc').limit(200).execute();
  return {
    ...page, summary: row.summary, compoundIds: m.compound_ids,
    units: units.map((u) => ({ ...presentUnit(u), allianceUnitId: u.alliance_unit_id })),
    spending: spending.map((s) => ({ id: s.id, amountFen: Number(s.amount_fen), spentOn: s.spent_on, note: s.note, recordedBy: s.display_name ?? '系统', recordedAt: s.recorded_at })),
    comments: comments.map((c) => ({ score: c.score, comment: screenPublicText(c.comment ?? ''), answeredAt: c.answered_at })),
    createdAt: row.created_at, abilities: matterAbilities(auth, m),
  };
}

/** The console's rows for an export: every matching matter in the caller's scope (at most 5,000), with its lead unit. */
export async function exportMatters(db: Db, auth: AuthContext, f: MatterFilter) {
  const qb = await filteredMatters(db, f, todayInShanghai());
  if (!qb) return [];
  const rows = await qb.where(mattersInScope(auth)).limit(5000).execute();
  const ids = rows.map((r) => r.id);
  const compounds = await compoundsOf(db, ids);
  const leads = ids.length ? await db.selectFrom('practical_matter_units').select(['matter_id', 'name']).where('matter_id', 'in', ids).where('role', '=', 'lead').orderBy('sort').execute() : [];
  return rows.map((r) => ({ ...presentItem(r, compounds.get(r.id) ?? []), leadUnits: leads.filter((l) => l.matter_id === r.id).map((l) => l.name) }));
}

/** The district dashboard, inside the caller's scope: counts by status, category and street, and the overdue matters first. */
export async function matterDashboard(db: Db, auth: AuthContext, f: { year?: number }) {
  const today = todayInShanghai();
  let qb = matterQuery(db, today).where(mattersInScope(auth)).orderBy(ORDER);
  if (f.year != null) qb = qb.where('m.year', '=', f.year);
  const rows = await qb.execute();
  const sum = (list: MatterRow[], pick: (r: MatterRow) => number) => list.reduce((s, r) => s + pick(r), 0);
  const avgProgress = (list: MatterRow[]) => (list.length ? Math.round(sum(list, (r) => Number(r.progress)) / list.length) : 0);
  const money = (list: MatterRow[]) => ({ budgetFen: sum(list, (r) => Number(r.budget_fen)), spentFen: sum(list, (r) => Number(r.spent_fen)) });
  const overdue = rows.filter((r) => r.overdue);
  const surveyed = rows.filter((r) => Number(r.survey_count) > 0);
  const answers = sum(surveyed, (r) => Number(r.survey_count));
  const streets = new Map<number | null, MatterRow[]>();
  for (const r of rows) streets.set(r.street_id, [...(streets.get(r.street_id) ?? []), r]);
  const overdueItems = overdue.slice(0, 50);
  const compounds = await compoundsOf(db, overdueItems.map((r) => r.id));
  return {
    today, total: rows.length, overdue: overdue.length, averageProgress: avgProgress(rows), ...money(rows),
    surveyAnswers: answers, surveyAverage: answers ? round2(sum(surveyed, (r) => Number(r.survey_average) * Number(r.survey_count)) / answers) : null,
    overdueItems: overdueItems.map((r) => presentItem(r, compounds.get(r.id) ?? [])),
    byStatus: MATTER_STATUSES.map((s) => ({ status: s, name: STATUS_NAMES[s], count: rows.filter((r) => r.status === s).length })),
    byCategory: Object.entries(CATEGORY_NAMES).map(([c, name]) => {
      const list = rows.filter((r) => r.category === c);
      return { category: c, name, count: list.length, overdue: list.filter((r) => r.overdue).length, averageProgress: avgProgress(list), ...money(list) };
    }).filter((c) => c.count > 0),
    byStreet: [...streets].map(([streetId, list]) => ({
      streetId, name: list[0].street_name ?? '跨街道（区级统筹）', count: list.length, overdue: list.filter((r) => r.overdue).length,
      byStatus: Object.fromEntries(MATTER_STATUSES.map((s) => [s, list.filter((r) => r.status === s).length])) as Record<MatterStatus, number>,
      averageProgress: avgProgress(list), ...money(list),
    })).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, 'zh-CN')),
  };
}
