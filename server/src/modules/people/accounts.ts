import { sql } from 'kysely';
import type { AuthContext } from '../../core/auth/context.js';
import { hashPassword, isStrongPassword } from '../../core/auth/passwords.js';
import { checkOwnPassword } from './sign-in.js';
import { clearAccountThrottle } from '../../core/auth/throttle.js';
import { can, permissionsOf, type RoleDef } from '../../core/auth/roles.js';
import { appendAudit, type Actor } from '../../core/audit.js';
import type { Db, Executor } from '../../core/db.js';
import { AppError, fieldError, notFound, outOfScope } from '../../core/errors.js';
import { maskPhone } from '../../core/identity.js';
import { paginate, type PageQuery } from '../../core/paging.js';
import { inScope, isInScope, isRootPath } from '../../core/scope.js';
import { addressesOf, presentRegion } from '../regions/service.js';

/** Writes the code's role table into the database (names and permission codes). */
/** Writes the roles, with the permissions the modules grant them (modules/index.ts), into the roles table. */
export async function syncRoles(db: Executor, roles: RoleDef[]) {
  for (const [i, r] of roles.entries()) {
    await db.insertInto('roles').values({ code: r.code, name_zh: r.zh, name_en: r.en, permissions: r.permissions, sort: i })
      .onConflict((oc) => oc.column('code').doUpdateSet({ name_zh: r.zh, name_en: r.en, permissions: r.permissions, sort: i }))
      .execute();
  }
}

export async function listRoles(db: Db) {
  const rows = await db.selectFrom('roles').selectAll().orderBy('sort').execute();
  return rows.map((r) => ({ code: r.code, nameZh: r.name_zh, nameEn: r.name_en, permissions: r.permissions }));
}

/** What /api/auth/me answers: account, linked person and organisation, roles, permission codes, scope. */
export async function describeAccount(db: Executor, accountId: number) {
  const a = await db.selectFrom('accounts').selectAll().where('id', '=', accountId).executeTakeFirstOrThrow();
  const roles = (await db.selectFrom('account_roles').select('role_code').where('account_id', '=', accountId).execute()).map((r) => r.role_code);
  const roleTable = await db.selectFrom('roles').selectAll().where('code', 'in', roles.length ? roles : ['']).orderBy('sort').execute();
  const scope = a.scope_region_id ? await db.selectFrom('regions').selectAll().where('id', '=', a.scope_region_id).executeTakeFirst() : undefined;
  const person = a.person_id
    ? await db.selectFrom('persons as p').select(['p.id', 'p.name', 'p.sex', 'p.household_id', 'p.region_path as path']).where('p.id', '=', a.person_id).executeTakeFirst()
    : undefined;
  const org = a.organisation_id ? await db.selectFrom('organisations').select(['id', 'name', 'kind']).where('id', '=', a.organisation_id).executeTakeFirst() : undefined;
  const unit = a.organisation_id ? await db.selectFrom('alliance_units').select(['id', 'name', 'status', 'is_committee_unit as isCommitteeUnit']).where('organisation_id', '=', a.organisation_id).executeTakeFirst() : undefined;
  const address = person ? (await addressesOf(db, [person.path])).get(person.path) ?? '' : null;
  const community = person
    ? await db.selectFrom('regions').select(['id', 'name']).where('level', '=', 'community').where('id', 'in', person.path.split('/').filter(Boolean).map(Number)).executeTakeFirst()
    : undefined;
  return {
    account: { id: a.id, username: a.username, displayName: a.display_name, phone: maskPhone(a.phone) },
    person: person ? { id: person.id, name: person.name, sex: person.sex, householdId: person.household_id, address, community: community ?? null } : null,
    organisation: org ?? null,
    allianceUnit: unit ?? null,
    roles: roleTable.map((r) => ({ code: r.code, nameZh: r.name_zh, nameEn: r.name_en })),
    permissions: [...permissionsOf(roles, roleTable)].sort(),
    scope: scope ? presentRegion(scope) : null,
  };
}

function presentAccount(a: any, roles: string[]) {
  return {
    id: a.id, username: a.username, displayName: a.display_name, phone: maskPhone(a.phone), personId: a.person_id,
    organisationId: a.organisation_id, scopeRegionId: a.scope_region_id, scopeName: a.scope_name ?? null, active: a.active,
    locked: !!(a.locked_until && new Date(a.locked_until) > new Date()), lastLoginAt: a.last_login_at, roles,
  };
}

async function rolesByAccount(db: Executor, ids: number[]) {
  const rows = ids.length ? await db.selectFrom('account_roles').selectAll().where('account_id', 'in', ids).execute() : [];
  const m = new Map<number, string[]>();
  for (const r of rows) m.set(r.account_id, [...(m.get(r.account_id) ?? []), r.role_code]);
  return m;
}

