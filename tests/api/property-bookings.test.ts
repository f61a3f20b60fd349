import ExcelJS from 'exceljs';
import sharp from 'sharp';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepNoShows } from '../../server/src/modules/property/bookings.js';
import { BOOKING_STATUSES, POSITION_LEVELS, ROOM_KINDS, WHO_MAY_BOOK } from '../../server/src/modules/property/positions-tables.js';
import { bookingStatus, positionLevel, roomKind, whoMayBook } from '../../server/src/modules/property/schemas.js';
import { bearer, createTestApp, requester, type TestApp } from '../helpers/app.js';
import { jpegWithGps, multipart } from '../helpers/multipart.js';

/**
 * Service positions, function rooms and room bookings: the public list, the race for one slot
 * (decided by the exclusion constraint), approval, cancellation, QR check-in, the no-show lockout
 * on a clock the test controls, scope refusals and the usage statistics.
 */
describe('positions and room bookings', () => {
  let t: TestApp;
  const as = requester(() => t);
  const db = () => t.dbh.db;
  let xsw: number; // 橡树湾党群服务站
  let lmy: number; // 鹿鸣苑党群服务站
  /** A Shanghai date `days` from today, and an instant on it. */
  const day = (days: number) => new Date(Date.now() + 8 * 3600_000 + days * 86400_000).toISOString().slice(0, 10);
  const at = (d: string, hhmm: string) => `${d}T${hhmm}:00+08:00`;
  const newRoom = async (name: string, extra: Record<string, unknown> = {}) => {
    const res = await as('community.luming', 'POST', `/api/positions/${xsw}/rooms`, { name, kind: 'activity', capacity: 60, whoMayBook: 'any_resident', maxMinutes: 240, advanceDays: 30, ...extra });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as number;
  };
  const book = (user: string, room: number, d: string, from: string, to: string, extra: Record<string, unknown> = {}) =>
    as(user, 'POST', `/api/rooms/${room}/bookings`, { startsAt: at(d, from), endsAt: at(d, to), purpose: '居民议事', headcount: 8, ...extra });
  /** Moves a booking in time without the booking rules (the clock the test controls). */
  const shift = (id: number, startsAt: Date, minutes = 60) =>
    db().updateTable('room_bookings').set({ starts_at: startsAt, ends_at: new Date(startsAt.getTime() + minutes * 60_000) }).where('id', '=', id).execute();

  beforeAll(async () => {
    t = await createTestApp();
    const pos = async (name: string) => (await db().selectFrom('service_positions').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
    xsw = await pos('橡树湾党群服务站');
    lmy = await pos('鹿鸣苑党群服务站');
  });
  afterAll(() => t?.close());

  it('lists the 1+1+N positions publicly, paged, with rooms and rules but no door codes', async () => {
    const res = await as(null, 'GET', '/api/positions?pageSize=100');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ page: 1, pageSize: 100 });
    const levels = body.items.map((p: any) => p.level);
    expect(levels.filter((l: string) => l === 'street')).toHaveLength(3);
    expect(levels.filter((l: string) => l === 'community')).toHaveLength(10);
    expect(body.total).toBe(body.items.length);
    const station = body.items.find((p: any) => p.name === '橡树湾党群服务站');
    expect(station).toMatchObject({ level: 'compound', address: expect.stringContaining('售楼处'), hours: expect.any(String), lat: expect.any(Number), lng: expect.any(Number) });
    expect(station.rooms.map((r: any) => r.name)).toEqual(['红管家服务站', '智慧健康小屋', '有事好商量调解厅', '活动室', '阅览室']);
    expect(station.rooms[0].rules).toMatchObject({ whoMayBook: 'compound_residents', maxMinutes: 60 });
    const codes = (await db().selectFrom('function_rooms').select('checkin_code').execute()).map((r) => r.checkin_code);
    expect(codes.filter((c) => res.body.includes(c))).toEqual([]);
    const paged = (await as(null, 'GET', '/api/positions?page=2&pageSize=5')).json();
    expect(paged).toMatchObject({ page: 2, pageSize: 5, total: body.total });
    expect(paged.items.map((p: any) => p.id)).toEqual(body.items.slice(5, 10).map((p: any) => p.id));
    const seeded = await db().selectFrom('room_bookings').select(['status', sql<number>`count(*)`.as('n')]).groupBy('status').execute();
    expect(seeded.map((s) => s.status).sort()).toEqual(expect.arrayContaining(['cancelled', 'checked_in', 'confirmed', 'no_show', 'pending']));
  });

  it(`50 concurrent bookings of one slot: exactly one 201 and 49 × 409 (${process.env.TEST_DB})`, async () => {
    const room = await newRoom('并发测试室');
    const d = day(3);
    const users = ['resident.demo', 'member.demo', 'unit.demo', 'property.xiangshuwan', 'grid.xiangshuwan'];
    for (const u of users) await t.token(u);
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => book(users[i % users.length], room, d, '10:00', '11:00')));
    const codes = results.map((r) => r.statusCode);
    const won = results.filter((r) => r.statusCode === 201);
    const lost = results.filter((r) => r.statusCode === 409);
    console.log(`booking race on ${t.kind}: ${won.length} × 201, ${lost.length} × 409, other: ${codes.filter((c) => c !== 201 && c !== 409).join(',') || 'none'}`);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(49);
    expect(won[0].json()).toEqual({ id: expect.any(Number), status: 'confirmed' });
    for (const r of lost) expect(r.json().error).toMatchObject({ code: 'booking_overlap', message: expect.stringContaining('该时段已被预约') });
    const live = await db().selectFrom('room_bookings').select('id').where('room_id', '=', room).execute();
    expect(live).toEqual([{ id: won[0].json().id }]);
  });

  it('adjacent slots (end = next start) both succeed; an overlap does not; the slots show it', async () => {
    const room = await newRoom('相邻时段测试室');
    const d = day(4);
    expect((await book('resident.demo', room, d, '10:00', '11:00')).statusCode).toBe(201);
    expect((await book('member.demo', room, d, '11:00', '12:00')).statusCode).toBe(201);
    expect((await book('unit.demo', room, d, '09:00', '10:00')).statusCode).toBe(201);
    const overlap = await book('grid.xiangshuwan', room, d, '10:30', '11:30');
    expect(overlap.statusCode).toBe(409);
    expect(overlap.json().error.code).toBe('booking_overlap');
    const slots = (await as(null, 'GET', `/api/rooms/${room}/slots?date=${d}`)).json();
    expect(slots.busy).toHaveLength(3);
    const free = (hhmm: string) => slots.slots.find((s: any) => s.startsAt === new Date(at(d, hhmm)).toISOString())?.free;
    expect([free('08:30'), free('09:00'), free('10:30'), free('11:30'), free('12:00')]).toEqual([true, false, false, false, true]);
    expect(JSON.stringify(slots)).not.toMatch(/居民议事|bookedBy/);
  });

  it('refuses bookings that break the room rules, naming the field', async () => {
    const room = await newRoom('规则测试室', { maxMinutes: 60, advanceDays: 7, capacity: 10 });
    const d = day(2);
    const cases: [Record<string, unknown>, string, string][] = [
      [{ startsAt: at(d, '11:00'), endsAt: at(d, '10:00') }, 'endsAt', '开始'],
      [{ startsAt: at(d, '10:00'), endsAt: at(d, '12:00') }, 'endsAt', '60'],
      [{ startsAt: at(day(9), '10:00'), endsAt: at(day(9), '11:00') }, 'startsAt', '7'],
      [{ startsAt: at(day(-1), '10:00'), endsAt: at(day(-1), '11:00') }, 'startsAt', ''],
      [{ startsAt: at(d, '06:00'), endsAt: at(d, '07:00') }, 'startsAt', ''],
      [{ headcount: 11 }, 'headcount', '10'],
      [{ startsAt: `${d}T10:00:00` }, 'startsAt', ''],
    ];
    for (const [patch, field, words] of cases) {
      const res = await as('resident.demo', 'POST', `/api/rooms/${room}/bookings`, { startsAt: at(d, '10:00'), endsAt: at(d, '11:00'), purpose: '测试', headcount: 5, ...patch });
      expect(res.statusCode, JSON.stringify(patch)).toBe(400);
      expect(res.json().error.fields[field], `${JSON.stringify(patch)} ${res.body}`).toContain(words);
    }
    expect(await db().selectFrom('room_bookings').select('id').where('room_id', '=', room).execute()).toEqual([]);
  });

  it('approval: a room that needs it holds the slot as pending; staff approve or reject with a reason', async () => {
    const room = await newRoom('审批测试室', { needsApproval: true });
    const d = day(5);
    const first = await book('resident.demo', room, d, '14:00', '15:00');
    expect(first.json()).toEqual({ id: expect.any(Number), status: 'pending' });
    const id = first.json().id;
    expect((await book('member.demo', room, d, '14:30', '15:30')).statusCode).toBe(409); // pending holds the slot
    expect((await as('resident.demo', 'POST', `/api/bookings/${id}/approve`, {})).statusCode).toBe(403);
    expect((await as('community.julonghu', 'POST', `/api/bookings/${id}/approve`, {})).statusCode).toBe(403); // staff of elsewhere
    const detail = (await as('community.luming', 'GET', `/api/bookings/${id}`)).json();
    expect(detail.abilities).toMatchObject({ approve: true, reject: true });
    const queue = (await as('property.xiangshuwan', 'GET', `/api/bookings?status=pending&roomId=${room}`)).json();
    expect(queue.items.map((b: any) => b.id)).toEqual([id]);
    const ok = await as('property.xiangshuwan', 'POST', `/api/bookings/${id}/approve`, {});
    expect(ok.json()).toEqual({ id, status: 'confirmed' });
    expect((await as('community.luming', 'POST', `/api/bookings/${id}/approve`, {})).statusCode).toBe(409);
    const note = await db().selectFrom('notifications').select('kind').where('kind', '=', 'booking_approved').execute();
    expect(note.length).toBeGreaterThan(0);

    const second = (await book('member.demo', room, d, '16:00', '17:00')).json().id;
    const noReason = await as('community.luming', 'POST', `/api/bookings/${second}/reject`, {});
    expect(noReason.statusCode).toBe(400);
    expect((await as('community.luming', 'POST', `/api/bookings/${second}/reject`, { reason: '当天有社区活动' })).json()).toEqual({ id: second, status: 'rejected' });
    expect((await book('unit.demo', room, d, '16:00', '17:00')).statusCode).toBe(201); // the slot is free again
  });

  it('cancel: the booker before the start; staff with a reason; nobody else', async () => {
    const room = await newRoom('取消测试室');
    const d = day(6);
    const mine = (await book('resident.demo', room, d, '09:00', '10:00')).json().id;
    expect((await as('member.demo', 'POST', `/api/bookings/${mine}/cancel`, {})).statusCode).toBe(404); // another resident on the line
    expect((await as('resident.demo', 'POST', `/api/bookings/${mine}/cancel`, {})).json()).toEqual({ id: mine, status: 'cancelled' });
    expect((await as('resident.demo', 'POST', `/api/bookings/${mine}/cancel`, {})).statusCode).toBe(409);

    const started = (await book('resident.demo', room, d, '10:00', '11:00')).json().id;
    await shift(started, new Date(Date.now() - 5 * 60_000));
    const late = await as('resident.demo', 'POST', `/api/bookings/${started}/cancel`, {});
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('booking_started');
    expect((await as('property.xiangshuwan', 'POST', `/api/bookings/${started}/cancel`, {})).json().error.fields.reason).toBeTruthy();
    expect((await as('community.julonghu', 'POST', `/api/bookings/${started}/cancel`, { reason: '越界' })).statusCode).toBe(403);
    const staff = await as('property.xiangshuwan', 'POST', `/api/bookings/${started}/cancel`, { reason: '场地临时维修' });
    expect(staff.json()).toEqual({ id: started, status: 'cancelled' });
    const row = await db().selectFrom('room_bookings').select(['cancel_reason', 'cancelled_by']).where('id', '=', started).executeTakeFirstOrThrow();
    expect(row.cancel_reason).toBe('场地临时维修');
    const audit = await db().selectFrom('audit_log').select('action').where('target_type', '=', 'room_booking').where('target_id', '=', String(started)).execute();
    expect(audit.map((a) => a.action)).toEqual(['booking.create', 'booking.cancel']);
  });

  it('check-in: the room QR code within ±15 minutes of the start; a wrong code or the wrong time is refused', async () => {
    const room = await newRoom('签到测试室');
    const d = day(7);
    const qr = (await as('property.xiangshuwan', 'GET', `/api/rooms/${room}/qr`)).json();
    expect(qr.url).toContain(`code=${encodeURIComponent(qr.code)}`);
    expect((await as('resident.demo', 'GET', `/api/rooms/${room}/qr`)).statusCode).toBe(403);
    expect((await as('community.julonghu', 'GET', `/api/rooms/${room}/qr`)).statusCode).toBe(403);
    const ids = [];
    for (const [from, to] of [['09:00', '10:00'], ['11:00', '12:00'], ['14:00', '15:00']]) ids.push((await book('resident.demo', room, d, from, to)).json().id);
    const [soon, early, late] = ids;
    await shift(soon, new Date(Date.now() + 10 * 60_000));
    await shift(early, new Date(Date.now() + 2 * 3600_000));
    await shift(late, new Date(Date.now() - 20 * 60_000), 10);
    const wrong = await as('resident.demo', 'POST', `/api/bookings/${soon}/checkin`, { code: 'not-the-code' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.fields.code).toContain('二维码');
    expect((await as('member.demo', 'POST', `/api/bookings/${soon}/checkin`, { code: qr.code })).statusCode).toBe(404);
    expect((await as('resident.demo', 'POST', `/api/bookings/${soon}/checkin`, { code: qr.code })).json()).toEqual({ id: soon, status: 'checked_in' });
    for (const id of [early, late]) {
      const res = await as('resident.demo', 'POST', `/api/bookings/${id}/checkin`, { code: qr.code });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('checkin_window');
    }
    // Another room's code does not open this one.
    const other = (await as('property.xiangshuwan', 'GET', `/api/rooms/${await newRoom('另一间')}/qr`)).json();
    await shift(early, new Date(Date.now() - 5 * 60_000), 10);
    expect((await as('resident.demo', 'POST', `/api/bookings/${early}/checkin`, { code: other.code })).statusCode).toBe(400);
    const mineList = (await as('resident.demo', 'GET', '/api/me/bookings?pageSize=100')).json();
    expect(mineList.items.find((b: any) => b.id === early).abilities.checkin).toBe(true);
    expect(mineList.items.find((b: any) => b.id === soon).status).toBe('checked_in');
  });

  it('no-shows: three in 60 days lock the account for 30 days; the sweep is idempotent and runs on the given clock', async () => {
    const room = await newRoom('爽约测试室');
    const member = (await db().selectFrom('accounts').select('id').where('username', '=', 'member.demo').executeTakeFirstOrThrow()).id;
    const unit = (await db().selectFrom('accounts').select('id').where('username', '=', 'unit.demo').executeTakeFirstOrThrow()).id;
    // The demo seed gave some accounts a no-show already; start these two from a clean record.
    await db().updateTable('room_bookings').set({ status: 'checked_in' }).where('booked_by', 'in', [member, unit]).where('status', '=', 'no_show').execute();
    const now = new Date();
    const daysAgo = (n: number) => new Date(now.getTime() - n * 86400_000);
    const make = async (user: string, n: number, agoDays: number[]) => {
      const ids = [];
      for (let i = 0; i < n; i++) ids.push((await book(user, room, day(8), `${String(9 + i).padStart(2, '0')}:00`, `${String(9 + i).padStart(2, '0')}:30`)).json().id);
      for (const [i, id] of ids.entries()) await shift(id, new Date(daysAgo(agoDays[i]).getTime() + i * 3600_000), 30);
      return ids;
    };
    await make('member.demo', 3, [2, 20, 50]);
    await make('unit.demo', 3, [41, 46, 51]); // three, but the last 40 days ago: the 30-day ban is over
    const first = await sweepNoShows(db(), now);
    expect(first.noShows).toBeGreaterThanOrEqual(6);
    const again = await sweepNoShows(db(), now);
    expect(again).toEqual({ noShows: 0, expired: 0, banned: 0 });
    const bans = await db().selectFrom('booking_bans').select(['account_id', 'until', 'no_shows']).where('account_id', 'in', [member, unit]).execute();
    const ban = bans.find((b) => b.account_id === member)!;
    expect(ban.no_shows).toBe(3);
    const latest = await db().selectFrom('room_bookings').select(sql<Date>`max(starts_at)`.as('at')).where('booked_by', '=', member).where('status', '=', 'no_show').executeTakeFirstOrThrow();
    expect(ban.until.getTime()).toBe(new Date(latest.at).getTime() + 30 * 86400_000);
    expect(ban.until.getTime()).toBeGreaterThanOrEqual(daysAgo(2).getTime() + 30 * 86400_000 - 1000);
    const refused = await book('member.demo', room, day(9), '10:00', '11:00');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('booking_banned');
    expect(refused.json().error.message).toContain('3 次');
    expect((await book('unit.demo', room, day(9), '10:00', '11:00')).statusCode).toBe(201);
    // Two no-shows only: still allowed.
    expect(bans.find((b) => b.account_id === unit)?.until.getTime() ?? 0).toBeLessThan(Date.now());
  });

  it('out of scope: other compounds, other communities, and "I booked it" after the scope moved', async () => {
    const lmyRooms = await db().selectFrom('function_rooms').select(['id', 'name']).where('position_id', '=', lmy).execute();
    const d = day(3);
    const res = await book('resident.demo', lmyRooms[1].id, d, '19:00', '20:00');
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('out_of_scope');
    const xswRooms = await db().selectFrom('function_rooms').select(['id', 'name', 'who_may_book']).where('position_id', '=', xsw).orderBy('sort').execute();
    const redButler = xswRooms.find((r) => r.name === '红管家服务站')!;
    expect((await book('unit.demo', redButler.id, d, '19:00', '20:00')).json().error.code).toBe('booking_not_allowed'); // compound residents only
    const workersRoom = (await as('community.luming', 'POST', `/api/positions/${xsw}/rooms`, { name: '工作人员会议室', kind: 'meeting', capacity: 10, whoMayBook: 'workers' })).json().id;
    expect((await book('resident.demo', workersRoom, d, '10:00', '11:00')).statusCode).toBe(403);
    expect((await book('property.xiangshuwan', workersRoom, d, '10:00', '11:00')).statusCode).toBe(201);
    expect((await as('community.julonghu', 'POST', `/api/positions/${xsw}/rooms`, { name: '越界', kind: 'other', capacity: 1 })).statusCode).toBe(403);
    expect((await as('community.julonghu', 'PATCH', `/api/positions/${xsw}`, { name: '越界改名' })).statusCode).toBe(403);
    expect((await as('community.julonghu', 'PATCH', `/api/rooms/${redButler.id}`, { capacity: 1 })).statusCode).toBe(403);
    const jlh = await db().selectFrom('regions').select('id').where('code', '=', 'JLH-C1').executeTakeFirstOrThrow();
    expect((await as('community.luming', 'POST', '/api/positions', { level: 'compound', name: '越界站', regionId: jlh.id, address: '某处' })).statusCode).toBe(403);
    const lmyRegion = await db().selectFrom('regions').select('id').where('code', '=', 'LMY').executeTakeFirstOrThrow();
    const created = await as('community.luming', 'POST', '/api/positions', { level: 'compound', name: '鹿鸣苑第二服务点', regionId: lmyRegion.id, address: '鹿鸣苑 3 幢架空层', opensAt: '09:00', closesAt: '18:00' });
    expect(created.statusCode, created.body).toBe(201);
    expect((await as('community.luming', 'POST', '/api/positions', { level: 'street', name: '错层级', regionId: lmyRegion.id, address: '某处' })).statusCode).toBe(400);
    const list = (await as('community.julonghu', 'GET', '/api/bookings?pageSize=100')).json();
    const paths = await db().selectFrom('room_bookings as b').innerJoin('function_rooms as r', 'r.id', 'b.room_id').innerJoin('service_positions as p', 'p.id', 'r.position_id')
      .select(['b.id', 'p.region_path']).where('b.id', 'in', list.items.length ? list.items.map((b: any) => b.id) : [0]).execute();
    const scope = await db().selectFrom('regions').select('path').where('code', '=', 'HH-JLH').executeTakeFirstOrThrow();
    expect(paths.filter((p) => !p.region_path.startsWith(scope.path))).toEqual([]);
    expect(list.total).toBeGreaterThan(0);

    // resident.demo booked a 橡树湾 room, then moved away: the booking is no longer theirs to read or cancel.
    const room = await newRoom('搬家测试室');
    const id = (await book('resident.demo', room, day(10), '10:00', '11:00')).json().id;
    const resident = await db().selectFrom('accounts').select(['id', 'scope_region_id']).where('username', '=', 'resident.demo').executeTakeFirstOrThrow();
    await db().updateTable('accounts').set({ scope_region_id: lmyRegion.id }).where('id', '=', resident.id).execute();
    try {
      expect((await as('resident.demo', 'GET', `/api/bookings/${id}`)).statusCode).toBe(404);
      expect((await as('resident.demo', 'POST', `/api/bookings/${id}/cancel`, {})).statusCode).toBe(404);
      expect((await as('resident.demo', 'GET', '/api/me/bookings?pageSize=100')).json().items.map((b: any) => b.id)).not.toContain(id);
    } finally {
      await db().updateTable('accounts').set({ scope_region_id: resident.scope_region_id }).where('id', '=', resident.id).execute();
    }
    expect((await db().selectFrom('room_bookings').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('confirmed');
  });

  it('the console lists the positions in scope, stopped ones too, with every room; the enums the web reads agree with the services\' lists', async () => {
    const stopped = (await as('community.luming', 'POST', '/api/positions', { level: 'compound', name: '鹿鸣苑临时服务点', regionId: (await db().selectFrom('regions').select('id').where('code', '=', 'LMY').executeTakeFirstOrThrow()).id, address: '鹿鸣苑 5 幢' })).json().id;
    expect((await as('community.luming', 'PATCH', `/api/positions/${stopped}`, { active: false })).statusCode).toBe(200);
    const shut = await newRoom('停用测试室', { active: false });
    const list = (await as('community.luming', 'GET', '/api/positions/managed?pageSize=100')).json();
    const names = list.items.map((p: any) => p.name);
    expect(names).toEqual(expect.arrayContaining(['鹿鸣社区党群服务中心', '橡树湾党群服务站', '鹿鸣苑党群服务站', '鹿鸣苑临时服务点']));
    expect(names).not.toContain('聚龙湖社区党群服务中心'); // another community
    expect(list.items.some((p: any) => p.level === 'street')).toBe(false); // the street centre is above the community's scope
    expect(list.items.find((p: any) => p.id === stopped)).toMatchObject({ active: false, rooms: [] });
    expect(list.items.find((p: any) => p.id === xsw).rooms.find((r: any) => r.id === shut)).toMatchObject({ active: false });
    expect((await as(null, 'GET', '/api/positions?pageSize=100')).json().items.map((p: any) => p.id)).not.toContain(stopped);
    const onlyStopped = (await as('community.luming', 'GET', '/api/positions/managed?active=false&pageSize=100')).json();
    expect(onlyStopped.items.map((p: any) => p.id)).toEqual([stopped]);
    const own = (await as('property.xiangshuwan', 'GET', '/api/positions/managed?pageSize=100')).json();
    expect(own.items.map((p: any) => p.name)).toEqual(['橡树湾党群服务站']);
    expect((await as('resident.demo', 'GET', '/api/positions/managed')).statusCode).toBe(403);
    expect(JSON.stringify(list)).not.toMatch(/checkin_?code/i);

    expect(positionLevel.options).toEqual([...POSITION_LEVELS]);
    expect(roomKind.options).toEqual([...ROOM_KINDS]);
    expect(whoMayBook.options).toEqual([...WHO_MAY_BOOK]);
    expect(bookingStatus.options).toEqual([...BOOKING_STATUSES]);
  });

  it('statistics per room and position: hours booked, used, occupancy; .xlsx export', async () => {
    const room = await newRoom('统计测试室');
    const d = day(-10);
    const resident = (await db().selectFrom('accounts').select('id').where('username', '=', 'resident.demo').executeTakeFirstOrThrow()).id;
    const rows: [string, string, string][] = [['09:00', '11:00', 'checked_in'], ['14:00', '15:00', 'no_show'], ['16:00', '17:30', 'cancelled'], ['19:00', '20:30', 'checked_in']];
    for (const [from, to, status] of rows) {
      await db().insertInto('room_bookings').values({ room_id: room, booked_by: resident, purpose: '统计', headcount: 5, starts_at: at(d, from), ends_at: at(d, to), status: status as any }).execute();
    }
    const stats = (await as('community.luming', 'GET', `/api/bookings/stats?by=room&from=${d}&to=${d}`)).json();
    const mine = stats.items.find((x: any) => x.id === room);
    // 橡树湾党群服务站 opens 8:00–21:00: 13 hours; booked 2 + 1 + 1.5 = 4.5 h (cancelled excluded), used 3.5 h.
    expect(mine).toMatchObject({ bookings: 3, noShows: 1, openHours: 13, hoursBooked: 4.5, hoursUsed: 3.5, occupancyPercent: 34.6 });
    const byPosition = (await as('community.luming', 'GET', `/api/bookings/stats?by=position&from=${d}&to=${d}`)).json();
    const station = byPosition.items.find((x: any) => x.id === xsw);
    const roomsHere = stats.items.filter((x: any) => x.positionId === xsw);
    expect(station.hoursBooked).toBeCloseTo(roomsHere.reduce((a: number, x: any) => a + x.hoursBooked, 0), 0);
    expect(station.openHours).toBe(13 * roomsHere.length);
    const jlhStats = (await as('community.julonghu', 'GET', `/api/bookings/stats?by=room&from=${d}&to=${d}`)).json();
    expect(jlhStats.items.find((x: any) => x.id === room)).toBeUndefined();
    expect((await as('community.luming', 'GET', `/api/bookings/stats?from=2026-01-01&to=2027-06-30`)).statusCode).toBe(400);
    const xlsx = await as('community.luming', 'GET', `/api/bookings/stats.xlsx?by=room&from=${d}&to=${d}`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as any);
    const found: unknown[][] = [];
    wb.worksheets[0].eachRow((r) => found.push((r.values as unknown[]).slice(1)));
    expect(found.find((r) => r[0] === '统计测试室')).toEqual(['统计测试室', '橡树湾党群服务站', 3, 1, 13, 4.5, 3.5, 34.6]);
  });

  it('position photos: staff upload 1–9, the public list and detail show them, anyone may fetch them (no GPS); another community cannot upload or delete', async () => {
    const jpeg = await jpegWithGps();
    const form = (n: number) => multipart({}, Array.from({ length: n }, (_, i) => ({ field: 'photos', name: `p${i}.jpg`, type: 'image/jpeg', data: jpeg })));
    const upload = async (user: string, position: number, n = 1) => { const f = form(n); return t.app.inject({ method: 'POST', url: `/api/positions/${position}/photos`, headers: { ...bearer(await t.token(user)), ...f.headers }, payload: f.payload }); };
    const up = await upload('community.luming', lmy, 2);
    expect(up.statusCode, up.body).toBe(200);
    const photos = up.json().photos;
    expect(photos).toHaveLength(2);
    const pub = (await as(null, 'GET', '/api/positions?pageSize=100')).json().items.find((p: any) => p.id === lmy);
    expect(pub.photos).toEqual(photos);
    expect((await as('community.luming', 'GET', `/api/positions/${lmy}`)).json().photos).toEqual(photos);
    const served = await as(null, 'GET', photos[0].url);
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/jpeg');
    expect((await sharp(served.rawPayload).metadata()).exif).toBeUndefined(); // re-encoded: the camera's GPS is gone
    expect((await as(null, 'GET', photos[0].thumbUrl)).headers['content-type']).toBe('image/webp');
    expect((await as(null, 'GET', `/api/positions/${xsw}/photos/${photos[0].id}`)).statusCode).toBe(404); // only under its own position
    expect((await as('resident.demo', 'GET', `/api/files/${photos[0].id}`)).statusCode).toBe(200); // public, so any signed-in reader too

    const refused = await upload('community.julonghu', lmy);
    expect(refused.statusCode).toBe(403);
    expect((await upload('resident.demo', lmy)).statusCode).toBe(403);
    expect((await as('community.julonghu', 'POST', `/api/positions/${lmy}/photos/${photos[0].id}/delete`)).statusCode).toBe(403);
    const tooMany = await upload('community.luming', lmy, 8); // 2 + 8 > 9
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().error.fields.photos).toBe('最多 9 张照片');
    const count = async () => (await db().selectFrom('service_position_photos').select('file_id').where('position_id', '=', lmy).execute()).length;
    expect(await count()).toBe(2);

    const del = await as('community.luming', 'POST', `/api/positions/${lmy}/photos/${photos[0].id}/delete`);
    expect(del.statusCode, del.body).toBe(200);
    expect((await as('community.luming', 'POST', `/api/positions/${lmy}/photos/${photos[0].id}/delete`)).statusCode).toBe(404);
    expect((await as(null, 'GET', photos[0].url)).statusCode).toBe(404);
    expect((await as(null, 'GET', '/api/positions?pageSize=100')).json().items.find((p: any) => p.id === lmy).photos).toEqual([photos[1]]);
    const audit = await db().selectFrom('audit_log').select('action').where('target_type', '=', 'service_position').where('target_id', '=', String(lmy) as any).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['position.photos', 'position.photo_delete']));
  });

  it('staff on duty: candidates are workers on the position\'s line inside the caller\'s scope; set and clear; others refused', async () => {
    const id = async (u: string) => (await db().selectFrom('accounts').select('id').where('username', '=', u).executeTakeFirstOrThrow()).id;
    const cands = await as('community.luming', 'GET', `/api/positions/${xsw}/staff-candidates`);
    expect(cands.statusCode, cands.body).toBe(200);
    const ids = cands.json().items.map((c: any) => c.id);
    expect(ids).toEqual(expect.arrayContaining([await id('community.luming'), await id('grid.xiangshuwan'), await id('property.xiangshuwan')]));
    for (const u of ['community.julonghu', 'street.huanghai', 'resident.demo', 'owners.xiangshuwan']) expect(ids).not.toContain(await id(u));
    // 鹿鸣苑's station: 橡树湾's workers are not on its line
    const lmyIds = (await as('community.luming', 'GET', `/api/positions/${lmy}/staff-candidates`)).json().items.map((c: any) => c.id);
    expect(lmyIds).toContain(await id('community.luming'));
    expect(lmyIds).not.toContain(await id('grid.xiangshuwan'));
    expect((await as('community.julonghu', 'GET', `/api/positions/${xsw}/staff-candidates`)).statusCode).toBe(403);

    const set = await as('community.luming', 'PATCH', `/api/positions/${xsw}`, { staffAccountIds: [await id('grid.xiangshuwan'), await id('property.xiangshuwan')] });
    expect(set.statusCode, set.body).toBe(200);
    const staff = async () => (await as('community.luming', 'GET', `/api/positions/${xsw}`)).json().staff.map((s: any) => s.id);
    expect(await staff()).toEqual([await id('grid.xiangshuwan'), await id('property.xiangshuwan')].sort((a, b) => a - b));
    for (const outsider of ['community.julonghu', 'resident.demo']) {
      const res = await as('community.luming', 'PATCH', `/api/positions/${xsw}`, { staffAccountIds: [await id(outsider)] });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.fields.staffAccountIds).toContain('工作人员');
    }
    expect((await as('community.luming', 'PATCH', `/api/positions/${lmy}`, { staffAccountIds: [await id('grid.xiangshuwan')] })).statusCode).toBe(400); // not on 鹿鸣苑's line
    expect(await staff()).toHaveLength(2); // the refused writes changed nothing
    expect((await as('community.julonghu', 'PATCH', `/api/positions/${xsw}`, { staffAccountIds: [] })).statusCode).toBe(403);
    expect((await as('community.luming', 'PATCH', `/api/positions/${xsw}`, { staffAccountIds: [] })).statusCode).toBe(200);
    expect(await staff()).toEqual([]);
  });
});
