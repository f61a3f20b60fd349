/**
 * Verification tasks (核查任务): the shapes the server answers. Types are the wire side of
 * server/src/modules/brain/tasks/schemas.ts (types only, nothing bundled).
 */
import type { z } from 'zod';
import type * as schemas from '@server/modules/brain/tasks/schemas.js';

export type VerificationTask = z.input<typeof schemas.verificationTask>;
export type TaskResult = z.input<typeof schemas.taskResult>;
export const TASK_RESULTS: TaskResult[] = ['confirmed', 'not_resident', 'wrong_person', 'other'];
export type TaskStatus = z.input<typeof schemas.taskStatus>;
/** Progress by street and community: assigned, done, confirmed, wrong person (rate among the done). */
export type TaskStats = z.input<typeof schemas.taskStatsResponse>;
export type TaskStatsRow = TaskStats['communities'][number];
export type TaskCreated = z.input<(typeof schemas.taskResponses.created)[201]>;
