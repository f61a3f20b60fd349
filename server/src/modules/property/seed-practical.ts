import { sql, type Insertable } from 'kysely';
import type { Executor } from '../../core/db.js';
import type { DemoContext, DemoRegion } from '../../core/module.js';
import type { Database } from '../../core/schema.js';
import { shanghaiDate } from './positions.js';
import type { MatterCategory, MatterStatus, UnitKind, UnitRole } from './practical-tables.js';

/**
 * The demo district's 330 practical matters (暖心实事) over its streets, communities and compounds,
 * in every state: closed and accepted ones with all milestones done, spending near the budget and
 * households' survey answers; ongoing ones part-way (a quarter of them overdue or behind on a
 * milestone); planned ones, a few stalled past their dates. Written in a handful of multi-row
 * inserts, since the demo seed runs in every test setup. Its own PRNG, so that the modules seeded
 * after it get the same data as before.
 */

type Steps = [string, number][];
const BUILD: Steps = [['方案设计与居民意见征集', 1], ['招标采购', 1], ['施工进场', 1], ['主体施工', 4], ['竣工验收', 2]];
const PILE: Steps = [['点位摸排与方案公示', 1], ['设备采购', 2], ['安装调试', 3], ['通电试运行', 2]];
const PIPE: Steps = [['管网排查检测', 1], ['方案设计与公示', 1], ['管网施工', 5], ['路面恢复', 2], ['竣工验收', 1]];
const LIGHT: Steps = [['现场勘查', 1], ['设备采购', 2], ['安装施工', 3], ['验收', 1]];
const SMALL: Steps = [['方案与预算', 1], ['施工', 3], ['验收', 1]];
const SERVICE: Steps = [['选址与场地改造', 3], ['设备配置', 2], ['确定运营单位', 1], ['试运营', 1]];

