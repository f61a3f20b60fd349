import type { ColumnType, Generated } from 'kysely';

/** Kysely types of the verification-task tables (migrations/0017_linkage.sql), merged into core's Database. */
type Id = Generated<number>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Stamp = ColumnType<Date, Date | string | undefined, Date | string>;

export const TASK_STATUSES = ['open', 'done'] as const;
export const TASK_RESULTS = ['confirmed', 'not_resident', 'wrong_person', 'other'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export type TaskResult = (typeof TASK_RESULTS)[number];

export interface BrainBuiltinDatasetsTable { code: string; dataset_id: number }
export interface BrainVerificationTasksTable {
  id: Id; job_id: number; left_id: number; right_id: number; person_id: number; region_id: number; region_path: string; grid_id: number | null;
  title: string; status: Generated<TaskStatus>; result: TaskResult | null; note: string | null; photo_file_id: number | null; due_at: Timestamp;
  escalation_level: Generated<number>; next_escalation_at: Timestamp | null; escalated_at: Timestamp | null;
  created_by: number | null; closed_by: number | null; created_at: Stamp; closed_at: Timestamp | null;
}

declare module '../../../core/schema.js' {
  interface Database {
    brain_builtin_datasets: BrainBuiltinDatasetsTable;
    brain_verification_tasks: BrainVerificationTasksTable;
  }
}
