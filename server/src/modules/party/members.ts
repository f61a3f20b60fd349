import { sql } from 'kysely';
import type { AuthContext } from '../../core/auth/context.js';
import { can } from '../../core/auth/roles.js';
import { appendAudit, type Actor, logPersonalDataAccess } from '../../core/audit.js';
import type { Db, Executor } from '../../core/db.js';
import { AppError, fieldError } from '../../core/errors.js';
import { maskIdNumber, maskPhone, sexFromId } from '../../core/identity.js';
import { paginate, type PageQuery } from '../../core/paging.js';
import { nameInitials } from '../../core/pinyin.js';
import { checkMember, memberInScope, membersFrom, partyOrgInScope } from './access.js';
import { MEMBER_STATUS_NAMES, type MemberStatus } from './tables.js';

/** The member register: list, detail, create, export, and 双报到 (a member reporting to their residential community). */

const memberColumns = [
  'm.id', 'm.person_id', 'm.name', 'm.sex', 'm.id_number', 'm.phone', 'm.status', 'm.joined_on', 'm.full_on', 'm.posts',
  'm.organisation_id', 'o.name as org_name', 'ro.path as orgPath', 'm.report_community_id', 'rc.name as report_name', 'rc.path as reportPath', 'm.reported_on',
] as const;

type MemberRow = NonNullable<Awaited<ReturnType<typeof loadMember>>>;

/** Masked unless `reveal`; a linked member without a registered phone shows the registry's. */
export function presentMember(m: MemberRow, reveal = false) {
  const phone = m.phone ?? m.registry_phone;
  return {
    id: m.id, personId: m.person_id, name: m.name, sex: m.sex,
    idNumber: reveal ? m.id_number : maskIdNumber(m.id_number)!, phone: reveal ? phone : maskPhone(phone), masked: !reveal,
    organisation: { id: m.organisation_id, name: m.org_name },
    status: m.status, statusName: MEMBER_STATUS_NAMES[m.status], joinedOn: m.joined_on, fullOn: m.full_on, posts: m.posts,
    reportCommunity: m.report_community_id != null ? { id: m.report_community_id, name: m.report_name! } : null, reportedOn: m.reported_on,
  };
}

function selectMembers(db: Executor) {
  return membersFrom(db).leftJoin('persons as p', 'p.id', 'm.person_id').select([...memberColumns, 'p.phone as registry_phone']);
}

async function loadMember(db: Executor, id: number) {
  return selectMembers(db).where('m.id', '=', id).executeTakeFirst();
}

export interface MemberFilter { q?: string; organisationId?: number; status?: MemberStatus }

/** Members in the caller's scope (by organisation or by 双报到), searched by name, pinyin initials or phone tail. */
async function membersQuery(db: Db, auth: AuthContext, filter: MemberFilter) {
  let q = selectMembers(db).where(memberInScope(auth));
  // An organisation filter takes in its sub-organisations: a community party committee lists its branches' members.
  if (filter.organisationId) q = q.where('o.path', 'like', `${(await partyOrgInScope(db, auth, 'organisationId', filter.organisationId)).path}%`);
  if (filter.status) q = q.where('m.status', '=', filter.status);
  const term = filter.q?.trim();
  if (term) {
    if (/^\d{4}$/.test(term)) q = q.where(sql<string>`right(coalesce(m.phone, p.phone), 4)`, '=', term);
    else if (/^\d{5,11}$/.test(term)) q = q.where(sql<string>`coalesce(m.phone, p.phone)`, 'like', `%${term}`);
    else if (/^[a-zA-Z]+$/.test(term)) q = q.where('m.name_initials', 'like', `${term.toLowerCase()}%`);
    else q = q.where('m.name', 'like', `%${term.replace(/[%_\\]/g, '\\$&')}%`);
  }
  return q.orderBy('m.id');
}

export async function listMembers(db: Db, auth: AuthContext, filter: MemberFilter, page: PageQuery) {
  const res = await paginate(await membersQuery(db, auth, filter), page);
  return { ...res, items: res.items.map((m) => presentMember(m)) };
}

export const EXPORT_MAX_ROWS = 100_000;

/** Rows for the .xlsx export (masked); the export is logged with its purpose. */
export async function exportMembers(db: Db, auth: AuthContext, actor: Actor, filter: MemberFilter, purpose: string) {
  const rows = (await (await membersQuery(db, auth, filter)).limit(EXPORT_MAX_ROWS).execute()).map((m) => presentMember(m));
  await db.transaction().execute(async (tx) => {
    await logPersonalDataAccess(tx, {
      actor_id: auth.accountId, kind: 'export', target_type: 'party_member', target_id: null,
      fields: ['name', 'id_number(masked)', 'phone(masked)', 'organisation', 'status', 'posts'], purpose, ip: actor.ip, request_id: actor.requestId,
    });
    await appendAudit(tx, actor, { action: 'party_member.export', targetType: 'party_member', summary: { ...filter, rows: rows.length, purpose } });
  });
  return rows;
}

/** One member. With `reveal`, a role holding people:unmask sees the full ID number and phone, and the read is logged with its purpose. */
export async function getMember(db: Db, auth: AuthContext, actor: Actor, id: number, reveal?: { purpose?: string }) {
  const m = checkMember(auth, await loadMember(db, id), 'read');
  if (reveal) {
    if (!can(auth.permissions, 'people:unmask')) throw new AppError(403, 'forbidden', 'cannot_unmask');
    if (!reveal.purpose?.trim()) throw fieldError('purpose', 'purpose_required');
    await logPersonalDataAccess(db, {
      actor_id: auth.accountId, kind: 'unmask', target_type: 'party_member', target_id: String(id),
      fields: ['id_number', 'phone'], purpose: reveal.purpose.trim(), ip: actor.ip, request_id: actor.requestId,
    });
  }
  return presentMember(m, !!reveal);
}

