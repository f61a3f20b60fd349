import ExcelJS from 'exceljs';
import { cellText, importRejected, type RowProblem } from '../../core/excel.js';
import type { FastifyReply } from 'fastify';
import type { AuthContext } from '../../core/auth/context.js';
import { appendAudit, type Actor } from '../../core/audit.js';
import type { Db } from '../../core/db.js';
import { fieldError } from '../../core/errors.js';
import { t } from '../../core/i18n.js';
import { isValidIdNumber } from '../../core/identity.js';
import type { MultipartForm } from '../../core/multipart.js';
import { isInScope, regionInScope } from '../../core/scope.js';
import { AREA_SOURCE_NAMES, listOwners, writeRoomRegister, type AreaSource } from './owners.js';

const COLUMNS = [
  { header: '房屋编码', key: 'code', width: 20 },
  { header: '房屋', key: 'room', width: 24 },
  { header: '楼层', key: 'floor', width: 6 },
  { header: '专有部分面积(㎡)', key: 'area', width: 14 },
  { header: '面积来源', key: 'source', width: 12 },
  { header: '业主身份证号（多人用；分隔）', key: 'owners', width: 44 },
  { header: '投票人身份证号', key: 'holder', width: 22 },
  { header: '开发商未售', key: 'developer', width: 10 },
] as const;


/**
 * The register of a scope as a sheet that is also the import template: one row per
 * room with its code; ID numbers are masked in the export (unmasked only in the
 * worker's own typing), so an exported sheet is re-imported with owners filled in fresh.
 */
