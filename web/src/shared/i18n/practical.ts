import type { Messages, Paired } from './index';

/** The names of practical-matter codes (暖心实事), for the H5 and the console: every status, category and unit kind a person sees. */
export const practicalCodes = {
  'zh-CN': {
    pm: {
      status: { planned: '计划中', in_progress: '实施中', accepted: '已验收', closed: '已结项' },
      category: {
        renovation: '老旧小区改造', charging: '充电设施', sewage: '雨污分流与管网', lighting: '照明亮化', accessibility: '无障碍设施',
        parking: '停车设施', greening: '绿化与休闲', elderly: '适老化与养老', safety: '安全设施', other: '其他',
      },
      unitKind: { department: '职能部门', street_community: '属地街道社区', property_company: '物业企业', alliance_unit: '联盟单位' },
      unitRole: { lead: '牵头单位', partner: '配合单位' },
      overdue: '逾期', crossStreet: '跨街道（区级统筹）',
    },
  },
  en: {
    pm: {
      status: { planned: 'Planned', in_progress: 'In progress', accepted: 'Accepted', closed: 'Closed' },
      category: {
        renovation: 'Old-compound renovation', charging: 'Charging', sewage: 'Sewage and drains', lighting: 'Lighting', accessibility: 'Accessibility',
        parking: 'Parking', greening: 'Green and leisure', elderly: 'Elderly care', safety: 'Safety', other: 'Other',
      },
      unitKind: { department: 'Department', street_community: 'Street / community', property_company: 'Property company', alliance_unit: 'Alliance unit' },
      unitRole: { lead: 'Lead', partner: 'Partner' },
      overdue: 'Overdue', crossStreet: 'Across streets (district)',
    },
  },
} satisfies Messages;

/** Fails the type check when the English and the Chinese keys differ. */
export type PracticalCodesPaired = Paired<typeof practicalCodes>;
