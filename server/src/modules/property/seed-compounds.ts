import { sql } from 'kysely';
import type { Executor } from '../../core/db.js';
import type { DemoContext, DemoRegion } from '../../core/module.js';
import { addMonths, CHECKLIST, monthOf } from './compound-assessment.js';
import type { PartyKind } from './compound-tables.js';
import { shanghaiDate, shanghaiDayStart } from './positions.js';

/**
 * The demo's four-party linkage and red-property assessment: for each demonstration compound (up to
 * 15 — the demo district has fewer compounds, and every one of them takes part) its residents'
 * committee, owners' committee, property company and grids with people in posts, some of them in
 * several (交叉任职); 橡树湾's posts use the demo accounts; joint meetings with follow-ups in every
 * state; and the last three whole months of residents' ratings and community checklists, so that
 * the ranking has live figures. Rows go in batches; its own PRNG leaves other modules' data as it was.
 */

export const DEMONSTRATION_COMPOUNDS = 15;

function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COMPANIES = ['盐南安居物业服务有限公司', '盐城新城物业管理有限公司', '瑞和物业服务有限公司', '鹤鸣物业服务有限公司'];
const COMMENTS = ['保洁阿姨很负责，楼道干净', '门岗登记比以前规范了', '报修上门快，师傅态度好', '垃圾清运不及时，夏天有异味', '停车还是有点乱，希望加强管理',
  '绿化修剪及时，小区环境不错', '电动车充电桩不够用', '物业费收支公示看得明白'];

interface PostSpec { key: string; title: string; since: string; account?: number | null }

