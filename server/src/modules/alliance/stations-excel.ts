import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';
import { appendAudit, type Actor } from '../../core/audit.js';
import type { AuthContext } from '../../core/auth/context.js';
import type { Db } from '../../core/db.js';
import { importRejected, inBatches, readImportSheet, type RowProblem } from '../../core/excel.js';
import { fieldError } from '../../core/errors.js';
import { t } from '../../core/i18n.js';
import { withImportLock } from '../../core/import-lock.js';
import type { MultipartForm } from '../../core/multipart.js';
import { XLSX } from '../../core/response.js';
import { canManageStation } from './stations-policy.js';
import { checkinPeriod, managedStationQuery, presentManaged, stationChanges, type StationFilter, type StationInput } from './stations-manage.js';
import { STATION_KIND_NAMES, STATION_SERVICES, STATION_STATUS_NAMES, type StationKind, type StationService, type StationStatus } from './stations-tables.js';

/**
 * Stations as a workbook: the export is also the import template (its first columns), so a sheet
 * exported, edited and imported again updates those stations by their 编号; a row without one
 * creates a station. Imports are all or nothing, like the wish and owner imports.
 */

const COLUMNS = [
  { header: '编号', key: 'id', width: 8, example: '' },
  { header: '名称', key: 'name', width: 22, example: '锋小巢·鹿鸣示范点' },
  { header: '类型', key: 'kind', width: 8, example: '锋小巢' },
  { header: '所在社区', key: 'community', width: 12, example: '鹿鸣社区' },
  { header: '地址', key: 'address', width: 28, example: '鹿鸣社区新洋路88号' },
  { header: '纬度', key: 'lat', width: 11, example: 33.3612 },
  { header: '经度', key: 'lng', width: 11, example: 120.1895 },
  { header: '开放时间', key: 'openingHours', width: 14, example: '08:00—20:00' },
  { header: '服务项目（用、分隔）', key: 'services', width: 36, example: '休息、饮水、手机充电、快递代办、创新创业' },
  { header: '所属联盟单位', key: 'ownerUnit', width: 28, example: '' },
  { header: '联系人', key: 'contactName', width: 10, example: '王站长' },
  { header: '联系电话', key: 'contactPhone', width: 14, example: '0515-88881234' },
  { header: '简介', key: 'description', width: 30, example: '为快递小哥、环卫工人提供歇脚、饮水、充电' },
] as const;
type Key = (typeof COLUMNS)[number]['key'];
/** Read back only: what the sheet shows beyond the template's columns. */
const EXTRA = [
  { header: '状态', width: 8 }, { header: '关闭原因', width: 24 }, { header: '统计期到站人次', width: 14 }, { header: '累计到站人次', width: 12 },
];

/** Station contact lines: a mobile or a landline (0515-88881234). */
export const STATION_PHONE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;

function workbook() {
  const wb = new ExcelJS.Workbook();
  wb.creator = '红色社区';
  const ws = wb.addWorksheet('便民服务站', { views: [{ state: 'frozen', ySplit: 1 }] });
  return { wb, ws };
}