interface Project { name: string; category: MatterCategory; wan: [number, number]; dept: string; steps: Steps; what: string }
const HOUSING = '区住房和城乡建设局', CITY = '区城市管理局', WATER = '区水务局', SAFETY = '区应急管理局', CIVIL = '区民政局', SOCIAL = '区社会事业局';
const PROJECTS: Project[] = [
  { name: '老旧小区综合改造', category: 'renovation', wan: [300, 1500], dept: HOUSING, steps: BUILD, what: '对建成较早的住宅楼实施水电气管线、屋面、外立面、道路和公共设施的综合改造' },
  { name: '外墙保温及立面出新', category: 'renovation', wan: [120, 600], dept: HOUSING, steps: BUILD, what: '更换脱落的外墙保温层，统一粉刷立面，消除高空坠物隐患' },
  { name: '屋面防水修缮', category: 'renovation', wan: [30, 150], dept: HOUSING, steps: SMALL, what: '翻修渗漏的屋面防水层，解决顶楼住户雨天漏水问题' },
  { name: '楼道粉刷及扶手更新', category: 'renovation', wan: [8, 40], dept: HOUSING, steps: SMALL, what: '粉刷楼道墙面，更换锈蚀扶手，清理楼道线缆' },
  { name: '小区道路黑色化改造', category: 'renovation', wan: [60, 300], dept: CITY, steps: BUILD, what: '将破损的水泥路面改造为沥青路面，同步修整路缘石和排水口' },
  { name: '电动自行车充电桩建设', category: 'charging', wan: [8, 40], dept: SAFETY, steps: PILE, what: '新建智能充电桩，具备定时断电和过载保护，引导居民不再飞线充电、车辆不进楼道' },
  { name: '新能源汽车充电桩建设', category: 'charging', wan: [30, 150], dept: '盐南供电服务中心', steps: PILE, what: '在公共停车区域建设交流慢充桩，满足居民夜间充电需求' },
  { name: '电动自行车集中充电棚建设', category: 'charging', wan: [15, 60], dept: SAFETY, steps: PILE, what: '建设带喷淋和监控的集中停放充电棚' },
  { name: '雨污分流改造', category: 'sewage', wan: [150, 800], dept: WATER, steps: PIPE, what: '对雨污混接管网进行分流改造，新建污水管道和检查井，解决雨天污水外溢' },
  { name: '污水管网修复', category: 'sewage', wan: [40, 200], dept: WATER, steps: PIPE, what: '对破损、堵塞的污水管道进行非开挖修复和疏通' },
  { name: '排水防涝设施提升', category: 'sewage', wan: [50, 250], dept: WATER, steps: PIPE, what: '增设雨水口、扩容排水管，消除低洼积水点' },
  { name: '化粪池清掏及改造', category: 'sewage', wan: [10, 50], dept: CITY, steps: SMALL, what: '清掏并加固老化的化粪池，更换井盖' },
  { name: '路灯亮化工程', category: 'lighting', wan: [10, 60], dept: CITY, steps: LIGHT, what: '新增和更换节能路灯，消除夜间照明盲区' },
  { name: '楼道声控灯更换', category: 'lighting', wan: [3, 12], dept: HOUSING, steps: LIGHT, what: '将损坏的楼道灯更换为人体感应 LED 灯' },
  { name: '地下车库照明改造', category: 'lighting', wan: [8, 30], dept: HOUSING, steps: LIGHT, what: '地下车库照明改为雷达感应 LED，兼顾亮度与节能' },
  { name: '无障碍坡道改造', category: 'accessibility', wan: [5, 30], dept: '区残疾人联合会', steps: SMALL, what: '在单元入口和主要通道加建无障碍坡道，方便轮椅和婴儿车通行' },
  { name: '无障碍通道及扶手建设', category: 'accessibility', wan: [8, 40], dept: '区残疾人联合会', steps: SMALL, what: '打通小区无障碍通道，在台阶处加装扶手' },
  { name: '盲道修复', category: 'accessibility', wan: [5, 25], dept: CITY, steps: SMALL, what: '修复被占用和破损的盲道，消除断点' },
  { name: '停车位增设及划线', category: 'parking', wan: [10, 80], dept: CITY, steps: SMALL, what: '利用边角空地增设停车位，重新施划标线' },
  { name: '非机动车停车棚建设', category: 'parking', wan: [10, 50], dept: CITY, steps: SMALL, what: '新建非机动车停车棚，规范停放秩序' },
  { name: '智慧道闸改造', category: 'parking', wan: [8, 30], dept: '区公安分局', steps: LIGHT, what: '出入口改造为车牌识别道闸，访客扫码登记' },
  { name: '口袋公园建设', category: 'greening', wan: [30, 200], dept: CITY, steps: BUILD, what: '将闲置地块改造为口袋公园，补植乔灌木，设置休憩座椅' },
  { name: '健身步道建设', category: 'greening', wan: [20, 120], dept: SOCIAL, steps: BUILD, what: '沿绿地铺设塑胶健身步道，配套健身器材' },
  { name: '儿童游乐设施更新', category: 'greening', wan: [10, 50], dept: SOCIAL, steps: SMALL, what: '更换老化的儿童游乐设施，铺设安全地垫' },
  { name: '适老化改造', category: 'elderly', wan: [20, 100], dept: CIVIL, steps: SMALL, what: '为老年住户加装扶手、防滑地面和紧急呼叫装置' },
  { name: '老年助餐点建设', category: 'elderly', wan: [15, 60], dept: CIVIL, steps: SERVICE, what: '建设老年助餐点，为辖区老人提供平价午餐和送餐上门' },
  { name: '居家养老服务站建设', category: 'elderly', wan: [30, 120], dept: CIVIL, steps: SERVICE, what: '建设居家养老服务站，提供日间照料、助浴和康复服务' },
  { name: '消防设施更新', category: 'safety', wan: [15, 80], dept: SAFETY, steps: SMALL, what: '更换过期灭火器和损坏的消防栓，疏通消防通道' },
  { name: '高空抛物监控安装', category: 'safety', wan: [8, 40], dept: '区公安分局', steps: LIGHT, what: '在住宅楼外安装仰视监控，震慑高空抛物' },
  { name: '燃气管道更新', category: 'safety', wan: [60, 300], dept: HOUSING, steps: PIPE, what: '更换使用年限到期的燃气立管和入户管，消除泄漏隐患' },
  { name: '垃圾分类投放点改造', category: 'other', wan: [8, 40], dept: CITY, steps: SMALL, what: '改造垃圾分类投放亭，配套洗手池和除臭设备' },
  { name: '快递柜及便民服务点建设', category: 'other', wan: [5, 20], dept: '区商务局', steps: SMALL, what: '设置智能快递柜和便民服务点，方便居民收寄快递' },
];
const PROPERTY_COMPANIES = ['盐城恒信物业服务有限公司', '江苏悦达物业服务有限公司', '盐城城投物业管理有限公司', '江苏新城悦物业服务有限公司', '盐城华邦物业服务有限公司'];
const NOTES = ['工程进度款', '设计费', '材料采购款', '监理费', '竣工结算款'];
const COMMENTS: Record<number, string[]> = {
  5: ['效果很好，感谢社区！', '终于不用在楼道里充电了，安全多了', '施工队很负责，每天都打扫现场', '晚上出门亮堂多了，点赞', '老人出行方便多了'],
  4: ['整体满意，施工期间噪音有点大', '完工后效果不错，希望后续加强维护', '挺好的，就是工期比说的长了一些'],
  3: ['一般，部分地方还有积水', '希望再增加几个点位'],
  2: ['施工期间出行很不方便，沟通不够'],
  1: ['问题还没有彻底解决'],
};
const SCORES: [number, number][] = [[5, 45], [4, 35], [3, 12], [2, 5], [1, 3]];

