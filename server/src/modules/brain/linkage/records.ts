import { sql } from 'kysely';
import type { Executor } from '../../../core/db.js';
import type { LinkageSpec } from './spec.js';

/**
 * The standardised records that match jobs compare (brain_link_records), written where rows are
 * written: an import of a person dataset standardises its new and changed rows in the same
 * transaction, so a job after the import starts from standardised values (a registry of 620,000
 * is not standardised again per job). Rows written before, or for another spec, are standardised
 * by the job itself (engine.ts standardiseDataset), by the same function.
 */

/** A row of a person dataset in the contract's field names (name and an ID number or birth date at least). */
export const isPersonRow = (data: Record<string, unknown>) => 'name' in data && ('id_no' in data || 'birth_date' in data);

export async function writeLinkRecords(tx: Executor, datasetId: number, spec: LinkageSpec, rows: { key: string; row_hash: string; data: Record<string, unknown> }[]) {
  if (!rows.length) return;
  const out = rows.map((r) => ({ key: r.key, h: r.row_hash, v: spec.standardise(r.data) }));
  await sql`insert into brain_link_records (dataset_id, spec, key, row_hash, v)
    select ${datasetId}, ${spec.name}, x.key, x.h, x.v from jsonb_to_recordset(${JSON.stringify(out)}::jsonb) as x(key text, h text, v jsonb)
    on conflict (dataset_id, spec, key) do update set row_hash = excluded.row_hash, v = excluded.v`.execute(tx);
}
