import { sql } from 'kysely';
import type { AuthContext } from '../../core/auth/context.js';
import { can } from '../../core/auth/roles.js';
import { appendAudit, type Actor, logPersonalDataAccess } from '../../core/audit.js';
import type { Db, Executor } from '../../core/db.js';
import { AppError, fieldError, notFound, outOfScope } from '../../core/errors.js';
import { birthDateFromId, maskIdNumber, maskPhone, sexFromId } from '../../core/identity.js';
import { paginate, type PageQuery } from '../../core/paging.js';
import { nameInitials } from '../../core/pinyin.js';
import { inScope, isInScope, regionFieldInScope, regionInScope, underPath } from '../../core/scope.js';
import { addressesOf } from '../regions/service.js';

export interface PersonRow {
  id: number; name: string; sex: 'M' | 'F'; birth_date: string | null; id_number: string | null; phone: string | null;
  household_id: number | null; is_householder: boolean; region_id: number; path: string;
}

const personColumns = ['p.id', 'p.name', 'p.sex', 'p.birth_date', 'p.id_number', 'p.phone', 'p.household_id', 'p.is_householder', 'p.region_id', 'p.region_path as path'] as const;

/** Masked unless `reveal`; personal data leaves the server masked by default. */
export function presentPerson(p: PersonRow, address: string, reveal = false) {
  return {
    id: p.id, name: p.name, sex: p.sex, birthDate: p.birth_date,
    idNumber: reveal ? p.id_number : maskIdNumber(p.id_number),
    phone: reveal ? p.phone : maskPhone(p.phone),
    masked: !reveal,
    householdId: p.household_id, isHouseholder: p.is_householder, regionId: p.region_id, address,
  };
}

async function present(db: Executor, rows: PersonRow[]) {
  const addr = await addressesOf(db, rows.map((r) => r.path));
  return rows.map((r) => presentPerson(r, addr.get(r.path) ?? ''));
}

export interface PeopleFilter { regionId?: number; q?: string; householdId?: number }

/** The filtered, scope-limited people query; scope is a path prefix in SQL. */
async function peopleQuery(db: Db, auth: AuthContext, filter: PeopleFilter) {
  // A region filter is checked against the scope first, so it replaces the scope filter.
  const scope = filter.regionId ? underPath('p.region_path', (await regionInScope(db, auth, filter.regionId)).path) : inScope(auth, 'p.region_path');
  let q = db.selectFrom('persons as p').select(personColumns).where(scope);
  if (filter.householdId) q = q.where('p.household_id', '=', filter.householdId);
  const term = filter.q?.trim();
  if (term) {
    if (/^\d{4}$/.test(term)) q = q.where(sql<string>`right(p.phone, 4)`, '=', term);
    else if (/^\d{5,11}$/.test(term)) q = q.where('p.phone', 'like', `%${term}`);
    else if (/^[a-zA-Z]+$/.test(term)) q = q.where('p.name_initials', 'like', `${term.toLowerCase()}%`);
    else q = q.where('p.name', 'like', `%${term.replace(/[%_\\]/g, '\\$&')}%`);
  }
  return q.orderBy('p.id');
}

/** People in the caller's scope (optionally under regionId), searched by name, pinyin initials or phone tail. */
export async function listPeople(db: Db, auth: AuthContext, filter: PeopleFilter, page: PageQuery) {
  const res = await paginate(await peopleQuery(db, auth, filter), page);
  return { ...res, items: await present(db, res.items) };
}

async function loadPerson(db: Executor, id: number): Promise<PersonRow | undefined> {
  return db.selectFrom('persons as p').select(personColumns).where('p.id', '=', id).executeTakeFirst();
}

/**
 * One person. Outside scope is 403, not 404, so workers know to ask. With
 * `reveal`, a role holding people:unmask sees full ID and phone, and the read is logged with its purpose.
 */
