import { sql } from 'kysely';
import type { Executor } from '../../core/db.js';
import type { DemoContext } from '../../core/module.js';
import { rowHash } from './ingest.js';
import { macOf, operatorPhone, plantArrivalsStory } from './seed-story.js';
import type { DatasetField } from './tables.js';

/**
 * The hub's part of the demo district: 30+ departments of city, district and streets, 60+ of their
 * systems, about 70 datasets with fields, share types and PIPL declarations, department users, and
 * sample rows (synthetic, drawn from the seeded people) in a few datasets. The exchange log starts
 * empty: its records are signed with the key of the instance that writes them.
 */
type F = [name: string, label: string, type: DatasetField['type'], personal?: DatasetField['personal'], key?: true];
const f = (...list: F[]): DatasetField[] => list.map(([name, label, type, personal = 'none', key]) => ({ name, label, type, personal, ...(key ? { key } : {}) }));

const PERSON = f(['idNumber', '身份证号', 'text', 'personal', true], ['name', '姓名', 'text', 'personal'], ['sex', '性别', 'text'], ['birthDate', '出生日期', 'date', 'personal'], ['phone', '手机号', 'text', 'personal'], ['address', '住址', 'text', 'personal']);
const ORG = f(['creditCode', '统一社会信用代码', 'text', 'none', true], ['name', '名称', 'text'], ['legalPerson', '法定代表人', 'text', 'personal'], ['address', '地址', 'text'], ['registeredOn', '成立日期', 'date']);
const EVENT = f(['caseNo', '编号', 'text', 'none', true], ['category', '类别', 'text'], ['occurredAt', '发生时间', 'timestamp'], ['street', '街道', 'text'], ['status', '状态', 'text']);
const PROBE = f(['probeId', '探针编号', 'text', 'none', true], ['macHash', '设备 MAC 哈希', 'text', 'sensitive', true], ['seenAt', '发现时间', 'timestamp', 'sensitive', true], ['rssi', '信号强度', 'int']);
// The health commission's list of arrivals, in the person contract's field names (so match jobs read it as it is), keyed by its own entry number.
const ARRIVALS = f(['entryNo', '登记编号', 'text', 'none', true], ['name', '姓名', 'text', 'personal'], ['sex', '性别', 'text'], ['birth_date', '出生日期', 'date', 'personal'], ['id_no', '身份证号', 'text', 'personal'],
  ['phone', '手机号', 'text', 'personal'], ['fromArea', '来自地区', 'text', 'sensitive'], ['arrivedOn', '抵达日期', 'date', 'sensitive']);
const HEALTH = f(['idNumber', '身份证号', 'text', 'personal', true], ['name', '姓名', 'text', 'personal'], ['category', '类别', 'text', 'sensitive'], ['recordedOn', '登记日期', 'date'], ['doctor', '签约医生', 'text']);

type DS = { name: string; fields: DatasetField[]; share: 'open' | 'conditional' | 'none'; cycle: string; basis?: string; purpose?: string; retention?: number; timeField?: string; description?: string };
const ds = (name: string, fields: DatasetField[], share: DS['share'], cycle: string, more: Partial<DS> = {}): DS => {
  const personal = fields.some((x) => x.personal !== 'none');
  const sensitive = fields.some((x) => x.personal === 'sensitive');
  return { name, fields, share, cycle, ...(personal ? { basis: 'legal_duty', purpose: '依法履行基层治理与公共服务职责' } : {}), ...(sensitive ? { retention: 180 } : {}), ...more };
};

