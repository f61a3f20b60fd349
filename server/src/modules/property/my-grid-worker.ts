import type { Actor } from '../../core/audit.js';
import { logPersonalDataAccess } from '../../core/audit.js';
import type { AuthContext } from '../../core/auth/context.js';
import type { Db } from '../../core/db.js';
import { gridsCovering } from '../regions/grids-covering.js';

/**
 * "Call my grid worker" (the H5's elder home): whom a resident rings about their own home. The
 * grid worker's post in the four parties of the resident's compound, else the grid's worker
 * accounts, else the compound's residents' committee — the community's own number. These are
 * duty phones for the residents of the grid, so they leave here whole (the compound page masks
 * them), only for the caller's own home, and each read is logged.
 */
export async function myGridWorker(db: Db, auth: AuthContext, actor: Actor) {
  const none = { grid: null, contacts: [] };
  if (!auth.personId) return none;
  const me = await db.selectFrom('persons').select('region_path').where('id', '=', auth.personId).executeTakeFirst();
  if (!me) return none;
  const gridId = (await gridsCovering(db, [me.region_path])).get(me.region_path) ?? null;
  const grid = gridId != null ? await db.selectFrom('grids').select(['id', 'name']).where('id', '=', gridId).executeTakeFirst() ?? null : null;
  const ancestors = me.region_path.split('/').filter(Boolean).map(Number);

  const posts = (kind: 'grid' | 'residents_committee') => {
    let q = db.selectFrom('compound_posts as s').innerJoin('compound_parties as p', 'p.id', 's.party_id').innerJoin('persons as pe', 'pe.id', 's.person_id')
      .select(['s.person_id', 'pe.name', 'pe.phone', 's.title', 'p.office', 'p.hours'])
      .where('p.kind', '=', kind).where('s.ended_on', 'is', null).where('pe.phone', 'is not', null)
      .where('s.compound_id', 'in', ancestors).orderBy('s.sort').orderBy('s.id').limit(3);
    if (kind === 'grid') q = q.where('p.grid_id', '=', gridId);
    return q.execute();
  };
  let contacts: { kind: 'grid' | 'residents_committee'; personId: number | null; name: string; title: string; phone: string; office: string | null; hours: string | null }[] = [];
  if (gridId != null) {
    contacts = (await posts('grid')).map((r) => ({ kind: 'grid' as const, personId: r.person_id, name: r.name, title: r.title, phone: r.phone!, office: r.office, hours: r.hours }));
    if (!contacts.length) {
      const workers = await db.selectFrom('grid_workers as w').innerJoin('accounts as a', 'a.id', 'w.account_id')
        .select(['a.display_name', 'a.phone']).where('w.grid_id', '=', gridId).where('a.active', '=', true).where('a.phone', 'is not', null).orderBy('a.id').limit(3).execute();
      contacts = workers.map((w) => ({ kind: 'grid' as const, personId: null, name: w.display_name, title: '网格员', phone: w.phone!, office: null, hours: null }));
    }
  }
  if (!contacts.length) {
    contacts = (await posts('residents_committee')).map((r) => ({ kind: 'residents_committee' as const, personId: r.person_id, name: r.name, title: r.title, phone: r.phone!, office: r.office, hours: r.hours }));
  }
  if (contacts.length) {
    await logPersonalDataAccess(db, {
      actor_id: auth.accountId, kind: 'unmask', target_type: 'person', target_id: contacts.map((c) => c.personId ?? '').join(',') || null,
      fields: ['name', 'phone'], purpose: '居民联系本网格网格员', ip: actor.ip, request_id: actor.requestId,
    });
  }
  return { grid, contacts: contacts.map(({ personId: _p, ...c }) => c) };
}
