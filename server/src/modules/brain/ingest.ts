import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Executor } from '../../core/db.js';
import { canonical } from '../../core/audit.js';
import type { DatasetField } from './tables.js';
import { isPersonRow, writeLinkRecords } from './linkage/records.js';
import { personSpec } from './linkage/spec.js';

/**
 * Turning source rows into dataset rows: every value checked against its field's type, the key
 * built from the key field(s), and an upsert by (dataset, key) that counts inserted, updated and
 * unchanged rows. Because rows are keyed, a repeated, retried or resumed run never duplicates.
 */
export interface DatasetShape { id: number; fields: DatasetField[]; key_fields: string[]; time_field: string | null }
export type NormalRow = { key: string; data: Record<string, unknown>; observedAt: string | null };
export type Normalised = { ok: true; row: NormalRow } | { ok: false; reason: string };

const pad = (n: number) => String(n).padStart(2, '0');
function realDate(y: number, m: number, d: number) {
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d && y >= 1850 && y <= 2200 ? `${y}-${pad(m)}-${pad(d)}` : null;
}

/** 2024-03-05, 2024/3/5, 2024.3.5, 20240305, 2024年3月5日, a Date or an Excel serial day. */
export function parseDay(v: unknown): string | null {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString().slice(0, 10);
  if (typeof v === 'number') return v > 20000 && v < 80000 ? new Date(Date.UTC(1899, 11, 30) + v * 86400000).toISOString().slice(0, 10) : null;
  // An ISO instant (a spreadsheet's date cell read as a Date at midnight UTC): its calendar day.
  const s = String(v).trim().replace(/^(\d{4}-\d{2}-\d{2})T00:00:00(\.000)?Z$/, '$1');
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  return m ? realDate(Number(m[1]), Number(m[2]), Number(m[3])) : null;
}

