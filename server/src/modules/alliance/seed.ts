import type { Executor } from '../../core/db.js';
import type { Rng } from '../../seed/random.js';

const STEMS = ['智汇', '云帆', '海韵', '鹤鸣', '新洋', '通榆', '瀛洲', '盐渎', '登瀛', '梦溪', '金鹰', '星河', '凤凰', '宝龙', '世纪', '先锋', '华邦', '悦达', '丹顶鹤', '黄海'];
const TRADES = ['科技有限公司', '物流有限公司', '商贸有限公司', '建设工程有限公司', '医药连锁有限公司', '餐饮管理有限公司', '网络科技有限公司', '物业服务有限公司'];
const SOCIAL = ['邻里互助会', '志愿服务社', '社会工作服务中心', '公益发展中心', '老年协会', '青少年成长中心'];
const INSTITUTIONS = ['实验小学', '第一中学', '社区卫生服务中心', '税务分局', '市场监管所', '派出所'];
const TAGS = ['物资捐赠', '志愿服务', '助老', '助学', '义诊', '法律咨询', '家电维修', '理发', '场地', '心理疏导', '快递上门'];
const SERVICES = ['rest', 'water', 'charging', 'restroom', 'express', 'housekeeping'];

/**
 * The alliance of the demo district: 184 member units, 65 of them elected committee
 * units, under the street big working committees and community big party
 * committees; ~100 convenience stations; a few co-building projects.
 */
