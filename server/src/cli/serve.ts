import pino from 'pino';
import { buildApp } from '../app.js';
import type { Config } from '../config.js';
import { purgeExpiredSessions } from '../modules/people/sign-in.js';
import { syncRoles } from '../modules/people/accounts.js';
import { MODULES, ROLES } from '../modules/index.js';
import { seed } from '../seed/seed.js';
import { deliverOutbox } from '../core/notify.js';
import { assertRealSenders, outboxSenders } from '../core/senders.js';
import { loadSecretKey } from '../core/secret-box.js';
import { openConfiguredDb } from './open.js';
import { scheduleSweeps } from '../core/sweeps.js';
import { clearImportLocksAtStart } from '../core/import-lock.js';

/**
 * Starts the server: migrate, sync roles, seed the demo district on first start
 * (never in production), listen, and on SIGINT/SIGTERM stop taking requests,
 * finish in-flight ones and close the database so PGlite is never left half-written.
 */
export async function serve(config: Config) {
  const log = pino({ level: process.env.LOG_LEVEL ?? 'info' });
  loadSecretKey(config); // fails fast in production when REDCOM_SECRET_KEY is missing, before any migration
  assertRealSenders(config); // and when SMS or WeChat messages would only be logged
  const dbh = await openConfiguredDb(config);
  const { db } = dbh;
  await syncRoles(db, ROLES);
  const hasRegions = await db.selectFrom('regions').select('id').limit(1).executeTakeFirst();
  if (!hasRegions && !config.production) {
    log.info('首次启动：正在生成演示数据 / first start: seeding the demo district…');
    const s = await seed(db, 'demo');
    log.info(s, 'demo district seeded');
  }
  const admin = await db.selectFrom('account_roles').select('account_id').where('role_code', '=', 'district_admin').limit(1).executeTakeFirst();
  if (!admin) {
    log.warn('尚无区级管理员账号 / No district admin exists yet. Create one with: npx redcom region add-root --code CODE --name 区名 (if the region tree is empty), then npx redcom user add --username NAME --role district_admin');
  }
  await purgeExpiredSessions(db);
  if (dbh.kind === 'pglite') {
    const stale = await clearImportLocksAtStart(db);
    if (stale) log.warn({ stale }, 'import locks left by a process that stopped mid-import were released (nothing of those imports was written)');
  }

  const app = await buildApp({ config, dbh, logger: log });
  // Background work whose state lives in the database, so a restart loses nothing:
  // each module's sweeps (e.g. the claim clock) and outbox delivery, once per tick across instances (core/sweeps.ts).
  const deps = { db, bus: app.events, files: app.files, secrets: app.secrets };
  const senders = outboxSenders(config, db, app.secrets, log);
  const every = (ms: number) => config.sweepEveryMs ?? ms;
  const stopSweeps = scheduleSweeps(dbh, app.metrics, log, [
    ...MODULES.flatMap((m) => (m.sweeps ?? []).map((s) => ({ name: `${m.name}: ${s.name}`, everyMs: every(s.everyMs), run: () => s.run(deps) }))),
    { name: 'outbox delivery', everyMs: every(5_000), run: () => deliverOutbox(db, senders) },
  ]);
  const stops = await Promise.all(MODULES.flatMap((m) => (m.workers ?? []).map((w) => w.start(deps, log.child({ worker: `${m.name}: ${w.name}` })))));
  app.addHook('preClose', async () => {
    await stopSweeps();
    await Promise.all(stops.map((stop) => stop()));
  });
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down: finishing in-flight requests');
    const force = setTimeout(() => { log.error('forced exit after 10 s'); process.exit(1); }, 10_000);
    try {
      await app.close(); // stops accepting, waits for in-flight requests
      await dbh.close(); // PGlite: waits for its queue, then closes cleanly
      log.info('closed cleanly');
    } finally {
      clearTimeout(force);
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  log.info(`红色社区 ready: http://localhost:${config.port}/  (admin /admin/, cockpit /screen/, API docs /api/docs) — database: ${dbh.kind}`);
  return app;
}
