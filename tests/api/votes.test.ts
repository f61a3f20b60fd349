import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tally } from '../../server/src/modules/consult/tally.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { regionByCode } from '../helpers/fixtures.js';
import { jpegWithGps, multipart } from '../helpers/multipart.js';

describe('consultation and owners\' votes', () => {
  let t: TestApp;
  let worker: string;
  let unit: { id: number; path: string };
  beforeAll(async () => {
    t = await createTestApp();
    worker = await t.token('community.luming');
    unit = await regionByCode(t.dbh.db, 'XSW-01-1');
  });
  afterAll(() => t.close());

  const newVote = async (over: Record<string, unknown> = {}) => {
    const c = await t.app.inject({ method: 'POST', url: '/api/consultations', headers: bearer(worker), payload: { topic: '1幢1单元加装电梯', scopeRegionId: unit.id } });
    expect(c.statusCode).toBe(201);
    const v = await t.app.inject({ method: 'POST', url: '/api/votes', headers: bearer(worker), payload: { consultationId: c.json().id, title: '是否同意加装电梯', rule: 'major', ...over } });
    expect(v.statusCode, v.body).toBe(201);
    return v.json().id as number;
  };
  const scan = async (voteId: number) => {
    const form = multipart({}, [{ field: 'scan', name: 'ballot.jpg', type: 'image/jpeg', data: await jpegWithGps() }]);
    const res = await t.app.inject({ method: 'POST', url: `/api/votes/${voteId}/scans`, headers: { ...bearer(worker), ...form.headers }, payload: form.payload });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().fileId as number;
  };
  const paper = async (voteId: number, roomId: number, choice: string, scanFileId?: number) =>
    t.app.inject({ method: 'POST', url: `/api/votes/${voteId}/ballots`, headers: bearer(worker), payload: { roomId, choice, channel: 'paper', scanFileId } });

  it('the owner register lists every room of the unit with area, owners and developer flag', async () => {
    const res = await t.app.inject({ url: `/api/owners?regionId=${unit.id}&pageSize=100`, headers: bearer(worker) });
    expect(res.statusCode).toBe(200);
    const items = res.json().items;
    expect(items).toHaveLength(12);
    for (const r of items) {
      expect(r.area).toBeGreaterThan(0);
      expect(Math.round(r.area * 100) / 100).toBe(r.area);
      expect(typeof r.unsoldDeveloperUnit).toBe('boolean');
      if (!r.unsoldDeveloperUnit) expect(r.ownerPersonIds).toContain(r.voteHolderPersonId);
    }
    expect((await t.app.inject({ url: `/api/owners?regionId=${unit.id}`, headers: bearer(await t.token('community.julonghu')) })).statusCode).toBe(403);
  });

  it('settings change while a draft and are locked once voting opens', async () => {
    const id = await newVote();
    expect((await t.app.inject({ method: 'PATCH', url: `/api/votes/${id}`, headers: bearer(worker), payload: { rule: 'ordinary', secret: true } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: `/api/votes/${id}/open`, headers: bearer(worker) })).statusCode).toBe(200);
    const locked = await t.app.inject({ method: 'PATCH', url: `/api/votes/${id}`, headers: bearer(worker), payload: { rule: 'major' } });
    expect(locked.statusCode).toBe(409);
    expect(locked.json().error.message).toContain('锁定');
  });

  it('ballots: the vote holder on the H5, a worker on paper with a scan; wrong voter, outside room, second ballot, after closing are refused', async () => {
    const id = await newVote();
    expect((await t.app.inject({ method: 'POST', url: `/api/votes/${id}/open`, headers: bearer(worker) })).statusCode).toBe(200);
    const resident = await t.token('resident.demo');
    const vote = (await t.app.inject({ url: `/api/votes/${id}`, headers: bearer(resident) })).json();
    expect(vote.myRooms).toHaveLength(1);
    const myRoom = vote.myRooms[0].roomId;
    const owners = (await t.app.inject({ url: `/api/owners?regionId=${unit.id}&pageSize=100`, headers: bearer(worker) })).json().items;
    const other = owners.find((r: any) => r.roomId !== myRoom && !r.unsoldDeveloperUnit);

    expect((await t.app.inject({ method: 'POST', url: `/api/votes/${id}/ballots`, headers: bearer(resident), payload: { roomId: myRoom, choice: 'agree' } })).statusCode).toBe(200);
    const twice = await t.app.inject({ method: 'POST', url: `/api/votes/${id}/ballots`, headers: bearer(resident), payload: { roomId: myRoom, choice: 'disagree' } });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.message).toContain('已投票');
    const notHolder = await t.app.inject({ method: 'POST', url: `/api/votes/${id}/ballots`, headers: bearer(resident), payload: { roomId: other.roomId, choice: 'agree' } });
    expect(notHolder.statusCode).toBe(403);
    expect(notHolder.json().error.message).toContain('投票业主');
    const outside = await regionByCode(t.dbh.db, 'XSW-02-1-0101');
    const out = await t.app.inject({ method: 'POST', url: `/api/votes/${id}/ballots`, headers: bearer(resident), payload: { roomId: outside.id, choice: 'agree' } });
    expect(out.statusCode).toBe(400);
    expect(out.json().error.fields.roomId).toContain('不在本次表决范围');
    expect((await paper(id, other.roomId, 'agree')).json().error.fields.scanFileId).toBeTruthy();
    const scanId = await scan(id);
    expect((await paper(id, other.roomId, 'disagree', scanId)).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: `/api/votes/${id}/ballots`, headers: bearer(await t.token('unit.demo')), payload: { roomId: other.roomId, choice: 'agree', channel: 'paper', scanFileId: scanId } })).statusCode).toBe(403);
    // A scan must be one this worker uploaded: someone else's file id is refused.
    const third = owners.find((r: any) => r.roomId !== myRoom && r.roomId !== other.roomId && !r.unsoldDeveloperUnit);
    const admin = await t.dbh.db.selectFrom('accounts').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow();
    const foreign = await t.dbh.db.insertInto('files').values({ storage_key: `x/${id}.jpg`, mime: 'image/jpeg', size: 1, sha256: 'x', uploaded_by: admin.id }).returning('id').executeTakeFirstOrThrow();
    expect((await paper(id, third.roomId, 'agree', foreign.id)).json().error.fields.scanFileId).toBeTruthy();

    const closed = await t.app.inject({ method: 'POST', url: `/api/votes/${id}/close`, headers: bearer(worker) });
    expect(closed.statusCode).toBe(200);
    const late = await t.app.inject({ method: 'POST', url: `/api/votes/${id}/ballots`, headers: bearer(worker), payload: { roomId: owners[5].roomId, choice: 'agree', channel: 'paper', scanFileId: scanId } });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.message).toMatch(/截止|状态/);
    const result = (await t.app.inject({ url: `/api/votes/${id}/result`, headers: bearer(resident) })).json();
    expect(result.counts.ballots).toBe(2);
    expect(result.participationHeads.num).toBe('2');
    expect(result.passed).toBe(false); // 2 of 12 rooms took part
    expect(result).toMatchObject({ participationArea: { num: expect.any(String), den: expect.any(String) }, consentArea: expect.any(Object), consentHeads: { num: '1', den: '2' } });
  });

  it('a closing time in the past refuses ballots with a clear message', async () => {
    const id = await newVote();
    await t.app.inject({ method: 'PATCH', url: `/api/votes/${id}`, headers: bearer(worker), payload: { closesAt: new Date(Date.now() + 1500).toISOString() } });
    await t.app.inject({ method: 'POST', url: `/api/votes/${id}/open`, headers: bearer(worker) });
    await new Promise((r) => setTimeout(r, 1600));
    const vote = (await t.app.inject({ url: `/api/votes/${id}`, headers: bearer(await t.token('resident.demo')) })).json();
    const res = await t.app.inject({ method: 'POST', url: `/api/votes/${id}/ballots`, headers: bearer(await t.token('resident.demo')), payload: { roomId: vote.myRooms[0].roomId, choice: 'agree' } });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toBe('表决已截止，不能再投票');
  });

  it('concurrent ballots for the same room: exactly one counts', async () => {
    const id = await newVote();
    await t.app.inject({ method: 'POST', url: `/api/votes/${id}/open`, headers: bearer(worker) });
    const owners = (await t.app.inject({ url: `/api/owners?regionId=${unit.id}&pageSize=100`, headers: bearer(worker) })).json().items;
    const room = owners.find((r: any) => !r.unsoldDeveloperUnit).roomId;
    const scanId = await scan(id);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => paper(id, room, i % 2 ? 'agree' : 'disagree', scanId)));
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1);
    expect(results.filter((r) => r.statusCode === 409)).toHaveLength(19);
    const rows = await t.dbh.db.selectFrom('vote_participations').select('room_id').where('vote_id', '=', id).execute();
    expect(rows).toHaveLength(1);
  });

  it('a full unit vote passes exactly as the independent tally says; a secret vote shows who voted, never how', async () => {
    for (const secret of [false, true]) {
      const id = await newVote({ secret });
      await t.app.inject({ method: 'POST', url: `/api/votes/${id}/open`, headers: bearer(worker) });
      const owners = (await t.app.inject({ url: `/api/owners?regionId=${unit.id}&pageSize=100`, headers: bearer(worker) })).json().items;
      const scanId = await scan(id);
      const choices = owners.map((_: any, i: number) => (i < 9 ? 'agree' : i < 11 ? 'disagree' : 'abstain'));
      for (const [i, r] of owners.entries()) expect((await paper(id, r.roomId, choices[i], scanId)).statusCode).toBe(200);
      const detail = (await t.app.inject({ url: `/api/votes/${id}`, headers: bearer(worker) })).json();
      expect(detail.participation.every((p: any) => p.voted)).toBe(true);
      if (secret) expect(JSON.stringify(detail.participation)).not.toMatch(/agree|abstain/);
      const result = (await t.app.inject({ method: 'POST', url: `/api/votes/${id}/close`, headers: bearer(worker) })).json();
      const register = owners.map((r: any) => ({ roomId: r.roomId, areaCenti: Math.round(r.area * 100), ownerIds: r.ownerPersonIds, unsoldDeveloperUnit: r.unsoldDeveloperUnit }));
      const expected = tally(register, owners.map((r: any, i: number) => ({ roomId: r.roomId, choice: choices[i] })), { participation: { num: 2, den: 3, strict: false }, consent: { num: 3, den: 4, strict: false } });
      for (const k of ['participationArea', 'participationHeads', 'consentArea', 'consentHeads', 'passed'] as const) expect(result[k], k).toEqual(expected[k]);
      const v = await t.dbh.db.selectFrom('votes').select('secret_key').where('id', '=', id).executeTakeFirstOrThrow();
      expect(v.secret_key).toBeNull();
      if (secret) {
        const stored = await t.dbh.db.selectFrom('vote_participations').select('choice').where('vote_id', '=', id).execute();
        expect(stored.every((s) => s.choice === null)).toBe(true);
      }
    }
  });

  it('objections during the public notice move through mediation', async () => {
    const id = await newVote();
    await t.app.inject({ method: 'POST', url: `/api/votes/${id}/open`, headers: bearer(worker) });
    await t.app.inject({ method: 'POST', url: `/api/votes/${id}/close`, headers: bearer(worker) });
    const o = await t.app.inject({ method: 'POST', url: `/api/votes/${id}/objections`, headers: bearer(await t.token('resident.demo')), payload: { body: '一楼采光受影响，要求补偿方案' } });
    expect(o.statusCode).toBe(201);
    const oid = o.json().id;
    const step = await t.app.inject({ method: 'POST', url: `/api/votes/${id}/objections/${oid}/stage`, headers: bearer(worker), payload: { stage: 'community_mediation', note: '社区组织调解会' } });
    expect(step.json().history).toHaveLength(2);
    expect((await t.app.inject({ method: 'POST', url: `/api/votes/${id}/objections/${oid}/stage`, headers: bearer(worker), payload: { stage: 'negotiation', note: 'x' } })).statusCode).toBe(400);
    const res = (await t.app.inject({ url: `/api/votes/${id}/result`, headers: bearer(worker) })).json();
    expect(res).toMatchObject({ objectionsOpen: 1, final: false });
    const list = (await t.app.inject({ url: `/api/votes/${id}/objections`, headers: bearer(worker) })).json().items;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ stage: 'community_mediation', body: '一楼采光受影响，要求补偿方案' });
  });

  it('the consultation loop moves one stage at a time and keeps its record', async () => {
    const c = (await t.app.inject({ method: 'POST', url: '/api/consultations', headers: bearer(worker), payload: { topic: '楼道堆物整治', scopeRegionId: unit.id } })).json();
    const skip = await t.app.inject({ method: 'POST', url: `/api/consultations/${c.id}/stage`, headers: bearer(worker), payload: { stage: 'decide' } });
    expect(skip.statusCode).toBe(400);
    expect((await t.app.inject({ method: 'POST', url: `/api/consultations/${c.id}/stage`, headers: bearer(worker), payload: { stage: 'deliberate' } })).statusCode).toBe(200);
    const resident = await t.token('resident.demo');
    expect((await t.app.inject({ method: 'POST', url: `/api/consultations/${c.id}/posts`, headers: bearer(resident), payload: { kind: 'post', body: '建议物业统一清运' } })).statusCode).toBe(201);
    expect((await t.app.inject({ method: 'POST', url: `/api/consultations/${c.id}/posts`, headers: bearer(resident), payload: { kind: 'meeting', body: 'x' } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: `/api/consultations/${c.id}/posts`, headers: bearer(worker), payload: { kind: 'meeting', body: '议事会', meta: { time: '2026-12-01 19:00', venue: '有事好商量议事厅', attendees: 12 } } })).statusCode).toBe(201);
    const detail = (await t.app.inject({ url: `/api/consultations/${c.id}`, headers: bearer(resident) })).json();
    expect(detail.posts.map((p: any) => p.kind)).toEqual(['stage', 'post', 'meeting']);
    const list = (await t.app.inject({ url: '/api/consultations', headers: bearer(resident) })).json();
    expect(list.items.map((x: any) => x.id)).toContain(c.id);
    expect((await t.app.inject({ url: `/api/consultations/${c.id}`, headers: bearer(await t.token('member.demo')) })).statusCode).toBe(403);
  });

  it('the vote says what each caller may do (consult/policy.ts): the manager by state, the owner when a ballot can be cast', async () => {
    const id = await newVote();
    const as = async (token: string) => (await t.app.inject({ url: `/api/votes/${id}`, headers: bearer(token) })).json().abilities;
    const resident = await t.token('resident.demo');
    expect(await as(worker)).toMatchObject({ edit: true, open: true, close: false, enterPaperBallot: false, viewParticipation: true });
    expect(await as(resident)).toMatchObject({ edit: false, open: false, castBallot: false, viewParticipation: false });
    expect((await t.app.inject({ method: 'POST', url: `/api/votes/${id}/open`, headers: bearer(worker) })).statusCode).toBe(200);
    expect(await as(worker)).toMatchObject({ edit: false, open: false, close: true, enterPaperBallot: true });
    expect(await as(resident)).toMatchObject({ castBallot: true, close: false });
    const mine = (await t.app.inject({ url: `/api/votes/${id}`, headers: bearer(resident) })).json().myRooms;
    for (const r of mine) expect((await t.app.inject({ method: 'POST', url: `/api/votes/${id}/ballots`, headers: bearer(resident), payload: { roomId: r.roomId, choice: 'agree' } })).statusCode).toBe(200);
    expect((await as(resident)).castBallot).toBe(false);
    expect((await t.app.inject({ url: `/api/votes/${id}`, headers: bearer(await t.token('community.julonghu')) })).statusCode).toBe(403);
  });
});
