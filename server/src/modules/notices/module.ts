import { defineModule } from '../../core/module.js';
import { readNoticeFile } from './notices.js';
import { noticeRoutes } from './routes.js';
import { seedNotices } from './seed.js';

const permissions = {
  'notice:manage': '在辖区内发布、修改、撤回社区公告，查看阅读率',
} as const;
declare module '../../core/auth/roles.js' { interface PermissionRegistry extends Record<keyof typeof permissions, true> {} }

/** 社区公告: notices published to a region, read by the residents who live under it. */
export const noticesModule = defineModule({
  name: 'notices',
  routes: [noticeRoutes],
  permissions,
  grants: {
    street_worker: ['notice:manage'],
    community_worker: ['notice:manage'],
  },
  tables: ['notices', 'notice_attachments', 'notice_reads'],
  fileReaders: [readNoticeFile],
  seed: seedNotices,
});
