import type { Executor } from '../../core/db.js';
import type { DemoContext } from '../../core/module.js';
import { rng } from '../../seed/random.js';

/**
 * The demo's notice boards: for every community a handful of notices of the last three weeks (one of
 * them expired, so the console shows every state), one for each of its compounds, one per street and
 * one for the whole district, pinned. Synthetic texts; dates relative to the seeding day, so the
 * H5 always has current notices. On its own PRNG, so it does not move other modules' draws.
 */
const DAY = 86_400_000;

const COMMUNITY_NOTICES: { title: string; body: string }[] = [
  { title: '关于开展冬季消防安全隐患排查的通知', body: '各位居民：\n进入冬季，用火用电增多。社区将于本周六、周日会同物业、网格员对楼道堆物、电动自行车违规充电、私拉电线等情况进行排查，请居民朋友配合入户检查，并及时清理楼道杂物。\n感谢大家的支持！' },
  { title: '流感高发季节健康提示', body: '近期流感进入高发期，请大家勤洗手、常通风，老人和儿童尽量少去人员密集场所。社区卫生服务站每周二、周四上午提供流感疫苗接种咨询，65 岁以上老人可凭身份证登记。' },
  { title: '老年人智能手机使用培训报名', body: '为帮助老年人跨越“数字鸿沟”，社区联合辖区志愿服务队开设智能手机使用培训，内容包括视频通话、扫码就医、网上缴费等，每期 6 次课。有意参加的居民请到党群服务中心一楼服务台报名，名额 30 人，报满为止。' },
  { title: '新时代文明实践站 12 月活动预告', body: '12 月文明实践站将开展以下活动：书法进社区（每周三下午）、亲子阅读会（每周六上午）、“暖冬行动”旧衣物捐赠（全月）。欢迎居民朋友踊跃参加，也欢迎有特长的居民报名担任志愿者。' },
  { title: '党群服务中心元旦期间开放时间调整', body: '元旦假期期间，社区党群服务中心开放时间调整为每日 9:00–16:00，值班人员负责办理紧急事项。假期结束后恢复正常开放时间。' },
];
const EXPIRED_NOTICE = { title: '11 月份居民议事会会议通知', body: '本月居民议事会将讨论小区停车秩序整治和公共区域绿化补种事项，请各楼栋长和居民代表准时参加。' };
const COMPOUND_NOTICES: { title: string; body: string }[] = [
  { title: '二次供水水箱清洗停水通知', body: '为保障饮用水安全，物业将对小区二次供水水箱进行清洗消毒，届时高区住户将短时停水约 4 小时，请提前做好储水准备。清洗完成后请先放水 1–2 分钟再使用。' },
  { title: '电动自行车集中充电棚启用公告', body: '小区新建的电动自行车集中充电棚已完成验收，即日起投入使用，支持扫码充电，按时计费。为了大家的安全，请勿将电动自行车推入楼道或入户充电。' },
];
const STREET_NOTICE = { title: '关于开展 2027 年度征兵宣传的通告', body: '2027 年度征兵工作即将开始，欢迎符合条件的适龄青年踊跃报名。报名可通过全国征兵网进行，街道武装部提供政策咨询，工作日均可到街道便民服务中心咨询。' };
const DISTRICT_NOTICE = { title: '2027 年度城乡居民医疗保险集中缴费提醒', body: '2027 年度城乡居民基本医疗保险集中缴费期已开始，至 12 月 31 日截止。居民可通过银行网点、手机银行或社区便民服务窗口缴费。困难群体参保费用按规定给予资助，详情请咨询所在社区。' };

export async function seedNotices(tx: Executor, demo: DemoContext) {
  const r = rng(20261201);
  const now = Date.now();
  const admin = await demo.accountId('admin');
  const street = await demo.accountId('street.huanghai');
  const byCommunity: Record<string, number> = { '鹿鸣社区': await demo.accountId('community.luming'), '聚龙湖社区': await demo.accountId('community.julonghu') };
  const regions = await tx.selectFrom('regions').select(['id', 'path', 'name', 'level', 'parent_id']).where('level', 'in', ['district', 'street', 'community', 'compound']).orderBy('id').execute();
  const district = regions.find((x) => x.level === 'district')!;
  const hh = regions.find((x) => x.level === 'street' && x.name === '黄海街道');
  const publisherOf = (path: string, name?: string): number => (name ? byCommunity[name] : undefined) ?? (hh && path.startsWith(hh.path) ? street : admin);
  const rows: { region_id: number; region_path: string; title: string; body: string; pinned: boolean; expires_at: Date | null; published_by: number; published_at: Date; updated_at: Date }[] = [];
  const add = (region: { id: number; path: string }, n: { title: string; body: string }, publisher: number, daysAgo: number, expiresInDays: number | null, pinned = false) => {
    const at = new Date(now - daysAgo * DAY - r.int(0, 8 * 60) * 60_000);
    rows.push({
      region_id: region.id, region_path: region.path, title: n.title, body: n.body, pinned, published_by: publisher, published_at: at, updated_at: at,
      expires_at: expiresInDays == null ? null : new Date(now + expiresInDays * DAY),
    });
  };
  add(district, DISTRICT_NOTICE, admin, 6, 30, true);
  for (const s of regions.filter((x) => x.level === 'street')) add(s, STREET_NOTICE, publisherOf(s.path), r.int(3, 12), 45);
  for (const c of regions.filter((x) => x.level === 'community')) {
    const who = publisherOf(c.path, c.name);
    // Four of the five community notices, at different ages; one pinned; one expired.
    const picks = [...COMMUNITY_NOTICES].sort(() => r.next() - 0.5).slice(0, 4);
    picks.forEach((n, i) => add(c, n, who, 1 + i * 4 + r.int(0, 3), i === 3 ? null : 10 + r.int(0, 40), i === 0 && r.next() < 0.5));
    add(c, EXPIRED_NOTICE, who, 25, -3);
    for (const comp of regions.filter((x) => x.level === 'compound' && x.parent_id === c.id)) add(comp, r.pick(COMPOUND_NOTICES), who, r.int(0, 9), r.int(5, 20));
  }
  for (let i = 0; i < rows.length; i += 500) await tx.insertInto('notices').values(rows.slice(i, i + 500)).execute();
  return { notices: rows.length };
}
