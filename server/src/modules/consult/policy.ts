import type { AuthContext } from '../../core/auth/context.js';
import { can } from '../../core/auth/roles.js';
import { isInScope } from '../../core/scope.js';

/**
 * Who may do what with a consultation's vote, decided in one place: the services
 * enforce it and GET /api/votes/:id returns it, so no client recomputes the rules.
 */
export const isConsultManager = (auth: AuthContext, scopePath: string) => can(auth.permissions, 'consult:manage') && isInScope(auth, scopePath);

export interface VoteState { status: 'draft' | 'open' | 'closed'; opens_at: Date | string | null; closes_at: Date | string | null; notice_until: Date | string | null }

export function voteAbilities(auth: AuthContext, v: VoteState, scopePath: string, myRooms: { voted: boolean }[], now = Date.now()) {
  const manager = isConsultManager(auth, scopePath);
  const accepting = v.status === 'open' && !(v.opens_at && new Date(v.opens_at).getTime() > now) && !(v.closes_at && new Date(v.closes_at).getTime() <= now);
  const inNotice = v.status === 'closed' && !!v.notice_until && new Date(v.notice_until).getTime() > now;
  return {
    edit: manager && v.status === 'draft',
    open: manager && v.status === 'draft',
    close: manager && v.status === 'open',
    enterPaperBallot: manager && v.status === 'open',
    castBallot: accepting && myRooms.some((r) => !r.voted),
    viewParticipation: manager,
    raiseObjection: inNotice,
    moveObjections: manager && v.status === 'closed',
  };
}
export type VoteAbilities = ReturnType<typeof voteAbilities>;