export async function seedCompounds(tx: Executor, demo: DemoContext, now = new Date()) {
  const next = prng(20261213);
  const between = (lo: number, hi: number) => lo + next() * (hi - lo);
  const account = (u: string) => demo.accountId(u).catch(() => null);
  const acc = {
    admin: await account('admin'), luming: await account('community.luming'), julonghu: await account('community.julonghu'),
    grid: await account('grid.xiangshuwan'), property: await account('property.xiangshuwan'), owners: await account('owners.xiangshuwan'), member: await account('member.demo'),
  };
  const today = shanghaiDate(now);
  const thisMonth = monthOf(now);
  const months = [1, 2, 3].map((k) => addMonths(thisMonth, -k));
  const communityOf = (c: DemoRegion) => demo.communities.find((m) => c.path.startsWith(m.path))!;
  const compounds = Object.entries(demo.compounds).slice(0, DEMONSTRATION_COMPOUNDS);
  const counts = { compoundParties: 0, compoundPosts: 0, compoundMeetings: 0, compoundFollowUps: 0, compoundRatings: 0, compoundAssessments: 0 };
  const ratings: { compound_id: number; month: string; household_id: number; person_id: number; score: number; comment: string | null; created_at: Date }[] = [];
  const assessments: { compound_id: number; month: string; scores: string; total: number; note: string | null; assessed_by: number | null; assessed_at: Date }[] = [];

  for (const [index, [code, compound]] of compounds.entries()) {
    const community = communityOf(compound);
    const lm = community.name === '鹿鸣社区';
    const worker = lm ? acc.luming : community.name === '聚龙湖社区' ? acc.julonghu : null;
    const xsw = code === 'XSW', lmy = code === 'LMY';
    // Post holders: grown-ups of the compound, away from the first households that other tests take.
    const people = (await sql<{ id: number }>`select p.id from persons p where p.region_path like ${`${compound.path}%`}
      and p.birth_date between ${`${Number(today.slice(0, 4)) - 62}-01-01`} and ${`${Number(today.slice(0, 4)) - 28}-12-31`}
      and p.id not in (${demo.persons.resident}, ${demo.persons.member}) order by p.id offset ${xsw ? 240 : 40} limit 12`.execute(tx)).rows.map((r) => r.id);
    if (people.length < 9) continue;
    const person: Record<string, number> = { A: people[0], B: people[1], O: people[2], C: people[3], D: people[4], P: people[5], Q: people[6], R: people[7], G: people[8] };
    // member.demo (a party member living in 鹿鸣苑) sits on 鹿鸣社区's residents' committee and chairs 鹿鸣苑's owners' committee.
    if (lm) person.M = demo.persons.member;
    if (lmy) person.O = demo.persons.member;
    const grids = await tx.selectFrom('grids as g').innerJoin('grid_regions as gr', 'gr.grid_id', 'g.id').innerJoin('regions as r', 'r.id', 'gr.region_id')
      .select(['g.id', 'g.name']).distinct().where('r.path', 'like', `${compound.path}%`).orderBy('g.id').execute();

    const station = xsw ? '橡树湾党群服务站（东门原售楼处）' : `${compound.name}党群服务站`;
    const parties: { kind: PartyKind; name: string; office: string; hours: string; gridId?: number; posts: PostSpec[] }[] = [
      {
        kind: 'residents_committee', name: `${community.name.replace('社区', '')}社区居民委员会`, office: `${community.name}党群服务中心一楼`, hours: '周一至周五 8:30-17:30',
        posts: [
          { key: 'A', title: '主任', since: '2021-06-01', account: worker }, { key: 'B', title: '副主任', since: '2021-06-01' },
          { key: 'G', title: '委员', since: '2022-03-01' }, { key: 'O', title: '兼职委员', since: '2023-01-01' },
          ...(xsw ? [{ key: 'P', title: '兼职委员', since: '2023-01-01' }] : []),
          ...(lm && !lmy ? [{ key: 'M', title: '委员', since: '2021-06-01', account: acc.member }] : []),
        ],
      },
      {
        kind: 'owners_committee', name: `${compound.name}业主委员会`, office: `${compound.name}物业楼二楼业委会办公室`, hours: '每周三 19:00-21:00 接待业主',
        posts: [
          { key: 'O', title: '主任', since: '2022-09-01', account: xsw ? acc.owners : lmy ? acc.member : null },
          { key: 'C', title: '副主任', since: '2022-09-01' }, { key: 'D', title: '委员', since: '2022-09-01' },
        ],
      },
      {
        kind: 'property_company', name: `${COMPANIES[index % COMPANIES.length]}${compound.name}项目部`, office: `${compound.name}物业服务中心`, hours: '每天 8:00-20:00，夜间值班见公告栏',
        posts: [
          { key: 'P', title: '项目经理', since: '2020-01-01', account: xsw ? acc.property : null }, { key: 'Q', title: '客服主管', since: '2022-05-01' },
          ...(xsw ? [{ key: 'R', title: '工程主管', since: '2021-08-01' }] : []),
        ],
      },
      ...grids.map((g) => ({
        kind: 'grid' as const, name: g.name, office: station, hours: '每天 8:00-21:00', gridId: g.id,
        posts: [{ key: 'G', title: '网格员', since: '2022-03-01', account: xsw ? acc.grid : null }],
      })),
    ];
    const postIds: Record<string, number> = {};
    for (const [sort, p] of parties.entries()) {
      const row = await tx.insertInto('compound_parties').values({
        compound_id: compound.id, compound_path: compound.path, kind: p.kind, name: p.name, grid_id: p.gridId ?? null, office: p.office, hours: p.hours, sort,
      }).returning('id').executeTakeFirstOrThrow();
      counts.compoundParties++;
      const posts = await tx.insertInto('compound_posts').values(p.posts.map((s, i) => ({
        party_id: row.id, compound_id: compound.id, person_id: person[s.key], title: s.title, since: s.since, account_id: s.account ?? null, sort: i,
      }))).returning('id').execute();
      counts.compoundPosts += posts.length;
      p.posts.forEach((s, i) => { postIds[`${p.kind}.${s.key}`] ??= posts[i].id; });
    }

    // Joint meetings where the community has a worker account to take follow-ups: one a month in 橡树湾, one in the others.
    if (worker) {
      const owners = xsw
        ? [{ post: postIds['property_company.P'], account: acc.property }, { post: postIds['grid.G'], account: acc.grid }, { post: postIds['owners_committee.O'], account: acc.owners }, { post: postIds['residents_committee.A'], account: worker }]
        : [{ post: postIds['residents_committee.A'], account: worker }];
      const held = xsw ? [...months.slice().reverse(), thisMonth] : [months[0]];
      for (const month of held) {
        const current = month === thisMonth;
        const heldOn = current ? `${month}-01` : `${month}-10`;
        const topic = TOPICS[counts.compoundMeetings % TOPICS.length];
        const m = await tx.insertInto('compound_meetings').values({
          compound_id: compound.id, compound_path: compound.path, held_on: heldOn, title: `${compound.name}四方联席会议（${Number(month.slice(5))}月）`, place: station,
          topics: topic.topics, decisions: topic.decisions,
          guests: xsw && month === months[0] ? ['黄海街道城管科 工作人员'] : [], recorded_by: worker, created_at: shanghaiDayStart(heldOn),
        }).returning('id').executeTakeFirstOrThrow();
        counts.compoundMeetings++;
        await tx.insertInto('compound_meeting_attendees').values(Object.values(postIds).map((post_id) => ({ meeting_id: m.id, post_id }))).onConflict((oc) => oc.doNothing()).execute();
        const rows = topic.tasks.slice(0, xsw ? topic.tasks.length : 1).map((task, i) => {
          const o = owners[i % owners.length];
          // Past months: mostly done by the due day, one done late, one still open; this month: open, due soon.
          const dueOn = current ? shanghaiDate(new Date(shanghaiDayStart(today).getTime() + (7 + 7 * i) * 86400_000)) : `${month}-${String(20 + i).padStart(2, '0')}`;
          const roll = current ? 'open' : i === 2 && month === months[0] ? 'open' : i === 1 && month === months[1] ? 'late' : 'done';
          const dueStart = shanghaiDayStart(dueOn).getTime();
          const doneAt = roll === 'done' ? new Date(dueStart - 2 * 86400_000 + 10 * 3600_000) : roll === 'late' ? new Date(dueStart + 4 * 86400_000) : null;
          return {
            meeting_id: m.id, compound_id: compound.id, compound_path: compound.path, task, owner_account_id: o.account!, owner_post_id: o.post ?? null, due_on: dueOn,
            status: doneAt ? 'done' as const : 'open' as const, done_at: doneAt, done_by: doneAt ? o.account : null, done_note: doneAt ? '已落实' : null, sort: i, created_at: shanghaiDayStart(heldOn),
          };
        });
        await tx.insertInto('compound_follow_ups').values(rows).execute();
        counts.compoundFollowUps += rows.length;
      }
    }

    // Ratings and checklists of the last three whole months, around a quality of service the compound keeps.
    const quality = between(0.55, 0.95);
    const households = (await sql<{ id: number; person_id: number }>`select h.id, p.id as person_id from households h join persons p on p.household_id = h.id and p.is_householder
      where h.region_path like ${`${compound.path}%`} order by h.id`.execute(tx)).rows;
    for (const month of months) {
      const share = xsw ? between(0.08, 0.14) : between(0.2, 0.4);
      const monthStart = shanghaiDayStart(`${month}-01`).getTime();
      for (const h of households) {
        if (next() > share) continue;
        const score = Math.max(1, Math.min(5, Math.round(1 + quality * 4 + (next() - 0.5) * 2.4)));
        ratings.push({
          compound_id: compound.id, month, household_id: h.id, person_id: h.person_id, score,
          comment: next() < 0.12 ? COMMENTS[Math.floor(next() * COMMENTS.length)] : null, created_at: new Date(monthStart + Math.floor(between(1, 27)) * 86400_000 + 9 * 3600_000),
        });
      }
      const scores = Object.fromEntries(CHECKLIST.map((i) => [i.code, Math.max(0, Math.min(i.max, Math.round(i.max * (quality + (next() - 0.5) * 0.25))))]));
      assessments.push({
        compound_id: compound.id, month, scores: JSON.stringify(scores), total: Object.values(scores).reduce((s, v) => s + v, 0),
        note: next() < 0.3 ? '已当场反馈物业项目部整改' : null, assessed_by: worker ?? acc.admin, assessed_at: shanghaiDayStart(`${addMonths(month, 1)}-03`),
      });
    }
  }
  for (let i = 0; i < ratings.length; i += 1000) await tx.insertInto('compound_ratings').values(ratings.slice(i, i + 1000)).execute();
  if (assessments.length) await tx.insertInto('compound_assessments').values(assessments).execute();
  counts.compoundRatings = ratings.length;
  counts.compoundAssessments = assessments.length;
  return counts;
}

