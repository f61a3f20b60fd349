import { appendAudit, type Actor } from '../../core/audit.js';
import type { AuthContext } from '../../core/auth/context.js';
import type { Db, Executor } from '../../core/db.js';
import { fieldError, notFound } from '../../core/errors.js';
import { maskPhone } from '../../core/identity.js';
import { isInScope } from '../../core/scope.js';
import { requireCompound, type CompoundRow } from './compound-policy.js';
import { PARTY_KIND_NAMES, PARTY_KINDS, type PartyKind } from './compound-tables.js';
import { shanghaiDate } from './positions.js';

/**
 * The four parties of a compound (居委会, 业委会, 物业, 网格) and the posts people hold in them: the
 * compound page (who is who, how to reach them, who is a party member, who holds posts in several
 * parties) and the console's upkeep. Phones leave here masked, for workers and residents alike.
 */

export const PARTY_BADGE = '共产党员';

/**
 * The persons among `personIds` shown with the party badge (亮身份). Party membership lives on
 * accounts today — the party_member role, on the person's own account or on the account of the post —
 * so it is asked in this one function, which the party register will replace when it comes.
 */
export async function partyMembersAmong(db: Executor, posts: { person_id: number; account_id: number | null }[]) {
  const persons = [...new Set(posts.map((p) => p.person_id))];
  const accounts = [...new Set(posts.flatMap((p) => (p.account_id != null ? [p.account_id] : [])))];
  if (!persons.length) return new Set<number>();
  const rows = await db.selectFrom('accounts as a').innerJoin('account_roles as r', 'r.account_id', 'a.id')
    .select(['a.id', 'a.person_id']).where('r.role_code', '=', 'party_member').where('a.active', '=', true)
    .where((eb) => eb.or([eb('a.person_id', 'in', persons), ...(accounts.length ? [eb('a.id', 'in', accounts)] : [])])).execute();
  const members = new Set<number>();
  for (const r of rows) if (r.person_id != null) members.add(r.person_id);
  for (const p of posts) if (p.account_id != null && rows.some((r) => r.id === p.account_id)) members.add(p.person_id);
  return members;
}

const kindOrder = (k: string) => PARTY_KINDS.indexOf(k as PartyKind);

/** GET /api/compounds/:regionId/parties: the parties grouped by kind, their members, the party members and the cross-appointed. */
export async function compoundParties(db: Db, auth: AuthContext, regionId: number) {
  const { compound, relation } = await requireCompound(db, auth, regionId, 'page');
  const ids = compound.path.split('/').filter(Boolean).map(Number);
  const [community, parties, posts] = await Promise.all([
    db.selectFrom('regions').select(['id', 'name']).where('id', 'in', ids).where('level', '=', 'community').executeTakeFirst(),
    db.selectFrom('compound_parties as p').leftJoin('organisations as o', 'o.id', 'p.organisation_id').leftJoin('grids as g', 'g.id', 'p.grid_id')
      .select(['p.id', 'p.kind', 'p.name', 'p.office', 'p.hours', 'p.organisation_id', 'o.name as organisation_name', 'p.grid_id', 'g.name as grid_name', 'p.sort'])
      .where('p.compound_id', '=', compound.id).orderBy('p.sort').orderBy('p.id').execute(),
    db.selectFrom('compound_posts as s').innerJoin('persons as pe', 'pe.id', 's.person_id')
      .select(['s.id', 's.party_id', 's.person_id', 's.title', 's.since', 's.account_id', 'pe.name', 'pe.phone'])
      .where('s.compound_id', '=', compound.id).where('s.ended_on', 'is', null).orderBy('s.sort').orderBy('s.id').execute(),
  ]);
  const members = await partyMembersAmong(db, posts);
  const kindsOf = new Map<number, Set<string>>();
  for (const s of posts) {
    const kind = parties.find((p) => p.id === s.party_id)?.kind;
    if (kind) kindsOf.set(s.person_id, (kindsOf.get(s.person_id) ?? new Set()).add(kind));
  }
  const cross = (personId: number) => (kindsOf.get(personId)?.size ?? 0) >= 2;
  const badge = (personId: number) => ({ partyMember: members.has(personId), badge: members.has(personId) ? PARTY_BADGE : null });
  const presentMember = (s: (typeof posts)[number]) => ({
    postId: s.id, personId: s.person_id, name: s.name, title: s.title, since: s.since, phone: maskPhone(s.phone), ...badge(s.person_id),
    crossAppointed: cross(s.person_id), ...(relation.worker ? { accountId: s.account_id } : {}),
  });
  const presentParty = (p: (typeof parties)[number]) => ({
    id: p.id, kind: p.kind, kindName: PARTY_KIND_NAMES[p.kind], name: p.name, office: p.office, hours: p.hours,
    organisation: p.organisation_id != null ? { id: p.organisation_id, name: p.organisation_name ?? '' } : null,
    grid: p.grid_id != null ? { id: p.grid_id, name: p.grid_name ?? '' } : null,
    members: posts.filter((s) => s.party_id === p.id).map(presentMember),
  });
  const crossAppointments = [...kindsOf.keys()].filter(cross).map((personId) => {
    const held = posts.filter((s) => s.person_id === personId);
    return {
      personId, name: held[0].name, ...badge(personId),
      posts: held.map((s) => {
        const p = parties.find((x) => x.id === s.party_id)!;
        return { postId: s.id, partyId: p.id, kind: p.kind, kindName: PARTY_KIND_NAMES[p.kind], partyName: p.name, title: s.title };
      }).sort((a, b) => kindOrder(a.kind) - kindOrder(b.kind)),
    };
  });
  return {
    compound: { id: compound.id, name: compound.name, communityName: community?.name ?? null },
    viewer: relation.worker ? 'worker' : 'resident',
    abilities: { manage: relation.manage, meet: relation.meet, assess: relation.assess, rate: relation.resident },
    groups: PARTY_KINDS.map((kind) => ({ kind, kindName: PARTY_KIND_NAMES[kind], parties: parties.filter((p) => p.kind === kind).map(presentParty) })),
    crossAppointments,
    counts: {
      parties: parties.length, posts: posts.length, people: kindsOf.size,
      partyMembers: [...kindsOf.keys()].filter((id) => members.has(id)).length, crossAppointed: crossAppointments.length,
    },
  };
}