function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Place { title: string; region: DemoRegion; compounds: DemoRegion[] }
const DAY = 86400_000;

export async function seedPractical(tx: Executor, demo: DemoContext, now = new Date()) {
  const next = prng(20261215);
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)];
  const weighted = <T>(list: readonly (readonly [T, number])[]) => {
    let x = next() * list.reduce((s, [, w]) => s + w, 0);
    for (const [v, w] of list) if ((x -= w) < 0) return v;
    return list[list.length - 1][0];
  };
  const shuffle = <T>(list: T[]) => { for (let i = list.length - 1; i > 0; i--) { const j = Math.floor(next() * (i + 1)); [list[i], list[j]] = [list[j], list[i]]; } return list; };
  const t0 = now.getTime();

  // Where: a compound (橡树湾小区…), a community or its area (鹿鸣社区… / 聚龙湖片区…), a street (黄海街道…).
  const compounds = Object.values(demo.compounds);
  const under = (r: DemoRegion) => compounds.filter((c) => c.path.startsWith(r.path));
  const propertyOf = new Map(compounds.map((c, i) => [c.id, c === demo.compounds.XSW ? '盐城橡树湾物业服务有限公司' : PROPERTY_COMPANIES[i % PROPERTY_COMPANIES.length]]));
  const pool = (places: Place[], n: number) => shuffle(places.flatMap((p) => PROJECTS.map((project) => ({ place: p, project })))).slice(0, n);
  const chosen = [
    ...pool(compounds.map((c) => ({ title: `${c.name}小区`, region: demo.communities.find((m) => c.path.startsWith(m.path))!, compounds: [c] })), 200),
    ...pool(demo.communities.filter((m) => under(m).length).map((m, i) => ({ title: i % 2 ? `${m.name.replace(/社区$/, '')}片区` : m.name, region: m, compounds: under(m) })), 100),
    ...pool(demo.streets.map((s) => ({ title: s.name, region: s, compounds: under(s) })), 30),
  ];

  const households = (await tx.selectFrom('households').select(['id', 'region_path'])
    .where(sql<boolean>`${sql.join(compounds.map((c) => sql`region_path like ${`${c.path}%`}`), sql` or `)}`).orderBy('id').execute());
  // The demo accounts' households answer nothing, so that the demo can show the survey to them.
  const demoHomes = (await tx.selectFrom('persons').select('household_id').where('id', 'in', [demo.persons.resident, demo.persons.member]).execute()).map((p) => p.household_id);
  const homesOf = (cs: DemoRegion[]) => households.filter((h) => !demoHomes.includes(h.id) && cs.some((c) => h.region_path.startsWith(c.path))).map((h) => h.id);
  const units = await tx.selectFrom('alliance_units').select(['id', 'name']).where('status', '=', 'verified').where('kind', '!=', 'community').orderBy('id').limit(40).execute();
  const streetOf = (r: DemoRegion) => demo.streets.find((s) => r.path.startsWith(s.path))?.id ?? null;
  const day = (ms: number) => shanghaiDate(new Date(ms));

  type Row<T extends keyof Database> = Insertable<Database[T]>;
  const matters: Row<'practical_matters'>[] = [];
  const plans: { title: string; place: Place; steps: Steps; doneTimes: (number | null)[]; dueTimes: number[]; units: { kind: UnitKind; role: UnitRole; name: string; alliance_unit_id: number | null }[];
    spending: { amount: number; at: number }[]; survey: { from: number; to: number; n: number } | null }[] = [];
  for (const { place, project } of chosen) {
    const status = weighted<MatterStatus>([['closed', 30], ['accepted', 22], ['in_progress', 30], ['planned', 18]]);
    const title = `${place.title}${project.name}`;
    let start: number, due: number, accepted: number | null = null, closed: number | null = null;
    if (status === 'closed' || status === 'accepted') {
      accepted = status === 'closed' ? t0 - int(30, 760) * DAY : t0 - int(3, 120) * DAY;
      closed = status === 'closed' ? Math.min(accepted + int(20, 60) * DAY, t0 - DAY) : null;
      start = accepted - int(90, 300) * DAY;
      due = start + int(100, 330) * DAY;
    } else if (status === 'in_progress') {
      start = t0 - int(20, 300) * DAY;
      due = next() < 0.25 ? t0 - int(5, 90) * DAY : Math.max(start + int(120, 360) * DAY, t0 + 10 * DAY);
      if (due <= start) start = due - int(120, 240) * DAY;
    } else {
      const stalled = next() < 0.1;
      start = stalled ? t0 - int(100, 200) * DAY : t0 + int(-20, 120) * DAY;
      due = stalled ? t0 - int(5, 60) * DAY : start + int(120, 300) * DAY;
    }
    // Milestones due in step with their weights; finished ones done near their due date, ongoing ones done while due (one in five lagging behind).
    const total = project.steps.reduce((s, [, w]) => s + w, 0);
    let acc = 0;
    const end = accepted != null ? Math.min(due, accepted - 2 * DAY) : due;
    const dueTimes = project.steps.map(([, w]) => { acc += w; return start + Math.round(((end - start) * acc) / total); });
    const lag = next() < 0.2;
    const doneTimes = dueTimes.map((d, i) => {
      if (status === 'closed' || status === 'accepted') return Math.max(start, Math.min(d + int(-8, 4) * DAY, accepted! - DAY));
      if (status !== 'in_progress') return null;
      const doneCount = dueTimes.filter((x) => x < t0).length - (lag ? 1 : 0);
      return i < Math.max(1, doneCount) ? Math.max(start, Math.min(d + int(-6, 5) * DAY, t0 - 3600_000)) : null;
    });
    const progress = doneTimes.reduce((s: number, d, i) => s + (d != null ? project.steps[i][1] : 0), 0) / total;
    const budget = Math.round(int(project.wan[0], project.wan[1]) * (1 + 0.4 * (place.compounds.length - 1))) * 1_000_000;
    const share = status === 'closed' ? 0.86 + next() * 0.14 : status === 'accepted' ? 0.7 + next() * 0.27 : status === 'in_progress' ? progress * (0.6 + next() * 0.4) : 0;
    const spent = Math.round((budget * share) / 100) * 100;
    const parts = status === 'closed' ? 3 : status === 'accepted' ? 2 : spent ? 1 : 0;
    const spendingEnd = Math.min(closed ?? accepted ?? t0, t0);
    const spending = Array.from({ length: parts }, (_, i) => ({
      amount: i === parts - 1 ? spent - Math.round(spent / parts / 100) * 100 * (parts - 1) : Math.round(spent / parts / 100) * 100,
      at: start + Math.round(((spendingEnd - start) * (i + 1)) / (parts + 0.5)),
    })).filter((s) => s.amount > 0);
    const lead = { kind: 'department' as const, role: 'lead' as const, name: project.dept, alliance_unit_id: null };
    const local = place.region.path.split('/').length > 4
      ? { kind: 'street_community' as const, role: 'partner' as const, name: `${place.region.name}居民委员会`, alliance_unit_id: null }
      : { kind: 'street_community' as const, role: 'partner' as const, name: `${place.region.name}办事处`, alliance_unit_id: null };
    const property = place.compounds.length <= 2
      ? [...new Set(place.compounds.map((c) => propertyOf.get(c.id)!))].map((name) => ({ kind: 'property_company' as const, role: 'partner' as const, name, alliance_unit_id: null }))
      : [];
    const ally = units.length && next() < 0.35 ? [pick(units)].map((u) => ({ kind: 'alliance_unit' as const, role: 'partner' as const, name: u.name, alliance_unit_id: u.id })) : [];
    const surveyed = accepted != null && next() < (status === 'closed' ? 0.9 : 0.6);
    const eligible = surveyed ? homesOf(place.compounds).length : 0;
    plans.push({
      title, place, steps: project.steps, doneTimes, dueTimes, units: [lead, local, ...property, ...ally], spending,
      survey: surveyed && eligible ? { from: accepted! + DAY, to: Math.min(closed ?? t0, t0), n: Math.min(eligible, place.compounds.some((c) => c === demo.compounds.XSW) ? int(40, 140) : int(8, 45)) } : null,
    });
    const last = Math.max(start, ...doneTimes.map((d) => d ?? 0), ...spending.map((s) => s.at), accepted ?? 0, closed ?? 0);
    const homes = homesOf(place.compounds).length;
    matters.push({
      title, category: project.category, year: Number(day(start).slice(0, 4)),
      summary: `${project.what}。惠及${place.compounds.map((c) => c.name).join('、')}约 ${homes} 户居民。`,
      region_id: place.region.id, region_path: place.region.path, street_id: streetOf(place.region), status,
      budget_fen: budget, spent_fen: spending.reduce((s, x) => s + x.amount, 0), starts_on: day(start), due_on: day(due),
      started_at: status === 'planned' ? null : new Date(start), accepted_at: accepted != null ? new Date(accepted) : null, closed_at: closed != null ? new Date(closed) : null,
      created_at: new Date(Math.min(start, t0) - int(10, 60) * DAY), updated_at: new Date(Math.min(last, t0)),
    });
  }

  const ids = new Map<string, number>();
  for (let i = 0; i < matters.length; i += 200) {
    for (const r of await tx.insertInto('practical_matters').values(matters.slice(i, i + 200)).returning(['id', 'title']).execute()) ids.set(r.title, r.id);
  }
  const links: Row<'practical_matter_compounds'>[] = [], unitRows: Row<'practical_matter_units'>[] = [], milestones: Row<'practical_milestones'>[] = [];
  const spend: Row<'practical_spending'>[] = [], answers: Row<'practical_surveys'>[] = [];
  for (const p of plans) {
    const id = ids.get(p.title)!;
    for (const c of p.place.compounds) links.push({ matter_id: id, compound_id: c.id, compound_path: c.path });
    p.units.forEach((u, sort) => unitRows.push({ matter_id: id, sort, ...u }));
    p.steps.forEach(([title, weight], sort) => milestones.push({
      matter_id: id, title, weight, sort, due_on: day(p.dueTimes[sort]), done_at: p.doneTimes[sort] != null ? new Date(p.doneTimes[sort]!) : null,
      note: p.doneTimes[sort] != null && sort === p.steps.length - 1 ? '已按计划完成并通过验收' : null,
    }));
    for (const s of p.spending) spend.push({ matter_id: id, amount_fen: s.amount, spent_on: day(s.at), note: pick(NOTES), recorded_at: new Date(s.at) });
    if (p.survey) {
      const homes = shuffle(homesOf(p.place.compounds)).slice(0, p.survey.n);
      for (const household_id of homes) {
        const score = weighted(SCORES);
        answers.push({
          matter_id: id, household_id, score, comment: next() < 0.3 ? pick(COMMENTS[score]) : null,
          answered_at: new Date(p.survey.from + Math.floor(next() * Math.max(DAY, p.survey.to - p.survey.from))),
        });
      }
    }
  }
  // At most 2,000 rows a statement: well under PostgreSQL's 65,535 parameters.
  const insert = async <T extends keyof Database>(table: T, rows: Row<T>[]) => {
    for (let i = 0; i < rows.length; i += 2000) await tx.insertInto(table).values(rows.slice(i, i + 2000) as never).execute();
  };
  await insert('practical_matter_compounds', links);
  await insert('practical_matter_units', unitRows);
  await insert('practical_milestones', milestones);
  await insert('practical_spending', spend);
  await insert('practical_surveys', answers);
  return { practicalMatters: matters.length, practicalSurveys: answers.length };
}
