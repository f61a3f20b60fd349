import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startServer, until, type Server } from '../helpers/cli.js';
import { jpegWithGps, multipart } from '../helpers/multipart.js';
import { pgAdmin, pgRequired, pgUrl, uniqueDbName } from '../helpers/pg.js';

/**
 * Issue 13: two `redcom serve` instances on one PostgreSQL behind Debian's nginx (round-robin),
 * as the README's config runs them: sessions, live events, races, sweeps and files must not
 * care which instance answers.
 */
const NGINX = '/usr/sbin/nginx';
const hasNginx = fs.existsSync(NGINX);
if (!hasNginx && process.env.CI) throw new Error(`${NGINX} is missing on CI: .ci/run installs it (apt-get install nginx)`);
const pgUp = await pgRequired();
const PASSWORD = 'Demo@1234';

/** The README's proxy block, with every path nginx writes in the temp dir so that no root is needed. */
function nginxConfig(dir: string, port: number, upstreams: number[]) {
  const runAs = process.getuid?.() === 0 ? 'user root;' : ''; // as root, workers would drop to nobody, who cannot enter the temp dir
  return `${runAs}
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream redcom {
${upstreams.map((p) => `    server 127.0.0.1:${p};`).join('\n')}
    keepalive 16;
  }
  server {
    listen 127.0.0.1:${port};
    client_max_body_size 20m;
    location / {
      proxy_pass http://redcom;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_buffering off;
      proxy_read_timeout 1h;
      # For this test only: which instance answered.
      add_header X-Upstream $upstream_addr always;
    }
  }
}
`;
}

/** A text/event-stream reader: resolves `connected` once the server has sent its first line, and hands out `wish` events as they come. */
function sse(url: string) {
  const ctrl = new AbortController();
  const events: { at: number; data: any }[] = [];
  const waiters: (() => void)[] = [];
  let onConnected = () => {};
  const connected = new Promise<void>((r) => (onConnected = r));
  void (async () => {
    const res = await fetch(url, { signal: ctrl.signal });
    const reader = res.body!.getReader();
    let buf = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buf += new TextDecoder().decode(value);
      if (buf.includes(': connected')) onConnected();
      let m: RegExpExecArray | null;
      while ((m = /event: wish\ndata: (.+)\n\n/.exec(buf))) {
        events.push({ at: Date.now(), data: JSON.parse(m[1]) });
        buf = buf.slice(m.index + m[0].length);
        waiters.splice(0).forEach((w) => w());
      }
    }
  })().catch(() => {});
  return {
    connected,
    /** The first event matching, or null once `deadline` (ms since epoch) has passed. */
    async next(match: (e: any) => boolean, deadline: number) {
      for (;;) {
        const hit = events.find((e) => match(e.data));
        if (hit) return hit;
        const left = deadline - Date.now();
        if (left <= 0) return null;
        await new Promise<void>((r) => { const t = setTimeout(r, left); waiters.push(() => { clearTimeout(t); r(); }); });
      }
    },
    close: () => ctrl.abort(),
  };
}