/** Accounts whose scope lies inside the caller's scope. */
export async function listAccounts(db: Db, auth: AuthContext, filter: { q?: string; role?: string }, page: PageQuery) {
  let q = db.selectFrom('accounts as a').leftJoin('regions as r', 'r.id', 'a.scope_region_id')
    .select(['a.id', 'a.username', 'a.display_name', 'a.phone', 'a.person_id', 'a.organisation_id', 'a.scope_region_id',
      'a.active', 'a.locked_until', 'a.last_login_at', 'r.name as scope_name'])
    .where(inScope(auth, 'r.path', { nullable: true }))
    .orderBy('a.id');
  if (filter.q?.trim()) {
    const term = `%${filter.q.trim().replace(/[%_\\]/g, '\\$&')}%`;
    q = q.where((eb) => eb.or([eb('a.username', 'like', term), eb('a.display_name', 'like', term)]));
  }
  if (filter.role) q = q.where(sql<boolean>`exists (select 1 from account_roles ar where ar.account_id = a.id and ar.role_code = ${filter.role})`);
  const res = await paginate(q, page);
  const roles = await rolesByAccount(db, res.items.map((a) => a.id));
  return { ...res, items: res.items.map((a) => presentAccount(a, roles.get(a.id) ?? [])) };
}

export interface AccountInput {
  username: string; password: string; displayName: string; phone?: string | null; roles: string[];
  scopeRegionId: number; personId?: number | null; organisationId?: number | null;
}

/**
 * Checks that the caller may hand out these roles in this scope: the scope must lie
 * inside the caller's, and nobody grants permissions they do not hold themselves.
 */
async function checkGrant(tx: Executor, auth: AuthContext | null, roles: string[], scopeRegionId: number) {
  const region = await tx.selectFrom('regions').select(['id', 'path']).where('id', '=', scopeRegionId).executeTakeFirst();
  if (!region) throw fieldError('scopeRegionId', 'no_such_region');
  const table = await tx.selectFrom('roles').select(['code', 'permissions']).execute();
  const unknown = roles.find((r) => !table.some((t) => t.code === r));
  if (unknown) throw fieldError('roles', 'no_such_role');
  if (auth) {
    if (!isInScope(auth, region.path)) throw outOfScope();
    const granted = permissionsOf(roles, table);
    for (const p of granted) if (!can(auth.permissions, p)) throw new AppError(403, 'forbidden');
  }
}

/**
 * The person and organisation an account acts for must lie in the caller's scope (`auth` null = the CLI):
 * otherwise a scoped account manager could hand out another community's resident or unit. Out of scope
 * answers like unknown, so that the check tells nothing about other communities.
 */
async function checkLinks(tx: Executor, auth: AuthContext | null, personId?: number | null, organisationId?: number | null) {
  if (personId) {
    const p = await tx.selectFrom('persons').select('region_path').where('id', '=', personId).executeTakeFirst();
    if (!p || (auth && !isInScope(auth, p.region_path))) throw fieldError('personId', 'no_such_person');
  }
  if (organisationId) {
    const o = await tx.selectFrom('organisations as o').leftJoin('regions as r', 'r.id', 'o.region_id').select('r.path').where('o.id', '=', organisationId).executeTakeFirst();
    // An organisation without a region belongs to the district: only a district-wide caller may link it.
    const linkable = o && (!auth || (o.path ? isInScope(auth, o.path) : !!auth.scope && isRootPath(auth.scope.path)));
    if (!linkable) throw fieldError('organisationId', 'no_such_org');
  }
}

/** `auth` null = the CLI, which may create the first district admin. */
export async function createAccount(db: Db, auth: AuthContext | null, actor: Actor, input: AccountInput) {
  if (!isStrongPassword(input.password)) throw fieldError('password', 'weak_password');
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (tx) => {
    await checkGrant(tx, auth, input.roles, input.scopeRegionId);
    await checkLinks(tx, auth, input.personId, input.organisationId);
    if (await tx.selectFrom('accounts').select('id').where('username', '=', input.username).executeTakeFirst()) throw fieldError('username', 'taken', undefined, 409);
    if (input.phone && await tx.selectFrom('accounts').select('id').where('phone', '=', input.phone).executeTakeFirst()) throw fieldError('phone', 'taken', undefined, 409);
    const row = await tx.insertInto('accounts').values({
      username: input.username, password_hash: passwordHash, display_name: input.displayName, phone: input.phone ?? null,
      person_id: input.personId ?? null, organisation_id: input.organisationId ?? null, scope_region_id: input.scopeRegionId,
    }).returningAll().executeTakeFirstOrThrow();
    if (input.roles.length) await tx.insertInto('account_roles').values(input.roles.map((role_code) => ({ account_id: row.id, role_code }))).execute();
    await appendAudit(tx, actor, {
      action: 'account.create', targetType: 'account', targetId: row.id,
      summary: { username: input.username, roles: input.roles, scopeRegionId: input.scopeRegionId },
    });
    return presentAccount(row, input.roles);
  });
}

