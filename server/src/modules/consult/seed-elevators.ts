import { sql } from 'kysely';
import type { Executor } from '../../core/db.js';
import { DEFAULT_COEFFICIENTS, defaultSubsidyFen } from './cost-shares.js';
import { ELEVATOR_STAGES, type ElevatorStage } from './elevators.js';
import type { Rng } from '../../seed/random.js';

const APPROVED_OR_BUILDING: ElevatorStage[] = ['owners_agreement', 'design_notice', 'objection_handling', 'planning_review', 'drawing_review', 'construction_permit', 'installation_notice', 'construction', 'acceptance', 'use_registration'];

/**
 * Elevator retrofit projects on the units of six-storey blocks, as the brief has
 * them: 33 in service and 74 approved or under construction; plus `voteUnitId`
 * (resident.demo's unit) still at the vote stage.
 */
export async function seedElevators(tx: Executor, r: Rng, voteUnitId: number, createdBy: number) {
  const units = await tx.selectFrom('regions as u').select(['u.id', 'u.path'])
    .where('u.level', '=', 'unit').where('u.id', '<>', voteUnitId)
    .where(sql<boolean>`(select max(floor) from regions x where x.parent_id = u.id) = 6`)
    .orderBy('u.path').execute();
  const plan: ElevatorStage[] = [...Array(33).fill('in_service'), ...Array.from({ length: 74 }, (_, i) => APPROVED_OR_BUILDING[i % APPROVED_OR_BUILDING.length])];
  if (units.length < plan.length) throw new Error(`only ${units.length} six-storey units for ${plan.length} elevator projects`);
  const vote = await tx.selectFrom('regions').select(['id', 'path']).where('id', '=', voteUnitId).executeTakeFirstOrThrow();
  const all: [{ id: number; path: string }, ElevatorStage][] = [...plan.map((s, i) => [units[i], s] as [{ id: number; path: string }, ElevatorStage]), [vote, 'vote']];
  const today = Date.now();
  for (const [unit, stage] of all) {
    const totalFen = (r.int(45, 75) * 10_000) * 100;
    const p = await tx.insertInto('elevator_projects').values({
      unit_id: unit.id, unit_path: unit.path, stage, total_cost_fen: totalFen, subsidy_fen: defaultSubsidyFen(6, totalFen),
      floor_coefficients: JSON.stringify(DEFAULT_COEFFICIENTS), created_by: createdBy,
    }).returning('id').executeTakeFirstOrThrow();
    const upto = ELEVATOR_STAGES.indexOf(stage);
    let day = today - (upto + 1) * 25 * 86400_000;
    const records = ELEVATOR_STAGES.slice(0, upto + 1).map((s, i) => {
      const started = new Date(day).toISOString().slice(0, 10);
      day += r.int(10, 30) * 86400_000;
      const done = i < upto || s === 'in_service' ? new Date(Math.min(day, today)).toISOString().slice(0, 10) : null;
      return { project_id: p.id, stage: s, started_on: started, completed_on: done, responsible: s.includes('review') || s === 'construction_permit' ? '区住建局' : '社区居委会', documents: '[]', note: null };
    });
    await tx.insertInto('elevator_stage_records').values(records).execute();
  }
  return all.length;
}
