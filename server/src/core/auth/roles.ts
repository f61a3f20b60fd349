/**
 * Roles, and the registry of permission codes. Each module declares its codes and
 * which roles hold them in its module.ts (and adds them to PermissionRegistry, so a
 * code that no module declares does not compile). The roles table is synced from
 * the module list at start-up, so the database and the code agree; '*' grants everything.
 */

/** Filled by the modules through declaration merging (`declare module …roles.js`). */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface PermissionRegistry {}
export type Permission = keyof PermissionRegistry & string;

export const ROLE_DEFS = [
  { code: 'district_admin', zh: '区级管理员', en: 'District admin' },
  { code: 'street_worker', zh: '街道工作者', en: 'Street worker' },
  { code: 'community_worker', zh: '社区工作者', en: 'Community worker' },
  { code: 'grid_worker', zh: '网格员', en: 'Grid worker' },
  { code: 'property_staff', zh: '物业人员', en: 'Property staff' },
  { code: 'owners_committee', zh: '业委会成员', en: "Owners' committee member" },
  { code: 'alliance_unit', zh: '联盟单位', en: 'Alliance unit' },
  { code: 'party_member', zh: '党员', en: 'Party member' },
  { code: 'volunteer', zh: '志愿者（已认证）', en: 'Verified volunteer' },
  { code: 'resident', zh: '居民', en: 'Resident' },
  { code: 'data_admin', zh: '数据管理员', en: 'Data administrator' },
  { code: 'department_user', zh: '部门数据用户', en: 'Department data user' },
] as const;
export type RoleCode = (typeof ROLE_DEFS)[number]['code'];

export interface RoleDef { code: RoleCode; zh: string; en: string; permissions: (Permission | '*')[] }

/** The permissions a set of roles holds, from the roles table (which is synced from the modules' grants). */
export function permissionsOf(roleCodes: string[], table: { code: string; permissions: string[] }[]): Set<Permission | '*'> {
  const set = new Set<Permission | '*'>();
  for (const r of table) if (roleCodes.includes(r.code)) r.permissions.forEach((p) => set.add(p as Permission | '*'));
  return set;
}

export function can(perms: Set<string>, perm: Permission | '*'): boolean {
  return perms.has('*') || perms.has(perm);
}