async function send(reply: FastifyReply, wb: ExcelJS.Workbook, filename: string) {
  const buf = await wb.xlsx.writeBuffer();
  return reply.type(XLSX).header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(filename)}`).send(Buffer.from(buf));
}

export async function stationTemplate(reply: FastifyReply) {
  const { wb, ws } = workbook();
  ws.columns = COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width }));
  ws.getRow(1).font = { bold: true };
  ws.addRow(Object.fromEntries(COLUMNS.map((c) => [c.key, c.example])));
  wb.addWorksheet('填写说明').addRows([
    ['编号', '留空为新建；填写已有服务站的编号（导出表第一列）则修改该站'],
    ['类型', Object.values(STATION_KIND_NAMES).join(' / ')],
    ['所在社区', '社区全称，须在您的辖区内'],
    ['服务项目', `${Object.values(STATION_SERVICES).join('、')}（至少一项，用、分隔）`],
    ['所属联盟单位', '可不填；须为已认证的联盟单位全称'],
    ['联系电话', '手机号或座机（如 0515-88881234），可不填'],
    ['导入规则', '整表导入：任一行有误则全部不导入，并逐行列出错误。开放或关闭请在后台操作。第 2 行示例请删除或替换。'],
  ]);
  return send(reply, wb, '便民服务站导入模板.xlsx');
}

/** The stations of the list's filter, every one (not a page), in the template's columns plus status and check-ins. */
export async function stationExport(db: Db, auth: AuthContext, f: StationFilter, reply: FastifyReply) {
  const period = checkinPeriod(f);
  const rows = (await (await managedStationQuery(db, auth, f, period)).limit(20_000).execute()).map(presentManaged);
  const { wb, ws } = workbook();
  ws.columns = [...COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width })), ...EXTRA.map((c, i) => ({ header: c.header, key: `x${i}`, width: c.width }))];
  ws.getRow(1).font = { bold: true };
  for (const s of rows) {
    ws.addRow({
      id: s.id, name: s.name, kind: s.kindName, community: s.communityName, address: s.address, lat: s.lat, lng: s.lng, openingHours: s.openingHours,
      services: s.serviceNames.join('、'), ownerUnit: s.ownerUnit ?? '', contactName: s.contactName ?? '', contactPhone: s.contactPhone ?? '', description: s.description ?? '',
      x0: STATION_STATUS_NAMES[s.status as StationStatus] ?? s.status, x1: s.closedReason ?? '', x2: s.checkins, x3: s.checkinsTotal,
    });
  }
  ws.getCell(1, COLUMNS.length + 3).note = `${period.from} 至 ${period.to}`;
  return send(reply, wb, `便民服务站-${period.to}.xlsx`);
}

const byName = <T extends string>(names: Record<T, string>, v: string) => (Object.entries(names) as [T, string][]).find(([k, n]) => n === v || k === v)?.[0];
const LIMITS = { name: [2, 60], address: [1, 200], openingHours: [1, 100], contactName: [0, 40], description: [0, 1000] } as const;

interface Checked { row: number; id: number | null; regionId: number; name: string; input: StationInput & { kind: StationKind; services: StationService[] } }

/**
 * Imports a stations sheet all or nothing: every row is checked first (编号 in scope, name, kind,
 * community in scope, coordinates, services from the dictionary, owner unit, contact), names must
 * be unique per community in the sheet and against other stations; one bad row rejects the sheet
 * with a report naming each row and column. The sheet is read outside the transaction; the writes
 * go in one. One import per account at a time (core/import-lock.ts).
 */
export async function importStations(db: Db, auth: AuthContext, actor: Actor, form: MultipartForm) {
  if (form.files.length !== 1) throw fieldError('file', 'required');
  return withImportLock(db, auth.accountId, 'stations', async () => {
    const sheet = await readImportSheet(form.files[0], COLUMNS.length);
    const wrong = COLUMNS.find((c, i) => sheet.header[i] !== c.header);
    if (wrong) throw fieldError('file', 'bad_template', { column: wrong.header });
    const keyed = sheet.rows.map(({ row, cells }) => ({ row, cells: Object.fromEntries(COLUMNS.map((c, i) => [c.key, cells[i]])) as Record<Key, string> }));

    const communities = await db.selectFrom('regions').select(['id', 'name', 'path']).where('level', '=', 'community').execute();
    const units = await db.selectFrom('alliance_units').select(['id', 'name']).where('status', '=', 'verified').execute();
    const ids = [...new Set(keyed.map((k) => Number(k.cells.id)).filter((n) => Number.isInteger(n) && n > 0 && n <= 2147483647))];
    const existing = new Map<number, { id: number; name: string; region_id: number | null; path: string }>();
    for (const batch of inBatches(ids)) {
      const found = await db.selectFrom('stations as s').innerJoin('regions as r', 'r.id', 's.region_id').select(['s.id', 's.name', 's.region_id', 'r.path']).where('s.id', 'in', batch).execute();
      for (const s of found) existing.set(s.id, s);
    }

    const problems: RowProblem[] = [];
    const rows: Checked[] = [];
    const msg = (key: string, params?: Record<string, unknown>) => t('zh-CN', key, params);
    const seenId = new Map<number, number>(), seenName = new Map<string, number>();
    for (const { row: r, cells } of keyed) {
      const bad = (field: string, key: string, params?: Record<string, unknown>) => problems.push({ row: r, field, message: msg(key, params) });
      const before = problems.length;
      let id: number | null = null;
      if (cells.id) {
        const n = Number(cells.id);
        const s = Number.isInteger(n) ? existing.get(n) : undefined;
        if (!s) bad('id', 'no_such_reference');
        else if (!canManageStation(auth, s.path)) bad('id', 'out_of_scope_field');
        else if (seenId.has(n)) bad('id', 'duplicate_in_sheet', { row: seenId.get(n) });
        else { id = n; seenId.set(n, r); }
      }
      for (const [field, [min, max]] of Object.entries(LIMITS)) {
        const v = cells[field as Key];
        if (min > 0 && !v) bad(field, 'required');
        else if (v.length < min) bad(field, 'too_short', { minimum: min });
        else if (v.length > max) bad(field, 'too_long', { maximum: max });
      }
      const kind = byName(STATION_KIND_NAMES, cells.kind);
      if (!kind) bad('kind', cells.kind ? 'invalid_value' : 'required');
      const community = communities.find((c) => c.name === cells.community);
      if (!community) bad('community', cells.community ? 'unknown_community' : 'required', { name: cells.community });
      else if (!canManageStation(auth, community.path)) bad('community', 'out_of_scope_field');
      const lat = Number(cells.lat), lng = Number(cells.lng);
      if (!cells.lat) bad('lat', 'required'); else if (!Number.isFinite(lat) || lat < -90 || lat > 90) bad('lat', 'out_of_range');
      if (!cells.lng) bad('lng', 'required'); else if (!Number.isFinite(lng) || lng < -180 || lng > 180) bad('lng', 'out_of_range');
      const labels = cells.services.split(/[、,，;；/\s]+/).filter(Boolean);
      const services = labels.map((l) => byName(STATION_SERVICES, l));
      if (!labels.length) bad('services', 'required');
      else if (services.some((s) => !s)) bad('services', 'invalid_value');
      const unit = cells.ownerUnit ? units.find((u) => u.name === cells.ownerUnit) : undefined;
      if (cells.ownerUnit && !unit) bad('ownerUnit', 'no_such_unit');
      if (cells.contactPhone && !STATION_PHONE.test(cells.contactPhone.replace(/\s/g, ''))) bad('contactPhone', 'invalid_format');
      if (community && cells.name) {
        const key = `${community.id}|${cells.name}`;
        if (seenName.has(key)) bad('name', 'duplicate_in_sheet', { row: seenName.get(key) });
        else seenName.set(key, r);
      }
      if (problems.length > before || !kind || !community) continue;
      rows.push({
        row: r, id, regionId: community.id, name: cells.name,
        input: {
          name: cells.name, kind, address: cells.address, lat: Math.round(lat * 1e7) / 1e7 || 0, lng: Math.round(lng * 1e7) / 1e7 || 0, openingHours: cells.openingHours,
          services: [...new Set(services as StationService[])], ownerUnitId: unit?.id ?? null, contactName: cells.contactName || null,
          contactPhone: cells.contactPhone.replace(/\s/g, '') || null, description: cells.description || null,
        },
      });
    }
    // Names taken by stations the sheet does not edit (a station keeping or swapping its name within the sheet is fine).
    const editing = new Set(rows.flatMap((x) => (x.id ? [x.id] : [])));
    for (const batch of inBatches(rows, 500)) {
      const taken = await db.selectFrom('stations').select(['id', 'region_id', 'name']).where('name', 'in', batch.map((x) => x.name)).execute();
      for (const x of batch) if (taken.some((s) => s.region_id === x.regionId && s.name === x.name && s.id !== x.id && !editing.has(s.id))) problems.push({ row: x.row, field: 'name', message: msg('taken') });
    }
    if (problems.length) throw importRejected(problems.sort((a, b) => a.row - b.row));
    if (!rows.length) throw fieldError('file', 'empty_sheet');

    return db.transaction().execute(async (tx) => {
      const updates = rows.filter((x) => x.id != null);
      const creates = rows.filter((x) => x.id == null);
      // Edited stations first move to names no one holds, so that names swapped within the sheet never meet the unique index half-way.
      for (const x of updates) await tx.updateTable('stations').set({ name: randomUUID() }).where('id', '=', x.id!).execute();
      for (const x of updates) {
        await tx.updateTable('stations').set({ ...stationChanges(x.input), region_id: x.regionId, updated_at: new Date() }).where('id', '=', x.id!).execute();
      }
      const created: number[] = [];
      for (const batch of inBatches(creates, 500)) {
        const out = await tx.insertInto('stations').values(batch.map((x) => ({
          name: x.input.name!, kind: x.input.kind, region_id: x.regionId, address: x.input.address!, lat: x.input.lat!, lng: x.input.lng!, opening_hours: x.input.openingHours!,
          services: x.input.services, owner_unit_id: x.input.ownerUnitId ?? null, contact_name: x.input.contactName ?? null, contact_phone: x.input.contactPhone ?? null,
          description: x.input.description ?? null,
        }))).returning('id').execute();
        created.push(...out.map((o) => o.id));
      }
      await appendAudit(tx, actor, { action: 'station.import', targetType: 'station', targetId: created[0] ?? updates[0]?.id ?? null, summary: { created: created.length, updated: updates.length, updatedIds: updates.map((x) => x.id) } });
      return { created: created.length, updated: updates.length, ids: [...updates.map((x) => x.id!), ...created] };
    });
  });
}
