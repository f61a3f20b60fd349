import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, requester, type TestApp } from '../helpers/app.js';
import { newWish, publishedWish } from '../helpers/wishes.js';

type Todo = { items: { key: string; count: number; rooms?: number }[]; claimDueDays: number };

/** The console home's to-do list: wishes to review, paper ballots to enter, claims near their deadline — in the caller's scope. */
describe('GET /api/dashboard/todo', () => {
  let t: TestApp;
  const as = requester(() => t);
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(() => t.close());

  const todo = async (user: string) => {
    const res = await as(user, 'GET', '/api/dashboard/todo');
    expect(res.statusCode, res.body).toBe(200);
    const b: Todo = res.json();
    return Object.fromEntries(b.items.map((i) => [i.key, i])) as Record<string, Todo['items'][number]>;
  };

  it('lists only the duties the caller holds: nothing for a resident, all three for a community worker', async () => {
    expect(await todo('resident.demo')).toEqual({});
    expect(Object.keys(await todo('community.luming')).sort()).toEqual(['claimsDue', 'enterBallots', 'reviewWishes']);
    expect((await as(null, 'GET', '/api/dashboard/todo')).statusCode).toBe(401);
  });

  it('a wish submitted in 鹿鸣社区 waits for its worker, not for 聚龙湖社区’s', async () => {
    const [lm, jlh] = [await todo('community.luming'), await todo('community.julonghu')];
    expect((await as('resident.demo', 'POST', '/api/wishes', newWish())).statusCode).toBe(201);
    expect((await todo('community.luming')).reviewWishes.count).toBe(lm.reviewWishes.count + 1);
    expect((await todo('community.julonghu')).reviewWishes.count).toBe(jlh.reviewWishes.count);
    expect((await todo('admin')).reviewWishes.count).toBeGreaterThanOrEqual(lm.reviewWishes.count + 1);
  });

  it('an open vote with rooms yet to vote is ballots to enter', async () => {
    const [before, jlh] = [await todo('community.luming'), await todo('community.julonghu')];
    const { household } = (await as('resident.demo', 'GET', '/api/me/household')).json();
    const room = (await as('community.luming', 'GET', `/api/regions/${household.members[0].regionId}`)).json();
    const c = await as('community.luming', 'POST', '/api/consultations', { topic: '单元门禁更换', scopeRegionId: room.parentId });
    expect(c.statusCode, c.body).toBe(201);
    const v = await as('community.luming', 'POST', '/api/votes', { consultationId: c.json().id, title: '是否同意更换单元门禁', rule: 'ordinary' });
    expect(v.statusCode, v.body).toBe(201);
    expect((await todo('community.luming')).enterBallots.count).toBe(before.enterBallots.count); // a draft is not open yet
    expect((await as('community.luming', 'POST', `/api/votes/${v.json().id}/open`, {})).statusCode).toBe(200);
    const after = await todo('community.luming');
    expect(after.enterBallots.count).toBe(before.enterBallots.count + 1);
    expect(after.enterBallots.rooms).toBeGreaterThan(before.enterBallots.rooms ?? 0);
    expect((await todo('community.julonghu')).enterBallots.count).toBe(jlh.enterBallots.count);
  });

  it('a live claim due within the window counts, and the wish list filters to it', async () => {
    const before = await todo('community.luming');
    const id = await publishedWish(t);
    expect((await as('unit.demo', 'POST', `/api/wishes/${id}/claim`)).statusCode).toBe(200);
    const days = (await as('community.luming', 'GET', '/api/dashboard/todo')).json().claimDueDays;
    // A fresh claim has 14 days; bring its deadline inside the window.
    await t.dbh.db.updateTable('wish_claims').set({ due_at: new Date(Date.now() + 86_400_000) }).where('wish_id', '=', id).where('status', '=', 'live').execute();
    expect((await todo('community.luming')).claimsDue.count).toBe(before.claimsDue.count + 1);
    const list = (await as('community.luming', 'GET', `/api/wishes?status=claimed&dueWithinDays=${days}&pageSize=100`)).json();
    expect(list.total).toBe(before.claimsDue.count + 1);
    expect(list.items.map((w: { id: number }) => w.id)).toContain(id);
    const bad = await as('community.luming', 'GET', '/api/wishes?dueWithinDays=abc');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.dueWithinDays).toBeTruthy();
  });
});