// ---- upkeep (compound:manage)

/** An active account whose scope is on the compound's line, and — when the account is a person's — that person's. */
export async function accountForCompound(db: Executor, compound: CompoundRow, accountId: number, field: string, personId?: number) {
  const a = await db.selectFrom('accounts as a').innerJoin('regions as g', 'g.id', 'a.scope_region_id')
    .select(['a.id', 'a.display_name', 'a.person_id', 'g.path']).where('a.id', '=', accountId).where('a.active', '=', true).executeTakeFirst();
  const line = a && (a.path.startsWith(compound.path) || compound.path.startsWith(a.path));
  if (!a || !line) throw fieldError(field, 'no_such_account');
  if (personId != null && a.person_id != null && a.person_id !== personId) throw fieldError(field, 'account_not_person');
  return a;
}

/** A person in the caller's scope (elsewhere answers like unknown, so that the check tells nothing about other communities). */
async function personInScope(db: Executor, auth: AuthContext, personId: number) {
  const p = await db.selectFrom('persons').select(['id', 'name', 'region_path']).where('id', '=', personId).executeTakeFirst();
  if (!p || !isInScope(auth, p.region_path)) throw fieldError('personId', 'no_such_person');
  return p;
}

/** The property company's organisation (or another party's): it exists and, when it has a region, that region is on the compound's line. */
async function checkOrganisation(db: Executor, compound: CompoundRow, organisationId: number) {
  const o = await db.selectFrom('organisations as o').leftJoin('regions as g', 'g.id', 'o.region_id').select(['o.id', 'g.path']).where('o.id', '=', organisationId).executeTakeFirst();
  if (!o || (o.path != null && !o.path.startsWith(compound.path) && !compound.path.startsWith(o.path))) throw fieldError('organisationId', 'no_such_org');
}

/** A grid party's grid covers the compound or some of its buildings. */
async function checkGrid(db: Executor, compound: CompoundRow, kind: string, gridId: number) {
  if (kind !== 'grid') throw fieldError('gridId', 'grid_only');
  const covers = await db.selectFrom('grid_regions as gr').innerJoin('regions as g', 'g.id', 'gr.region_id').select('gr.grid_id')
    .where('gr.grid_id', '=', gridId).where('g.path', 'like', `${compound.path}%`).executeTakeFirst();
  if (!covers) throw fieldError('gridId', 'no_such_grid');
}

export interface PartyInput { kind?: PartyKind; name?: string; organisationId?: number | null; gridId?: number | null; office?: string | null; hours?: string | null; sort?: number }

export async function createParty(db: Db, auth: AuthContext, actor: Actor, regionId: number, b: PartyInput & { kind: PartyKind; name: string }) {
  return db.transaction().execute(async (tx) => {
    const { compound } = await requireCompound(tx, auth, regionId, 'manage');
    if (b.organisationId != null) await checkOrganisation(tx, compound, b.organisationId);
    if (b.gridId != null) await checkGrid(tx, compound, b.kind, b.gridId);
    const row = await tx.insertInto('compound_parties').values({
      compound_id: compound.id, compound_path: compound.path, kind: b.kind, name: b.name, organisation_id: b.organisationId ?? null, grid_id: b.gridId ?? null,
      office: b.office ?? null, hours: b.hours ?? null, sort: b.sort ?? 0,
    }).onConflict((oc) => oc.columns(['compound_id', 'kind', 'name']).doNothing()).returning('id').executeTakeFirst();
    if (!row) throw fieldError('name', 'taken', undefined, 409);
    await appendAudit(tx, actor, { action: 'compound_party.create', targetType: 'compound_party', targetId: row.id, summary: { compoundId: compound.id, kind: b.kind, name: b.name } });
    return { id: row.id };
  });
}

