/** Shapes of the JSON the server answers (see the route files under server/src). */

export type RegionLevel = 'district' | 'street' | 'community' | 'compound' | 'building' | 'unit' | 'room';
export const REGION_LEVELS: RegionLevel[] = ['district', 'street', 'community', 'compound', 'building', 'unit', 'room'];

export interface Page<T> { items: T[]; total: number; page: number; pageSize: number }

export interface RoleRef { code: string; nameZh: string; nameEn: string }

export interface Region {
  id: number;
  parentId: number | null;
  level: RegionLevel;
  code: string;
  name: string;
  floor?: number | null;
  area?: number | null;
  childCount?: number;
}

export interface RegionNode extends Region { children: RegionNode[] }

export interface RegionCounts {
  streets: number; communities: number; compounds: number; buildings: number; rooms: number; households: number; residents: number;
}

export interface RegionDetail extends Region { ancestors: Region[]; counts: RegionCounts }

export interface Me {
  account: { id: number; username: string; displayName: string; phone: string | null };
  person: { id: number; name: string; sex: 'M' | 'F'; householdId: number | null; address: string | null; community: { id: number; name: string } | null } | null;
  organisation: { id: number; name: string; kind: string } | null;
  roles: RoleRef[];
  permissions: string[];
  scope: Region | null;
}

export interface LoginResult extends Me { token: string; csrfToken: string; expiresAt: string }

export interface Person {
  id: number;
  name: string;
  sex: 'M' | 'F';
  birthDate: string | null;
  idNumber: string | null;
  phone: string | null;
  masked: boolean;
  householdId: number | null;
  isHouseholder: boolean;
  regionId: number;
  address: string;
}

export interface HouseholdMember { id: number; name: string; sex: 'M' | 'F'; birthDate: string | null; isHouseholder: boolean }

export interface PersonDetail extends Person { household: HouseholdMember[] }

export interface OrgNode {
  id: number; parentId: number | null; kind: string; kindName: string; name: string; code: string;
  regionId: number | null; regionName: string | null; children: OrgNode[];
}

export interface Role extends RoleRef { permissions: string[] }

export interface Account {
  id: number; username: string; displayName: string; phone: string | null; personId: number | null;
  organisationId: number | null; scopeRegionId: number | null; scopeName: string | null; active: boolean;
  locked: boolean; lastLoginAt: string | null; roles: string[];
}

export interface AuditEntry {
  id: number; at: string; actorId: number | null; actorName: string | null; actorRole: string | null; action: string;
  targetType: string | null; targetId: string | null; summary: unknown; ip: string | null; requestId: string | null; hash: string;
}

export interface AuditVerify { ok: boolean; checked: number; brokenAt?: number; reason?: string }

export interface PiAccess {
  id: number; at: string; actorId: number | null; actorName: string | null; kind: string; targetType: string | null;
  targetId: string | null; fields: string[] | null; purpose: string; ip: string | null;
}

export interface MyHousehold { householdId: number | null; address: string; members: Person[] }

export interface CockpitOverview {
  scope: { id: number; name: string; level: RegionLevel } | null;
  totals: RegionCounts | null;
  breakdown: { id: number; name: string; level: RegionLevel; residents: number; households: number }[];
  at: string;
}
