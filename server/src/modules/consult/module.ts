import { defineModule } from '../../core/module.js';
import { consultRoutes, elevatorRoutes } from './routes.js';
import { seedElevators } from './seed-elevators.js';
import { seedOwnerRegister } from './seed-owners.js';
import { readBallotScan } from './votes.js';

const permissions = { 'consult:read': '查看协商议事与业主名册', 'consult:manage': '组织协商、维护业主名册、管理表决' } as const;
declare module '../../core/auth/roles.js' { interface PermissionRegistry extends Record<keyof typeof permissions, true> {} }

/** Consultation (有事好商量): the owner register, consultations, legally weighted votes, elevator retrofits. */
export const consultModule = defineModule({
  name: 'consult',
  routes: [consultRoutes, elevatorRoutes],
  permissions,
  grants: {
    street_worker: ['consult:read', 'consult:manage'], community_worker: ['consult:read', 'consult:manage'],
    grid_worker: ['consult:read'], property_staff: ['consult:read'], owners_committee: ['consult:read'],
  },
  tables: ['room_owners', 'room_register', 'consultations', 'consultation_posts', 'votes', 'vote_rooms', 'vote_participations', 'vote_secret_choices', 'vote_objections', 'elevator_projects', 'elevator_stage_records'],
  fileReaders: [readBallotScan],
  async seed(tx, demo) {
    await seedOwnerRegister(tx, demo.compounds.XSW.path);
    // The demo resident's unit has an elevator project at the vote stage.
    const unit = await tx.selectFrom('regions as room').innerJoin('persons as p', 'p.region_id', 'room.id').select('room.parent_id').where('p.id', '=', demo.persons.resident).executeTakeFirstOrThrow();
    await seedElevators(tx, demo.rng, unit.parent_id!, await demo.accountId('community.luming'));
  },
});
