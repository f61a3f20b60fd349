import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { AuthContext } from '../../core/auth/context.js';
import type { Db } from '../../core/db.js';
import { scopePrefix } from '../../core/scope.js';
import { memberInScope, membersFrom, partyOrgInScope } from './access.js';

/**
 * Attendance rates over activities that have started, in a date range: per organisation (the
 * activities it held, the sign-ins it could expect — its members and invitees per activity — and
 * those it got), and per member (the activities they were due at and signed in to). Organisations
 * are those in the caller's scope; members those of the register in scope.
 *
 * Who was due is decided at the time of each activity (party_member_periods: the member had joined,
 * and was in that organisation's line between accepted transfers), not by today's register: a member
 * who joined or transferred in later was not expected at earlier meetings, and one who left still was.
 */

export interface StatsFilter { organisationId?: number; from?: string; to?: string }
export const STATS_MEMBER_LIMIT = 5000;

/** SQL: membership period `p` covers the start of activity `a`. */
const heldAt = (p: RawBuilder<unknown>, a: RawBuilder<unknown>) => sql<SqlBool>`(${p}.valid_from <= ${a}.starts_at and (${p}.valid_to is null or ${p}.valid_to > ${a}.starts_at))`;
/** SQL: member `memberId` was in the line of organisation `o` (its subtree) when activity `a` began. */
const inLineAt = (memberId: RawBuilder<unknown>, o: RawBuilder<unknown>, a: RawBuilder<unknown>) => sql<SqlBool>`exists (select 1 from party_member_periods p
  join organisations po on po.id = p.organisation_id where p.member_id = ${memberId} and po.path like ${o}.path || '%' and ${heldAt(sql`p`, a)})`;

const rate = (attended: number, expected: number) => (expected ? Math.round((attended / expected) * 1000) / 10 : null);

export async function attendanceStats(db: Db, auth: AuthContext, f: StatsFilter) {
  const prefix = scopePrefix(auth);
  const from = f.from ?? '1970-01-01', to = f.to ?? '2999-12-31';
  const orgPath = f.organisationId ? (await partyOrgInScope(db, auth, 'organisationId', f.organisationId)).path : null;
  const range = sql<SqlBool>`a.starts_at <= now() and a.starts_at >= (${from}::date)::timestamp at time zone 'Asia/Shanghai'
    and a.starts_at < ((${to}::date + 1)::timestamp at time zone 'Asia/Shanghai')`;

  const orgRows = prefix ? (await sql<{ id: number; name: string; activities: number; expected: number; attended: number }>`
    select o.id, o.name, count(*)::int as activities,
      coalesce(sum((select count(distinct p.member_id) from party_member_periods p join organisations po on po.id = p.organisation_id
          where po.path like o.path || '%' and ${heldAt(sql`p`, sql`a`)})
        + (select count(*) from party_activity_invitees i where i.activity_id = a.id and not ${inLineAt(sql`i.member_id`, sql`o`, sql`a`)})), 0)::int as expected,
      coalesce(sum((select count(*) from party_attendance t where t.activity_id = a.id)), 0)::int as attended
    from party_activities a join organisations o on o.id = a.organisation_id join regions r on r.id = o.region_id
    where r.path like ${`${prefix}%`} and ${range} ${orgPath ? sql`and o.path like ${`${orgPath}%`}` : sql``}
    group by o.id, o.name order by o.id`.execute(db)).rows : [];

  // Per member: the activities of the organisation line they were in at the time (its own and its ancestors'),
  // plus those they were invited to from outside it, and their sign-ins — grouped once for all members.
  let mq = membersFrom(db).where(memberInScope(auth));
  if (orgPath) mq = mq.where('o.path', 'like', `${orgPath}%`);
  const [memberList, inLine, invited, signed] = await Promise.all([
    mq.select(['m.id', 'm.name', 'o.name as org_name', 'o.path as org_path']).orderBy('o.id').orderBy('m.id').limit(STATS_MEMBER_LIMIT).execute(),
    sql<{ member_id: number; n: number }>`select p.member_id, count(distinct a.id)::int as n from party_member_periods p join organisations po on po.id = p.organisation_id
      join party_activities a on ${heldAt(sql`p`, sql`a`)} join organisations ao on ao.id = a.organisation_id
      where ${range} and po.path like ao.path || '%' group by p.member_id`.execute(db),
    sql<{ member_id: number; n: number }>`select i.member_id, count(*)::int as n from party_activity_invitees i join party_activities a on a.id = i.activity_id
      join organisations ao on ao.id = a.organisation_id where ${range} and not ${inLineAt(sql`i.member_id`, sql`ao`, sql`a`)} group by i.member_id`.execute(db),
    sql<{ member_id: number; n: number }>`select t.member_id, count(*)::int as n from party_attendance t join party_activities a on a.id = t.activity_id where ${range} group by t.member_id`.execute(db),
  ]);
  const inLineOf = new Map(inLine.rows.map((r) => [r.member_id, Number(r.n)]));
  const invitedOf = new Map(invited.rows.map((r) => [r.member_id, Number(r.n)]));
  const signedOf = new Map(signed.rows.map((r) => [r.member_id, Number(r.n)]));
  const memberRows = memberList.map((m) => ({ ...m, attended: signedOf.get(m.id) ?? 0, expected: (inLineOf.get(m.id) ?? 0) + (invitedOf.get(m.id) ?? 0) }));

  const organisations = orgRows.map((o) => ({ id: o.id, name: o.name, activities: Number(o.activities), expected: Number(o.expected), attended: Number(o.attended), rate: rate(Number(o.attended), Number(o.expected)) }));
  const members = memberRows.map((m) => ({ id: m.id, name: m.name, organisation: m.org_name, expected: Number(m.expected), attended: Number(m.attended), rate: rate(Number(m.attended), Number(m.expected)) }));
  const sum = (k: 'expected' | 'attended') => organisations.reduce((s, o) => s + o[k], 0);
  return {
    from: f.from ?? null, to: f.to ?? null,
    total: { activities: organisations.reduce((s, o) => s + o.activities, 0), expected: sum('expected'), attended: sum('attended'), rate: rate(sum('attended'), sum('expected')) },
    organisations, members,
  };
}
