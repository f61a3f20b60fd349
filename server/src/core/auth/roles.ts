/**
 * Roles and the permission codes they grant. Synced into the roles table at
 * start-up so the database and the code agree; '*' grants everything.
 */
export const PERMISSIONS = {
  'region:read': '查看区域',
  'region:write': '维护区域',
  'org:read': '查看组织',
  'org:write': '维护组织',
  'people:read': '查看人员',
  'people:write': '维护人员',
  'people:unmask': '查看完整个人信息',
  'account:read': '查看账号',
  'account:write': '管理账号与角色',
  'audit:read': '查看审计日志',
  'cockpit:read': '查看驾驶舱',
  'wish:submit': '提交心愿',
  'wish:read': '查看辖区心愿（含受益人信息）',
  'wish:enter': '代录心愿（入户走访、Excel 导入）',
  'wish:review': '审核心愿、撤销认领',
  'wish:claim': '认领心愿',
  'season:manage': '管理心愿季',
  'consult:read': '查看协商议事与业主名册',
  'consult:manage': '组织协商、维护业主名册、管理表决',
  'alliance:manage': '审核联盟单位、管理共建项目',
} as const;
export type Permission = keyof typeof PERMISSIONS;

export interface RoleDef { code: string; zh: string; en: string; permissions: (Permission | '*')[] }

export const ROLES: RoleDef[] = [
  { code: 'district_admin', zh: '区级管理员', en: 'District admin', permissions: ['*'] },
  { code: 'street_worker', zh: '街道工作者', en: 'Street worker', permissions: ['region:read', 'region:write', 'org:read', 'people:read', 'people:write', 'people:unmask', 'account:read', 'cockpit:read', 'wish:read', 'wish:enter', 'wish:review', 'season:manage', 'consult:read', 'consult:manage', 'alliance:manage'] },
  { code: 'community_worker', zh: '社区工作者', en: 'Community worker', permissions: ['region:read', 'org:read', 'people:read', 'people:write', 'people:unmask', 'cockpit:read', 'wish:read', 'wish:enter', 'wish:review', 'consult:read', 'consult:manage', 'alliance:manage'] },
  { code: 'grid_worker', zh: '网格员', en: 'Grid worker', permissions: ['region:read', 'people:read', 'wish:read', 'wish:enter', 'consult:read'] },
  { code: 'property_staff', zh: '物业人员', en: 'Property staff', permissions: ['region:read', 'consult:read'] },
  { code: 'owners_committee', zh: '业委会成员', en: "Owners' committee member", permissions: ['region:read', 'consult:read'] },
  { code: 'alliance_unit', zh: '联盟单位', en: 'Alliance unit', permissions: ['org:read', 'wish:claim'] },
  { code: 'party_member', zh: '党员', en: 'Party member', permissions: ['org:read', 'wish:claim', 'wish:submit'] },
  { code: 'volunteer', zh: '志愿者（已认证）', en: 'Verified volunteer', permissions: ['wish:claim', 'wish:submit'] },
  { code: 'resident', zh: '居民', en: 'Resident', permissions: ['wish:submit'] },
];

export function permissionsOf(roleCodes: string[], table: { code: string; permissions: string[] }[]): Set<string> {
  const set = new Set<string>();
  for (const r of table) if (roleCodes.includes(r.code)) r.permissions.forEach((p) => set.add(p));
  return set;
}

export function can(perms: Set<string>, perm: string): boolean {
  return perms.has('*') || perms.has(perm);
}
