import ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';
import { AppError } from './errors.js';

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
