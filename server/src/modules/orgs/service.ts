import type { AuthContext } from '../../core/auth/context.js';
import { appendAudit, type Actor } from '../../core/audit.js';
import type { Db } from '../../core/db.js';
import { fieldError, notFound, outOfScope } from '../../core/errors.js';
import { inScope, isInScope, regionFieldInScope } from '../../core/scope.js';
import type { OrgKind } from '../../core/schema.js';

export const ORG_KIND_NAMES: Record<OrgKind, string> = {
  party_working_committee: '党工委', party_committee: '党委', general_branch: '党总支', branch: '党支部',
  enterprise: '企业', social_org: '社会组织', institution: '机关事业单位',
};

interface OrgNode { id: number; parentId: number | null; kind: OrgKind; kindName: string; name: string; code: string; regionId: number | null; regionName: string | null; children: OrgNode[] }

/**
 * Organisations attached to regions in the caller's scope, as a forest. An
 * organisation whose parent lies outside the scope becomes a root.
 */
export async function orgTree(db: Db, auth: AuthContext): Promise<OrgNode[]> {
  const rows = await db.selectFrom('organisations as o').innerJoin('regions as r', 'r.id', 'o.region_id')
    .select(['o.id', 'o.parent_id', 'o.kind', 'o.name', 'o.code', 'o.region_id', 'r.name as region_name'])
    .where(inScope(auth, 'r.path')).orderBy('o.path').execute();
  const nodes = new Map<number, OrgNode>();
  for (const o of rows) nodes.set(o.id, { id: o.id, parentId: o.parent_id, kind: o.kind, kindName: ORG_KIND_NAMES[o.kind], name: o.name, code: o.code, regionId: o.region_id, regionName: o.region_name, children: [] });
  const roots: OrgNode[] = [];
  for (const n of nodes.values()) {
    const parent = n.parentId != null ? nodes.get(n.parentId) : undefined;
    if (parent) parent.children.push(n); else roots.push(n);
  }
  return roots;
}

export interface OrgInput { parentId?: number | null; kind: OrgKind; name: string; code: string; regionId: number }

export async function createOrg(db: Db, auth: AuthContext, actor: Actor, input: OrgInput) {
  return db.transaction().execute(async (tx) => {
    await regionFieldInScope(tx, auth, 'regionId', input.regionId);
    let parentPath = '/';
    if (input.parentId) {
      const parent = await tx.selectFrom('organisations as o').innerJoin('regions as r', 'r.id', 'o.region_id')
        .select(['o.path', 'r.path as region_path']).where('o.id', '=', input.parentId).executeTakeFirst();
      if (!parent) throw fieldError('parentId', 'no_such_org');
      if (!isInScope(auth, parent.region_path)) throw outOfScope();
      parentPath = parent.path;
    }
    if (await tx.selectFrom('organisations').select('id').where('code', '=', input.code).executeTakeFirst()) throw fieldError('code', 'taken', undefined, 409);
    const row = await tx.insertInto('organisations').values({
      parent_id: input.parentId ?? null, kind: input.kind, name: input.name, code: input.code, region_id: input.regionId, path: '',
    }).returning('id').executeTakeFirstOrThrow();
    await tx.updateTable('organisations').set({ path: `${parentPath}${row.id}/` }).where('id', '=', row.id).execute();
    await appendAudit(tx, actor, { action: 'org.create', targetType: 'organisation', targetId: row.id, summary: { ...input } });
    return { id: row.id, ...input, kindName: ORG_KIND_NAMES[input.kind] };
  });
}

export async function updateOrg(db: Db, auth: AuthContext, actor: Actor, id: number, patch: { name?: string }) {
  return db.transaction().execute(async (tx) => {
    const o = await tx.selectFrom('organisations as o').innerJoin('regions as r', 'r.id', 'o.region_id')
      .select(['o.id', 'o.name', 'r.path']).where('o.id', '=', id).executeTakeFirst();
    if (!o) throw notFound();
    if (!isInScope(auth, o.path)) throw outOfScope();
    await tx.updateTable('organisations').set(patch).where('id', '=', id).execute();
    await appendAudit(tx, actor, { action: 'org.update', targetType: 'organisation', targetId: id, summary: { name: { from: o.name, to: patch.name } } });
    return { id, ...patch };
  });
}
