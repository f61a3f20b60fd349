import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { buildApp } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import { openDb, type DbHandle } from '../../server/src/core/db.js';
import { migrate } from '../../server/src/core/migrate.js';
import { pgAdmin, pgUrl, uniqueDbName } from './pg.js';

export const DEMO_PASSWORD = 'Demo@1234';

export interface TestApp {
  app: FastifyInstance;
  dbh: DbHandle;
  kind: 'pglite' | 'postgres';
  /** Bearer token of a demo account (cached per app). */
  token(username: string): Promise<string>;
  close(): Promise<void>;
}

/** A fresh copy of the seeded demo database, on PGlite or PostgreSQL per TEST_DB, and the app on it. */
export async function createTestApp(opts: { logger?: FastifyBaseLogger; env?: Record<string, string> } = {}): Promise<TestApp> {
  const kind = process.env.TEST_DB === 'postgres' ? 'postgres' : 'pglite';
  let dbh: DbHandle;
  let dropDb: (() => Promise<void>) | undefined;
  if (kind === 'postgres') {
    const name = uniqueDbName('redcom_test');
    await pgAdmin((c) => c.query(`create database ${name} template ${inject('pgTemplate')}`));
    dbh = await openDb({ databaseUrl: pgUrl(name), onPoolError: () => {} }); // the drop below may cut a closing connection
    dropDb = () => pgAdmin((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined);
  } else {
    const blob = new Blob([fs.readFileSync(inject('pgliteSeed'))]);
    dbh = await openDb({ loadDataDir: blob });
  }
  await migrate(dbh.db);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'redcom-app-'));
  // Public rate limits off unless a test asks for them; no web apps unless a test gives WEB_DIST.
  const config = { ...loadConfig({ DATA_DIR: dataDir, RATE_LIMIT_PUBLIC_PER_MIN: '0', ...opts.env }), ...(!opts.env?.WEB_DIST && { webDist: path.join(dataDir, 'no-web') }) };
  const app = await buildApp({ config, dbh, logger: opts.logger });
  await app.ready();
  const tokens = new Map<string, string>();
  return {
    app, dbh, kind,
    async token(username) {
      if (!tokens.has(username)) tokens.set(username, await login(app, username));
      return tokens.get(username)!;
    },
    async close() {
      await app.close();
      await dbh.close();
      await dropDb?.();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function login(app: FastifyInstance, username: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  return res.json().token;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** `as(user, method, url, payload?, headers?)`: one request through the app as a demo account (null: signed out). */
export const requester = (app: () => TestApp) =>
  async (user: string | null, method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) => {
    const t = app();
    return t.app.inject({ method: method as any, url, headers: { ...(user ? bearer(await t.token(user)) : {}), ...headers }, ...(payload !== undefined ? { payload: payload as any } : {}) });
  };