export async function ownersWorkbook(db: Db, auth: AuthContext, regionId: number, reply: FastifyReply, withOwners: boolean) {
  const region = await regionInScope(db, auth, regionId);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('业主名册', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width }));
  ws.getRow(1).font = { bold: true };
  const ids: number[] = [];
  for (let page = 1; ; page++) {
    const res = await listOwners(db, auth, regionId, { page, pageSize: 100 });
    const rooms = await db.selectFrom('regions').select(['id', 'code', 'path']).where('id', 'in', res.items.length ? res.items.map((r) => r.roomId) : [0]).execute();
    const byId = new Map(rooms.map((r) => [r.id, r]));
    const persons = withOwners ? await db.selectFrom('persons').select(['id', 'id_number']).where('id', 'in', res.items.flatMap((r) => r.ownerPersonIds).concat([0])).execute() : [];
    const idOf = (pid: number) => { const n = persons.find((p) => p.id === pid)?.id_number; return n ? `${n.slice(0, 6)}********${n.slice(-4)}` : ''; };
    for (const r of res.items) {
      ids.push(r.roomId);
      ws.addRow({
        code: byId.get(r.roomId)?.code, room: r.roomName, floor: r.floor, area: r.area, source: AREA_SOURCE_NAMES[r.areaSource],
        owners: withOwners ? r.ownerPersonIds.map(idOf).join('；') : '', holder: withOwners && r.voteHolderPersonId ? idOf(r.voteHolderPersonId) : '',
        developer: r.unsoldDeveloperUnit ? '是' : '',
      });
    }
    if (page * 100 >= res.total) break;
  }
  if (withOwners) {
    await db.insertInto('pi_access_log').values({ actor_id: auth.accountId, kind: 'export', target_type: 'owner_register', target_id: String(region.id), fields: ['id_number(masked)'], purpose: '业主名册导出', ip: null, request_id: null }).execute();
  }
  const buf = await wb.xlsx.writeBuffer();
  return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(`业主名册-${region.name}.xlsx`)}`).send(Buffer.from(buf));
}

/**
 * Imports the owner register of rooms in scope, all-or-nothing: every row is
 * checked (room code in scope, area, source, ID numbers known to the population
 * registry, vote holder among the owners, developer units without owners); one bad
 * row rejects the sheet with a row-by-row report.
 */
export async function importOwners(db: Db, auth: AuthContext, actor: Actor, form: MultipartForm) {
  if (form.files.length !== 1) throw fieldError('file', 'required');
  const wb = new ExcelJS.Workbook();
  try { await wb.xlsx.load(form.files[0] as any); } catch { throw fieldError('file', 'not_xlsx'); }
  const ws = wb.worksheets[0];
  if (!ws) throw fieldError('file', 'not_xlsx');
  const missing = COLUMNS.find((c, i) => cellText(ws.getRow(1).getCell(i + 1).value) !== c.header);
  if (missing) throw fieldError('file', 'bad_template', { column: missing.header });
  const msg = (key: string, params?: Record<string, unknown>) => t('zh-CN', key, params);
  return db.transaction().execute(async (tx) => {
    const problems: RowProblem[] = [];
    const rows: { row: number; roomId: number; owners: number[]; holder: number | null; area: number; source: AreaSource; developer: boolean }[] = [];
    for (let r = 2; r <= ws.rowCount; r++) {
      const c = Object.fromEntries(COLUMNS.map((col, i) => [col.key, cellText(ws.getRow(r).getCell(i + 1).value)])) as Record<(typeof COLUMNS)[number]['key'], string>;
      if (Object.values(c).every((v) => !v)) continue;
      const bad = (field: string, key: string, params?: Record<string, unknown>) => problems.push({ row: r, field, message: msg(key, params) });
      const room = await tx.selectFrom('regions').select(['id', 'level', 'path']).where('code', '=', c.code).executeTakeFirst();
      if (!room || room.level !== 'room') bad('code', 'no_such_room', { code: c.code });
      else if (!isInScope(auth, room.path)) bad('code', 'out_of_scope_field');
      const area = Number(c.area);
      if (!c.area || !Number.isFinite(area) || area <= 0 || Math.abs(area * 100 - Math.round(area * 100)) > 1e-6) bad('area', 'bad_area');
      const source = (Object.entries(AREA_SOURCE_NAMES) as [AreaSource, string][]).find(([k, n]) => n === c.source || k === c.source)?.[0] ?? (c.source ? undefined : 'registry');
      if (!source) bad('source', 'invalid_value');
      const developer = ['是', 'Y', 'y', '1', 'true'].includes(c.developer);
      const idNumbers = c.owners.split(/[;；,，\s]+/).map((x) => x.trim().toUpperCase()).filter(Boolean);
      const owners: number[] = [];
      for (const id of idNumbers) {
        if (!isValidIdNumber(id)) { bad('owners', 'invalid_id_number'); continue; }
        const p = await tx.selectFrom('persons').select('id').where('id_number', '=', id).executeTakeFirst();
        if (!p) bad('owners', 'not_in_registry'); else owners.push(p.id);
      }
      if (developer && idNumbers.length) bad('owners', 'developer_unit_has_owners');
      if (!developer && !idNumbers.length) bad('owners', 'required');
      let holder: number | null = owners[0] ?? null;
      if (c.holder) {
        const h = c.holder.toUpperCase();
        const p = isValidIdNumber(h) ? await tx.selectFrom('persons').select('id').where('id_number', '=', h).executeTakeFirst() : undefined;
        if (!p || !owners.includes(p.id)) bad('holder', 'holder_not_owner'); else holder = p.id;
      }
      if (room && source && !problems.some((p) => p.row === r)) rows.push({ row: r, roomId: room.id, owners, holder, area, source, developer });
    }
    if (problems.length) throw importRejected(problems);
    if (!rows.length) throw fieldError('file', 'empty_sheet');
    for (const row of rows) {
      await writeRoomRegister(tx, row.roomId, { ownerPersonIds: row.owners, voteHolderPersonId: row.holder, area: row.area, areaSource: row.source, unsoldDeveloperUnit: row.developer });
    }
    await appendAudit(tx, actor, { action: 'owners.import', targetType: 'owner_register', summary: { rooms: rows.length } });
    return { imported: rows.length };
  });
}
