import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { regionByCode } from '../helpers/fixtures.js';

describe('elevator retrofit projects', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(() => t.close());

  it('the district dashboard shows the demo\'s 33 completed and 74 approved or under construction', async () => {
    const d = (await t.app.inject({ url: '/api/elevators/dashboard', headers: bearer(await t.token('admin')) })).json();
    expect(d.completed).toBe(33);
    expect(d.approvedOrUnderConstruction).toBe(74);
    expect(d.byStage.find((s: any) => s.stage === 'in_service').count).toBe(33);
    expect(d.byCommunity.reduce((s: number, c: any) => s + c.total, 0)).toBe(d.total);
    const lm = (await t.app.inject({ url: '/api/elevators/dashboard', headers: bearer(await t.token('community.luming')) })).json();
    expect(lm.total).toBeLessThan(d.total);
    expect(lm.byCommunity.map((c: any) => c.communityName)).toEqual(['鹿鸣社区']);
  });

  it('every demo project\'s cost shares plus its subsidy sum exactly to its total, in fen', async () => {
    const admin = await t.token('admin');
    const list = (await t.app.inject({ url: '/api/elevators?pageSize=100', headers: bearer(admin) })).json();
    expect(list.total).toBe(108);
    for (const p of list.items.slice(0, 30)) {
      const d = (await t.app.inject({ url: `/api/elevators/${p.id}`, headers: bearer(admin) })).json();
      const sum = d.shares.reduce((s: number, x: any) => s + x.shareFen, 0);
      expect(sum + Math.round(d.subsidy * 100)).toBe(Math.round(d.totalCost * 100));
      expect(d.shares.filter((s: any) => s.floor === 1).every((s: any) => s.shareFen === 0)).toBe(true);
      const byFloor = [...d.shares].sort((a: any, b: any) => a.floor - b.floor);
      expect(byFloor.at(-1).shareFen).toBeGreaterThan(0);
    }
  });

  it('an owner sees their own share on the H5; stages advance in order with their records', async () => {
    const mine = (await t.app.inject({ url: '/api/me/elevators', headers: bearer(await t.token('resident.demo')) })).json().items;
    expect(mine).toHaveLength(1);
    expect(mine[0].stage).toBe('vote');
    expect(mine[0].shares).toHaveLength(1); // only their own room
    const worker = await t.token('community.luming');
    const skip = await t.app.inject({ method: 'POST', url: `/api/elevators/${mine[0].id}/stage`, headers: bearer(worker), payload: { stage: 'construction' } });
    expect(skip.statusCode).toBe(400);
    const advance = (extra: Record<string, unknown> = {}) => t.app.inject({ method: 'POST', url: `/api/elevators/${mine[0].id}/stage`, headers: bearer(worker), payload: { stage: 'owners_agreement', responsible: '鹿鸣社区居委会', documents: [{ name: '业主协议.pdf' }], ...extra } });
    // Not past "业主表决" without a passed vote of this unit's owners.
    const noVote = await advance();
    expect(noVote.statusCode).toBe(409);
    expect(noVote.json().error.code).toBe('elevator_needs_vote');
    const project = await t.dbh.db.selectFrom('elevator_projects').select(['unit_id', 'unit_path']).where('id', '=', mine[0].id).executeTakeFirstOrThrow();
    const closedVote = async (scopePath: string, scopeId: number, passed: boolean) => {
      const c = await t.dbh.db.insertInto('consultations').values({ topic: '加装电梯', scope_region_id: scopeId, scope_path: scopePath }).returning('id').executeTakeFirstOrThrow();
      return (await t.dbh.db.insertInto('votes').values({ consultation_id: c.id, title: '加装电梯表决', rule: 'major', thresholds: JSON.stringify({}), status: 'closed', result: JSON.stringify({ passed }) }).returning('id').executeTakeFirstOrThrow()).id;
    };
    const failed = await closedVote(project.unit_path, project.unit_id, false);
    expect((await advance({ voteId: failed })).statusCode).toBe(409);
    const otherUnit = await t.dbh.db.selectFrom('regions').select(['id', 'path']).where('level', '=', 'unit').where('id', '<>', project.unit_id).where('path', 'like', `${project.unit_path.split('/').slice(0, -4).join('/')}/%`).executeTakeFirstOrThrow();
    const elsewhere = await closedVote(otherUnit.path, otherUnit.id, true);
    expect((await advance({ voteId: elsewhere })).statusCode).toBe(400); // another unit's vote cannot be linked
    expect((await t.dbh.db.selectFrom('elevator_projects').select('stage').where('id', '=', mine[0].id).executeTakeFirstOrThrow()).stage).toBe('vote');
    const next = await advance({ voteId: await closedVote(project.unit_path, project.unit_id, true) });
    expect(next.statusCode).toBe(200);
    expect(next.json().stages.map((s: any) => s.stage)).toEqual(['willingness_survey', 'vote', 'owners_agreement']);
    expect(next.json().stages[1].completedOn).not.toBeNull();
  });

  it('one project per unit; units only; subsidies never exceed cost', async () => {
    const worker = await t.token('community.luming');
    const lmyUnit = await regionByCode(t.dbh.db, 'LMY-01-1');
    const dup = await t.app.inject({ method: 'POST', url: '/api/elevators', headers: bearer(worker), payload: { unitId: lmyUnit.id, totalCost: 600000 } });
    expect([201, 409]).toContain(dup.statusCode);
    const again = await t.app.inject({ method: 'POST', url: '/api/elevators', headers: bearer(worker), payload: { unitId: lmyUnit.id, totalCost: 600000 } });
    expect(again.statusCode).toBe(409);
    const building = await regionByCode(t.dbh.db, 'LMY-01');
    expect((await t.app.inject({ method: 'POST', url: '/api/elevators', headers: bearer(worker), payload: { unitId: building.id, totalCost: 1 } })).json().error.fields.unitId).toBeTruthy();
    const xswHigh = await regionByCode(t.dbh.db, 'XSW-20-1');
    const over = await t.app.inject({ method: 'POST', url: '/api/elevators', headers: bearer(worker), payload: { unitId: xswHigh.id, totalCost: 100, subsidy: 200 } });
    expect(over.json().error.fields.subsidy).toBeTruthy();
  });
});
