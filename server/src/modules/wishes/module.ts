import { defineModule } from '../../core/module.js';
import { sweepClaims } from './claims.js';
import { publicWishRoutes } from './public-routes.js';
import { wishRoutes } from './routes.js';
import { seedWishes } from './seed.js';
import { readWishFile } from './service.js';
import { wechatRoutes } from './wechat.js';

const permissions = {
  'wish:submit': '提交心愿', 'wish:read': '查看辖区心愿（含受益人信息）', 'wish:enter': '代录心愿（入户走访、Excel 导入）',
  'wish:review': '审核心愿、撤销认领', 'wish:claim': '认领心愿', 'season:manage': '管理心愿季',
} as const;
declare module '../../core/auth/roles.js' { interface PermissionRegistry extends Record<keyof typeof permissions, true> {} }

/** Light up micro-wishes (点亮微心愿): seasons, intake, review, claims, fulfilment, the wall and its live feed. */
export const wishesModule = defineModule({
  name: 'wishes',
  routes: [wishRoutes, publicWishRoutes, wechatRoutes],
  permissions,
  grants: {
    street_worker: ['wish:read', 'wish:enter', 'wish:review', 'season:manage'],
    community_worker: ['wish:read', 'wish:enter', 'wish:review'],
    grid_worker: ['wish:read', 'wish:enter'],
    alliance_unit: ['wish:claim'],
    party_member: ['wish:claim', 'wish:submit'],
    volunteer: ['wish:claim', 'wish:submit'],
    resident: ['wish:submit'],
  },
  tables: ['seasons', 'season_communities', 'wishes', 'wish_photos', 'wish_claims', 'wish_events', 'wish_views', 'season_views', 'wechat_messages'],
  // The claim clock: reminders 3 days before the deadline, then release.
  sweeps: [{ name: 'claim sweep', everyMs: 60_000, run: (deps) => sweepClaims(deps) }],
  fileReaders: [readWishFile],
  async seed(tx, demo) {
    const member = await tx.selectFrom('persons').select('name').where('id', '=', demo.persons.member).executeTakeFirstOrThrow();
    const r = await seedWishes(tx, demo.rng, {
      communities: demo.communities.map((c) => c.id), residentPersonId: demo.persons.resident, residentAccountId: await demo.accountId('resident.demo'),
      workerId: await demo.accountId('community.luming'), unit: { accountId: await demo.accountId('unit.demo'), orgId: demo.orgs['E-SZ'], name: '盐南数智科技有限公司' },
      member: { accountId: await demo.accountId('member.demo'), name: member.name },
    });
    return { wishes: r.wishes };
  },
});
