import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { cached } from '../../core/cache.js';
import type { Db } from '../../core/db.js';
import { readDbFor } from '../../core/read-replica.js';
import { STAGE_GROUP, type ElevatorStage } from '../consult/elevators.js';
import { publicFigures } from './public-figures-schemas.js';

/**
 * The public figures page (公开数据): what the district has done, for anyone, without sign-in —
 * wishes collected and fulfilled per season with their views, alliance units and co-building
 * projects, elevators, practical matters. District-wide counts only: nothing here is scoped, so
 * nothing here may name a person.
 */

/**
 * Identical for every visitor, and the H5 home asks for it on every visit: computed at most
 * once per 30 s per instance — a cache, not state (every instance computes its own).
 */
const CACHE_MS = 30_000;

type Figures = Awaited<ReturnType<typeof computeFigures>>;

const publicFiguresCached = (db: Db): Promise<Figures> => cached(db, 'public_figures', 'all', CACHE_MS, () => computeFigures(db));

const n = (v: unknown) => Number(v ?? 0);

/** One grouped query per table; definitions match the console's statistics (seasonStats, elevatorDashboard). */
async function computeFigures(db: Db) {
  const [seasons, wishes, seasonViews, units, projects, elevators, matters] = await Promise.all([
    db.selectFrom('seasons').select(['id', 'name', 'starts_on', 'ends_on']).orderBy('starts_on').orderBy('id').execute(),
    db.selectFrom('wishes').select([
      'season_id', sql<number>`count(*)`.as('collected'),
      sql<number>`count(*) filter (where status in ('fulfilled','confirmed'))`.as('fulfilled'),
      sql<number>`coalesce(sum(view_count), 0)`.as('views'),
    ]).groupBy('season_id').execute(),
    db.selectFrom('season_views').select(['season_id', sql<number>`count(*)`.as('n')]).groupBy('season_id').execute(),
    db.selectFrom('alliance_units').select([sql<number>`count(*)`.as('units'), sql<number>`count(*) filter (where is_committee_unit)`.as('committee')])
      .where('status', '=', 'verified').executeTakeFirstOrThrow(),
    db.selectFrom('coop_projects').select(['status', sql<number>`count(*)`.as('n')]).groupBy('status').execute(),
    db.selectFrom('elevator_projects').select(['stage', sql<number>`count(*)`.as('n')]).groupBy('stage').execute(),
    db.selectFrom('practical_matters').select(['status', sql<number>`count(*)`.as('n')]).groupBy('status').execute(),
  ]);
  const bySeason = new Map(wishes.map((w) => [w.season_id, w]));
  const pageViews = new Map(seasonViews.map((v) => [v.season_id, n(v.n)]));
  const seasonRows = seasons.map((s) => {
    const w = bySeason.get(s.id);
    return { id: s.id, name: s.name, startsOn: s.starts_on, endsOn: s.ends_on, collected: n(w?.collected), fulfilled: n(w?.fulfilled), pageViews: pageViews.get(s.id) ?? 0, wishViews: n(w?.views) };
  });
  const sum = (rows: { n: unknown }[]) => rows.reduce((s, r) => s + n(r.n), 0);
  const count = <T extends { n: unknown }>(rows: T[], keep: (r: T) => boolean) => sum(rows.filter(keep));
  const group = (g: string) => count(elevators, (r) => STAGE_GROUP[r.stage as ElevatorStage] === g);
  return {
    wishes: {
      collected: seasonRows.reduce((s, r) => s + r.collected, 0),
      fulfilled: seasonRows.reduce((s, r) => s + r.fulfilled, 0),
      views: seasonRows.reduce((s, r) => s + r.pageViews + r.wishViews, 0),
      seasons: seasonRows,
    },
    alliance: {
      units: n(units.units), committeeUnits: n(units.committee),
      projects: count(projects, (r) => r.status !== 'cancelled'),
      projectsActive: count(projects, (r) => r.status === 'active'),
      projectsDone: count(projects, (r) => r.status === 'done'),
    },
    elevators: { completed: group('completed'), approvedOrUnderConstruction: group('approved') + group('under_construction'), preparing: group('preparing') },
    practicalMatters: {
      total: sum(matters),
      planned: count(matters, (r) => r.status === 'planned'), inProgress: count(matters, (r) => r.status === 'in_progress'),
      accepted: count(matters, (r) => r.status === 'accepted'), closed: count(matters, (r) => r.status === 'closed'),
    },
    at: new Date(),
  };
}

export async function publicFiguresRoutes(app: FastifyInstance) {
  app.withTypeProvider<ZodTypeProvider>().get('/api/public/figures', {
    config: { public: true },
    schema: { tags: ['cockpit'], summary: '公开数据（无需登录）：心愿征集与圆梦（按心愿季）、浏览量、联盟与共建项目、加装电梯、暖心实事——全区计数', response: { 200: publicFigures } },
  }, async (req) => publicFiguresCached(readDbFor(req)));
}