export async function seedAlliance(tx: Executor, r: Rng, ctx: { streets: { id: number; path: string }[]; communities: { id: number; path: string; name: string }[]; unitDemoOrgId: number; unitDemoName: string; createdBy: number }) {
  const at = () => ({ lat: Math.round((33.33 + r.next() * 0.07) * 1e6) / 1e6, lng: Math.round((120.14 + r.next() * 0.1) * 1e6) / 1e6 });
  const units: { name: string; kind: 'community' | 'enterprise' | 'social_org' | 'institution' | 'industry'; committee: { id: number; path: string }; org?: number }[] = [];
  units.push({ name: ctx.unitDemoName, kind: 'enterprise', committee: ctx.streets[0], org: ctx.unitDemoOrgId });
  for (const c of ctx.communities) units.push({ name: `${c.name}党委`, kind: 'community', committee: c });
  for (const [i, name] of ['互联网行业党委', '快递行业党委', '大数据行业党委'].entries()) units.push({ name: `盐南高新区${name}`, kind: 'industry', committee: ctx.streets[i % ctx.streets.length] });
  let i = 0;
  while (units.length < 184) {
    const k = i % 10;
    const committee = k < 4 ? ctx.streets[i % ctx.streets.length] : ctx.communities[i % ctx.communities.length];
    const stem = STEMS[i % STEMS.length], n = Math.floor(i / STEMS.length);
    if (k < 6) units.push({ name: `盐南${stem}${TRADES[(i + n) % TRADES.length]}党支部`, kind: 'enterprise', committee });
    else if (k < 9) units.push({ name: `${stem}${SOCIAL[(i + n) % SOCIAL.length]}党支部`, kind: 'social_org', committee });
    else units.push({ name: `盐南高新区${stem}${INSTITUTIONS[(i + n) % INSTITUTIONS.length]}党支部`, kind: 'institution', committee });
    i++;
  }
  const ids: number[] = [];
  for (const [n, u] of units.entries()) {
    const pos = at();
    const row = await tx.insertInto('alliance_units').values({
      organisation_id: u.org ?? null, name: u.name, kind: u.kind, committee_region_id: u.committee.id,
      is_committee_unit: n < 65, committee_term: n < 65 ? '2025—2028' : null, status: n === 183 ? 'pending' : 'verified',
      contact_name: `联络员${n + 1}`, contact_phone: `1980000${String(n + 1).padStart(4, '0')}`, service_region_id: u.committee.id, service_path: u.committee.path,
      lat: pos.lat, lng: pos.lng, tags: [TAGS[n % TAGS.length], TAGS[(n * 7 + 3) % TAGS.length]].filter((t, j, a) => a.indexOf(t) === j), volunteer_hours: r.int(0, 400), applied_by: null,
    }).returning('id').executeTakeFirstOrThrow();
    ids.push(row.id);
  }
  // Community centres, and what units offer (about half the units, 1–2 resources each).
  // Community centres gather around their street's spot (streets on a ring round the district's middle), so that a
  // street is one piece on the cockpit's map; drawn as before, so the stream stays the same.
  const centres = new Map<number, { lat: number; lng: number }>();
  const round6 = (v: number) => Math.round(v * 1e6) / 1e6;
  for (const c of ctx.communities) {
    const raw = at();
    const si = Math.max(0, ctx.streets.findIndex((s) => c.path.startsWith(s.path)));
    const angle = (2 * Math.PI * si) / Math.max(1, ctx.streets.length) + Math.PI / 6;
    const p = { lat: round6(33.365 + 0.02 * Math.sin(angle) + (raw.lat - 33.365) * 0.35), lng: round6(120.19 + 0.026 * Math.cos(angle) + (raw.lng - 120.19) * 0.35) };
    centres.set(c.id, p);
    await tx.insertInto('region_points').values({ region_id: c.id, ...p }).execute();
  }
  const KINDS: ['goods' | 'service' | 'volunteer_hours' | 'funds', 'goods' | 'service' | 'companionship' | 'tutoring' | 'funds', string][] = [
    ['goods', 'goods', '冬衣棉被等生活物资'], ['service', 'service', '家电维修上门服务'], ['volunteer_hours', 'companionship', '志愿者陪伴独居老人'],
    ['service', 'tutoring', '大学生志愿者课业辅导'], ['funds', 'funds', '微心愿专项资金'], ['goods', 'goods', '学习用品'],
  ];
  for (const [n, id] of ids.entries()) {
    if (n !== 0 && n % 2 === 1) continue;
    const unitRow = await tx.selectFrom('alliance_units').select(['service_path', 'lat', 'lng']).where('id', '=', id).executeTakeFirstOrThrow();
    for (let k = 0; k < (n % 3 === 0 ? 2 : 1); k++) {
      const [kind, category, title] = KINDS[(n + k) % KINDS.length];
      await tx.insertInto('resources').values({
        unit_id: id, kind, category, title, capacity: r.int(5, 60), value_cap_fen: category === 'goods' || category === 'funds' ? 30000 : null,
        service_path: unitRow.service_path, lat: unitRow.lat, lng: unitRow.lng,
      }).execute();
    }
  }
  for (let s = 0; s < 100; s++) {
    const c = ctx.communities[s % ctx.communities.length];
    // Within ~150 m of its community's centre, so that it lies in its community on the cockpit's map.
    const raw = at(), base = centres.get(c.id)!;
    const pos = { lat: round6(base.lat + (raw.lat - 33.365) * 0.04), lng: round6(base.lng + (raw.lng - 120.19) * 0.035) };
    const kind = s % 3 === 0 ? 'xiexiejiao' : 'fengxiaochao';
    const services = SERVICES.filter((_, j) => j < 2 || r.next() < 0.5);
    await tx.insertInto('stations').values({
      name: `${kind === 'fengxiaochao' ? '锋小巢' : '歇歇脚'}·${c.name.replace('社区', '')}${s + 1}号`, kind, owner_unit_id: ids[(s * 7) % ids.length], region_id: c.id,
      lat: pos.lat, lng: pos.lng, address: `${c.name}${STEMS[s % STEMS.length]}路${10 + s}号`, opening_hours: s % 4 === 0 ? '全天' : '08:00—20:00', services,
    }).execute();
  }
  const projects = [
    { title: '老年助餐点共建', milestones: ['选址与改造', '签约配餐单位', '开餐试运营', '常态运营评估'], done: 2 },
    { title: '快递小哥子女暑期托管', milestones: ['招募志愿者', '场地准备', '开班'], done: 3 },
    { title: '橡树湾电动车充电桩', milestones: ['需求摸排', '方案公示', '安装', '验收'], done: 1 },
    { title: '邻里中心适老化改造', milestones: ['设计', '施工', '验收'], done: 0 },
  ];
  for (const [n, p] of projects.entries()) {
    const proj = await tx.insertInto('coop_projects').values({
      title: p.title, description: `${p.title}：由联盟单位牵头，多方共建。`, owner_unit_id: ids[n], partner_unit_ids: [ids[n + 10], ids[n + 20]],
      budget_fen: r.int(5, 50) * 10_000 * 100, status: p.done === p.milestones.length ? 'done' : 'active', created_by: ctx.createdBy,
    }).returning('id').executeTakeFirstOrThrow();
    await tx.insertInto('coop_milestones').values(p.milestones.map((title, j) => ({ project_id: proj.id, title, weight: j === 0 ? 1 : 2, sort: j, done_at: j < p.done ? new Date(Date.now() - (p.done - j) * 7 * 86400_000) : null }))).execute();
  }
  return { units: ids.length, stations: 100, projects: projects.length };
}