/** One request from a chosen local address (to show which client address the app believes behind the proxy). */
function requestFrom(localAddress: string, url: string, body: unknown) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(url, { method: 'POST', localAddress, headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** Counts of the sweep histogram from one instance's /metrics: sweep → outcome → ticks. */
async function sweepOutcomes(base: string) {
  const text = await (await fetch(`${base}/metrics`)).text();
  const counts = new Map<string, Record<string, number>>();
  for (const m of text.matchAll(/^redcom_sweep_duration_seconds_count\{sweep="([^"]+)",outcome="([^"]+)"\} (\d+)$/gm)) {
    counts.set(m[1], { ...counts.get(m[1]), [m[2]]: Number(m[3]) });
  }
  return counts;
}
const ran = (o: Record<string, number> | undefined) => (o?.ok ?? 0) + (o?.error ?? 0);

describe.runIf(hasNginx && pgUp)('two instances behind nginx on one PostgreSQL', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'redcom-nginx-'));
  const dbName = uniqueDbName('redcom_nginx');
  let a: Server, b: Server, nginx: ChildProcess;
  let proxy: string;
  let nginxLog = '';
  let voteId = 0;

  beforeAll(async () => {
    await pgAdmin((c) => c.query(`create database ${dbName}`));
    // One database and one DATA_DIR (uploaded files, the generated secret key) for both; loopback is the proxy.
    const env = { DATABASE_URL: pgUrl(dbName), DATA_DIR: path.join(tmp, 'data'), TRUST_PROXY: '127.0.0.1', SWEEP_EVERY_MS: '400', PG_POOL_MAX: '10' };
    // A first, alone: it migrates and seeds the demo district; B finds them done.
    a = await startServer(env, freePort());
    b = await startServer(env, freePort());
    const port = freePort();
    fs.writeFileSync(path.join(tmp, 'nginx.conf'), nginxConfig(tmp, port, [a, b].map((s) => Number(new URL(s.url).port))));
    nginx = spawn(NGINX, ['-p', tmp, '-e', path.join(tmp, 'error.log'), '-c', path.join(tmp, 'nginx.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
    nginx.stdout!.on('data', (d) => (nginxLog += d));
    nginx.stderr!.on('data', (d) => (nginxLog += d));
    proxy = `http://127.0.0.1:${port}`;
    await until(`nginx on ${port}`, async () => {
      if (nginx.exitCode !== null) throw new Error(`nginx exited (${nginx.exitCode}): ${nginxLog}${fs.readFileSync(path.join(tmp, 'error.log'), 'utf8')}`);
      return (await fetch(`${proxy}/api/health`)).ok;
    }, 30_000).catch((e) => { throw new Error(`${e.message}\n${nginxLog}`); });
  }, 300_000);

  afterAll(async () => {
    if (nginx && nginx.exitCode === null) await new Promise((r) => { nginx.once('exit', r); nginx.kill('SIGQUIT'); });
    await Promise.all([a?.stop('SIGTERM'), b?.stop('SIGTERM')]);
    await pgAdmin((c) => c.query(`drop database if exists ${dbName} with (force)`));
    fs.rmSync(tmp, { recursive: true, force: true });
  }, 60_000);

  const api = async (base: string, url: string, init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {}) => {
    const res = await fetch(`${base}${url}`, {
      method: init.method ?? (init.body ? 'POST' : 'GET'),
      headers: { ...(init.body ? { 'content-type': 'application/json' } : {}), ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...init.headers },
      body: init.body ? JSON.stringify(init.body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, upstream: res.headers.get('x-upstream'), json: (text ? JSON.parse(text) : null) as any, headers: res.headers };
  };
  const query = async (text: string) => {
    const c = new pg.Client({ connectionString: pgUrl(dbName) });
    await c.connect();
    try { return (await c.query(text)).rows; } finally { await c.end(); }
  };
  const tokens = new Map<string, string>();
  const token = async (username: string) => {
    if (!tokens.has(username)) {
      const r = await api(proxy, '/api/auth/login', { body: { username, password: PASSWORD } });
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      tokens.set(username, r.json.token);
    }
    return tokens.get(username)!;
  };
  const ports = () => new Set([a, b].map((s) => `127.0.0.1:${new URL(s.url).port}`));
  const publishedWish = async (base: string) => {
    const created = await api(base, '/api/wishes', { token: await token('resident.demo'), body: { title: '想要一台收音机', story: '独居多年，想听听戏曲广播解闷。', category: 'goods', targetGroup: 'elder', estimatedValue: 120 } });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const review = await api(base, `/api/wishes/${created.json.id}/review`, { token: await token('community.luming'), body: { decision: 'approve' } });
    expect(review.status).toBe(200);
    return created.json.id as number;
  };

  it('a session cookie works whichever instance answers; the client address comes from the trusted X-Forwarded-For', async () => {
    const login = await fetch(`${proxy}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'community.luming', password: PASSWORD }) });
    expect(login.status).toBe(200);
    const cookie = login.headers.getSetCookie().find((c) => c.startsWith('rc_session='))!.split(';')[0];
    const answered = new Set<string>();
    for (let i = 0; i < 8; i++) {
      const me = await api(proxy, '/api/auth/me', { headers: { cookie } });
      expect(me.status).toBe(200);
      expect(me.json.account.username).toBe('community.luming');
      answered.add(me.upstream!);
    }
    expect(answered).toEqual(ports()); // round-robin: both instances served the same session

    // A client at 127.0.0.2 signs in through nginx: the audit log records 127.0.0.2, not nginx's 127.0.0.1.
    const r = await requestFrom('127.0.0.2', `${proxy}/api/auth/login`, { username: 'member.demo', password: PASSWORD });
    expect(r.status).toBe(200);
    const [{ ip }] = await query(`select l.ip from audit_log l join accounts a on l.target_id = a.id::text
      where l.action = 'auth.login' and a.username = 'member.demo' order by l.id desc limit 1`);
    expect(ip).toBe('127.0.0.2');
  });

  it('an SSE client on instance A, and one through nginx, see a claim made on instance B within 1 s', async () => {
    const id = await publishedWish(b.url);
    const onA = sse(`${a.url}/api/wishes/events?wishId=${id}`);
    const viaProxy = sse(`${proxy}/api/wishes/events?wishId=${id}`);
    try {
      await Promise.all([onA.connected, viaProxy.connected]);
      const claim = await api(b.url, `/api/wishes/${id}/claim`, { token: await token('unit.demo'), body: {} });
      expect(claim.status, JSON.stringify(claim.json)).toBe(200);
      const deadline = Date.now() + 1000;
      const isClaim = (e: any) => e.type === 'claimed' && e.wishId === id;
      const [seenOnA, seenViaProxy] = await Promise.all([onA.next(isClaim, deadline), viaProxy.next(isClaim, deadline)]);
      expect(seenOnA, 'instance A heard the claim made on B').not.toBeNull();
      expect(seenViaProxy, 'the client behind nginx heard it (no proxy buffering)').not.toBeNull();
    } finally {
      onA.close();
      viaProxy.close();
    }
  });

  it('claims stay one per wish and ballots one per room with concurrent requests split across both instances', async () => {
    const claimers = [await token('unit.demo'), await token('member.demo')];
    const id = await publishedWish(proxy);
    const claims = await Promise.all(Array.from({ length: 24 }, (_, i) => api(proxy, `/api/wishes/${id}/claim`, { token: claimers[i % 2], body: {} })));
    expect(new Set(claims.map((c) => c.upstream))).toEqual(ports());
    expect(claims.filter((c) => c.status === 200)).toHaveLength(1);
    expect(claims.filter((c) => c.status === 409)).toHaveLength(23);

    const worker = await token('community.luming');
    const [{ id: unitId }] = await query(`select id from regions where code = 'XSW-01-1'`);
    const c = await api(proxy, '/api/consultations', { token: worker, body: { topic: '1幢1单元加装电梯', scopeRegionId: unitId } });
    expect(c.status, JSON.stringify(c.json)).toBe(201);
    const v = await api(proxy, '/api/votes', { token: worker, body: { consultationId: c.json.id, title: '是否同意加装电梯', rule: 'major' } });
    expect(v.status, JSON.stringify(v.json)).toBe(201);
    expect((await api(proxy, `/api/votes/${v.json.id}/open`, { token: worker, method: 'POST' })).status).toBe(200);
    const owners = (await api(proxy, `/api/owners?regionId=${unitId}&pageSize=100`, { token: worker })).json.items;
    const room = owners.find((r: any) => !r.unsoldDeveloperUnit).roomId;
    voteId = v.json.id;
    const scanId = await uploadScan(voteId, worker);
    const ballots = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      api(proxy, `/api/votes/${v.json.id}/ballots`, { token: worker, body: { roomId: room, choice: i % 2 ? 'agree' : 'disagree', channel: 'paper', scanFileId: scanId } })));
    expect(new Set(ballots.map((r) => r.upstream))).toEqual(ports());
    expect(ballots.filter((r) => r.status === 200)).toHaveLength(1);
    expect(ballots.filter((r) => r.status === 409)).toHaveLength(19);
  });

  /** A ballot scan (a photo) uploaded through nginx; returns its file id. */
  const uploadScan = async (voteId: number, worker: string) => {
    const form = multipart({}, [{ field: 'scan', name: 'ballot.jpg', type: 'image/jpeg', data: await jpegWithGps() }]);
    const res = await fetch(`${proxy}/api/votes/${voteId}/scans`, { method: 'POST', headers: { authorization: `Bearer ${worker}`, ...form.headers }, body: form.payload });
    expect(res.status, await res.clone().text()).toBe(201);
    return (await res.json()).fileId as number;
  };

  it('an uploaded photo is readable through both instances (one DATA_DIR)', async () => {
    const worker = await token('community.luming');
    expect(voteId).toBeTruthy(); // the ballots' vote, above
    const fileId = await uploadScan(voteId, worker);
    const bodies = await Promise.all([a.url, b.url].map(async (base) => {
      const res = await fetch(`${base}/api/files/${fileId}`, { headers: { authorization: `Bearer ${worker}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/jpeg');
      return Buffer.from(await res.arrayBuffer());
    }));
    expect(bodies[0].length).toBeGreaterThan(1000);
    expect(bodies[0].equals(bodies[1])).toBe(true);
  });

  it('each sweep runs on one instance per tick and is skipped on the other; when that instance stops, the other takes over', async () => {
    // Every sweep has ticked on both instances: on one it ran, on the other it was skipped (the advisory lock is held).
    const names = await until('every sweep to tick on both instances', async () => {
      const [oa, ob] = await Promise.all([sweepOutcomes(a.url), sweepOutcomes(b.url)]);
      const all = [...new Set([...oa.keys(), ...ob.keys()])];
      const settled = all.length >= 10 && all.every((n) => ran(oa.get(n)) + ran(ob.get(n)) > 0 && ((oa.get(n)?.skipped ?? 0) > 0 || (ob.get(n)?.skipped ?? 0) > 0));
      return settled && all;
    });
    expect(names).toEqual(expect.arrayContaining(['wishes: claim sweep', 'property: booking no-shows', 'outbox delivery']));
    const [oa, ob] = await Promise.all([sweepOutcomes(a.url), sweepOutcomes(b.url)]);
    for (const n of names) {
      const [runner, other] = ran(oa.get(n)) > 0 ? [oa, ob] : [ob, oa];
      expect(ran(runner.get(n)), n).toBeGreaterThan(0);
      expect(runner.get(n)?.skipped ?? 0, `${n}: the instance that runs it never skips it`).toBe(0);
      expect(ran(other.get(n)), `${n}: ran on both instances`).toBe(0);
      expect(other.get(n)?.skipped, n).toBeGreaterThan(0);
    }

    // The instance running the claim sweep stops; its lock goes with its connection and the other one takes the sweep over.
    const [leader, follower] = ran(oa.get('wishes: claim sweep')) > 0 ? [a, b] : [b, a];
    expect(await leader.stop('SIGTERM')).toBe(0);
    await until('the other instance to take the claim sweep over', async () => ran((await sweepOutcomes(follower.url)).get('wishes: claim sweep')) > 0);
    // nginx passes over the stopped instance.
    expect((await api(proxy, '/api/auth/me', { token: await token('community.luming') })).status).toBe(200);
  }, 120_000);
});
