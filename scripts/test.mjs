// `npm test`: every tier in one Vitest run — unit, API on PGlite, the same API suite on
// PostgreSQL, CLI, and browser end-to-end. On CI a missing PostgreSQL or Chromium fails
// the run; on a laptop that tier is skipped with a warning. Ends with "N passed, N failed".
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';

const root = path.resolve(import.meta.dirname, '..');
const ci = !!process.env.CI;
const projects = ['unit', 'api-pglite', 'cli'];

async function pgReachable() {
  const c = new pg.Client({ connectionString: process.env.TEST_PG_URL ?? 'postgres://root@127.0.0.1:5432/postgres', connectionTimeoutMillis: 3000 });
  try { await c.connect(); await c.end(); return true; } catch { return false; }
}

if (await pgReachable()) projects.push('api-postgres');
else if (ci) { console.error('PostgreSQL is not reachable at 127.0.0.1:5432: the API suite must run on it on CI.'); process.exit(1); }
else console.warn('⚠ PostgreSQL not reachable: skipping the api-postgres tier');

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (fs.existsSync(chromium)) projects.push('e2e');
else if (ci) { console.error(`Chromium not found at ${chromium}: install it (apt-get install -y chromium fonts-noto-cjk).`); process.exit(1); }
else console.warn('⚠ Chromium not found: skipping the browser tier');

const report = path.join(root, '.tmp/vitest-report.json');
fs.mkdirSync(path.dirname(report), { recursive: true });
fs.rmSync(report, { force: true });
const args = ['vitest', 'run', ...projects.flatMap((p) => ['--project', p]), '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)];
const res = spawnSync('npx', args, { cwd: root, stdio: 'inherit' });

if (fs.existsSync(report)) {
  const r = JSON.parse(fs.readFileSync(report, 'utf8'));
  console.log(`\ntiers: ${projects.join(', ')}`);
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed${r.numPendingTests ? `, ${r.numPendingTests} skipped` : ''}`);
  if (r.numTotalTests === 0) process.exit(1);
  if (res.status !== 0 && r.numFailedTests === 0) console.log('vitest reported errors outside the tests (see "Unhandled Errors" above): failing the run');
}
process.exit(res.status ?? 1);
