/** Red Alliance (红色联盟): the three lists, projects, stations — shapes shared by the H5 and the console. */

export const NEED_CATEGORIES = ['goods', 'service', 'companionship', 'venue', 'tutoring', 'funds'] as const;
export type NeedCategory = (typeof NEED_CATEGORIES)[number];
export const RESOURCE_KINDS = ['goods', 'service', 'volunteer_hours', 'venue', 'funds', 'skills'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];
export const STATION_SERVICES = ['rest', 'water', 'charging', 'restroom', 'express', 'housekeeping'] as const;

/** The resource kind that goes with a category by default. */
export const KIND_OF_CATEGORY: Record<NeedCategory, ResourceKind> = {
  goods: 'goods', service: 'service', companionship: 'volunteer_hours', venue: 'venue', tutoring: 'skills', funds: 'funds',
};

export interface MatchReason { factor: 'category' | 'distance' | 'capacity' | 'reliability' | 'fairness'; score: number; weight: number; text: string }

export interface AllianceUnit {
  id: number; name: string; kind: string; kindName: string; isCommitteeUnit: boolean; committeeTerm: string | null; committee: string;
  status: 'pending' | 'verified' | 'rejected'; tags: string[]; contactName: string; contactPhone: string; lat: number | null; lng: number | null;
  record: { wishesClaimed: number; wishesFulfilled: number; projects: number; volunteerHours: number };
}

export interface Need {
  id: number; kind: 'wish' | 'collective'; wishId: number | null; title: string; description?: string | null; category: NeedCategory;
  urgency: number; quantity: number; deadline: string | null; value: number; status: 'open' | 'matched' | 'closed'; communityName: string | null;
}

export interface Resource {
  id: number; kind: ResourceKind; category: NeedCategory; title: string; description: string | null; capacity: number; used: number; remaining: number;
  valueCap: number | null; availableFrom: string | null; availableUntil: string | null; conditions: string | null; unitId: number | null; unitName: string | null;
}

export interface Suggestion { resourceId: number; resourceTitle: string; unitId: number | null; unitName: string | null; remaining: number; score: number; reasons: MatchReason[] }

export interface MatchingNeed { needId: number; wishId: number | null; title: string; category: NeedCategory; communityName: string | null; urgency: number; score: number; reasons: MatchReason[]; resourceId: number }

export interface ProjectSummary { id: number; title: string; description: string | null; status: 'planned' | 'active' | 'done' | 'cancelled'; budget: number; ownerUnit: string; partnerCount: number; progress: number; createdAt: string }

export interface Milestone { id: number; title: string; weight: number; dueOn: string | null; doneAt: string | null; note: string | null }

export interface Project extends Omit<ProjectSummary, 'partnerCount' | 'createdAt'> { needId: number | null; resourceId: number | null; partners: { id: number; name: string }[]; milestones: Milestone[] }

export interface Station {
  id: number; name: string; kind: 'fengxiaochao' | 'xiexiejiao'; kindName: string; lat: number; lng: number; address: string | null; openingHours: string | null;
  services: string[]; serviceNames: string[]; ownerUnit: string | null; checkins: number; distanceKm: number | null;
}

export interface ProposalItem { wishId: number; wishTitle: string; unitId: number; unitName: string; resourceId: number | null; score: number; acceptedAt: string | null; outcome: string | null }
export interface Proposal { id: number; seasonId: number; status: string; wishes: number; placed: number; cost: number; greedyCost: number; items: ProposalItem[] }

/** The reasons worth showing first: the strongest contributions. */
export function topReasons(reasons: MatchReason[], n = 2): MatchReason[] {
  return [...reasons].sort((a, b) => b.score * b.weight - a.score * a.weight).slice(0, n);
}
