import type { sql } from 'kysely';
import type { TestApp, requester } from './app.js';

/** Rows of a raw SQL query on the test app's database. */
export const sqlRows = (app: () => TestApp) => async <T = any>(s: ReturnType<typeof sql<T>>) => (await s.execute(app().dbh.db)).rows;

/** Polls a hub resource (a run, a job) as data.admin until `done` holds; fails after about a minute. */
export async function waitFor(as: ReturnType<typeof requester>, url: string, done: (r: any) => boolean) {
  for (let i = 0; i < 1200; i++) {
    const r = (await as('data.admin', 'GET', url)).json();
    if (done(r)) return r;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`${url} did not finish`);
}

/** The person contract's columns as the tests' list files carry them. */
export const PERSON_FIELDS = ['key', 'name', 'sex', 'birth_date', 'id_no', 'phone', 'address'];

/** A quoted UTF-8 CSV of person rows in PERSON_FIELDS order (missing values empty). */
export const personCsv = (rows: object[]) => Buffer.from([PERSON_FIELDS.join(','),
  ...rows.map((r) => PERSON_FIELDS.map((f) => `"${String((r as Record<string, unknown>)[f] ?? '').replaceAll('"', '""')}"`).join(','))].join('\n'));
