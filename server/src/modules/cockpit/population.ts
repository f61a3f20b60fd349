import { sql } from 'kysely';
import type { Db } from '../../core/db.js';
import type { Worker } from '../../core/module.js';
import { underPath } from '../../core/scope.js';
import { cachedStale } from '../../core/cache.js';
import { byChild, childRegions, last12Months, monthOf, monthsStart, type CockpitRegion } from './region.js';

/**
 * The population panel: persons, households, the age pyramid (5-year bands by sex), elders 80+ and
 * elders (60+) living alone (the only person of their household), a 12-month trend of registered
 * persons, and the same per child region.
 *
 * Counting 620,000 persons by age and household takes 5–10 s on PGlite, far over a panel's 200 ms.
 * So the district is counted down to the compound (a few thousand groups) and every level's panel
 * is summed from that in memory. The count runs one community at a time (~0.1 s each), so that on
 * PGlite's single connection the screens' requests slip in between instead of waiting for the
 * whole pass; `serve` warms it at start and refreshes it behind the panels every few minutes —
 * registry changes (imports, moves) reach the screen within that.
 */
export const POPULATION_TTL_MS = 5 * 60_000;
/** Bands of 5 years: 0 = 0–4 … 20 = 100+. */
export const AGE_BANDS = 21;
const ELDER_BAND = 12; // 60+
const OLD_BAND = 16; // 80+

/** One group of persons: where (street, community, compound ids from the path), sex and age band. */
interface Group { s: number | null; c: number | null; k: number | null; sex: 'M' | 'F'; band: number | null; n: number; alone: number }
interface Place { s: number | null; c: number | null; k: number | null; n: number }
interface Joined extends Place { month: string }
export interface PopulationCounts { persons: Group[]; households: Place[]; joined: Joined[]; months: string[] }

const seg = (col: string, i: number) => sql<number | null>`cast(nullif(split_part(${sql.ref(col)}, '/', ${sql.lit(i)}), '') as integer)`;

/** The grouped counts under a region path (one region, counted live), or of rows attached exactly to `paths`. */
export async function countPopulation(db: Db, path: string, exactly?: string[]): Promise<PopulationCounts> {
  const where = (col: string) => (exactly ? sql<boolean>`${sql.ref(col)} in (${sql.join(exactly)})` : underPath(col, path));
  const months = last12Months();
  const band = sql<number | null>`least(${sql.lit(AGE_BANDS - 1)}, floor(extract(year from age(current_date, p.birth_date)) / 5))::int`;
  const [persons, households, joined] = await Promise.all([
    db.selectFrom('persons as p')
      .leftJoin(db.selectFrom('persons').select(['household_id', sql<number>`count(*)`.as('size')]).where('household_id', 'is not', null)
        .where(where('region_path')).groupBy('household_id').as('h'), 'h.household_id', 'p.household_id')
      .select([seg('p.region_path', 3).as('s'), seg('p.region_path', 4).as('c'), seg('p.region_path', 5).as('k'), 'p.sex', band.as('band'),
        sql<number>`count(*)::int`.as('n'),
        sql<number>`(count(*) filter (where h.size = 1 and ${band} >= ${sql.lit(ELDER_BAND)}))::int`.as('alone')])
      .where(where('p.region_path')).groupBy(['s', 'c', 'k', 'p.sex', 'band']).execute(),
    db.selectFrom('households').select([seg('region_path', 3).as('s'), seg('region_path', 4).as('c'), seg('region_path', 5).as('k'), sql<number>`count(*)::int`.as('n')])
      .where(where('region_path')).groupBy(['s', 'c', 'k']).execute(),
    db.selectFrom('persons').select([seg('region_path', 3).as('s'), seg('region_path', 4).as('c'), seg('region_path', 5).as('k'), monthOf('created_at').as('month'), sql<number>`count(*)::int`.as('n')])
      .where(where('region_path')).where('created_at', '>=', monthsStart(months)).groupBy(['s', 'c', 'k', 'month']).execute(),
  ]);
  const num = <T extends { n: number }>(rows: T[]) => rows.map((r) => ({ ...r, n: Number(r.n) }));
  return { persons: num(persons).map((g) => ({ ...g, alone: Number(g.alone) })) as Group[], households: num(households), joined: num(joined), months };
}

