import { sql } from 'kysely';
import type { Executor } from '../../core/db.js';
import type { DemoContext } from '../../core/module.js';
import { rng } from '../../seed/random.js';
import { creditFulfilledWish } from './points.js';
import type { ActivityKind } from './tables.js';

/**
 * The demo's organisation life and points: six months of 三会一课 and 主题党日 for every organisation
 * with members (a monthly 主题党日 and 支委会, a 党小组会 or 支部党员大会 in alternate months, a quarterly
 * 党课), with sign-ins by most members; the attendance and fulfilled-wish points that follow; and one
 * activity of 鹿鸣苑党支部 (member.demo's) starting shortly, so that its QR sign-in can be tried at once.
 * Dates are relative to the seeding day, so the demo always has a recent past.
 */
const DAY = 86_400_000;
const TOPICS: Record<ActivityKind, string[]> = {
  theme_day: ['学习贯彻党的二十届三中全会精神', '走访慰问独居老人', '社区环境整治志愿服务', '重温入党誓词', '参观红色教育基地', '垃圾分类宣传'],
  committee_meeting: ['研究本月党建工作安排', '讨论发展党员工作', '研究微心愿认领推进', '部署党费收缴', '研究双报到党员服务安排', '讨论年度述职评议'],
  group_meeting: ['交流学习心得', '讨论小区加装电梯协商', '学习党章党规', '讨论网格服务分工'],
  general_meeting: ['通报支部工作情况', '民主评议党员', '选举支部委员会'],
  lecture: ['书记讲党课：基层治理中的党员先锋作用', '党史学习教育专题党课'],
};
const PLACES = ['党群服务站会议室', '社区党群服务中心', '小区红管家服务站', '社区活动室'];

export async function seedPartyActivities(tx: Executor, demo: DemoContext) {
  const r = rng(20261130);
  const creator = await demo.accountId('community.luming');
  const orgs = await tx.selectFrom('organisations as o').select(['o.id', 'o.path'])
    .where((eb) => eb.exists(eb.selectFrom('party_members as m').select('m.id').whereRef('m.organisation_id', '=', 'o.id'))).orderBy('o.id').execute();
  const members = await tx.selectFrom('party_members').select(['id', 'organisation_id']).orderBy('id').execute();
  const now = Date.now();
  // Shanghai midnight of today, and activities at 09:00, 14:30 or 19:00 local time on past days.
  const today = Math.floor((now + 8 * 3600_000) / DAY) * DAY - 8 * 3600_000;
  const at = (daysAgo: number) => today - daysAgo * DAY + r.pick([9 * 60, 14 * 60 + 30, 19 * 60]) * 60_000;

  const activities: { organisation_id: number; kind: ActivityKind; topic: string; place: string; starts_at: Date; ends_at: Date; minutes: string; created_by: number; reminded_at: Date }[] = [];
  for (const o of orgs) {
    for (let month = 0; month < 6; month++) {
      const base = month * 30 + 3;
      const kinds: ActivityKind[] = ['theme_day', 'committee_meeting', month % 2 ? 'group_meeting' : 'general_meeting', ...(month % 3 === 0 ? ['lecture' as const] : [])];
      for (const kind of kinds) {
        const starts = at(base + r.int(0, 25));
        const topic = r.pick(TOPICS[kind]);
        activities.push({
          organisation_id: o.id, kind, topic, place: r.pick(PLACES), starts_at: new Date(starts), ends_at: new Date(starts + (kind === 'theme_day' ? 120 : 90) * 60_000),
          minutes: `会议围绕“${topic}”展开，与会党员逐一发言，形成会议纪要并明确分工。`, created_by: creator, reminded_at: new Date(starts - DAY),
        });
      }
    }
  }
  const ids = activities.length ? await tx.insertInto('party_activities').values(activities).returning(['id', 'organisation_id', 'starts_at']).execute() : [];

  // Sign-ins: each member has a habit (most come nearly always, a few seldom); members of the organisation's subtree attend.
  const habit = new Map(members.map((m) => [m.id, r.next() < 0.15 ? 0.35 : 0.9]));
  const pathOf = new Map(orgs.map((o) => [o.id, o.path]));
  const allOrgPaths = new Map((await tx.selectFrom('organisations').select(['id', 'path']).execute()).map((o) => [o.id, o.path]));
  const attendance: { activity_id: number; member_id: number; checked_in_at: Date; via: 'recorded' }[] = [];
  for (const a of ids) {
    const path = pathOf.get(a.organisation_id)!;
    for (const m of members) {
      if (!allOrgPaths.get(m.organisation_id)!.startsWith(path)) continue;
      if (r.next() < habit.get(m.id)!) attendance.push({ activity_id: a.id, member_id: m.id, checked_in_at: new Date(new Date(a.starts_at).getTime() - r.int(0, 20) * 60_000), via: 'recorded' });
    }
  }
  for (let i = 0; i < attendance.length; i += 2000) await tx.insertInto('party_attendance').values(attendance.slice(i, i + 2000)).execute();

  // The points those sign-ins earned (one set-based insert), and those of wishes party members fulfilled.
  await sql`insert into party_points (member_id, rule_code, source_kind, source_id, points, note, created_at)
    select t.member_id, 'activity_attendance', 'activity', t.activity_id, r.points, '参加组织生活「' || a.topic || '」', t.checked_in_at
    from party_attendance t join party_activities a on a.id = t.activity_id cross join party_point_rules r where r.code = 'activity_attendance'
    on conflict do nothing`.execute(tx);
  const fulfilled = await tx.selectFrom('wish_claims as c').innerJoin('wishes as w', 'w.id', 'c.wish_id')
    .select(['c.wish_id', 'c.claimer_id', 'w.title']).where('c.status', '=', 'fulfilled').orderBy('c.id').execute();
  for (const c of fulfilled) await creditFulfilledWish(tx, { wishId: c.wish_id, title: c.title, claimerAccountId: c.claimer_id });

  // 鹿鸣苑党支部's next 主题党日 starts in about 20 minutes: sign-in (from 30 minutes before) is already open.
  const soon = Math.ceil((now + 20 * 60_000) / (10 * 60_000)) * 10 * 60_000;
  await tx.insertInto('party_activities').values({
    organisation_id: demo.orgs['P-LMY'], kind: 'theme_day', topic: '主题党日：走访慰问小区独居老人', place: '鹿鸣苑党群服务站',
    starts_at: new Date(soon), ends_at: new Date(soon + 2 * 3600_000), created_by: creator,
  }).execute();
  return { partyActivities: ids.length + 1, partyAttendance: attendance.length };
}
