import ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';
import { AppError, fieldError } from './errors.js';
import { inflateZipWithin, ZipRejected } from './zip-guard.js';

export interface XlsxColumn<T> { header: string; key: string; width?: number; value: (row: T) => unknown }

/** Builds one worksheet and sends it as an .xlsx download. */
export async function sendXlsx<T>(reply: FastifyReply, filename: string, sheet: string, columns: XlsxColumn<T>[], rows: T[]) {
  const wb = new ExcelJS.Workbook();
  wb.creator = '红色社区';
  const ws = wb.addWorksheet(sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ header: c.header, key: c.key, width: c.width ?? 16 }));
  ws.getRow(1).font = { bold: true };
  for (const row of rows) ws.addRow(Object.fromEntries(columns.map((c) => [c.key, c.value(row)])));
  const buf = await wb.xlsx.writeBuffer();
  return reply
    .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(filename)}`)
    .send(Buffer.from(buf));
}

/** A cell's value as trimmed text (rich text, formula results and dates included). */
export function cellText(v: ExcelJS.CellValue): string {
  if (v == null) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object' && 'text' in v) return String((v as { text: unknown }).text ?? '').trim();
  if (typeof v === 'object' && 'result' in v) return String((v as { result: unknown }).result ?? '').trim();
  return String(v).trim();
}

export interface RowProblem { row: number; field: string; message: string }

/** An all-or-nothing import that found problems: one 400 naming every row and field ("row3.idNumber"). */
export function importRejected(problems: RowProblem[]) {
  const first = problems[0];
  return new AppError(400, 'import_rejected', 'import_rejected', { count: problems.length, row: first.row, message: first.message },
    Object.fromEntries(problems.map((p) => [`row${p.row}.${p.field}`, { key: 'raw', params: { text: p.message } }])));
}

/** What one import may hold: the workbook inflated, its parts, its rows (after the header) and columns. */
export const IMPORT_LIMITS = { maxInflatedBytes: 50 * 1024 * 1024, maxEntries: 200, maxRows: 20_000, maxColumns: 20 };
const MAX_CELLS = (IMPORT_LIMITS.maxRows + 1) * IMPORT_LIMITS.maxColumns;

const tooMany = (key: string, max: number | string) => fieldError('file', key, { max }, 413);

/** Column letters to a 1-based index ("A" → 1); anything past three letters is beyond any limit. */
const columnIndex = (letters: string) => letters.length > 3 ? Infinity : [...letters.toUpperCase()].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);

/**
 * Counts rows, cells and shared strings in one inflated part the way the
 * workbook parser will place them (explicit r="…" or the next position), and
 * stops at the first limit passed. Runs over every part, whatever its name.
 */
async function checkPartShape(data: Buffer) {
  const text = data.toString('latin1');
  // Attributes are bounded so that a '<c' with no '>' after it cannot make the scan quadratic.
  const tag = /<(row|c|si)(?=[\s/>])([^>]{0,1000})>/g;
  let rows = 0, lastRow = 0, lastCol = 0, cells = 0, strings = 0;
  for (let m = tag.exec(text), n = 1; m; m = tag.exec(text), n++) {
    if (n % 20_000 === 0) await new Promise(setImmediate); // a full sheet takes most of a second: let other requests in
    if (m[1] === 'row') {
      const r = /\sr\s*=\s*["'](\d+)["']/.exec(m[2]);
      lastRow = r ? Number(r[1]) : lastRow + 1;
      lastCol = 0;
      if (++rows > IMPORT_LIMITS.maxRows + 1 || lastRow > IMPORT_LIMITS.maxRows + 1) throw tooMany('too_many_rows', IMPORT_LIMITS.maxRows);
    } else if (m[1] === 'c') {
      const ref = /\sr\s*=\s*["']([A-Za-z]+)\d*["']/.exec(m[2]);
      lastCol = ref ? columnIndex(ref[1]) : lastCol + 1;
      if (lastCol > IMPORT_LIMITS.maxColumns) throw tooMany('too_many_columns', IMPORT_LIMITS.maxColumns);
      if (++cells > MAX_CELLS) throw tooMany('too_many_cells', MAX_CELLS);
    } else if (++strings > MAX_CELLS) {
      throw tooMany('too_many_cells', MAX_CELLS);
    }
  }
}

/** At most two workbooks are checked and parsed at once per process (memory); the others wait, outside any transaction. */
const parseSlots = { free: 2, waiting: [] as (() => void)[] };
async function withParseSlot<T>(work: () => Promise<T>): Promise<T> {
  if (parseSlots.free > 0) parseSlots.free--;
  else await new Promise<void>((resolve) => parseSlots.waiting.push(resolve));
  try {
    return await work();
  } finally {
    const next = parseSlots.waiting.shift();
    if (next) next(); else parseSlots.free++;
  }
}

export interface ImportSheet { header: string[]; rows: { row: number; cells: string[] }[] }

/**
 * Reads the first worksheet of an uploaded import as text, `width` columns a row,
 * blank rows left out. The zip is checked first (parts, inflated size, a lying
 * directory) and every part's rows and columns counted, so that nothing over
 * IMPORT_LIMITS reaches the workbook parser: 413 for too much, 400 for not an
 * .xlsx. Call it before any transaction: it is CPU work.
 */
export function readImportSheet(bytes: Buffer, width: number): Promise<ImportSheet> {
  return withParseSlot(() => readWithinLimits(bytes, width));
}

async function readWithinLimits(bytes: Buffer, width: number): Promise<ImportSheet> {
  try {
    for (const part of inflateZipWithin(bytes, { maxEntries: IMPORT_LIMITS.maxEntries, maxTotalBytes: IMPORT_LIMITS.maxInflatedBytes })) await checkPartShape(part.data);
  } catch (err) {
    if (!(err instanceof ZipRejected)) throw err;
    if (err.problem === 'too_many_entries') throw tooMany('xlsx_too_many_parts', IMPORT_LIMITS.maxEntries);
    if (err.problem === 'too_large') throw tooMany('xlsx_too_large', `${IMPORT_LIMITS.maxInflatedBytes / 1024 / 1024} MB`);
    throw fieldError('file', 'not_xlsx');
  }
  const wb = new ExcelJS.Workbook();
  try { await wb.xlsx.load(bytes as any); } catch { throw fieldError('file', 'not_xlsx'); }
  const ws = wb.worksheets[0];
  if (!ws) throw fieldError('file', 'not_xlsx');
  // The parser's own count, in case it placed rows differently from the scan above.
  if (ws.rowCount > IMPORT_LIMITS.maxRows + 1) throw tooMany('too_many_rows', IMPORT_LIMITS.maxRows);
  if (ws.columnCount > IMPORT_LIMITS.maxColumns) throw tooMany('too_many_columns', IMPORT_LIMITS.maxColumns);
  const text = (r: number) => Array.from({ length: width }, (_, i) => cellText(ws.getRow(r).getCell(i + 1).value));
  const rows: ImportSheet['rows'] = [];
  for (let r = 2; r <= ws.rowCount; r++) {
    const cells = text(r);
    if (cells.some(Boolean)) rows.push({ row: r, cells });
  }
  return { header: text(1), rows };
}

/** Splits a list into batches of `size` (lookups and inserts of an import go a batch a statement). */
export function inBatches<T>(items: T[], size = 1000): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
