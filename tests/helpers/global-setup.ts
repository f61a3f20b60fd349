import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDb } from '../../server/src/core/db.js';
import { migrate } from '../../server/src/core/migrate.js';
import { seed } from '../../server/src/seed/seed.js';
import { pgAdmin, pgReachable, pgUrl, uniqueDbName } from './pg.js';

/**
 * Builds the seeded demo database once per run: a PGlite data-dir tarball, or a
 * PostgreSQL template database. Each test file then starts from a fresh copy.
 */
export default async function setup(project: TestProject) {
  const kind = project.config.env?.TEST_DB ?? process.env.TEST_DB;
  if (kind === 'postgres') {
    if (!(await pgReachable())) throw new Error('PostgreSQL is not reachable at 127.0.0.1:5432 (set TEST_PG_URL); the API suite must run on it');
    const template = uniqueDbName('redcom_tpl');
    await pgAdmin((c) => c.query(`create database ${template}`));
    const dbh = await openDb({ databaseUrl: pgUrl(template) });
    await migrate(dbh.db);
    await seed(dbh.db, 'demo');
    await dbh.close();
    project.provide('pgTemplate', template);
    return async () => {
      await pgAdmin((c) => c.query(`drop database if exists ${template} with (force)`));
    };
  }
  const dbh = await openDb({});
  await migrate(dbh.db);
  await seed(dbh.db, 'demo');
  const dump = await dbh.pglite!.dumpDataDir('none');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'redcom-test-')), 'seeded.tar');
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await dbh.close();
  project.provide('pgliteSeed', file);
  return () => fs.rmSync(path.dirname(file), { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext { pgTemplate: string; pgliteSeed: string }
}
