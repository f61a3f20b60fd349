import type { AuthContext } from '../../core/auth/context.js';
import { can } from '../../core/auth/roles.js';
import { AppError, notFound, outOfScope } from '../../core/errors.js';
import { isInScope } from '../../core/scope.js';
import type { RequestStatus, RequestTeam } from './requests-tables.js';

/**
 * Who may do what with one service request, decided here for every read and write.
 * Every relation — requester, handling-team member, assignee, dispatcher — holds only
 * inside the caller's data scope: "I submitted it" never replaces "it is in my scope".
 */
export interface RequestAccessRow {
  region_path: string; status: RequestStatus; team: RequestTeam; requester_account_id: number | null; requester_person_id: number | null;
  assignee_id: number | null; submitted_by: number | null; unit_org_id: number | null;
}

export const OPEN_STATUSES: RequestStatus[] = ['submitted', 'accepted', 'assigned', 'in_progress'];
export const ALL_STATUSES: RequestStatus[] = ['submitted', 'accepted', 'assigned', 'in_progress', 'done', 'rated', 'closed'];
/** Days after "done" in which the requester may reopen. */
export const REOPEN_DAYS = 7;
/** Minutes between two urges of one request. */
export const URGE_MINUTES = 30;

/** Property staff dispatch only their company's requests; community and street workers dispatch every request in scope. */
const propertyOnly = (auth: AuthContext) => !can(auth.permissions, '*') && auth.roles.includes('property_staff')
  && !auth.roles.some((r) => r === 'community_worker' || r === 'street_worker');

export function requestRelation(auth: AuthContext | null, r: RequestAccessRow) {
  const inScope = !!auth && isInScope(auth, r.region_path);
  if (!inScope) return { inScope, requester: false, worker: false, dispatcher: false, teamMember: false, assignee: false, submitter: false };
  const a = auth!;
  const worker = can(a.permissions, 'request:handle');
  const dispatcher = can(a.permissions, 'request:dispatch') && (r.team === 'property' || !propertyOnly(a));
  const teamMember = worker && (
    r.team === 'property' ? a.roles.includes('property_staff')
      : r.team === 'community' ? a.roles.some((x) => x === 'community_worker' || x === 'grid_worker')
        : a.organisationId != null && a.organisationId === r.unit_org_id);
  return {
    inScope,
    requester: r.requester_account_id === a.accountId || (a.personId != null && a.personId === r.requester_person_id),
    worker, dispatcher, teamMember,
    assignee: r.assignee_id === a.accountId,
    submitter: r.submitted_by === a.accountId,
  };
}

/** What the caller may do with the request now; GET /api/service-requests/:id returns it so that no client recomputes the rules. */
export function requestAbilities(auth: AuthContext | null, r: RequestAccessRow) {
  const x = requestRelation(auth, r);
  const open = OPEN_STATUSES.includes(r.status);
  const handler = x.worker || x.dispatcher || x.teamMember || x.assignee;
  return {
    read: handler || x.requester || x.submitter,
    readContact: handler,
    addPhotos: r.status === 'submitted' && (x.requester || x.submitter),
    accept: r.status === 'submitted' && (x.dispatcher || x.teamMember),
    assign: (r.status === 'accepted' || r.status === 'assigned') && x.dispatcher,
    grab: r.status === 'accepted' && r.assignee_id == null && x.teamMember,
    start: r.status === 'assigned' && x.assignee,
    done: r.status === 'in_progress' && (x.assignee || x.dispatcher),
    rate: r.status === 'done' && x.requester,
    close: r.status !== 'closed' && x.dispatcher,
    reopen: (r.status === 'done' || r.status === 'rated' || r.status === 'closed') && x.requester,
    urge: open && x.requester,
  };
}
export type RequestAbilities = ReturnType<typeof requestAbilities>;

/**
 * Throws unless the caller may take the action now: 404 when the caller may not even see the
 * request, 403 when out of scope or without the right, 409 when the right is there but the state is wrong.
 */
export function requireRequestAbility(auth: AuthContext | null, r: RequestAccessRow, action: keyof RequestAbilities) {
  const abilities = requestAbilities(auth, r);
  if (abilities[action]) return abilities;
  if (!abilities.read) throw requestRelation(auth, r).inScope ? notFound() : notFoundOrOutOfScope(auth, r);
  if (ALL_STATUSES.some((status) => requestAbilities(auth, { ...r, status, assignee_id: action === 'grab' ? null : r.assignee_id })[action])) {
    throw new AppError(409, 'request_state', 'request_state', { status: r.status });
  }
  throw new AppError(403, 'forbidden');
}

/** Out of scope is 403 for workers of elsewhere (they know such records exist) and 404 for everyone else. */
function notFoundOrOutOfScope(auth: AuthContext | null, _r: RequestAccessRow) {
  return auth && can(auth.permissions, 'request:handle') ? outOfScope() : notFound();
}
