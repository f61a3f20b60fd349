import type { ColumnType, Generated } from 'kysely';

/** Kysely types of the Red Brain tables (migrations/0016_brain.sql), merged into core's Database. */
type Id = Generated<number>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Stamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export const FIELD_TYPES = ['text', 'int', 'number', 'date', 'timestamp'] as const;
export const PERSONAL_LEVELS = ['none', 'personal', 'sensitive'] as const;
export const SHARE_TYPES = ['open', 'conditional', 'none'] as const;
export const UPDATE_CYCLES = ['realtime', 'hourly', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'irregular'] as const;
export const CONNECTOR_KINDS = ['sql', 'http_pull', 'webhook', 'mqtt'] as const;
export const RUN_KINDS = ['file', ...CONNECTOR_KINDS] as const;
export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export const DEPARTMENT_LEVELS = ['city', 'district', 'street', 'enterprise'] as const;
/** PIPL art. 13 (1)–(7): the lawful bases for processing personal information. */
export const LEGAL_BASES = ['consent', 'contract_hr', 'legal_duty', 'public_health', 'news', 'public_info', 'other_law'] as const;
export const APPROVAL_STATUSES = ['pending', 'approved', 'rejected', 'withdrawn', 'expired'] as const;

export type FieldType = (typeof FIELD_TYPES)[number];
export type PersonalLevel = (typeof PERSONAL_LEVELS)[number];
export type ShareType = (typeof SHARE_TYPES)[number];
export type ConnectorKind = (typeof CONNECTOR_KINDS)[number];
export type RunKind = (typeof RUN_KINDS)[number];
export type RunStatus = (typeof RUN_STATUSES)[number];
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

export interface DatasetField { name: string; label?: string; type: FieldType; personal: PersonalLevel; key?: boolean }
/** Column of the source (header text or index) → dataset field name. */
export type ColumnMapping = Record<string, string>;

export interface BrainDepartmentsTable { id: Id; code: string; name: string; level: Generated<string>; created_at: Stamp }
export interface BrainDepartmentAccountsTable { account_id: number; department_id: number }
export interface BrainSystemsTable { id: Id; department_id: number; code: string; name: string; description: string | null; created_at: Stamp }
export interface BrainDatasetsTable {
  id: Id; system_id: number; name: string; description: string | null; fields: Json<DatasetField[]>; key_fields: ColumnType<string[], string[], string[]>;
  share_type: ShareType; update_cycle: Generated<string>; legal_basis: string | null; purpose: string | null; retention_days: number | null; time_field: string | null;
  upload_mapping: ColumnType<ColumnMapping | null, string | null, string | null>; row_count: Generated<number>; last_sync_at: Timestamp | null;
  created_by: number | null; created_at: Stamp; updated_at: Stamp;
}
export interface BrainDatasetConsumersTable { dataset_id: number; department_id: number }
export interface BrainRowsTable {
  dataset_id: number; key: string; data: Json<Record<string, unknown>>; row_hash: string; observed_at: Timestamp | null; first_seen_at: Stamp; updated_at: Stamp;
}
export interface BrainConnectorsTable {
  id: Id; key: string; name: string; kind: ConnectorKind; dataset_id: number; config: Json<Record<string, unknown>>; secret: string | null;
  schedule_minutes: number | null; enabled: Generated<boolean>; watermark: ColumnType<unknown, string | null, string | null>; next_run_at: Timestamp | null;
  created_by: number | null; created_at: Stamp; updated_at: Stamp;
}
export interface BrainRunsTable {
  id: Id; dataset_id: number; connector_id: number | null; kind: RunKind; mode: Generated<'incremental' | 'full'>; status: Generated<RunStatus>; stage: string | null;
  progress: Generated<number>; rows_in: Generated<number>; inserted: Generated<number>; updated: Generated<number>; unchanged: Generated<number>;
  rejected: Generated<number>; deleted: Generated<number>; error: string | null; attempt: Generated<number>; next_attempt_at: Stamp;
  file_id: number | null; file_name: string | null; mapping: ColumnType<ColumnMapping | null, string | null, string | null>; content_sha256: string | null;
  created_by: number | null; created_at: Stamp; started_at: Timestamp | null; finished_at: Timestamp | null; heartbeat_at: Timestamp | null;
}
export interface BrainRunRejectsTable { run_id: number; row_no: number; reason: string; data: Json<Record<string, unknown>> }
export interface BrainWebhookNoncesTable { connector_id: number; nonce: string; seen_at: Stamp }
export interface BrainApprovalsTable {
  id: Id; dataset_id: number; department_id: number; requested_by: number; purpose: string; legal_basis: string; fields: ColumnType<string[], string[], string[]>;
  starts_at: Timestamp; expires_at: Timestamp; status: Generated<ApprovalStatus>; decided_by: number | null; decided_at: Timestamp | null; decision_note: string | null;
  created_at: Stamp;
}
export interface BrainExchangeLogTable {
  id: Id; at: Timestamp; kind: string; outcome: string; department_id: number | null; system_id: number | null; account_id: number | null; actor_name: string | null;
  dataset_id: number | null; connector_id: number | null; run_id: number | null; approval_id: number | null; row_count: Generated<number>; content_sha256: string | null;
  purpose: string | null; detail: Json<Record<string, unknown>>; prev_hash: string; hash: string; signature: string;
}

declare module '../../core/schema.js' {
  interface Database {
    brain_departments: BrainDepartmentsTable;
    brain_department_accounts: BrainDepartmentAccountsTable;
    brain_systems: BrainSystemsTable;
    brain_datasets: BrainDatasetsTable;
    brain_dataset_consumers: BrainDatasetConsumersTable;
    brain_rows: BrainRowsTable;
    brain_connectors: BrainConnectorsTable;
    brain_runs: BrainRunsTable;
    brain_run_rejects: BrainRunRejectsTable;
    brain_webhook_nonces: BrainWebhookNoncesTable;
    brain_approvals: BrainApprovalsTable;
    brain_exchange_log: BrainExchangeLogTable;
  }
}
