import ExcelJS from 'exceljs';
import { importRejected, inBatches, readImportSheet, type RowProblem } from '../../core/excel.js';
import type { FastifyReply } from 'fastify';
import type { AuthContext } from '../../core/auth/context.js';
import { appendAudit, type Actor, logPersonalDataAccess } from '../../core/audit.js';
import type { Db, Executor } from '../../core/db.js';
import { fieldError } from '../../core/errors.js';
import { setRoomAreas } from '../regions/service.js';
import { withImportLock } from '../../core/import-lock.js';
import { t } from '../../core/i18n.js';
import { isValidIdNumber } from '../../core/identity.js';
import type { MultipartForm } from '../../core/multipart.js';
import { inScope, isInScope, regionInScope } from '../../core/scope.js';
import { AREA_SOURCE_NAMES, listOwners, type AreaSource } from './owners.js';

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
    await logPersonalDataAccess(db, { actor_id: auth.accountId, kind: 'export', target_type: 'owner_register', target_id: String(region.id), fields: ['id_number(masked)'], purpose: '业主名册导出', ip: null, request_id: null });
  }
  const buf = await wb.xlsx.writeBuffer();
  return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(`业主名册-${region.name}.xlsx`)}`).send(Buffer.from(buf));
}

interface RegisterRow { row: number; roomId: number; owners: number[]; holder: number | null; area: number; source: AreaSource; developer: boolean }

/**
 * Writes many rooms' register entries in the caller's transaction, a batch of
 * rooms a statement: the same result as writeRoomRegister room by room (owners
 * replaced, the holder casts the vote, area source and developer flag upserted,
 * area set), with rows already checked by the import.
 */
async function writeRegisterBatch(tx: Executor, batch: RegisterRow[]) {
  const roomIds = batch.map((r) => r.roomId);
  await tx.deleteFrom('room_owners').where('room_id', 'in', roomIds).execute();
  const owners = batch.flatMap((r) => [...new Set(r.owners)].map((person_id) => ({ room_id: r.roomId, person_id, casts_vote: person_id === r.holder })));
  for (const chunk of inBatches(owners, 5000)) await tx.insertInto('room_owners').values(chunk).execute(); // under the 65,535 parameters of a statement
  await tx.insertInto('room_register').values(batch.map((r) => ({ room_id: r.roomId, area_source: r.source, unsold_developer_unit: r.developer })))
    .onConflict((oc) => oc.column('room_id').doUpdateSet((eb) => ({ area_source: eb.ref('excluded.area_source'), unsold_developer_unit: eb.ref('excluded.unsold_developer_unit'), updated_at: new Date() })))
    .execute();
  await setRoomAreas(tx, batch.map((r) => ({ roomId: r.roomId, area: r.area })));
}

/**
 * Imports the owner register of rooms in scope, all-or-nothing: every row is
 * checked (room code in scope, area, source, ID numbers known to the population
 * registry, vote holder among the owners, developer units without owners, a room
 * once); one bad row rejects the sheet with a row-by-row report. One import per
 * account at a time; the sheet is read and checked outside the transaction
 * (lookups a batch a statement), and the transaction only writes, in batches.
 */
export async function importOwners(db: Db, auth: AuthContext, actor: Actor, form: MultipartForm) {
  if (form.files.length !== 1) throw fieldError('file', 'required');
  return withImportLock(db, auth.accountId, 'owners', async () => {
    const sheet = await readImportSheet(form.files[0], COLUMNS.length);
    const missing = COLUMNS.find((c, i) => sheet.header[i] !== c.header);
    if (missing) throw fieldError('file', 'bad_template', { column: missing.header });
    const msg = (key: string, params?: Record<string, unknown>) => t('zh-CN', key, params);
    const keyed = sheet.rows.map(({ row, cells }) => ({ row, c: Object.fromEntries(COLUMNS.map((col, i) => [col.key, cells[i]])) as Record<(typeof COLUMNS)[number]['key'], string> }));
    const splitIds = (text: string) => text.split(/[;；,，\s]+/).map((x) => x.trim().toUpperCase()).filter(Boolean);

    const rooms = new Map<string, { id: number; level: string; path: string }>();
    for (const batch of inBatches([...new Set(keyed.map((k) => k.c.code).filter(Boolean))])) {
      for (const room of await db.selectFrom('regions').select(['id', 'level', 'path', 'code']).where('code', 'in', batch).execute()) if (room.code) rooms.set(room.code, room);
    }
    // Looked up in the caller's scope only: "not here" and "nowhere" get the same answer.
    const persons = new Map<string, number>();
    const idNumbers = [...new Set(keyed.flatMap((k) => [...splitIds(k.c.owners), k.c.holder.toUpperCase()]).filter(isValidIdNumber))];
    for (const batch of inBatches(idNumbers)) {
      const found = await db.selectFrom('persons').select(['id', 'id_number']).where('id_number', 'in', batch).where(inScope(auth, 'region_path')).execute();
      for (const p of found) if (p.id_number) persons.set(p.id_number, p.id);
    }

    const problems: RowProblem[] = [];
    const rows: RegisterRow[] = [];
    const firstRowOfRoom = new Map<number, number>();
    for (const { row: r, c } of keyed) {
      const bad = (field: string, key: string, params?: Record<string, unknown>) => problems.push({ row: r, field, message: msg(key, params) });
      const room = rooms.get(c.code);
      if (!room || room.level !== 'room') bad('code', 'no_such_room', { code: c.code });
      else if (!isInScope(auth, room.path)) bad('code', 'out_of_scope_field');
      else if (firstRowOfRoom.has(room.id)) bad('code', 'duplicate_in_sheet', { row: firstRowOfRoom.get(room.id) });
      else firstRowOfRoom.set(room.id, r);
      const area = Number(c.area);
      if (!c.area || !Number.isFinite(area) || area <= 0 || Math.abs(area * 100 - Math.round(area * 100)) > 1e-6) bad('area', 'bad_area');
      const source = (Object.entries(AREA_SOURCE_NAMES) as [AreaSource, string][]).find(([k, n]) => n === c.source || k === c.source)?.[0] ?? (c.source ? undefined : 'registry');
      if (!source) bad('source', 'invalid_value');
      const developer = ['是', 'Y', 'y', '1', 'true'].includes(c.developer);
      const idNumbers = splitIds(c.owners);
      const owners: number[] = [];
      for (const id of idNumbers) {
        if (!isValidIdNumber(id)) { bad('owners', 'invalid_id_number'); continue; }
        const p = persons.get(id);
        if (!p) bad('owners', 'not_in_registry'); else owners.push(p);
      }
      if (developer && idNumbers.length) bad('owners', 'developer_unit_has_owners');
      if (!developer && !idNumbers.length) bad('owners', 'required');
      let holder: number | null = owners[0] ?? null;
      if (c.holder) {
        const h = c.holder.toUpperCase();
        const p = isValidIdNumber(h) ? persons.get(h) : undefined;
        if (!p || !owners.includes(p)) bad('holder', 'holder_not_owner'); else holder = p;
      }
      if (room && source && !problems.some((p) => p.row === r)) rows.push({ row: r, roomId: room.id, owners, holder, area, source, developer });
    }
    if (problems.length) throw importRejected(problems);
    if (!rows.length) throw fieldError('file', 'empty_sheet');
    return db.transaction().execute(async (tx) => {
      for (const batch of inBatches(rows, 500)) await writeRegisterBatch(tx, batch);
      await appendAudit(tx, actor, { action: 'owners.import', targetType: 'owner_register', summary: { rooms: rows.length } });
      return { imported: rows.length };
    });
  });
}