export interface AccountPatch { displayName?: string; phone?: string | null; roles?: string[]; scopeRegionId?: number; active?: boolean; unlock?: boolean; personId?: number | null; organisationId?: number | null }

async function accountInScope(tx: Executor, auth: AuthContext, id: number) {
  const a = await tx.selectFrom('accounts as a').leftJoin('regions as r', 'r.id', 'a.scope_region_id').selectAll('a').select('r.path').where('a.id', '=', id).executeTakeFirst();
  if (!a) throw notFound();
  if (!a.path || !isInScope(auth, a.path)) throw outOfScope();
  return a;
}

export async function updateAccount(db: Db, auth: AuthContext, actor: Actor, id: number, patch: AccountPatch) {
  return db.transaction().execute(async (tx) => {
    const before = await accountInScope(tx, auth, id);
    const currentRoles = (await tx.selectFrom('account_roles').select('role_code').where('account_id', '=', id).execute()).map((r) => r.role_code);
    await checkGrant(tx, auth, patch.roles ?? currentRoles, patch.scopeRegionId ?? before.scope_region_id!);
    await checkLinks(tx, auth, patch.personId, patch.organisationId);
    if (patch.phone && await tx.selectFrom('accounts').select('id').where('phone', '=', patch.phone).where('id', '<>', id).executeTakeFirst()) throw fieldError('phone', 'taken', undefined, 409);
    const set = {
      ...(patch.displayName !== undefined && { display_name: patch.displayName }),
      ...(patch.phone !== undefined && { phone: patch.phone }),
      ...(patch.scopeRegionId !== undefined && { scope_region_id: patch.scopeRegionId }),
      ...(patch.active !== undefined && { active: patch.active }),
      ...(patch.personId !== undefined && { person_id: patch.personId }),
      ...(patch.organisationId !== undefined && { organisation_id: patch.organisationId }),
      ...(patch.unlock && { failed_logins: 0, locked_until: null }),
    };
    const after = await tx.updateTable('accounts').set({ ...set, updated_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    if (patch.roles) {
      await tx.deleteFrom('account_roles').where('account_id', '=', id).execute();
      if (patch.roles.length) await tx.insertInto('account_roles').values(patch.roles.map((role_code) => ({ account_id: id, role_code }))).execute();
    }
    // A disabled account loses its sessions at once.
    if (patch.active === false) await tx.deleteFrom('sessions').where('account_id', '=', id).execute();
    if (patch.unlock) await clearAccountThrottle(tx, id);
    await appendAudit(tx, actor, {
      action: 'account.update', targetType: 'account', targetId: id,
      summary: { ...patch, phone: patch.phone === undefined ? undefined : maskPhone(patch.phone), rolesBefore: patch.roles ? currentRoles : undefined },
    });
    return presentAccount(after, patch.roles ?? currentRoles);
  });
}

/** An administrator sets a new password; the account's sessions end. */
export async function resetPassword(db: Db, auth: AuthContext | null, actor: Actor, id: number, password: string) {
  if (!isStrongPassword(password)) throw fieldError('password', 'weak_password');
  const hash = await hashPassword(password);
  await db.transaction().execute(async (tx) => {
    if (auth) await accountInScope(tx, auth, id);
    const res = await tx.updateTable('accounts').set({ password_hash: hash, failed_logins: 0, locked_until: null, updated_at: new Date() }).where('id', '=', id).executeTakeFirst();
    if (!res.numUpdatedRows) throw notFound();
    await tx.deleteFrom('sessions').where('account_id', '=', id).execute();
    await clearAccountThrottle(tx, id);
    await appendAudit(tx, actor, { action: 'account.reset_password', targetType: 'account', targetId: id });
  });
}

/** The signed-in user changes their own password; other sessions end. */
export async function changeOwnPassword(db: Db, auth: AuthContext, actor: Actor, current: string, next: string) {
  if (!(await checkOwnPassword(db, auth.accountId, actor.ip, current))) throw fieldError('currentPassword', 'wrong_password');
  if (!isStrongPassword(next)) throw fieldError('newPassword', 'weak_password');
  const hash = await hashPassword(next);
  await db.transaction().execute(async (tx) => {
    await tx.updateTable('accounts').set({ password_hash: hash, updated_at: new Date() }).where('id', '=', auth.accountId).execute();
    await tx.deleteFrom('sessions').where('account_id', '=', auth.accountId).where('id', '<>', auth.sessionId).execute();
    await appendAudit(tx, actor, { action: 'account.change_password', targetType: 'account', targetId: auth.accountId });
  });
}
