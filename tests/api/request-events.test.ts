import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_STREAMS_PER_ACCOUNT } from '../../server/src/modules/property/request-events.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';

/**
 * The live status of service requests (SSE): a step reaches the requester and the handling staff,
 * never a worker of another community or a neighbour in the same compound, and carries no description.
 */
describe('service-request live events', () => {
  let t: TestApp;
  let port: number;
  let residentRoom: number, jlhRoom: number;
  const streams: http.ClientRequest[] = [];

  interface Heard { events: { requestId: number; kind: string; status: string; at: string }[]; status: number }
  /** Opens the stream as `user` and collects its "request" events. */
  const listen = (user: string | null, query = '') => new Promise<Heard>((resolve, reject) => {
    (async () => {
      const headers = user ? bearer(await t.token(user)) : {};
      const heard: Heard = { events: [], status: 0 };
      const req = http.get({ host: '127.0.0.1', port, path: `/api/service-requests/events${query}`, headers }, (res) => {
        heard.status = res.statusCode!;
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buf += chunk;
          let cut;
          while ((cut = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, cut);
            buf = buf.slice(cut + 2);
            const lines = block.split('\n');
            if (!lines.includes('event: request')) continue;
            heard.events.push(JSON.parse(lines.find((l) => l.startsWith('data: '))!.slice(6)));
          }
        });
        resolve(heard);
      });
      req.on('error', (err) => { if (!(err as NodeJS.ErrnoException).code?.startsWith('ECONNRESET')) reject(err); });
      streams.push(req);
    })().catch(reject);
  });
  const as = async (user: string, method: string, url: string, payload?: unknown) =>
    t.app.inject({ method: method as any, url, headers: bearer(await t.token(user)), ...(payload !== undefined ? { payload: payload as any } : {}) });
  const submit = async (user: string, roomId: number) => {
    const res = await as(user, 'POST', '/api/service-requests', { serviceCode: 'repair.public', description: '楼道声控灯不亮（实时事件测试）', roomId });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as number;
  };
  const kindsOf = (h: Heard, id: number) => h.events.filter((e) => e.requestId === id).map((e) => e.kind);

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as AddressInfo).port;
    const db = t.dbh.db;
    residentRoom = (await db.selectFrom('accounts as a').innerJoin('persons as p', 'p.id', 'a.person_id').select('p.region_id').where('a.username', '=', 'resident.demo').executeTakeFirstOrThrow()).region_id;
    const jlh = await db.selectFrom('regions').select('path').where('code', '=', 'JLH-C1').executeTakeFirstOrThrow();
    jlhRoom = (await db.selectFrom('persons').select('region_id').where('region_path', 'like', `${jlh.path}%`).orderBy('id').limit(1).executeTakeFirstOrThrow()).region_id;
  });
  afterAll(async () => {
    for (const s of streams) s.destroy();
    await t?.close();
  });

  it('sends each step to the requester and the staff in scope, and to no one else', async () => {
    const [resident, staff, otherWorker, neighbour] = await Promise.all(['resident.demo', 'property.xiangshuwan', 'community.julonghu', 'owners.xiangshuwan'].map((u) => listen(u)));
    const id = await submit('resident.demo', residentRoom);
    const onlyOther = await listen('resident.demo', `?requestId=${id + 1000}`);
    expect((await as('property.xiangshuwan', 'POST', `/api/service-requests/${id}/accept`)).statusCode).toBe(200);
    expect((await as('property.xiangshuwan', 'POST', `/api/service-requests/${id}/assign`, {})).statusCode).toBe(200);
    await expect.poll(() => kindsOf(resident, id)).toEqual(['submitted', 'accepted', 'grabbed']);
    await expect.poll(() => kindsOf(staff, id)).toEqual(['submitted', 'accepted', 'grabbed']);
    expect(resident.events.find((e) => e.requestId === id && e.kind === 'grabbed')).toEqual({ requestId: id, kind: 'grabbed', status: 'assigned', at: expect.any(String) });

    // Each refused listener then hears a request of its own: a stream is ordered, so what came before has arrived.
    const own = await submit('community.julonghu', jlhRoom);
    const neighbours = await submit('owners.xiangshuwan', residentRoom);
    await expect.poll(() => kindsOf(otherWorker, own)).toEqual(['submitted']);
    await expect.poll(() => kindsOf(neighbour, neighbours)).toEqual(['submitted']);
    expect(kindsOf(otherWorker, id)).toEqual([]);
    expect(kindsOf(neighbour, id)).toEqual([]);
    expect(kindsOf(resident, own)).toEqual([]);
    expect(onlyOther.events).toEqual([]);
    expect(JSON.stringify(staff.events)).not.toContain('声控灯');
  });

  it('needs a session, and holds a bounded number of streams per account', async () => {
    expect((await listen(null)).status).toBe(401);
    const held = [];
    for (let i = 0; i < MAX_STREAMS_PER_ACCOUNT; i++) held.push(await listen('grid.xiangshuwan'));
    expect(held.every((h) => h.status === 200)).toBe(true);
    expect((await listen('grid.xiangshuwan')).status).toBe(429);
  });
});