async function loadParty(db: Executor, id: number) {
  return db.selectFrom('compound_parties').select(['id', 'compound_id', 'kind', 'name']).where('id', '=', id).executeTakeFirst();
}

export async function updateParty(db: Db, auth: AuthContext, actor: Actor, id: number, b: PartyInput) {
  return db.transaction().execute(async (tx) => {
    const p = await loadParty(tx, id);
    if (!p) throw notFound();
    const { compound } = await requireCompound(tx, auth, p.compound_id, 'manage');
    if (b.organisationId != null) await checkOrganisation(tx, compound, b.organisationId);
    if (b.gridId != null) await checkGrid(tx, compound, p.kind, b.gridId);
    if (b.name != null && b.name !== p.name) {
      const taken = await tx.selectFrom('compound_parties').select('id').where('compound_id', '=', p.compound_id).where('kind', '=', p.kind).where('name', '=', b.name).executeTakeFirst();
      if (taken) throw fieldError('name', 'taken', undefined, 409);
    }
    const cols = { name: 'name', organisationId: 'organisation_id', gridId: 'grid_id', office: 'office', hours: 'hours', sort: 'sort' } as const;
    const set: Record<string, unknown> = { updated_at: new Date() };
    for (const [k, col] of Object.entries(cols)) if (b[k as keyof typeof cols] !== undefined) set[col] = b[k as keyof typeof cols];
    await tx.updateTable('compound_parties').set(set).where('id', '=', id).execute();
    await appendAudit(tx, actor, { action: 'compound_party.update', targetType: 'compound_party', targetId: id, summary: { name: p.name, changed: Object.keys(b) } });
    return { id };
  });
}

export interface PostInput { personId?: number; title?: string; since?: string | null; accountId?: number | null; endedOn?: string | null; sort?: number }

export async function createPost(db: Db, auth: AuthContext, actor: Actor, partyId: number, b: PostInput & { personId: number; title: string }) {
  return db.transaction().execute(async (tx) => {
    const p = await loadParty(tx, partyId);
    if (!p) throw notFound();
    const { compound } = await requireCompound(tx, auth, p.compound_id, 'manage');
    const person = await personInScope(tx, auth, b.personId);
    if (b.accountId != null) await accountForCompound(tx, compound, b.accountId, 'accountId', person.id);
    const row = await tx.insertInto('compound_posts').values({
      party_id: p.id, compound_id: compound.id, person_id: person.id, title: b.title, since: b.since ?? null, account_id: b.accountId ?? null, sort: b.sort ?? 0,
    }).onConflict((oc) => oc.columns(['party_id', 'person_id']).where('ended_on', 'is', null).doNothing()).returning('id').executeTakeFirst();
    if (!row) throw fieldError('personId', 'post_held', undefined, 409);
    await appendAudit(tx, actor, { action: 'compound_post.create', targetType: 'compound_post', targetId: row.id, summary: { partyId: p.id, personId: person.id, title: b.title } });
    return { id: row.id };
  });
}

export async function updatePost(db: Db, auth: AuthContext, actor: Actor, id: number, b: PostInput) {
  return db.transaction().execute(async (tx) => {
    const s = await tx.selectFrom('compound_posts').select(['id', 'compound_id', 'person_id', 'title', 'ended_on']).where('id', '=', id).executeTakeFirst();
    if (!s) throw notFound();
    const { compound } = await requireCompound(tx, auth, s.compound_id, 'manage');
    if (b.accountId != null) await accountForCompound(tx, compound, b.accountId, 'accountId', s.person_id);
    // An ended post is history: it ends on a day that has come, once.
    if (b.endedOn != null && b.endedOn > shanghaiDate(new Date())) throw fieldError('endedOn', 'date_in_future');
    if (b.endedOn !== undefined && s.ended_on != null) throw fieldError('endedOn', 'post_ended', undefined, 409);
    const cols = { title: 'title', since: 'since', accountId: 'account_id', endedOn: 'ended_on', sort: 'sort' } as const;
    const set: Record<string, unknown> = { updated_at: new Date() };
    for (const [k, col] of Object.entries(cols)) if (b[k as keyof typeof cols] !== undefined) set[col] = b[k as keyof typeof cols];
    await tx.updateTable('compound_posts').set(set).where('id', '=', id).execute();
    await appendAudit(tx, actor, { action: 'compound_post.update', targetType: 'compound_post', targetId: id, summary: { title: s.title, changed: Object.keys(b) } });
    return { id };
  });
}

/** The live posts of a compound by id (meetings name their attendees and follow-up owners by post). */
export async function postsOf(db: Executor, compoundId: number, ids: number[]) {
  if (!ids.length) return [];
  return db.selectFrom('compound_posts as s').innerJoin('compound_parties as p', 'p.id', 's.party_id').innerJoin('persons as pe', 'pe.id', 's.person_id')
    .select(['s.id', 's.account_id', 's.title', 's.ended_on', 'pe.name', 'p.name as party_name', 'p.kind'])
    .where('s.compound_id', '=', compoundId).where('s.id', 'in', ids).execute();
}
