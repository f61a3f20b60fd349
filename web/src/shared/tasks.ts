/**
 * Verification tasks (核查任务): the shapes the server answers. Types are the wire side of
 * server/src/modules/brain/tasks/schemas.ts (types only, nothing bundled).
 */
import type { z } from 'zod';
import type * as schemas from '@server/modules/brain/tasks/schemas.js';

export type VerificationTask = z.input<typeof schemas.verificationTask>;
export type TaskResult = z.input<typeof schemas.taskResult>;
export const TASK_RESULTS: TaskResult[] = ['confirmed', 'not_resident', 'wrong_person', 'other'];
