import type { Executor } from '../../core/db.js';
import type { DemoContext, DemoRegion } from '../../core/module.js';
import { newCheckinCode, shanghaiDate, shanghaiDayStart } from './positions.js';
import type { BookingStatus, PositionLevel, RoomKind, WhoMayBook } from './positions-tables.js';

/**
 * The demo district's 1+1+N positions: a party-mass service centre per street, one per community,
 * a station per compound (橡树湾's in its former sales office, with the five rooms the brief names),
 * rooms with rules, and bookings over the last 30 and the next 10 days in every state.
 * Its own PRNG, so that the modules seeded after it get the same data as before.
 */

interface RoomSpec { name: string; kind: RoomKind; capacity: number; equipment: string[]; who: WhoMayBook; advance: number; max: number; approval: boolean }
const room = (name: string, kind: RoomKind, capacity: number, who: WhoMayBook, max: number, approval: boolean, equipment: string[], advance = 14): RoomSpec =>
  ({ name, kind, capacity, who, max, approval, equipment, advance });

const STREET_ROOMS = [
  room('多功能报告厅', 'activity', 120, 'units', 240, true, ['投影仪', '音响', '话筒'], 30),
  room('党员活动室', 'meeting', 30, 'workers', 180, false, ['电子屏', '会议桌']),
  room('共享阅览室', 'reading', 24, 'any_resident', 180, false, ['图书', '无线网络']),
];
const COMMUNITY_ROOMS = [
  room('居民活动室', 'activity', 40, 'any_resident', 180, false, ['音响', '桌椅']),
  room('有事好商量议事厅', 'mediation', 20, 'any_resident', 120, true, ['会议桌', '录音设备']),
  room('便民服务窗口', 'service', 6, 'workers', 120, false, ['电脑', '打印机']),
];
const XSW_ROOMS = [
  room('红管家服务站', 'service', 8, 'compound_residents', 60, false, ['业务台', '打印机']),
  room('智慧健康小屋', 'health', 4, 'compound_residents', 60, false, ['血压计', '体脂秤', '健康一体机']),
  room('有事好商量调解厅', 'mediation', 16, 'any_resident', 120, false, ['圆桌', '录音设备']),
  room('活动室', 'activity', 40, 'compound_residents', 180, false, ['音响', '乒乓球桌']),
  room('阅览室', 'reading', 20, 'any_resident', 180, false, ['图书', '报刊', '无线网络']),
];
const COMPOUND_ROOMS = [
  room('活动室', 'activity', 30, 'compound_residents', 180, false, ['桌椅']),
  room('议事室', 'mediation', 12, 'any_resident', 120, false, ['会议桌']),
];

const PURPOSES: Partial<Record<RoomKind, string[]>> = {
  service: ['办理居住证明', '咨询养老补贴', '物业费缴纳咨询'],
  health: ['测量血压血糖', '慢病随访', '健康咨询'],
  mediation: ['邻里漏水纠纷调解', '加装电梯意见协商', '停车位分配协商', '楼道堆物协商'],
  activity: ['老年合唱队排练', '亲子手工课', '太极拳练习', '党员志愿者例会', '书画兴趣小组'],
  reading: ['青少年读书会', '老年读报小组', '四点半课堂'],
  meeting: ['支部主题党日', '共建单位联席会', '网格员例会'],
};
const START_TIMES = [9 * 60, 10 * 60 + 30, 14 * 60, 15 * 60 + 30, 19 * 60];

