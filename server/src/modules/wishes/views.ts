import { sql } from 'kysely';
import type { Db } from '../../core/db.js';

/**
 * Page views, counted in memory and written in one statement per kind every FLUSH_MS (and when the
 * app closes), instead of a transaction per public read: a launch day's 200,000 views cost a few
 * hundred statements, not 200,000. Once per visitor per day still holds — duplicates are dropped in
 * memory and, across instances, by the unique (item, visitor, day) rows at the flush; a wish's
 * view_count grows by the rows that flush actually inserted. A crash loses at most the last
 * FLUSH_MS of views on that instance; nothing else depends on them.
 */
export const FLUSH_MS = 2000;

interface Pending { wishes: Map<string, [number, string, string]>; seasons: Map<string, [number, string, string]>; timer: NodeJS.Timeout | null; flushing: Promise<unknown> | null }
const pendingByDb = new WeakMap<Db, Pending>();
const pendingOf = (db: Db) => {
  let p = pendingByDb.get(db);
  if (!p) pendingByDb.set(db, (p = { wishes: new Map(), seasons: new Map(), timer: null, flushing: null }));
  return p;
};
const today = () => new Date().toISOString().slice(0, 10);

function schedule(db: Db, p: Pending) {
  if (p.timer) return;
  p.timer = setTimeout(() => { p.timer = null; flushViews(db).catch((err) => console.error(`view counts not written: ${err.message}`)); }, FLUSH_MS);
  p.timer.unref();
}

/** Counts a view of a public wish page (written at the next flush). */
export function countWishView(db: Db, wishId: number, visitor: string, day = today()) {
  const p = pendingOf(db);
  p.wishes.set(`${wishId}|${visitor}|${day}`, [wishId, visitor, day]);
  schedule(db, p);
}

/** Counts a view of a season's page (written at the next flush). */
export function countSeasonView(db: Db, seasonId: number, visitor: string, day = today()) {
  const p = pendingOf(db);
  p.seasons.set(`${seasonId}|${visitor}|${day}`, [seasonId, visitor, day]);
  schedule(db, p);
}

/** Writes the pending views now: one statement for wishes (rows and counters together), one for seasons. */
export async function flushViews(db: Db): Promise<{ wishViews: number; seasonViews: number }> {
  const p = pendingOf(db);
  await p.flushing; // one flush at a time per database
  if (p.timer) { clearTimeout(p.timer); p.timer = null; }
  const wishes = [...p.wishes.values()], seasons = [...p.seasons.values()];
  p.wishes.clear();
  p.seasons.clear();
  const run = (async () => {
    let wishViews = 0, seasonViews = 0;
    if (wishes.length) {
      const rows = JSON.stringify(wishes.map(([id, visitor, day]) => ({ id, visitor, day })));
      // A wish deleted meanwhile is skipped (the join), so one gone row never loses the rest.
      const r = await sql<{ n: number }>`
        with v as (select x.id, x.visitor, x.day from jsonb_to_recordset(${rows}::jsonb) as x(id int, visitor text, day date) join wishes w on w.id = x.id),
        ins as (insert into wish_views (wish_id, visitor, day) select id, visitor, day from v on conflict do nothing returning wish_id),
        upd as (update wishes w set view_count = w.view_count + c.n from (select wish_id, count(*)::int as n from ins group by wish_id) c where w.id = c.wish_id returning c.n)
        select coalesce(sum(n), 0)::int as n from upd`.execute(db);
      wishViews = Number(r.rows[0]?.n ?? 0);
    }
    if (seasons.length) {
      const rows = JSON.stringify(seasons.map(([id, visitor, day]) => ({ id, visitor, day })));
      const r = await sql`
        insert into season_views (season_id, visitor, day)
        select x.id, x.visitor, x.day from jsonb_to_recordset(${rows}::jsonb) as x(id int, visitor text, day date) join seasons s on s.id = x.id
        on conflict do nothing`.execute(db);
      seasonViews = Number(r.numAffectedRows ?? 0);
    }
    return { wishViews, seasonViews };
  })();
  p.flushing = run.catch(() => undefined);
  return run;
}
