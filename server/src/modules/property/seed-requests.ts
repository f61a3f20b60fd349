import { sql } from 'kysely';
import type { Executor } from '../../core/db.js';
import type { DemoContext, DemoRegion } from '../../core/module.js';
import type { AttributeDef, RequestStatus, RequestTeam } from './requests-tables.js';
import { newToken } from './service-requests.js';

/** The demo's service categories and a believable spread of requests in every state (橡树湾 mostly), some overdue. */

const PART: AttributeDef = { code: 'part', name: '报修部位', datatype: 'singlevaluelist', required: true, values: [
  { key: 'kitchen', name: '厨房' }, { key: 'bathroom', name: '卫生间' }, { key: 'living', name: '客厅' }, { key: 'bedroom', name: '卧室' }, { key: 'balcony', name: '阳台' }, { key: 'public', name: '公共区域' },
] };
const WHEN: AttributeDef = { code: 'preferred_time', name: '期望上门时间', datatype: 'datetime', required: true, description: 'ISO 8601' };
const AREA: AttributeDef = { code: 'area', name: '面积（平方米）', datatype: 'number', required: false };
const SPOT: AttributeDef = { code: 'spot', name: '具体位置', datatype: 'string', required: false };

interface TypeSeed { code: string; name: string; group: string; sla: number; team: RequestTeam; attrs: AttributeDef[]; keywords: string; texts: string[] }
const TYPES: TypeSeed[] = [
  { code: 'repair.water', name: '水电维修', group: '报事报修', sla: 24, team: 'property', attrs: [PART], keywords: '漏水,停电,跳闸,水管', texts: ['厨房水槽下水管漏水，地面有积水', '卫生间马桶水箱一直流水', '家里插座跳闸，一开空调就断电', '热水器进水阀滴水'] },
  { code: 'repair.door', name: '门窗维修', group: '报事报修', sla: 48, team: 'property', attrs: [PART], keywords: '门锁,窗户,纱窗', texts: ['阳台推拉窗关不严，下雨渗水', '入户门锁芯卡住，钥匙拧不动', '卧室纱窗脱轨'] },
  { code: 'repair.public', name: '公共设施', group: '报事报修', sla: 72, team: 'property', attrs: [SPOT], keywords: '路灯,楼道,健身器材,门禁', texts: ['楼道声控灯不亮，晚上上楼看不见', '单元门禁刷卡没反应', '小区健身器材螺丝松动，有安全隐患', '地下车库入口路灯坏了'] },
  { code: 'repair.elevator', name: '电梯故障', group: '报事报修', sla: 4, team: 'property', attrs: [SPOT], keywords: '电梯,困人', texts: ['电梯运行时有异响', '电梯按钮失灵，到不了十二楼'] },
  { code: 'home.cleaning', name: '家庭保洁', group: '家政服务', sla: 48, team: 'alliance', attrs: [WHEN, AREA], keywords: '保洁,打扫', texts: ['老人独居，想请人做一次全屋保洁', '新装修完需要开荒保洁'] },
  { code: 'home.appliance', name: '家电清洗', group: '家政服务', sla: 72, team: 'alliance', attrs: [WHEN], keywords: '油烟机,空调清洗', texts: ['油烟机需要拆洗', '空调换季清洗'] },
  { code: 'complaint.noise', name: '噪音扰民', group: '投诉建议', sla: 72, team: 'community', attrs: [], keywords: '噪音,装修,广场舞', texts: ['楼上装修周末一早就开始电钻', '晚上十点后广场舞音响太大'] },
  { code: 'complaint.environment', name: '环境卫生', group: '投诉建议', sla: 48, team: 'community', attrs: [SPOT], keywords: '垃圾,绿化,宠物', texts: ['垃圾分类点溢满，两天没有清运', '草坪里宠物粪便没人清理', '楼道堆放杂物堵住消防通道'] },
  { code: 'complaint.property', name: '物业服务投诉', group: '投诉建议', sla: 72, team: 'community', attrs: [], keywords: '物业,服务态度', texts: ['报修三天没人上门', '保安夜间巡逻不到位'] },
  { code: 'suggestion', name: '意见建议', group: '投诉建议', sla: 168, team: 'community', attrs: [], keywords: '建议', texts: ['建议在小区东门增加电动车充电桩', '建议给老年活动室添置几把椅子'] },
];

/** Status by draw: most requests are finished, a fair share still open (some of them overdue). */
const STATES: [RequestStatus, number][] = [['submitted', 8], ['accepted', 6], ['assigned', 7], ['in_progress', 7], ['done', 8], ['rated', 12], ['closed', 20]];