function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function seedPositions(tx: Executor, demo: DemoContext, now = new Date()) {
  const next = prng(20261201);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)];
  const points = await tx.selectFrom('region_points').select(['region_id', 'lat', 'lng']).execute();
  const pointOf = (id: number) => points.find((p) => p.region_id === id);
  const childrenOf = (r: DemoRegion, list: DemoRegion[]) => list.filter((c) => c.path.startsWith(r.path) && c.id !== r.id);
  const account = async (u: string) => demo.accountId(u);
  const bookersFor = {
    XSW: await Promise.all(['resident.demo', 'owners.xiangshuwan', 'grid.xiangshuwan', 'property.xiangshuwan'].map(account)),
    LM: await Promise.all(['member.demo', 'community.luming', 'unit.demo', 'resident.demo'].map(account)),
    HH: await Promise.all(['street.huanghai', 'unit.demo', 'member.demo'].map(account)),
    other: [await account('admin')],
  };
  let positions = 0, rooms = 0, bookings = 0;
  const noShowsOf = new Map<number, number>();
  const today = shanghaiDate(now);

  const addPosition = async (level: PositionLevel, region: DemoRegion, name: string, address: string, at: { lat: number; lng: number } | undefined,
    hours: string, opens: number, closes: number, specs: RoomSpec[], bookers: number[], description: string | null = null) => {
    const p = await tx.insertInto('service_positions').values({
      level, name, region_id: region.id, region_path: region.path, address, lat: at?.lat ?? null, lng: at?.lng ?? null, hours, opens_min: opens, closes_min: closes, description,
    }).returning('id').executeTakeFirstOrThrow();
    positions++;
    for (const [i, s] of specs.entries()) {
      const r = await tx.insertInto('function_rooms').values({
        position_id: p.id, name: s.name, kind: s.kind, capacity: s.capacity, equipment: s.equipment, who_may_book: s.who, advance_days: s.advance,
        max_minutes: s.max, needs_approval: s.approval, checkin_code: newCheckinCode(), sort: i,
      }).returning('id').executeTakeFirstOrThrow();
      rooms++;
      bookings += await seedBookings(r.id, s, opens, closes, bookers);
    }
  };

  // Past days are mostly used; a few missed (at most one per account, so no demo account starts banned) or cancelled.
  const seedBookings = async (roomId: number, s: RoomSpec, opens: number, closes: number, bookers: number[]) => {
    let n = 0;
    const density = bookers === bookersFor.other ? 0.15 : 0.45;
    for (let d = -30; d <= 10; d++) {
      const day = shanghaiDate(new Date(shanghaiDayStart(today).getTime() + d * 86400_000));
      let free = 0;
      for (const start of START_TIMES) {
        if (next() > density / 2) continue;
        const minutes = Math.min(s.max, pick([60, 90, 90, 120]));
        if (start < opens || start < free || start + minutes > closes) continue;
        free = start + minutes;
        const startsAt = new Date(shanghaiDayStart(day).getTime() + start * 60_000);
        const endsAt = new Date(startsAt.getTime() + minutes * 60_000);
        const by = pick(bookers);
        const past = endsAt < now;
        let status: BookingStatus;
        if (startsAt < now && !past) status = 'checked_in';
        else if (past) {
          const roll = next();
          status = roll < 0.08 && !noShowsOf.get(by) ? 'no_show' : roll < 0.2 ? 'cancelled' : 'checked_in';
          if (status === 'no_show') noShowsOf.set(by, 1);
        } else status = s.approval && next() < 0.5 ? 'pending' : next() < 0.1 ? 'cancelled' : 'confirmed';
        const created = new Date(startsAt.getTime() - (1 + Math.floor(next() * 5)) * 86400_000);
        await tx.insertInto('room_bookings').values({
          room_id: roomId, booked_by: by, purpose: pick(PURPOSES[s.kind] ?? ['活动']), headcount: Math.max(1, Math.min(s.capacity, 2 + Math.floor(next() * s.capacity))),
          starts_at: startsAt, ends_at: endsAt, status, created_at: created < now ? created : now, updated_at: now,
          decided_at: s.approval && status !== 'pending' ? created : null,
          checked_in_at: status === 'checked_in' ? new Date(startsAt.getTime() - Math.floor(next() * 10) * 60_000) : null,
          no_show_at: status === 'no_show' ? new Date(startsAt.getTime() + 15 * 60_000) : null,
          cancelled_by: status === 'cancelled' ? by : null, cancelled_at: status === 'cancelled' ? created : null,
        }).execute();
        n++;
      }
    }
    return n;
  };

  for (const street of demo.streets) {
    const cs = childrenOf(street, demo.communities).map((c) => pointOf(c.id)).filter((p) => !!p);
    const at = cs.length ? { lat: cs.reduce((a, p) => a + p.lat, 0) / cs.length, lng: cs.reduce((a, p) => a + p.lng, 0) / cs.length } : undefined;
    await addPosition('street', street, `${street.name}党群服务中心`, `${street.name}便民服务大楼一至三层`, at, '周一至周日 8:30-20:30', 510, 1230, STREET_ROOMS,
      street.name === '黄海街道' ? bookersFor.HH : bookersFor.other);
  }
  for (const c of demo.communities) {
    const p = pointOf(c.id);
    await addPosition('community', c, `${c.name}党群服务中心`, `${c.name}居委会办公楼一楼`, p, '周一至周六 8:30-17:30，周日上午', 510, 1260, COMMUNITY_ROOMS,
      c.name === '鹿鸣社区' ? bookersFor.LM : bookersFor.other);
  }
  for (const [code, comp] of Object.entries(demo.compounds)) {
    const community = demo.communities.find((c) => comp.path.startsWith(c.path));
    const base = community ? pointOf(community.id) : undefined;
    const at = base ? { lat: base.lat + 0.0015 * (next() - 0.5), lng: base.lng + 0.0015 * (next() - 0.5) } : undefined;
    if (code === 'XSW') {
      await addPosition('compound', comp, '橡树湾党群服务站', '橡树湾小区东门原售楼处', at, '每天 8:00-21:00', 480, 1260, XSW_ROOMS, bookersFor.XSW,
        '由开发商移交的原售楼处改建，一楼为红管家服务站、智慧健康小屋和有事好商量调解厅，二楼为活动室和阅览室。');
    } else {
      await addPosition('compound', comp, `${comp.name}党群服务站`, `${comp.name}小区物业楼一楼`, at, '每天 8:30-20:30', 510, 1230, COMPOUND_ROOMS,
        code === 'LMY' ? bookersFor.LM : bookersFor.other);
    }
  }
  return { positions, rooms, bookings };
}
