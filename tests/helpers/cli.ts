import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/redcom.mjs');

/** Runs `redcom ARGS` to completion with the given environment. */
export function redcom(args: string[], env: Record<string, string | undefined>) {
  const res = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT, encoding: 'utf8', timeout: 600_000,
    env: { ...process.env, NODE_ENV: 'development', DATABASE_URL: '', ...env },
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr, out: res.stdout + res.stderr };
}

export interface Server { proc: ChildProcess; url: string; output: () => string; stop(signal?: NodeJS.Signals): Promise<number | null> }

/** Starts `redcom serve` and waits for /api/health. */
export async function startServer(env: Record<string, string | undefined>, port: number): Promise<Server> {
  const proc = spawn(process.execPath, [BIN, 'serve'], {
    cwd: ROOT, env: { ...process.env, NODE_ENV: 'development', DATABASE_URL: '', ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited early (${proc.exitCode}):\n${out}`);
    try {
      const r = await fetch(`${url}/api/health`);
      if (r.ok) break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) { proc.kill('SIGKILL'); throw new Error(`server did not start:\n${out}`); }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    proc, url, output: () => out,
    stop: (signal = 'SIGINT') => new Promise((resolve) => {
      if (proc.exitCode !== null) return resolve(proc.exitCode);
      proc.once('exit', (code) => resolve(code));
      proc.kill(signal);
    }),
  };
}

export const freePort = () => 20000 + Math.floor(Math.random() * 20000);

/** Polls `fn` every 200 ms until it gives a truthy value (errors count as not yet); fails naming `what` after `ms`. */
export async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