export async function seedRequests(tx: Executor, demo: DemoContext) {
  const r = demo.rng;
  const hours = (h: number) => h * 3600_000;
  // Where each demo compound is: near its community's centre (the alliance records community centres).
  const points = await tx.selectFrom('region_points').select(['region_id', 'lat', 'lng']).execute();
  const compounds = Object.values(demo.compounds);
  const communityOf = (c: DemoRegion) => demo.communities.find((m) => c.path.startsWith(m.path))!;
  const streetOf = (c: DemoRegion) => demo.streets.find((s) => c.path.startsWith(s.path)) ?? null;
  for (const [i, c] of compounds.entries()) {
    const p = points.find((x) => x.region_id === communityOf(c)?.id) ?? { lat: 33.35, lng: 120.2 };
    await tx.insertInto('request_areas').values({ compound_id: c.id, lat: p.lat + 0.002 * ((i % 3) - 1), lng: p.lng + 0.002 * ((i % 2) ? 1 : -1) }).execute();
  }

  const unit = await tx.selectFrom('alliance_units').select('id').where('organisation_id', '=', demo.orgs['E-SZ']).executeTakeFirst();
  const typeIds: Record<string, number> = {};
  for (const [i, t] of TYPES.entries()) {
    const team = t.team === 'alliance' && !unit ? 'community' : t.team;
    const row = await tx.insertInto('service_types').values({
      code: t.code, name: t.name, group_name: t.group, description: `${t.group}·${t.name}`, sla_hours: t.sla, team, alliance_unit_id: team === 'alliance' ? unit!.id : null,
      attributes: JSON.stringify(t.attrs), keywords: t.keywords, sort: i,
    }).returning('id').executeTakeFirstOrThrow();
    typeIds[t.code] = row.id;
  }

  const acct = async (u: string) => demo.accountId(u).catch(() => null);
  const staff = { property: await acct('property.xiangshuwan'), community: await acct('community.luming'), unit: await acct('unit.demo'), grid: await acct('grid.xiangshuwan') };
  const resident = await acct('resident.demo');
  const residentRoom = (await tx.selectFrom('persons').select('region_id').where('id', '=', demo.persons.resident).executeTakeFirstOrThrow()).region_id;
  const now = Date.now();
  // 橡树湾 carries most of the load; the other demo compounds a few each.
  const plan: [DemoRegion, number][] = compounds.map((c) => [c, c === demo.compounds.XSW ? 90 : 6]);
  let total = 0;
  const events: { request_id: number; kind: string; at: Date; actor_id: number | null; note: string | null; data: string }[] = [];
  for (const [compound, count] of plan) {
    const community = communityOf(compound), street = streetOf(compound);
    const people = (await sql<{ id: number; region_id: number; path: string }>`
      select p.id, p.region_id, g.path from persons p join regions g on g.id = p.region_id
      where p.region_path like ${`${compound.path}%`} and g.level = 'room' order by p.id limit 400`.execute(tx)).rows;
    if (!people.length) continue;
    for (let k = 0; k < count; k++) {
      const t = TYPES[(k * 7 + r.int(0, 3)) % TYPES.length];
      const xsw = compound === demo.compounds.XSW;
      let status = pick(r, STATES);
      const team = t.team === 'alliance' && !unit ? 'community' : t.team;
      const assignee = team === 'property' ? (xsw ? staff.property : null) : team === 'alliance' ? staff.unit : community.id === communityOf(demo.compounds.XSW).id ? staff.community : null;
      if (!assignee && ['assigned', 'in_progress', 'done', 'rated'].includes(status)) status = 'accepted';
      const mine = xsw && k % 15 === 0 && resident != null;
      const person = mine ? { id: demo.persons.resident, region_id: residentRoom, path: '' } : people[r.int(0, people.length - 1)];
      const roomPath = mine ? (await tx.selectFrom('regions').select('path').where('id', '=', residentRoom).executeTakeFirstOrThrow()).path : person.path;
      // Open requests are recent (some past their SLA); finished ones spread over two months.
      const open = ['submitted', 'accepted', 'assigned', 'in_progress'].includes(status);
      const created = new Date(now - (open ? hours(r.int(1, Math.max(2, t.sla * 3))) : hours(r.int(t.sla + 48, 24 * 60))));
      const at = (h: number) => new Date(created.getTime() + hours(h));
      const slaDue = at(t.sla);
      const took = r.next() < 0.78 ? r.int(1, t.sla) : r.int(t.sla + 1, t.sla * 3);
      const doneAt = ['done', 'rated'].includes(status) || (status === 'closed' && assignee) ? at(took) : null;
      const outcome = status === 'closed' ? (doneAt ? 'fixed' : pick(r, [['not_ours', 3], ['referred', 2]] as const)) : null;
      const level = open ? (now >= slaDue.getTime() + hours(t.sla) ? 2 : now >= slaDue.getTime() ? 1 : 0) : 0;
      const rating = status === 'rated' || (status === 'closed' && doneAt && r.next() < 0.7) ? (took <= t.sla ? r.int(4, 5) : r.int(2, 4)) : null;
      const onBehalf = !mine && k % 5 === 2;
      const row = await tx.insertInto('service_requests').values({
        token: newToken(), service_type_id: typeIds[t.code], status, description: t.texts[k % t.texts.length],
        attributes: JSON.stringify(attrsFor(t, created)), room_id: person.region_id, compound_id: compound.id, community_id: community.id, street_id: street?.id ?? null,
        region_path: roomPath, requester_account_id: mine ? resident : null, requester_person_id: person.id, submitted_by: onBehalf ? (xsw ? staff.grid : null) : mine ? resident : null,
        channel: onBehalf ? 'on_behalf' : 'self', team, assignee_id: ['assigned', 'in_progress', 'done', 'rated'].includes(status) || doneAt ? assignee : null,
        sla_hours: t.sla, sla_started_at: created, due_at: slaDue, escalation_level: level,
        next_escalation_at: open ? (level === 0 ? slaDue : level === 1 ? at(2 * t.sla) : null) : null, escalated_at: level ? at(t.sla * level) : null,
        done_note: doneAt ? '已上门处理，恢复正常' : null, rating, rating_text: rating ? (rating >= 4 ? '师傅很专业，及时' : '来得有点慢') : null,
        outcome, referred_to: outcome === 'referred' ? '区城管局' : null, close_note: outcome === 'not_ours' ? '属市政管网，已告知居民拨打12345' : null,
        created_at: created, accepted_at: status === 'submitted' ? null : at(0.5), assigned_at: assignee && !['submitted', 'accepted'].includes(status) ? at(1) : null,
        started_at: ['in_progress'].includes(status) || doneAt ? at(Math.min(2, took)) : null, done_at: doneAt, first_done_at: doneAt,
        rated_at: rating && doneAt ? new Date(doneAt.getTime() + hours(5)) : null, closed_at: status === 'closed' ? at(Math.max(took, 2) + 24) : null,
        updated_at: created,
      }).returning('id').executeTakeFirstOrThrow();
      total++;
      const ev = (kind: string, when: Date, actor: number | null, note: string | null = null, data: Record<string, unknown> = {}) =>
        events.push({ request_id: row.id, kind, at: when, actor_id: actor, note, data: JSON.stringify(data) });
      ev('submitted', created, onBehalf ? (xsw ? staff.grid : null) : mine ? resident : null, null, { channel: onBehalf ? 'on_behalf' : 'self' });
      if (status !== 'submitted') ev('accepted', at(0.5), assignee ?? staff.community);
      if (assignee && !['submitted', 'accepted'].includes(status)) ev(k % 2 ? 'grabbed' : 'assigned', at(1), k % 2 ? assignee : staff.community, null, { assigneeId: assignee });
      if (status === 'in_progress' || doneAt) ev('started', at(Math.min(2, took)), assignee);
      if (level >= 1) ev('escalated_community', at(t.sla), null, null, { level: 1 });
      if (level >= 2) ev('escalated_street', at(2 * t.sla), null, null, { level: 2 });
      if (doneAt) ev('done', doneAt, assignee, '已上门处理，恢复正常');
      if (rating && doneAt) ev('rated', new Date(doneAt.getTime() + hours(5)), mine ? resident : null, null, { rating });
      if (status === 'closed') ev('closed', at(Math.max(took, 2) + 24), staff.community, null, { outcome });
    }
  }
  for (let i = 0; i < events.length; i += 500) await tx.insertInto('service_request_events').values(events.slice(i, i + 500)).execute();
  return { serviceRequests: total };
}

function attrsFor(t: TypeSeed, created: Date) {
  const out: Record<string, string | number> = {};
  for (const a of t.attrs) {
    if (a.code === 'part') out.part = a.values![created.getTime() % a.values!.length].key;
    if (a.code === 'preferred_time') out.preferred_time = new Date(created.getTime() + 86400_000).toISOString();
    if (a.code === 'area') out.area = 60 + (created.getTime() % 60);
  }
  return out;
}

function pick<T>(r: DemoContext['rng'], weighted: readonly (readonly [T, number])[]): T {
  const sum = weighted.reduce((s, [, w]) => s + w, 0);
  let x = r.next() * sum;
  for (const [v, w] of weighted) { if ((x -= w) < 0) return v; }
  return weighted[weighted.length - 1][0];
}
