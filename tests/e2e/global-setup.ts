import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort, redcom, ROOT, startServer } from '../helpers/cli.js';

/** Builds the web apps if needed and starts one real server (PGlite, demo seed) for the browser tests. */
export default async function setup(project: TestProject) {
  const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts/ensure-web.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('web build failed');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'redcom-e2e-'));
  // Seeded by the CLI first, which has no start-up deadline: on a loaded machine the demo seed alone can outlast startServer's wait.
  const seeded = redcom(['seed'], { DATA_DIR: dataDir });
  if (seeded.code !== 0) throw new Error(`demo seed failed:\n${seeded.out}`);
  const server = await startServer({ DATA_DIR: dataDir }, freePort());
  project.provide('baseUrl', server.url);
  return async () => {
    await server.stop('SIGTERM');
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext { baseUrl: string }
}
