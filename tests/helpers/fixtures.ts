import type { Executor } from '../../server/src/core/db.js';

/** Looks up demo-seed records by their stable codes. */
export async function regionByCode(db: Executor, code: string) {
  return db.selectFrom('regions').selectAll().where('code', '=', code).executeTakeFirstOrThrow();
}

/** A person living under the region with this code (first by id). */
export async function personUnder(db: Executor, code: string) {
  const r = await regionByCode(db, code);
  return db.selectFrom('persons as p').select(['p.id', 'p.name', 'p.phone', 'p.id_number', 'p.household_id'])
    .where('p.region_path', 'like', `${r.path}%`).orderBy('p.id').limit(1).executeTakeFirstOrThrow();
}