export async function getPerson(db: Db, auth: AuthContext, actor: Actor, id: number, reveal?: { purpose?: string }) {
  const p = await loadPerson(db, id);
  if (!p) throw notFound();
  if (!isInScope(auth, p.path)) throw outOfScope();
  if (reveal) {
    if (!can(auth.permissions, 'people:unmask')) throw new AppError(403, 'forbidden', 'cannot_unmask');
    if (!reveal.purpose?.trim()) throw fieldError('purpose', 'purpose_required');
    await logPersonalDataAccess(db, {
      actor_id: auth.accountId, kind: 'unmask', target_type: 'person', target_id: String(id),
      fields: ['id_number', 'phone'], purpose: reveal.purpose.trim(), ip: actor.ip, request_id: actor.requestId,
    });
  }
  const addr = await addressesOf(db, [p.path]);
  // Members who moved out of the caller's scope (the household kept) are another community's residents now.
  const members = p.household_id
    ? await db.selectFrom('persons').select(['id', 'name', 'sex', 'birth_date as birthDate', 'is_householder as isHouseholder'])
      .where('household_id', '=', p.household_id).where(inScope(auth, 'region_path'))
      .orderBy('is_householder', 'desc').orderBy('id').execute()
    : [];
  return { ...presentPerson(p, addr.get(p.path) ?? '', !!reveal), household: members };
}

export interface PersonInput {
  name: string; sex?: 'M' | 'F'; birthDate?: string | null; idNumber?: string | null; phone?: string | null;
  regionId: number; householdId?: number | null; isHouseholder?: boolean; newHousehold?: boolean;
}

async function checkUnique(tx: Executor, idNumber: string | null | undefined, exceptId?: number) {
  if (!idNumber) return;
  let q = tx.selectFrom('persons').select('id').where('id_number', '=', idNumber);
  if (exceptId) q = q.where('id', '<>', exceptId);
  if (await q.executeTakeFirst()) throw fieldError('idNumber', 'taken', undefined, 409);
}

async function checkHousehold(tx: Executor, auth: AuthContext, householdId: number) {
  const h = await tx.selectFrom('households as h').select(['h.id', 'h.region_path as path']).where('h.id', '=', householdId).executeTakeFirst();
  if (!h) throw fieldError('householdId', 'no_such_household');
  if (!isInScope(auth, h.path)) throw outOfScope();
}

export async function createPerson(db: Db, auth: AuthContext, actor: Actor, input: PersonInput) {
  return db.transaction().execute(async (tx) => {
    const region = await regionFieldInScope(tx, auth, 'regionId', input.regionId);
    await checkUnique(tx, input.idNumber);
    let householdId = input.householdId ?? null;
    if (householdId) await checkHousehold(tx, auth, householdId);
    else if (input.newHousehold) {
      householdId = (await tx.insertInto('households').values({ room_id: region.level === 'room' ? region.id : null, region_id: region.id, region_path: region.path })
        .returning('id').executeTakeFirstOrThrow()).id;
    }
    const sex = input.sex ?? (input.idNumber ? sexFromId(input.idNumber) : undefined);
    if (!sex) throw fieldError('sex', 'required');
    const row = await tx.insertInto('persons').values({
      name: input.name, name_initials: nameInitials(input.name), sex,
      birth_date: input.birthDate ?? (input.idNumber ? birthDateFromId(input.idNumber) : null),
      id_number: input.idNumber ?? null, phone: input.phone ?? null, household_id: householdId,
      is_householder: input.isHouseholder ?? !!input.newHousehold, region_id: region.id, region_path: region.path,
    }).returning('id').executeTakeFirstOrThrow();
    await appendAudit(tx, actor, {
      action: 'person.create', targetType: 'person', targetId: row.id,
      summary: { name: input.name, regionId: region.id, householdId, idNumber: maskIdNumber(input.idNumber ?? null), phone: maskPhone(input.phone ?? null) },
    });
    const p = (await loadPerson(tx, row.id))!;
    const addr = await addressesOf(tx, [p.path]);
    return presentPerson(p, addr.get(p.path) ?? '');
  });
}