const TOPICS = [
  {
    topics: ['东门非机动车棚电动车充电管理', '二期楼道堆物清理', '物业费收支季度公示'],
    decisions: ['增设 40 个充电口，物业负责安装、网格员巡查', '本月底前完成楼道堆物清理，业委会发动楼栋长配合', '下月 5 日前在公告栏和业主群公示第三季度收支'],
    tasks: ['联系供电公司完成充电口增容并安装', '逐栋巡查楼道堆物并劝导清理', '组织楼栋长发动住户配合清理', '审核并张贴物业费收支公示'],
  },
  {
    topics: ['老旧楼栋加装电梯意见征询', '小区停车秩序整治'],
    decisions: ['3 幢 1 单元先行开展意见征询，社区组织“有事好商量”协商', '划定临时停车区，夜间加强巡逻'],
    tasks: ['施划临时停车位并设置指示牌', '夜间巡逻并劝离占用消防通道车辆', '组织 3 幢 1 单元业主意见征询', '召开“有事好商量”协商会'],
  },
  {
    topics: ['雨季排水设施检查', '独居老人走访帮扶'],
    decisions: ['物业汛前清掏雨水井', '网格员和党员志愿者结对走访独居老人'],
    tasks: ['清掏全部雨水井并检查排水泵', '走访登记独居老人并建立联系卡', '在业主群发布防汛提示', '汇总走访情况报社区'],
  },
  {
    topics: ['冬季消防安全检查', '年终物业服务满意度反馈'],
    decisions: ['联合开展消防通道和器材检查', '汇总居民评价意见，物业一周内回复整改措施'],
    tasks: ['检查消防器材并更换过期灭火器', '清理消防通道杂物', '汇总居民意见形成整改清单', '向业主公示整改清单'],
  },
];
