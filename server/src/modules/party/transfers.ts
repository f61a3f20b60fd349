import type { AuthContext } from '../../core/auth/context.js';
import { appendAudit, type Actor } from '../../core/audit.js';
import type { Db, Executor } from '../../core/db.js';
import { AppError, fieldError, notFound, outOfScope } from '../../core/errors.js';
import { paginate, type PageQuery } from '../../core/paging.js';
import { canDecideTransfer, checkMember, transferInScope, membersFrom, partyOrgField, partyOrgInScope } from './access.js';
import { TRANSFER_STATUS_NAMES, type TransferStatus } from './tables.js';

/**
 * Organisation relation transfers (组织关系转接): the sending side asks, the receiving organisation's
 * side accepts or rejects, and the member moves only on acceptance. A transfer is decided once: the
 * decision is a conditional update on status = 'pending', so of two concurrent accepts one wins.
 */

function selectTransfers(db: Executor) {
  return db.selectFrom('party_transfers as t')
    .innerJoin('party_members as m', 'm.id', 't.member_id')
    .innerJoin('organisations as fo', 'fo.id', 't.from_org_id').innerJoin('regions as fr', 'fr.id', 'fo.region_id')
    .innerJoin('organisations as tor', 'tor.id', 't.to_org_id').innerJoin('regions as tr', 'tr.id', 'tor.region_id')
    .select([
      't.id', 't.status', 't.reason', 't.requested_at', 't.decided_at', 't.decision_note', 'm.id as member_id', 'm.name as member_name',
      'fo.id as from_id', 'fo.name as from_name', 'fr.path as fromRegionPath', 'tor.id as to_id', 'tor.name as to_name', 'tr.path as toRegionPath',
    ]);
}
type TransferRow = NonNullable<Awaited<ReturnType<ReturnType<typeof selectTransfers>['executeTakeFirst']>>>;

function presentTransfer(t: TransferRow) {
  return {
    id: t.id, member: { id: t.member_id, name: t.member_name }, from: { id: t.from_id, name: t.from_name }, to: { id: t.to_id, name: t.to_name },
    status: t.status, statusName: TRANSFER_STATUS_NAMES[t.status], reason: t.reason, requestedAt: t.requested_at, decidedAt: t.decided_at, decisionNote: t.decision_note,
  };
}

const loadTransfer = (db: Executor, id: number) => selectTransfers(db).where('t.id', '=', id).executeTakeFirst();

export interface TransferInput { memberId: number; toOrganisationId: number; reason?: string | null }

/** 转出: the member's organisation side asks to move the member to another party organisation (anywhere in the district). */
export async function requestTransfer(db: Db, auth: AuthContext, actor: Actor, input: TransferInput) {
  return db.transaction().execute(async (tx) => {
    const m = await membersFrom(tx).select(['m.id', 'm.organisation_id', 'ro.path as orgPath', 'rc.path as reportPath'])
      .where('m.id', '=', input.memberId).executeTakeFirst();
    if (!m) throw fieldError('memberId', 'no_such_member');
    checkMember(auth, m, 'change');
    const to = await partyOrgField(tx, 'toOrganisationId', input.toOrganisationId);
    if (to.id === m.organisation_id) throw fieldError('toOrganisationId', 'same_org');
    if (await tx.selectFrom('party_transfers').select('id').where('member_id', '=', m.id).where('status', '=', 'pending').executeTakeFirst()) {
      throw fieldError('memberId', 'transfer_pending', undefined, 409);
    }
    const row = await tx.insertInto('party_transfers').values({
      member_id: m.id, from_org_id: m.organisation_id, to_org_id: to.id, reason: input.reason ?? null, requested_by: auth.accountId,
    }).returning('id').executeTakeFirstOrThrow();
    await appendAudit(tx, actor, { action: 'party_transfer.request', targetType: 'party_transfer', targetId: row.id, summary: { memberId: m.id, from: m.organisation_id, to: to.id } });
    return presentTransfer((await loadTransfer(tx, row.id))!);
  });
}

/** 接收 or 退回 by the receiving side. The member's organisation changes in the same transaction as the decision. */
export async function decideTransfer(db: Db, auth: AuthContext, actor: Actor, id: number, decision: 'accepted' | 'rejected', note?: string | null) {
  return db.transaction().execute(async (tx) => {
    const t = await loadTransfer(tx, id);
    if (!t) throw notFound();
    if (!canDecideTransfer(auth, t)) throw outOfScope();
    const won = await tx.updateTable('party_transfers')
      .set({ status: decision, decided_by: auth.accountId, decided_at: new Date(), decision_note: note ?? null })
      .where('id', '=', id).where('status', '=', 'pending')
      .returning(['member_id', 'from_org_id', 'to_org_id']).executeTakeFirst();
    if (!won) throw new AppError(409, 'transfer_decided', 'transfer_decided');
    if (decision === 'accepted') {
      await tx.updateTable('party_members').set({ organisation_id: won.to_org_id, updated_at: new Date() })
        .where('id', '=', won.member_id).where('organisation_id', '=', won.from_org_id).execute();
    }
    await appendAudit(tx, actor, { action: `party_transfer.${decision === 'accepted' ? 'accept' : 'reject'}`, targetType: 'party_transfer', targetId: id, summary: { memberId: won.member_id, from: won.from_org_id, to: won.to_org_id, note: note ?? null } });
    return presentTransfer((await loadTransfer(tx, id))!);
  });
}

export interface TransferFilter { organisationId?: number; direction?: 'in' | 'out'; status?: TransferStatus }

/** Transfers either side of which is in the caller's scope; for one organisation, those into it (in), out of it (out), or both. */
export async function listTransfers(db: Db, auth: AuthContext, filter: TransferFilter, page: PageQuery) {
  let q = selectTransfers(db).where(transferInScope(auth));
  if (filter.organisationId) {
    const org = await partyOrgInScope(db, auth, 'organisationId', filter.organisationId);
    if (filter.direction === 'in') q = q.where('t.to_org_id', '=', org.id);
    else if (filter.direction === 'out') q = q.where('t.from_org_id', '=', org.id);
    else q = q.where((eb) => eb.or([eb('t.to_org_id', '=', org.id), eb('t.from_org_id', '=', org.id)]));
  }
  if (filter.status) q = q.where('t.status', '=', filter.status);
  const res = await paginate(q.orderBy('t.id', 'desc'), page);
  return { ...res, items: res.items.map(presentTransfer) };
}