/** ISO 8601 with a zone; "YYYY-MM-DD HH:mm[:ss]" read as China time (+08:00); unix seconds or milliseconds. */
export function parseInstant(v: unknown): string | null {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (typeof v === 'number' || /^\d{10}(\d{3})?$/.test(String(v).trim())) {
    const n = Number(v);
    const ms = n < 1e11 ? n * 1000 : n;
    return ms > 0 && ms < 7.3e12 ? new Date(ms).toISOString() : null;
  }
  const s = String(v).trim();
  const local = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?$/.exec(s);
  if (local) {
    const day = realDate(Number(local[1]), Number(local[2]), Number(local[3]));
    if (!day || Number(local[4]) > 23) return null;
    return new Date(`${day}T${pad(Number(local[4]))}:${local[5]}:${local[6] ?? '00'}${local[7] ?? ''}+08:00`).toISOString();
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(s)) return null;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

const TYPE_ZH: Record<string, string> = { int: '整数', number: '数字', date: '日期', timestamp: '时间' };

/** One value of a field, or undefined when it is not of the field's type. null is an empty value. */
export function fieldValue(f: DatasetField, v: unknown): unknown {
  if (v == null || (typeof v === 'string' && v.trim() === '')) return null;
  switch (f.type) {
    case 'text': return (v instanceof Date ? v.toISOString() : String(v)).trim().slice(0, 2000);
    case 'int': { const n = typeof v === 'number' ? v : Number(String(v).trim().replaceAll(',', '')); return Number.isSafeInteger(n) ? n : undefined; }
    case 'number': { const n = typeof v === 'number' ? v : Number(String(v).trim().replaceAll(',', '')); return Number.isFinite(n) ? n : undefined; }
    case 'date': return parseDay(v) ?? undefined;
    case 'timestamp': return parseInstant(v) ?? undefined;
  }
}

/** A source row (already renamed to field names) as a dataset row, or why it is rejected (in Chinese, for the rejects download). */
export function normaliseRow(ds: DatasetShape, raw: Record<string, unknown>): Normalised {
  const data: Record<string, unknown> = {};
  for (const f of ds.fields) {
    const v = fieldValue(f, raw[f.name]);
    if (v === undefined) return { ok: false, reason: `${f.label ?? f.name}：「${String(raw[f.name]).slice(0, 40)}」不是有效的${TYPE_ZH[f.type] ?? f.type}` };
    data[f.name] = v;
  }
  const parts: string[] = [];
  for (const k of ds.key_fields) {
    if (data[k] == null) return { ok: false, reason: `主键字段 ${ds.fields.find((f) => f.name === k)?.label ?? k} 为空` };
    parts.push(String(data[k]));
  }
  const t = ds.time_field ? data[ds.time_field] : null;
  return { ok: true, row: { key: parts.join('|'), data, observedAt: typeof t === 'string' ? (t.length === 10 ? `${t}T00:00:00+08:00` : t) : null } };
}

/** What tells a changed row from an unchanged one: 128 bits of SHA-256 over the canonical JSON. */
export const rowHash = (data: Record<string, unknown>) => createHash('sha256').update(canonical(data)).digest('hex').slice(0, 32);

export interface UpsertCounts { inserted: number; updated: number; unchanged: number }

/**
 * Upserts one batch by (dataset, key) in one statement. A key repeated within the batch keeps
 * its last row. Unchanged rows are not rewritten (their hash matches), so a repeated file costs reads only.
 */
export async function upsertRows(tx: Executor, datasetId: number, rows: NormalRow[]): Promise<UpsertCounts> {
  if (!rows.length) return { inserted: 0, updated: 0, unchanged: 0 };
  const byKey = new Map<string, NormalRow>();
  for (const r of rows) byKey.set(r.key, r);
  const batch = [...byKey.values()].map((r) => ({ key: r.key, data: r.data, row_hash: rowHash(r.data), observed_at: r.observedAt }));
  const payload = JSON.stringify(batch);
  // xmax = 0 marks a row this statement inserted (an updated row carries the updating transaction's id);
  // unchanged rows are not returned at all.
  const res = await sql<{ key: string; inserted: boolean }>`
    insert into brain_rows (dataset_id, key, data, row_hash, observed_at)
    select ${datasetId}, key, data, row_hash, observed_at from jsonb_to_recordset(${payload}::jsonb) as x(key text, data jsonb, row_hash text, observed_at timestamptz)
    on conflict (dataset_id, key) do update set data = excluded.data, row_hash = excluded.row_hash, observed_at = excluded.observed_at, updated_at = now()
    where brain_rows.row_hash <> excluded.row_hash
    returning key, (xmax = 0) as inserted`.execute(tx);
  if (res.rows.length && isPersonRow(batch[0].data)) {
    const changed = new Set(res.rows.map((r) => r.key));
    await writeLinkRecords(tx, datasetId, personSpec, batch.filter((r) => changed.has(r.key)));
  }
  const inserted = res.rows.filter((r) => r.inserted).length;
  const updated = res.rows.length - inserted;
  return { inserted, updated, unchanged: rows.length - inserted - updated };
}

/**
 * The key a source row is stored under (the same one normaliseRow builds), or null when a key value
 * is empty or invalid. A reconciliation keeps the keys of rows rejected for another field: the
 * source still has them.
 */
export function sourceKey(ds: DatasetShape, raw: Record<string, unknown>): string | null {
  const parts: string[] = [];
  for (const k of ds.key_fields) {
    const v = fieldValue(ds.fields.find((f) => f.name === k)!, raw[k]);
    if (v == null) return null;
    parts.push(String(v));
  }
  return parts.join('|');
}

/** Removes the rows whose keys the source no longer has (a full reconciliation); returns how many. */
export async function deleteRowsNotIn(tx: Executor, datasetId: number, keepKeys: Set<string>): Promise<number> {
  const ours = await tx.selectFrom('brain_rows').select('key').where('dataset_id', '=', datasetId).execute();
  const gone = ours.map((r) => r.key).filter((k) => !keepKeys.has(k));
  for (let i = 0; i < gone.length; i += 5000) {
    await tx.deleteFrom('brain_rows').where('dataset_id', '=', datasetId).where('key', 'in', gone.slice(i, i + 5000)).execute();
  }
  return gone.length;
}
