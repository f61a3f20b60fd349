#!/usr/bin/env node
// Builds the web apps (web/dist) unless the build is already newer than every source file under web/.
// Plain Node ESM, no dependencies; `npm start` runs it before the server.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const web = path.join(root, 'web');
const dist = path.join(web, 'dist');
const outputs = ['index.html', 'admin/index.html', 'screen/index.html'].map((f) => path.join(dist, f));
const SKIP_DIRS = new Set(['dist', 'node_modules', '.vite', '.cache']);

/** Newest modification time of any file under dir (skipping build output and caches). */
function newestSource(dir) {
  let newest = 0;
  let newestFile = '';
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop();
    let entries;
    try { entries = fs.readdirSync(d, { withFileTypes: true }); } catch { continue; }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (!(d === web && SKIP_DIRS.has(e.name)) && e.name !== 'node_modules') stack.push(p);
      } else if (e.isFile()) {
        const m = fs.statSync(p).mtimeMs;
        if (m > newest) { newest = m; newestFile = p; }
      }
    }
  }
  return { newest, newestFile };
}

function upToDate() {
  let oldestOutput = Infinity;
  for (const f of outputs) {
    if (!fs.existsSync(f)) return { ok: false, why: `${path.relative(root, f)} is missing` };
    oldestOutput = Math.min(oldestOutput, fs.statSync(f).mtimeMs);
  }
  const { newest, newestFile } = newestSource(web);
  if (newest > oldestOutput) return { ok: false, why: `${path.relative(root, newestFile)} changed since the last build` };
  return { ok: true };
}

const state = upToDate();
if (state.ok) {
  console.log('[ensure-web] web/dist is up to date');
  process.exit(0);
}
console.log(`[ensure-web] building the web apps (${state.why})…`);
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
// Always a production build, even when called from a test run (which sets NODE_ENV=test).
const res = spawnSync(npx, ['vite', 'build', '--config', 'web/vite.config.ts'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32', env: { ...process.env, NODE_ENV: 'production' } });
if (res.error) {
  console.error(`[ensure-web] could not run vite: ${res.error.message}`);
  process.exit(1);
}
if (res.status !== 0) {
  console.error(`[ensure-web] vite build failed (exit ${res.status ?? res.signal})`);
  process.exit(res.status || 1);
}
