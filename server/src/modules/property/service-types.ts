import type { Actor } from '../../core/audit.js';
import { appendAudit } from '../../core/audit.js';
import type { Db, Executor } from '../../core/db.js';
import { fieldError, notFound } from '../../core/errors.js';
import type { AttributeDef, RequestTeam } from './requests-tables.js';
import { TEAM_NAMES } from './service-requests.js';
import './requests-tables.js';

/**
 * Service categories managed in the console. Categories are district-wide (no region), so only holders
 * of service-type:manage write them. The code is the public key (Open311 service_code) and never changes;
 * a category is deactivated, never deleted, so old requests keep theirs.
 */

export interface ServiceTypeInput {
  code: string; name: string; group: string; description?: string | null; slaHours: number; team: RequestTeam;
  allianceUnitId?: number | null; attributes: AttributeDef[]; keywords?: string | null; sort?: number;
}
export type ServiceTypePatch = Partial<Omit<ServiceTypeInput, 'code'>> & { active?: boolean };

const parseAttrs = (a: unknown) => (typeof a === 'string' ? JSON.parse(a) : a) as AttributeDef[];

/** Every category, inactive ones too, for the console. */
export async function listManagedServiceTypes(db: Executor) {
  const rows = await db.selectFrom('service_types as t').leftJoin('alliance_units as u', 'u.id', 't.alliance_unit_id')
    .select(['t.id', 't.code', 't.name', 't.group_name', 't.description', 't.sla_hours', 't.team', 't.alliance_unit_id', 't.attributes', 't.keywords', 't.active', 't.sort', 'u.name as unit_name'])
    .orderBy('t.sort').orderBy('t.id').execute();
  return rows.map((t) => ({
    id: t.id, code: t.code, name: t.name, group: t.group_name, description: t.description, slaHours: t.sla_hours, team: t.team,
    teamName: t.team === 'alliance' && t.unit_name ? t.unit_name : TEAM_NAMES[t.team], allianceUnitId: t.alliance_unit_id,
    attributes: parseAttrs(t.attributes), keywords: t.keywords, active: t.active, sort: t.sort,
  }));
}

/** Alliance categories name an active alliance unit; the others name none (the table's check says the same). */
async function checkTeam(tx: Executor, team: RequestTeam, unitId: number | null | undefined) {
  if (team !== 'alliance') { if (unitId != null) throw fieldError('allianceUnitId', 'invalid'); return null; }
  if (unitId == null) throw fieldError('allianceUnitId', 'required');
  const u = await tx.selectFrom('alliance_units').select('id').where('id', '=', unitId).executeTakeFirst();
  if (!u) throw fieldError('allianceUnitId', 'no_such_unit');
  return u.id;
}

export async function createServiceType(db: Db, actor: Actor, b: ServiceTypeInput) {
  return db.transaction().execute(async (tx) => {
    const unitId = await checkTeam(tx, b.team, b.allianceUnitId);
    // The unique index decides a race between two creators; this read gives the usual case a field error.
    if (await tx.selectFrom('service_types').select('id').where('code', '=', b.code).executeTakeFirst()) throw fieldError('code', 'taken', undefined, 409);
    const row = await tx.insertInto('service_types').values({
      code: b.code, name: b.name, group_name: b.group, description: b.description ?? null, sla_hours: b.slaHours, team: b.team, alliance_unit_id: unitId,
      attributes: JSON.stringify(b.attributes), keywords: b.keywords ?? null, sort: b.sort ?? 0,
    }).returning(['id', 'code']).executeTakeFirstOrThrow()
      .catch((err: { code?: string }) => { throw err?.code === '23505' ? fieldError('code', 'taken', undefined, 409) : err; });
    await appendAudit(tx, actor, { action: 'service_type.create', targetType: 'service_type', targetId: row.id, summary: { code: b.code, name: b.name, slaHours: b.slaHours, team: b.team } });
    return row;
  });
}

/** Changes apply to new requests; a request keeps the SLA and team it was filed with. */
export async function updateServiceType(db: Db, actor: Actor, code: string, b: ServiceTypePatch) {
  return db.transaction().execute(async (tx) => {
    const t = await tx.selectFrom('service_types').selectAll().where('code', '=', code).forUpdate().executeTakeFirst();
    if (!t) throw notFound();
    const team = b.team ?? t.team;
    const unitId = await checkTeam(tx, team, b.allianceUnitId !== undefined ? b.allianceUnitId : b.team && b.team !== 'alliance' ? null : t.alliance_unit_id);
    await tx.updateTable('service_types').set({
      ...(b.name !== undefined && { name: b.name }), ...(b.group !== undefined && { group_name: b.group }),
      ...(b.description !== undefined && { description: b.description }), ...(b.slaHours !== undefined && { sla_hours: b.slaHours }),
      team, alliance_unit_id: unitId, ...(b.attributes !== undefined && { attributes: JSON.stringify(b.attributes) }),
      ...(b.keywords !== undefined && { keywords: b.keywords }), ...(b.sort !== undefined && { sort: b.sort }), ...(b.active !== undefined && { active: b.active }),
    }).where('id', '=', t.id).execute();
    const action = b.active === false && t.active ? 'service_type.deactivate' : b.active === true && !t.active ? 'service_type.reactivate' : 'service_type.update';
    await appendAudit(tx, actor, { action, targetType: 'service_type', targetId: t.id, summary: { code, changed: Object.keys(b) } });
    return { id: t.id, code };
  });
}