// [code, name, level, systems: [code, name, datasets][]]
const DEPARTMENTS: [string, string, string, [string, string, DS[]][]][] = [
  ['sjj', '市大数据管理局', 'city', [['hub', '红色大脑数据共享交换平台', []], ['yzt', '一网统管平台', [ds('城市运行事件', EVENT, 'open', 'realtime')]]]],
  ['gaj', '市公安局', 'city', [['rk', '人口信息管理系统', [ds('常住人口基础信息', PERSON, 'conditional', 'daily'), ds('流动人口登记', PERSON, 'conditional', 'daily')]], ['tz', '感知设备汇聚平台', [ds('无线探针发现记录', PROBE, 'conditional', 'realtime', { basis: 'public_health', purpose: '突发公共卫生事件应对中的行程核查', retention: 14, timeField: 'seenAt' })]]]],
  ['wjw', '市卫生健康委员会', 'city', [['jk', '全民健康信息平台', [ds('家庭医生签约名单', HEALTH, 'conditional', 'monthly'), ds('慢性病管理名单', HEALTH, 'conditional', 'monthly')]], ['fy', '传染病防控系统', [ds('中高风险地区来返人员', ARRIVALS, 'conditional', 'daily', { basis: 'public_health', purpose: '突发公共卫生事件应对', retention: 28, timeField: 'arrivedOn' })]]]],
  ['mzj', '市民政局', 'city', [['yl', '养老服务信息系统', [ds('高龄独居老人名单', f(['idNumber', '身份证号', 'text', 'personal', true], ['name', '姓名', 'text', 'personal'], ['birthDate', '出生日期', 'date', 'personal'], ['community', '社区', 'text'], ['livingAlone', '独居', 'text']), 'conditional', 'monthly'), ds('养老机构名录', ORG, 'open', 'quarterly')]], ['jz', '社会救助系统', [ds('低保对象名单', PERSON, 'conditional', 'monthly'), ds('特困供养人员', PERSON, 'none', 'monthly')]]]],
  ['rsj', '市人力资源和社会保障局', 'city', [['sb', '社会保险系统', [ds('参保登记信息', PERSON, 'conditional', 'monthly')]], ['jy', '就业服务系统', [ds('失业登记人员', PERSON, 'conditional', 'monthly'), ds('招聘岗位信息', f(['postNo', '岗位编号', 'text', 'none', true], ['title', '岗位', 'text'], ['employer', '单位', 'text'], ['salary', '月薪', 'number']), 'open', 'daily')]]]],
  ['zjj', '市住房和城乡建设局', 'city', [['wy', '物业管理监管平台', [ds('物业服务企业名录', ORG, 'open', 'monthly'), ds('住宅小区名录', f(['compoundCode', '小区编码', 'text', 'none', true], ['name', '小区名称', 'text'], ['households', '户数', 'int'], ['builtYear', '建成年份', 'int']), 'open', 'yearly')]], ['dt', '既有住宅加装电梯审批系统', [ds('加装电梯审批', f(['permitNo', '批准文号', 'text', 'none', true], ['compound', '小区', 'text'], ['building', '楼栋', 'text'], ['approvedOn', '批准日期', 'date']), 'open', 'weekly')]]]],
  ['cgj', '市城市管理局', 'city', [['sz', '数字城管系统', [ds('城管案件', EVENT, 'open', 'realtime')]], ['hw', '环卫作业监管系统', [ds('垃圾分类投放点', f(['pointNo', '点位编号', 'text', 'none', true], ['name', '名称', 'text'], ['street', '街道', 'text']), 'open', 'monthly')]]]],
  ['scjg', '市市场监督管理局', 'city', [['dj', '市场主体登记系统', [ds('市场主体登记信息', ORG, 'open', 'daily')]], ['sp', '食品安全监管系统', [ds('食品经营许可', f(['licenseNo', '许可证号', 'text', 'none', true], ['name', '经营者', 'text'], ['expiresOn', '有效期至', 'date']), 'open', 'weekly')]]]],
  ['jyj', '市教育局', 'city', [['xj', '学籍管理系统', [ds('在校学生学籍', PERSON, 'none', 'yearly')]], ['zs', '招生入学系统', [ds('学区划分', f(['schoolCode', '学校代码', 'text', 'none', true], ['school', '学校', 'text'], ['compounds', '对口小区', 'text']), 'open', 'yearly')]]]],
  ['ybj', '市医疗保障局', 'city', [['yb', '医保信息平台', [ds('医保参保信息', PERSON, 'conditional', 'monthly')]], ['jz', '医疗救助系统', []]]],
  ['zrzy', '市自然资源和规划局', 'city', [['bdc', '不动产登记系统', [ds('房屋产权登记', f(['certNo', '不动产权证号', 'text', 'none', true], ['owner', '权利人', 'text', 'personal'], ['address', '坐落', 'text'], ['area', '建筑面积', 'number']), 'conditional', 'daily')]], ['gh', '规划审批系统', []]]],
  ['sthj', '市生态环境局', 'city', [['jc', '环境监测系统', [ds('空气质量监测', f(['stationTime', '站点时次', 'text', 'none', true], ['station', '站点', 'text'], ['aqi', 'AQI', 'int'], ['measuredAt', '监测时间', 'timestamp']), 'open', 'hourly')]], ['xf', '环境信访系统', []]]],
  ['jtj', '市交通运输局', 'city', [['gj', '公交运营系统', [ds('公交站点', f(['stopNo', '站点编号', 'text', 'none', true], ['name', '站名', 'text'], ['lines', '线路', 'text']), 'open', 'monthly')]], ['cz', '出租车监管系统', []]]],
  ['yjj', '市应急管理局', 'city', [['yj', '应急指挥系统', [ds('应急避难场所', f(['siteNo', '场所编号', 'text', 'none', true], ['name', '名称', 'text'], ['capacity', '容纳人数', 'int']), 'open', 'yearly')]], ['aq', '安全生产监管系统', []]]],
  ['tyjr', '市退役军人事务局', 'city', [['xx', '退役军人信息系统', [ds('退役军人名单', PERSON, 'conditional', 'quarterly')]], ['fw', '服务保障系统', []]]],
  ['cl', '市残疾人联合会', 'city', [['rk', '残疾人人口基础库', [ds('持证残疾人名单', HEALTH, 'conditional', 'quarterly')]], ['fw', '康复服务系统', []]]],
  ['sw', '国家税务总局盐城市税务局', 'city', [['zs', '金税系统（市级接口）', [ds('纳税信用等级', f(['creditCode', '统一社会信用代码', 'text', 'none', true], ['name', '名称', 'text'], ['grade', '信用等级', 'text']), 'open', 'yearly')]], ['fp', '发票服务系统', []]]],
  ['gdj', '国网盐城供电公司', 'enterprise', [['yx', '用电信息采集系统', [ds('独居老人用电异常', f(['meterNo', '电表号', 'text', 'none', true], ['address', '地址', 'text', 'personal'], ['days', '连续低用电天数', 'int'], ['detectedOn', '发现日期', 'date']), 'conditional', 'daily')]], ['kf', '供电服务系统', []]]],
  ['zls', '盐城市自来水公司', 'enterprise', [['ys', '营业收费系统', [ds('用水异常户', f(['accountNo', '户号', 'text', 'none', true], ['address', '地址', 'text', 'personal'], ['detectedOn', '发现日期', 'date']), 'conditional', 'daily')]], ['gw', '管网监测系统', []]]],
  ['rq', '盐城港华燃气公司', 'enterprise', [['aj', '入户安检系统', [ds('燃气安检隐患', f(['checkNo', '安检单号', 'text', 'none', true], ['address', '地址', 'text', 'personal'], ['hazard', '隐患', 'text'], ['checkedOn', '安检日期', 'date']), 'open', 'weekly')]], ['kf', '客户服务系统', []]]],
  ['yd', '中国移动盐城分公司', 'enterprise', [['xl', '信令大数据平台', [ds('区域人口热力', f(['gridHour', '网格时段', 'text', 'none', true], ['grid', '网格', 'text'], ['people', '人数', 'int'], ['hour', '时段', 'timestamp']), 'conditional', 'hourly'), ds('手机终端 MAC 与号码对应', f(['macHash', '设备 MAC 哈希', 'text', 'sensitive', true], ['phone', '手机号', 'text', 'personal']), 'conditional', 'daily', { basis: 'public_health', purpose: '突发公共卫生事件应对中的行程核查', retention: 14 })]], ['kf', '客服系统', []]]],
  ['dx', '中国电信盐城分公司', 'enterprise', [['xl', '大数据能力平台', [ds('行程核查结果', f(['phone', '手机号', 'text', 'personal', true], ['area', '途经地区', 'text', 'sensitive'], ['checkedAt', '核查时间', 'timestamp', 'sensitive']), 'conditional', 'daily', { basis: 'public_health', purpose: '突发公共卫生事件应对中的行程核查', retention: 14, timeField: 'checkedAt' })]], ['kf', '客服系统', []]]],
  ['lt', '中国联通盐城分公司', 'enterprise', [['xl', '智慧足迹平台', []], ['kf', '客服系统', []]]],
  ['dqgz', '盐南高新区党群工作部', 'district', [['dj', '智慧党建系统', [ds('党员名册', f(['memberNo', '党员编号', 'text', 'none', true], ['name', '姓名', 'text', 'personal'], ['branch', '所在支部', 'text'], ['joinedOn', '入党日期', 'date', 'personal']), 'none', 'monthly')]], ['zy', '志愿服务系统', [ds('志愿服务时长', f(['volunteerNo', '志愿者编号', 'text', 'none', true], ['name', '姓名', 'text', 'personal'], ['hours', '服务时长', 'number']), 'open', 'monthly')]]]],
  ['shsy', '盐南高新区社会事业局', 'district', [['yl', '居家养老服务系统', [ds('助餐点名录', f(['siteNo', '助餐点编号', 'text', 'none', true], ['name', '名称', 'text'], ['community', '社区', 'text']), 'open', 'monthly')]], ['jy', '教育管理系统', []]]],
  ['jjfz', '盐南高新区经济发展局', 'district', [['qy', '企业服务平台', [ds('重点企业名录', ORG, 'open', 'quarterly')]], ['tj', '统计分析系统', []]]],
  ['zhzf', '盐南高新区综合行政执法局', 'district', [['zf', '综合执法办案系统', [ds('行政处罚决定', EVENT, 'open', 'daily')]], ['xf', '信访系统', []]]],
  ['jkzx', '盐南高新区疾病预防控制中心', 'district', [['jz', '预防接种系统', [ds('疫苗接种记录', HEALTH, 'conditional', 'daily')]], ['jc', '监测报告系统', []]]],
  ['wgzx', '盐南高新区网格化服务管理中心', 'district', [['wg', '网格化管理系统', [ds('网格事件', EVENT, 'open', 'realtime')]], ['hc', '核查任务系统', []]]],
];

