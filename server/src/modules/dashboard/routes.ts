import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireAuth } from '../../core/auth/plugin.js';
import { int } from '../../core/response.js';
import { todoFor } from './todo.js';

const todo = z.object({
  items: z.array(z.object({ key: z.enum(['reviewWishes', 'enterBallots', 'claimsDue']), count: int, rooms: int.optional().describe('表决中尚未投票的房屋数') })),
  claimDueDays: int.describe('认领截止日在此天数内视为即将到期'),
});

export async function dashboardRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = app.dbh.db;
  r.get('/api/dashboard/todo', {
    schema: { tags: ['dashboard'], summary: '工作台待办（辖区内：待审核心愿、待录入纸质选票、即将到期的认领；按本人权限）', response: { 200: todo } },
  }, async (req) => todoFor(db, requireAuth(req)));
}
