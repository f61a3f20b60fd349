import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../../server/src/core/metrics.js';
import { scheduleSweeps } from '../../server/src/core/sweeps.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

/** core/sweeps.ts: two schedulers on one database stand for two instances (each has its own lock connection). */
describe('sweeps once per tick across instances', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(() => t.close());

  const warnings: unknown[] = [];
  const log = { error: () => {}, warn: (o: unknown) => void warnings.push(o) };
  const outcomes = async (m: ReturnType<typeof createMetrics>) => {
    const text = await m.registry.metrics();
    const count = (outcome: string) => Number(new RegExp(`^redcom_sweep_duration_seconds_count\\{sweep="[^"]+",outcome="${outcome}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
    return { ok: count('ok'), skipped: count('skipped'), error: count('error') };
  };
  const instance = (name: string, runs: number[], i: number) => {
    const metrics = createMetrics(t.dbh, t.app.events);
    const stop = scheduleSweeps(t.dbh, metrics, log, [{ name, everyMs: 40, run: async () => { runs[i]++; } }]);
    return { metrics, stop };
  };

  it.runIf(process.env.TEST_DB === 'postgres')('on PostgreSQL one instance runs a sweep and the other skips it, until the runner stops or loses its connection', async () => {
    const runs = [0, 0];
    const a = instance('test: sweep lock', runs, 0);
    await expect.poll(() => runs[0]).toBeGreaterThan(0);
    const b = instance('test: sweep lock', runs, 1);
    try {
      await expect.poll(async () => (await outcomes(b.metrics)).skipped).toBeGreaterThan(3);
      expect(runs[1]).toBe(0);
      expect((await outcomes(a.metrics)).skipped).toBe(0);

      // The runner stops: its lock goes with its connection, and the other one runs the sweep from its next tick.
      await a.stop();
      await expect.poll(() => runs[1]).toBeGreaterThan(0);

      // The lock connection is cut (a server restart, an admin's kill): the lock is gone, and it is taken again.
      const before = runs[1];
      await sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'redcom sweeps' and datname = current_database()`.execute(t.dbh.db);
      await expect.poll(() => warnings.length).toBeGreaterThan(0);
      await expect.poll(() => runs[1]).toBeGreaterThan(before);
      expect((await outcomes(b.metrics)).ok).toBeGreaterThan(0);
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  it.runIf(process.env.TEST_DB !== 'postgres')('on PGlite (one process) every scheduler just runs', async () => {
    const runs = [0, 0];
    const a = instance('test: no lock', runs, 0), b = instance('test: no lock', runs, 1);
    try {
      await expect.poll(() => runs[0] > 0 && runs[1] > 0).toBe(true);
      expect((await outcomes(a.metrics)).skipped + (await outcomes(b.metrics)).skipped).toBe(0);
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});