export async function seedBrain(tx: Executor, demo: DemoContext) {
  const depIds: Record<string, number> = {};
  const datasetIds: Record<string, number> = {};
  let systems = 0;
  const streets = demo.streets.map((s, i) => [`jd${i + 1}`, `${s.name}办事处`, 'street', [['sq', `${s.name}社区治理平台`, [ds(`${s.name}网格事件`, EVENT, 'open', 'realtime')]], ['bm', `${s.name}便民服务系统`, []]]] as (typeof DEPARTMENTS)[number]);
  for (const [code, name, level, syss] of [...DEPARTMENTS, ...streets]) {
    const d = await tx.insertInto('brain_departments').values({ code, name, level }).returning('id').executeTakeFirstOrThrow();
    depIds[code] = d.id;
    for (const [scode, sname, sets] of syss) {
      const s = await tx.insertInto('brain_systems').values({ department_id: d.id, code: scode, name: sname, description: null }).returning('id').executeTakeFirstOrThrow();
      systems++;
      for (const x of sets) {
        const row = await tx.insertInto('brain_datasets').values({
          system_id: s.id, name: x.name, description: x.description ?? null, fields: JSON.stringify(x.fields), key_fields: x.fields.filter((y) => y.key).map((y) => y.name),
          share_type: x.share, update_cycle: x.cycle, legal_basis: x.basis ?? null, purpose: x.purpose ?? null, retention_days: x.retention ?? null, time_field: x.timeField ?? null,
        }).returning('id').executeTakeFirstOrThrow();
        datasetIds[x.name] = row.id;
      }
    }
  }
  const allDeps = Object.values(depIds);
  // Consumers: open data to every department; conditional data to the street offices, the grid centre, health and civil affairs.
  const usual = [...streets.map(([c]) => depIds[c]), depIds.wgzx, depIds.wjw, depIds.mzj, depIds.jkzx, depIds.sjj];
  const sets = await tx.selectFrom('brain_datasets').innerJoin('brain_systems', 'brain_systems.id', 'brain_datasets.system_id').select(['brain_datasets.id', 'share_type', 'brain_systems.department_id']).execute();
  for (const x of sets) {
    if (x.share_type === 'none') continue;
    const who = (x.share_type === 'open' ? allDeps : usual).filter((id) => id !== x.department_id);
    await tx.insertInto('brain_dataset_consumers').values([...new Set(who)].map((department_id) => ({ dataset_id: x.id, department_id }))).execute();
  }

  // The department users of the base seed, each linked to the department it works for.
  for (const [username, dep] of [['dept.minzheng', 'mzj'], ['dept.weijian', 'wjw'], ['dept.gongan', 'gaj'], ['dept.huanghai', 'jd1']] as const) {
    await tx.insertInto('brain_department_accounts').values({ account_id: await demo.accountId(username), department_id: depIds[dep] }).execute();
  }

  // Sample rows: the civil-affairs list of elders (synthetic people of the demo), and a week of probe sightings.
  const elders = await tx.selectFrom('persons as p').innerJoin('regions as c', (j) => j.on(sql<boolean>`p.region_path like c.path || '%'`).on('c.level', '=', 'community'))
    .select(['p.id_number', 'p.name', 'p.birth_date', 'c.name as community']).where('p.birth_date', '<', '1946-01-01').where('p.id_number', 'is not', null).orderBy('p.id').limit(300).execute();
  const rows = elders.map((e) => ({ idNumber: e.id_number!, name: e.name, birthDate: String(e.birth_date).slice(0, 10), community: e.community, livingAlone: demo.rng.next() < 0.4 ? '是' : '否' }));
  const now = Date.now();
  const probes = Array.from({ length: 500 }, () => {
    const seen = new Date(now - demo.rng.int(0, 6 * 86400) * 1000);
    seen.setMilliseconds(0);
    return { probeId: `TZ-HH-${String(demo.rng.int(1, 24)).padStart(3, '0')}`, macHash: macOf(`demo-mac-${demo.rng.int(1, 180)}`), seenAt: seen.toISOString(), rssi: -demo.rng.int(40, 92) };
  });
  // The operator's MAC → phone table starts with 60 residents whose devices those sightings saw:
  // residents on no list. Chosen by order, not by rng, so the rest of the demo draws the same numbers.
  const phoned = await tx.selectFrom('persons').select(['id', 'phone']).where('phone', 'is not', null).where('id_number', 'is not', null).orderBy('id').limit(60).execute();
  const devices = phoned.map((p, i) => ({ macHash: macOf(`demo-mac-${3 * (i + 1)}`), phone: operatorPhone(p.phone!) }));
  const story = await plantArrivalsStory(tx, now, phoned.map((p) => p.id));

  const put = async (name: string, list: Record<string, unknown>[], keyOf: (r: Record<string, unknown>) => string, observed?: (r: Record<string, unknown>) => string) => {
    const id = datasetIds[name];
    const unique = [...new Map(list.map((r) => [keyOf(r), r])).entries()];
    for (let i = 0; i < unique.length; i += 1000) {
      await tx.insertInto('brain_rows').values(unique.slice(i, i + 1000).map(([key, data]) => ({
        dataset_id: id, key, data: JSON.stringify(data), row_hash: rowHash(data), observed_at: observed ? observed(data) : null,
      }))).execute();
    }
    await tx.insertInto('brain_runs').values({
      dataset_id: id, kind: 'file', status: 'succeeded', progress: 1, rows_in: list.length, inserted: unique.length, file_name: `${name}.xlsx`, stage: 'done',
      started_at: new Date(now - 3600_000), finished_at: new Date(now - 3590_000),
    }).execute();
    await tx.updateTable('brain_datasets').set({ row_count: unique.length, last_sync_at: new Date(now - 3590_000) }).where('id', '=', id).execute();
  };
  await put('高龄独居老人名单', rows, (r) => String(r.idNumber));
  await put('无线探针发现记录', [...probes, ...story.sightings], (r) => `${r.probeId}|${r.macHash}|${r.seenAt}`, (r) => String(r.seenAt));
  await put('手机终端 MAC 与号码对应', [...devices, ...story.devices], (r) => String(r.macHash));
  await put('中高风险地区来返人员', story.arrivals, (r) => String(r.entryNo), (r) => String(r.arrivedOn));

  // A conditional-share request of the street office, pending with civil affairs.
  await tx.insertInto('brain_approvals').values({
    dataset_id: datasetIds['高龄独居老人名单'], department_id: depIds.jd1, requested_by: await demo.accountId('dept.huanghai'), purpose: '开展高龄独居老人入户探访与关爱服务', legal_basis: 'legal_duty',
    fields: ['name', 'birthDate', 'community', 'livingAlone'], starts_at: new Date(now), expires_at: new Date(now + 180 * 86400_000),
  }).execute();
  return { brainDepartments: allDeps.length, brainSystems: systems, brainDatasets: Object.keys(datasetIds).length };
}