export interface MemberInput {
  name: string; idNumber: string; phone?: string | null; organisationId: number; status: MemberStatus;
  joinedOn: string; fullOn?: string | null; posts?: string[];
}

/** The date rules of a member record, as [field, message key] problems (shared by create and import). */
export function dateProblems(input: Pick<MemberInput, 'status' | 'joinedOn' | 'fullOn'>, today: string): [string, string][] {
  const out: [string, string][] = [];
  if (input.joinedOn > today) out.push(['joinedOn', 'date_in_future']);
  if (input.status === 'probationary' && input.fullOn) out.push(['fullOn', 'probationary_no_full_date']);
  if (input.status === 'full' && input.fullOn && input.fullOn < input.joinedOn) out.push(['fullOn', 'full_before_join']);
  if (input.fullOn && input.fullOn > today) out.push(['fullOn', 'date_in_future']);
  return out;
}

export const todayInShanghai = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/** The registry's person with this ID number, if any: the register links to it, and its name must agree. */
export async function registryPersons(db: Executor, idNumbers: string[]) {
  if (!idNumbers.length) return new Map<string, { id: number; name: string }>();
  const rows = await db.selectFrom('persons').select(['id', 'name', 'id_number']).where('id_number', 'in', idNumbers).execute();
  return new Map(rows.map((p) => [p.id_number!, { id: p.id, name: p.name }]));
}

/** The insert row of a checked member (create and import write the same). */
export function memberValues(input: MemberInput, personId: number | null) {
  return {
    person_id: personId, name: input.name, name_initials: nameInitials(input.name), sex: sexFromId(input.idNumber), id_number: input.idNumber,
    phone: input.phone ?? null, organisation_id: input.organisationId, status: input.status, joined_on: input.joinedOn,
    full_on: input.status === 'full' ? input.fullOn ?? null : null, posts: input.posts ?? [],
  };
}

export async function createMember(db: Db, auth: AuthContext, actor: Actor, input: MemberInput) {
  const [problem] = dateProblems(input, todayInShanghai());
  if (problem) throw fieldError(problem[0], problem[1]);
  return db.transaction().execute(async (tx) => {
    await partyOrgInScope(tx, auth, 'organisationId', input.organisationId);
    if (await tx.selectFrom('party_members').select('id').where('id_number', '=', input.idNumber).executeTakeFirst()) {
      throw fieldError('idNumber', 'already_member', undefined, 409);
    }
    const person = (await registryPersons(tx, [input.idNumber])).get(input.idNumber);
    if (person && person.name !== input.name) throw fieldError('name', 'name_mismatch');
    const row = await tx.insertInto('party_members').values(memberValues(input, person?.id ?? null)).returning('id').executeTakeFirstOrThrow();
    await appendAudit(tx, actor, {
      action: 'party_member.create', targetType: 'party_member', targetId: row.id,
      summary: { name: input.name, organisationId: input.organisationId, status: input.status, idNumber: maskIdNumber(input.idNumber), phone: maskPhone(input.phone ?? null), personId: person?.id ?? null },
    });
    return presentMember((await loadMember(tx, row.id))!);
  });
}

/** The community a region path lies in (the path's community segment), or null above community level. */
async function communityOf(db: Executor, path: string) {
  const ids = path.split('/').filter(Boolean).map(Number);
  if (!ids.length) return null;
  return await db.selectFrom('regions').select(['id', 'name']).where('id', 'in', ids).where('level', '=', 'community').executeTakeFirst() ?? null;
}

async function writeReport(tx: Executor, actor: Actor, memberId: number, communityId: number) {
  const c = await tx.selectFrom('regions').select(['id', 'level']).where('id', '=', communityId).executeTakeFirst();
  if (!c || c.level !== 'community') throw fieldError('communityId', 'must_be_community');
  await tx.updateTable('party_members').set({ report_community_id: c.id, reported_on: todayInShanghai(), updated_at: new Date() }).where('id', '=', memberId).execute();
  await appendAudit(tx, actor, { action: 'party_member.report', targetType: 'party_member', targetId: memberId, summary: { communityId: c.id } });
  return presentMember((await loadMember(tx, memberId))!);
}

/**
 * 双报到 recorded by the member's organisation side: the member reports to the community they live in
 * (any community of the district: where a member lives is not the organisation's scope).
 */
export async function recordReport(db: Db, auth: AuthContext, actor: Actor, memberId: number, communityId: number) {
  return db.transaction().execute(async (tx) => {
    checkMember(auth, await loadMember(tx, memberId), 'change');
    return writeReport(tx, actor, memberId, communityId);
  });
}

/** 双报到 by the member themself: to the community given, or by default to the one they live in. */
export async function reportMyself(db: Db, auth: AuthContext, actor: Actor, communityId?: number) {
  return db.transaction().execute(async (tx) => {
    const me = auth.personId != null ? await tx.selectFrom('party_members as m').innerJoin('persons as p', 'p.id', 'm.person_id')
      .select(['m.id', 'p.region_path']).where('m.person_id', '=', auth.personId).executeTakeFirst() : undefined;
    if (!me) throw new AppError(404, 'not_found', 'not_a_member');
    const target = communityId ?? (await communityOf(tx, me.region_path))?.id;
    if (!target) throw fieldError('communityId', 'required');
    return writeReport(tx, actor, me.id, target);
  });
}
