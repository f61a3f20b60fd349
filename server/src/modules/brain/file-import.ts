import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { fromJson } from '../../core/db.js';
import { cellText } from '../../core/excel.js';
import { fieldError } from '../../core/errors.js';
import { normaliseRow, type DatasetShape } from './ingest.js';
import { registerRunExecutor, type RunContext } from './runs.js';
import type { ColumnMapping, DatasetField } from './tables.js';

/**
 * File drop: a CSV (UTF-8 or GB18030, as Excel saves it) or an .xlsx, read as a stream so that a
 * 620,000-row population list never sits in memory as rows, mapped column → field, upserted by key.
 */
export const MAX_DATA_FILE_BYTES = 200 * 1024 * 1024;
const CHUNK = 2000;

export type DataFileKind = 'csv' | 'xlsx';
export function sniffDataFile(bytes: Buffer): DataFileKind {
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'xlsx';
  if (bytes.subarray(0, 4096).includes(0)) throw fieldError('file', 'data_file_type');
  return 'csv';
}

function decodeCsv(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

interface SourceRow { rowNo: number; cells: string[] }

/** The header and then the data rows of a file, with the fraction read so far. */
async function* readRows(bytes: Buffer, onFraction?: (f: number) => void): AsyncGenerator<{ header: string[] } | SourceRow> {
  if (sniffDataFile(bytes) === 'csv') {
    const text = decodeCsv(bytes);
    let lines = 1;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
    const parser = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: true });
    let n = 0;
    try {
      for await (const rec of parser as AsyncIterable<string[]>) {
        n++;
        if (n === 1) yield { header: rec.map((h) => String(h).trim()) };
        else yield { rowNo: n, cells: rec };
        if (n % CHUNK === 0) onFraction?.(Math.min(0.99, n / lines));
      }
    } catch (err) {
      throw fieldError('file', 'csv_malformed', { message: (err as Error).message.slice(0, 120) });
    }
    return;
  }
  // xlsx: progress by compressed bytes consumed; shared strings and styles are cached (styles tell a date cell from a number).
  let consumed = 0;
  const source = Readable.from((function* () {
    for (let i = 0; i < bytes.length; i += 1 << 16) { consumed = Math.min(bytes.length, i + (1 << 16)); yield bytes.subarray(i, i + (1 << 16)); }
  })());
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(source, { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', worksheets: 'emit', entries: 'ignore' } as any);
  let first = true;
  try {
    for await (const ws of reader as any as AsyncIterable<AsyncIterable<ExcelJS.Row>>) {
      let width = 0;
      for await (const row of ws) {
        const vals = (row.values as ExcelJS.CellValue[]).slice(1);
        if (first) {
          first = false;
          width = vals.length;
          yield { header: vals.map((v) => cellText(v)) };
          continue;
        }
        const cells = Array.from({ length: Math.max(width, vals.length) }, (_, i) => cellValue(vals[i]));
        if (cells.every((c) => c === '')) continue;
        yield { rowNo: row.number, cells };
        if (row.number % CHUNK === 0) onFraction?.(Math.min(0.99, consumed / bytes.length));
      }
      break; // the first worksheet only
    }
  } catch (err) {
    if ((err as { status?: number }).status) throw err;
    throw fieldError('file', 'not_xlsx');
  }
  if (first) throw fieldError('file', 'data_file_empty');
}

/** Dates stay dates (the date/timestamp fields read them); everything else as text. */
function cellValue(v: ExcelJS.CellValue): string {
  if (v instanceof Date) return v.toISOString();
  return cellText(v);
}

/**
 * Which field each column fills: the given mapping, else the dataset's saved one where its columns
 * are present, else columns named like a field (name or label, case-insensitive).
 */
export function resolveMapping(header: string[], fields: DatasetField[], given: ColumnMapping | null, saved: ColumnMapping | null): ColumnMapping {
  const names = new Set(fields.map((f) => f.name));
  const usable = (m: ColumnMapping | null) => m && Object.entries(m).every(([col, f]) => header.includes(col) && (names.has(f) || f === ''));
  if (given) {
    for (const [col, f] of Object.entries(given)) {
      if (!header.includes(col)) throw fieldError('mapping', 'mapping_unknown_column', { column: col });
      if (f && !names.has(f)) throw fieldError('mapping', 'mapping_unknown_field', { field: f });
    }
    return given;
  }
  if (usable(saved)) return saved!;
  const auto: ColumnMapping = {};
  for (const col of header) {
    const f = fields.find((x) => x.name.toLowerCase() === col.toLowerCase() || (x.label && x.label === col));
    if (f) auto[col] = f.name;
  }
  return auto;
}

function rowValues(header: string[], mapping: ColumnMapping, cells: string[]) {
  const values: Record<string, unknown> = {};
  header.forEach((col, i) => { const f = mapping[col]; if (f) values[f] = cells[i] ?? ''; });
  return values;
}

export interface Preview {
  kind: DataFileKind; header: string[]; mapping: ColumnMapping; unmappedFields: string[];
  rows: { rowNo: number; values: Record<string, unknown>; ok: boolean; reason: string | null }[];
}

/** The first 20 data rows as they would be imported, each validated. */
export async function previewFile(bytes: Buffer, ds: DatasetShape, given: ColumnMapping | null, saved: ColumnMapping | null): Promise<Preview> {
  let header: string[] = [];
  let mapping: ColumnMapping = {};
  const rows: Preview['rows'] = [];
  for await (const item of readRows(bytes)) {
    if ('header' in item) { header = item.header; mapping = resolveMapping(header, ds.fields, given, saved); continue; }
    const values = rowValues(header, mapping, item.cells);
    const n = normaliseRow(ds, values);
    rows.push({ rowNo: item.rowNo, values, ok: n.ok, reason: n.ok ? null : n.reason });
    if (rows.length >= 20) break;
  }
  const mapped = new Set(Object.values(mapping));
  return { kind: sniffDataFile(bytes), header, mapping, unmappedFields: ds.fields.filter((f) => !mapped.has(f.name)).map((f) => f.name), rows };
}

/** Checks a file's header before it is stored: it must map at least the key fields. */
export async function headerOf(bytes: Buffer): Promise<string[]> {
  for await (const item of readRows(bytes)) if ('header' in item) return item.header;
  throw fieldError('file', 'data_file_empty');
}

export function requireKeyMapped(ds: DatasetShape, mapping: ColumnMapping) {
  const mapped = new Set(Object.values(mapping));
  const missing = ds.key_fields.filter((k) => !mapped.has(k));
  if (missing.length) throw fieldError('mapping', 'mapping_key_missing', { fields: missing.join(', ') });
}

async function runFile(ctx: RunContext) {
  const { run, dataset, deps } = ctx;
  if (!run.file_id) throw new Error('file run without a file');
  const file = await deps.db.selectFrom('files').select('storage_key').where('id', '=', run.file_id).executeTakeFirstOrThrow();
  const bytes = await deps.files.get(file.storage_key);
  const mapping = fromJson(run.mapping) as ColumnMapping | null;
  let header: string[] = [];
  let map: ColumnMapping = {};
  let fraction = 0;
  let batch: { rowNo: number; values: Record<string, unknown> }[] = [];
  await ctx.progress(0, 'reading');
  for await (const item of readRows(bytes, (f) => { fraction = f; })) {
    if ('header' in item) { header = item.header; map = resolveMapping(header, dataset.fields, mapping, null); requireKeyMapped(dataset, map); continue; }
    batch.push({ rowNo: item.rowNo, values: rowValues(header, map, item.cells) });
    if (batch.length >= CHUNK) {
      await ctx.ingest(batch);
      batch = [];
      await ctx.progress(fraction, 'importing');
    }
  }
  await ctx.ingest(batch);
}

registerRunExecutor('file', runFile);
