import type { ColumnType, Generated } from 'kysely';

/** Kysely types of the linkage tables (migrations/0017_linkage.sql), merged into core's Database. */
type Id = Generated<number>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Stamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export const MATCH_DECISIONS = ['auto', 'review', 'none'] as const;
export const MATCH_LABELS = ['match', 'non_match', 'skip'] as const;
export type MatchDecision = (typeof MATCH_DECISIONS)[number];
export type MatchLabel = (typeof MATCH_LABELS)[number];
export type MatchJobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface BrainLinkRecordsTable { id: Id; dataset_id: number; spec: string; key: string; row_hash: string; v: Json<Record<string, unknown>> }
export interface BrainMatchJobsTable {
  id: Id; left_dataset_id: number; right_dataset_id: number; spec: Generated<string>; from_stage: Generated<'standardise' | 'estimate'>;
  status: Generated<MatchJobStatus>; stage: string | null; progress: Generated<number>; pairs_done: Generated<number>; pairs_total: Generated<number>;
  threshold_auto: Generated<number>; threshold_review: Generated<number>;
  model: Json<unknown> | null; rule_counts: Json<unknown> | null; counts: Json<unknown> | null; timings: Json<unknown> | null; curve: Json<unknown> | null;
  label_report: Json<unknown> | null; error: string | null; attempt: Generated<number>; created_by: number | null; created_at: Stamp;
  started_at: Timestamp | null; finished_at: Timestamp | null; heartbeat_at: Timestamp | null;
}
export interface BrainMatchPairsTable {
  job_id: number; left_id: number; right_id: number; rules: Generated<number>; g: number[] | null; tf: number[] | null; weight: number | null; probability: number | null;
  decision: MatchDecision | null; label: MatchLabel | null; labelled_by: number | null; labelled_at: Timestamp | null;
}

declare module '../../../core/schema.js' {
  interface Database {
    brain_link_records: BrainLinkRecordsTable;
    brain_match_jobs: BrainMatchJobsTable;
    brain_match_pairs: BrainMatchPairsTable;
  }
}
