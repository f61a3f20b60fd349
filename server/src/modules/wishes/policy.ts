import type { AuthContext } from '../../core/auth/context.js';
import { can } from '../../core/auth/roles.js';
import { AppError, notFound, outOfScope } from '../../core/errors.js';
import { isInScope } from '../../core/scope.js';
import type { WishStatus } from '../../core/schema.js';

/**
 * Who may do what with one wish, decided in one place for every read and write.
 * Every relation — worker, submitter, beneficiary, claimer — holds only inside the
 * caller's data scope: "I submitted it" or "I claimed it" never replaces "it is in my scope".
 */
export interface WishAccessRow { region_path: string; status: WishStatus; submitted_by: number | null; beneficiary_person_id: number | null }
export interface ClaimRef { claimerId: number; status: string }

/** Wish states the public (and anyone without a relation to the wish) may see. */
export const PUBLIC_STATUSES = ['published', 'claimed', 'fulfilled', 'confirmed'] as const;
export const isPublicStatus = (s: string) => (PUBLIC_STATUSES as readonly string[]).includes(s);

/** Minutes a claim must stand before the claimer may read the beneficiary's contact details. */
export const CONTACT_AFTER_MINUTES = 30;

export function wishRelation(auth: AuthContext | null, w: WishAccessRow, claim?: ClaimRef | null) {
  const inScope = !!auth && isInScope(auth, w.region_path);
  const worker = (perm: 'wish:read' | 'wish:enter' | 'wish:review') => inScope && can(auth!.permissions, perm);
  const own = inScope && (w.submitted_by === auth!.accountId || (auth!.personId != null && auth!.personId === w.beneficiary_person_id));
  const claimer = inScope && !!claim && claim.claimerId === auth!.accountId;
  return { inScope, worker, own, claimer };
}

/** What the caller may do with the wish; the API returns it so that no client recomputes the rules. */
export function wishAbilities(auth: AuthContext | null, w: WishAccessRow, claim?: ClaimRef | null) {
  const r = wishRelation(auth, w, claim);
  const open = w.status === 'published';
  const unclaimed = w.status === 'pending_review' || open;
  const liveClaimer = r.claimer && claim?.status === 'live';
  return {
    read: r.worker('wish:read') || r.own || r.claimer || isPublicStatus(w.status),
    readPrivate: r.worker('wish:read') || r.own,
    edit: (r.worker('wish:review') && unclaimed) || (r.own && w.status === 'pending_review'),
    withdraw: unclaimed && (r.worker('wish:review') || r.own),
    addPhotos: unclaimed && (r.worker('wish:enter') || r.own),
    review: w.status === 'pending_review' && r.worker('wish:review'),
    revokeClaim: w.status === 'claimed' && r.worker('wish:review'),
    claim: open && r.inScope && !!auth && can(auth.permissions, 'wish:claim'),
    withdrawClaim: !!liveClaimer && w.status === 'claimed',
    fulfil: !!liveClaimer && w.status === 'claimed',
    contact: (r.claimer && ['claimed', 'fulfilled', 'confirmed'].includes(w.status)) || r.worker('wish:read'),
    confirm: w.status === 'fulfilled' && (r.own || r.worker('wish:review')),
  };
}
export type WishAbilities = ReturnType<typeof wishAbilities>;

const ALL_STATUSES: WishStatus[] = ['pending_review', 'published', 'rejected', 'claimed', 'fulfilled', 'confirmed', 'withdrawn'];

/**
 * Throws unless the caller may take the action now: 404 when the caller may not even
 * see the wish, 403 when out of scope or without the right, 409 when the right is
 * there but the wish's state does not allow it.
 */
export function requireWishAbility(auth: AuthContext | null, w: WishAccessRow, action: keyof WishAbilities, claim?: ClaimRef | null) {
  const abilities = wishAbilities(auth, w, claim);
  if (abilities[action]) return abilities;
  if (!abilities.read) throw notFound();
  if (!wishRelation(auth, w, claim).inScope) throw outOfScope();
  if (ALL_STATUSES.some((status) => wishAbilities(auth, { ...w, status }, claim)[action])) throw new AppError(409, 'wish_state', 'wish_state', { status: w.status });
  throw new AppError(403, 'forbidden');
}
