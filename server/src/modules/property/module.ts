import { defineModule } from '../../core/module.js';
import { escalateOverdue } from './escalate.js';
import { sweepNoShows } from './bookings.js';
import { open311Routes } from './open311.js';
import { positionRoutes } from './positions-routes.js';
import { requestRoutes } from './requests-routes.js';
import { seedPositions } from './seed-positions.js';
import { seedRequests } from './seed-requests.js';
import { readRequestFile } from './service-requests.js';

const permissions = {
  'property:manage': '管理党群服务阵地、功能室预约与报事报修',
  'request:handle': '处理辖区报事（派单台、受理、抢单、处理、完成）', 'request:dispatch': '调度报事（派单、办结、统计）', 'request:enter': '代居民提交报事',
  'open311:keys': '签发 Open311 客户端密钥',
} as const;
declare module '../../core/auth/roles.js' { interface PermissionRegistry extends Record<keyof typeof permissions, true> {} }

/** Red Property (红色物业): service positions and room bookings, service requests with Open311. */
export const propertyModule = defineModule({
  name: 'property',
  routes: [requestRoutes, open311Routes, positionRoutes],
  permissions,
  grants: {
    street_worker: ['property:manage', 'request:handle', 'request:dispatch', 'request:enter'],
    community_worker: ['property:manage', 'request:handle', 'request:dispatch', 'request:enter'],
    property_staff: ['property:manage', 'request:handle', 'request:dispatch', 'request:enter'],
    grid_worker: ['request:handle', 'request:enter'],
    alliance_unit: ['request:handle'],
  },
  tables: ['request_areas', 'service_types', 'open311_clients', 'service_requests', 'service_request_events', 'service_request_photos',
    'service_positions', 'position_staff', 'function_rooms', 'room_bookings', 'booking_bans'],
  // The SLA clock: overdue requests escalate to the community, then to the street.
  sweeps: [{ name: 'request escalation', everyMs: 60_000, run: (deps) => escalateOverdue(deps) },
    // Bookings not checked in 15 minutes after the start become no-shows; three in 60 days ban the account for 30.
    { name: 'booking no-shows', everyMs: 60_000, run: (deps) => sweepNoShows(deps.db) }],
  fileReaders: [readRequestFile],
  async seed(tx, demo) { return Object.assign({}, await seedRequests(tx, demo), await seedPositions(tx, demo)); },
});