/**
 * The district's counts, one community at a time (see above), then the rows attached to the district
 * or a street itself (a person registered at street level has no community).
 */
async function countDistrict(db: Db, rootPath: string): Promise<PopulationCounts> {
  const regions = await db.selectFrom('regions').select(['path', 'level']).where('level', 'in', ['district', 'street', 'community']).where(underPath('path', rootPath)).execute();
  const parts: PopulationCounts[] = [];
  for (const c of regions.filter((r) => r.level === 'community')) parts.push(await countPopulation(db, c.path));
  parts.push(await countPopulation(db, rootPath, regions.filter((r) => r.level !== 'community').map((r) => r.path)));
  return { persons: parts.flatMap((p) => p.persons), households: parts.flatMap((p) => p.households), joined: parts.flatMap((p) => p.joined), months: parts[0].months };
}

/** The district's counts, cached per database: the key is never a caller, the region filter comes after. */
export function districtPopulation(db: Db, rootPath: string) {
  return cachedStale(db, 'cockpit_population', rootPath, POPULATION_TTL_MS, () => countDistrict(db, rootPath));
}

/** The panel for a region from grouped counts (the cached district pass or a live count of that region alone). */
export async function populationPanel(db: Db, region: CockpitRegion, counts: PopulationCounts) {
  const own = region.level === 'district' ? () => true : region.level === 'street' ? (p: Place) => p.s === region.id : (p: Place) => p.c === region.id;
  const child = region.level === 'district' ? (p: Place) => p.s : region.level === 'street' ? (p: Place) => p.c : (p: Place) => p.k;
  const persons = counts.persons.filter(own), households = counts.households.filter(own), joined = counts.joined.filter(own);
  const zero = () => ({ persons: 0, households: 0, elders80: 0, eldersAlone: 0 });
  const total = zero();
  const per = new Map<number, ReturnType<typeof zero>>();
  const at = (id: number | null) => {
    if (id == null) return null;
    let row = per.get(id);
    if (!row) per.set(id, (row = zero()));
    return row;
  };
  const male = new Array<number>(AGE_BANDS).fill(0), female = new Array<number>(AGE_BANDS).fill(0);
  let unknownAge = 0;
  for (const g of persons) {
    const old = g.band != null && g.band >= OLD_BAND ? g.n : 0;
    for (const row of [total, at(child(g))]) if (row) { row.persons += g.n; row.elders80 += old; row.eldersAlone += g.alone; }
    if (g.band == null) unknownAge += g.n; else (g.sex === 'M' ? male : female)[g.band] += g.n;
  }
  for (const h of households) for (const row of [total, at(child(h))]) if (row) row.households += h.n;
  // Persons registered at the end of each month: today's count less those who joined after that month.
  const joinedIn = new Map<string, number>();
  for (const j of joined) joinedIn.set(j.month, (joinedIn.get(j.month) ?? 0) + j.n);
  let later = 0;
  const trend = [...counts.months].reverse().map((month) => {
    const point = { month, persons: total.persons - later };
    later += joinedIn.get(month) ?? 0;
    return point;
  }).reverse();
  return {
    region: { id: region.id, name: region.name, level: region.level },
    ...total,
    pyramid: Array.from({ length: AGE_BANDS }, (_, b) => ({ band: b === AGE_BANDS - 1 ? `${b * 5}+` : `${b * 5}-${b * 5 + 4}`, male: male[b], female: female[b] })),
    unknownAge,
    trend,
    breakdown: byChild(await childRegions(db, region), per, zero()),
    at: new Date().toISOString(),
  };
}

/** `serve`'s worker: counts the district at start, so the first screen does not wait, and keeps the count fresh. */
export const populationWorker: Worker = {
  name: 'population',
  async start({ db }, log) {
    const warm = async () => {
      const root = await db.selectFrom('regions').select('path').where('parent_id', 'is', null).executeTakeFirst();
      if (root) await districtPopulation(db, root.path);
    };
    const run = () => warm().catch((err) => log.error({ err }, 'population count failed'));
    run();
    // Asking every minute refreshes the count as soon as it is older than POPULATION_TTL_MS (a fresh one is left alone).
    const timer = setInterval(run, 60_000);
    return async () => clearInterval(timer);
  },
};