export type PersonPatch = Partial<Omit<PersonInput, 'newHousehold'>>;

export async function updatePerson(db: Db, auth: AuthContext, actor: Actor, id: number, patch: PersonPatch) {
  return db.transaction().execute(async (tx) => {
    const before = await loadPerson(tx, id);
    if (!before) throw notFound();
    if (!isInScope(auth, before.path)) throw outOfScope();
    const newRegion = patch.regionId ? await regionFieldInScope(tx, auth, 'regionId', patch.regionId) : undefined;
    if (patch.householdId) await checkHousehold(tx, auth, patch.householdId);
    if (patch.idNumber) await checkUnique(tx, patch.idNumber, id);
    const set = {
      ...(patch.name !== undefined && { name: patch.name, name_initials: nameInitials(patch.name) }),
      ...(patch.sex !== undefined && { sex: patch.sex }),
      ...(patch.birthDate !== undefined && { birth_date: patch.birthDate }),
      ...(patch.idNumber !== undefined && { id_number: patch.idNumber }),
      ...(patch.phone !== undefined && { phone: patch.phone }),
      ...(newRegion && { region_id: newRegion.id, region_path: newRegion.path }),
      ...(patch.householdId !== undefined && { household_id: patch.householdId }),
      ...(patch.isHouseholder !== undefined && { is_householder: patch.isHouseholder }),
    };
    if (!Object.keys(set).length) throw fieldError('body', 'required');
    await tx.updateTable('persons').set({ ...set, updated_at: new Date() }).where('id', '=', id).execute();
    // Personal data in the audit trail is masked too.
    const masked = (k: string, v: any) => (k === 'idNumber' ? maskIdNumber(v) : k === 'phone' ? maskPhone(v) : v);
    await appendAudit(tx, actor, {
      action: 'person.update', targetType: 'person', targetId: id,
      summary: Object.fromEntries(Object.entries(patch).map(([k, v]) => [k, masked(k, v)])),
    });
    const p = (await loadPerson(tx, id))!;
    const addr = await addressesOf(tx, [p.path]);
    return presentPerson(p, addr.get(p.path) ?? '');
  });
}

/** The signed-in resident's own household, for the H5 "我的" page. Own record unmasked, others masked. */
export async function myHousehold(db: Db, auth: AuthContext) {
  if (!auth.personId) return null;
  const me = await loadPerson(db, auth.personId);
  if (!me) return null;
  const addr = await addressesOf(db, [me.path]);
  const members = me.household_id
    ? await db.selectFrom('persons as p').select(personColumns)
      .where('p.household_id', '=', me.household_id).orderBy('p.is_householder', 'desc').orderBy('p.id').execute()
    : [me];
  return {
    householdId: me.household_id,
    address: addr.get(me.path) ?? '',
    members: members.map((m) => presentPerson(m, addr.get(m.path) ?? '', m.id === me.id)),
  };
}

export const EXPORT_MAX_ROWS = 100_000;

/** Rows for the .xlsx export of a people list (masked), and logs the export with its purpose. */
export async function exportPeople(db: Db, auth: AuthContext, actor: Actor, filter: PeopleFilter, purpose: string) {
  const q = await peopleQuery(db, auth, filter);
  const rows = await present(db, await q.limit(EXPORT_MAX_ROWS).execute());
  await db.transaction().execute(async (tx) => {
    await logPersonalDataAccess(tx, {
      actor_id: auth.accountId, kind: 'export', target_type: 'person', target_id: null,
      fields: ['name', 'sex', 'birth_date', 'id_number(masked)', 'phone(masked)', 'address'], purpose, ip: actor.ip, request_id: actor.requestId,
    });
    await appendAudit(tx, actor, { action: 'person.export', targetType: 'person', summary: { ...filter, rows: rows.length, purpose } });
  });
  return rows;
}
