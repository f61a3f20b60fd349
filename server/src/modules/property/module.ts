import { defineModule } from '../../core/module.js';
import { compoundRoutes } from './compound-routes.js';
import { escalateOverdue } from './escalate.js';
import { sweepNoShows } from './bookings.js';
import { open311Routes } from './open311.js';
import { positionRoutes } from './positions-routes.js';
import { practicalRoutes } from './practical-routes.js';
import { readPositionFile } from './position-photos.js';
import { readPracticalFile } from './practical-survey.js';
import { requestRoutes } from './requests-routes.js';
import { seedCompounds } from './seed-compounds.js';
import { seedPositions } from './seed-positions.js';
import { seedPractical } from './seed-practical.js';
import { seedRequests } from './seed-requests.js';
import { serviceTypeRoutes } from './service-types-routes.js';
import { readRequestFile } from './service-requests.js';

const permissions = {
  'property:manage': '管理党群服务阵地、功能室预约与报事报修',
  'request:handle': '处理辖区报事（派单台、受理、抢单、处理、完成）', 'request:dispatch': '调度报事（派单、办结、统计）', 'request:enter': '代居民提交报事',
  'open311:keys': '签发 Open311 客户端密钥',
  'service-type:manage': '维护报事类别（新建、修改时限与处理单位、附加字段、停用启用）',
  'practical:manage': '管理辖区内的暖心实事（新建、里程碑、照片、支出、验收结项、看板与导出）',
  'compound:read': '查看辖区小区的四方联动、联席会议与红色物业考评排名',
  'compound:manage': '维护小区四方联动的组织与任职（交叉任职）',
  'compound:meet': '记录四方联席会议与交办事项',
  'compound:assess': '社区每月考评小区物业服务（考评表）',
} as const;
declare module '../../core/auth/roles.js' { interface PermissionRegistry extends Record<keyof typeof permissions, true> {} }

/** Red Property (红色物业): service positions and room bookings, service requests with Open311, practical matters (暖心实事), four-party linkage and the demonstration-compound assessment. */
export const propertyModule = defineModule({
  name: 'property',
  routes: [requestRoutes, serviceTypeRoutes, open311Routes, positionRoutes, practicalRoutes, compoundRoutes],
  permissions,
  grants: {
    // Categories are district-wide; street workers keep them, district admins hold '*'.
    street_worker: ['property:manage', 'request:handle', 'request:dispatch', 'request:enter', 'service-type:manage', 'practical:manage', 'compound:read', 'compound:manage', 'compound:meet', 'compound:assess'],
    community_worker: ['property:manage', 'request:handle', 'request:dispatch', 'request:enter', 'practical:manage', 'compound:read', 'compound:manage', 'compound:meet', 'compound:assess'],
    property_staff: ['property:manage', 'request:handle', 'request:dispatch', 'request:enter', 'compound:read'],
    grid_worker: ['request:handle', 'request:enter', 'compound:read', 'compound:meet'],
    owners_committee: ['compound:read'],
    alliance_unit: ['request:handle'],
  },
  tables: ['request_areas', 'service_types', 'open311_clients', 'service_requests', 'service_request_events', 'service_request_photos',
    'service_positions', 'position_staff', 'service_position_photos', 'function_rooms', 'room_bookings', 'booking_bans',
    'practical_matters', 'practical_matter_compounds', 'practical_matter_units', 'practical_milestones', 'practical_matter_photos', 'practical_spending', 'practical_surveys',
    'compound_parties', 'compound_posts', 'compound_meetings', 'compound_meeting_attendees', 'compound_follow_ups', 'compound_ratings', 'compound_assessments'],
  // The SLA clock: overdue requests escalate to the community, then to the street.
  sweeps: [{ name: 'request escalation', everyMs: 60_000, run: (deps) => escalateOverdue(deps) },
    // Bookings not checked in 15 minutes after the start become no-shows; three in 60 days ban the account for 30.
    { name: 'booking no-shows', everyMs: 60_000, run: (deps) => sweepNoShows(deps.db) }],
  fileReaders: [readRequestFile, readPracticalFile, readPositionFile],
  async seed(tx, demo) { return Object.assign({}, await seedRequests(tx, demo), await seedPositions(tx, demo), await seedPractical(tx, demo), await seedCompounds(tx, demo)); },
});
