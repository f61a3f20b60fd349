import ExcelJS from 'exceljs';
import { importRejected, inBatches, readImportSheet, type RowProblem } from '../../core/excel.js';
import type { FastifyReply } from 'fastify';
import type { AuthContext } from '../../core/auth/context.js';
import { appendAudit, type Actor } from '../../core/audit.js';
import { fieldError } from '../../core/errors.js';
import { withImportLock } from '../../core/import-lock.js';
import { isValidIdNumber } from '../../core/identity.js';
import type { MultipartForm } from '../../core/multipart.js';
import { t } from '../../core/i18n.js';
import { inScope, isInScope } from '../../core/scope.js';
import { CATEGORY_NAMES, TARGET_NAMES } from './present.js';
import { VALUE_OPTIONAL_CATEGORIES } from './schemas.js';
import { seasonFor, toFen, type WishDeps } from './service.js';

/** The collection sheet, column by column: header, field, example. */
const COLUMNS = [
  { header: '社区', key: 'community', example: '鹿鸣社区', width: 12 },
  { header: '受益人身份证号', key: 'idNumber', example: '（人口库中已登记的身份证号）', width: 22 },
  { header: '心愿标题', key: 'title', example: '想要一台收音机', width: 20 },
  { header: '心愿描述', key: 'story', example: '老人独居，眼睛不好，想听戏曲广播。', width: 40 },
  { header: '类别', key: 'category', example: '物质', width: 8 },
  { header: '对象类型', key: 'targetGroup', example: '独居老人', width: 10 },
  { header: '预估价值(元)', key: 'estimatedValue', example: 150, width: 12 },
  { header: '走访日期', key: 'visitDate', example: '2026-11-20', width: 12 },
  { header: '走访人', key: 'visitor', example: '张社工', width: 10 },
] as const;

export async function wishImportTemplate(reply: FastifyReply) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('心愿征集表', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width }));
  ws.getRow(1).font = { bold: true };
  ws.addRow(Object.fromEntries(COLUMNS.map((c) => [c.key, c.example])));
  const note = wb.addWorksheet('填写说明');
  note.addRows([
    ['类别', Object.values(CATEGORY_NAMES).join(' / ')],
    ['对象类型', Object.values(TARGET_NAMES).join(' / ')],
    ['预估价值', '单位元，不超过本季单个心愿上限'],
    ['受益人', '按身份证号匹配人口库；请先在人员管理中登记'],
    ['导入规则', '整表导入：任一行有误则全部不导入，并逐行列出错误。第 2 行示例请删除或替换。'],
  ]);
  const buf = await wb.xlsx.writeBuffer();
  return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent('心愿征集表模板.xlsx')}`).send(Buffer.from(buf));
}

const byName = <T extends string>(names: Record<T, string>, v: string) => (Object.entries(names) as [T, string][]).find(([k, n]) => n === v || k === v)?.[0];

/**
 * Imports a season's collection sheet all-or-nothing: every row is checked first
 * (community, ID number and registry match, value cap, categories, dates); one bad
 * row rejects the sheet with a row-by-row report; otherwise every wish is created
 * in one transaction, pending review. One import per account at a time; the sheet
 * is read and checked outside the transaction (lookups a batch a statement), so
 * the transaction holds the connection only for the batched inserts.
 */
export async function importWishes(d: WishDeps, auth: AuthContext, actor: Actor, form: MultipartForm) {
  if (form.files.length !== 1) throw fieldError('file', 'required');
  const seasonId = form.fields.seasonId ? Number(form.fields.seasonId) : undefined;
  if (seasonId !== undefined && !Number.isInteger(seasonId)) throw fieldError('seasonId', 'invalid');
  return withImportLock(d.db, auth.accountId, 'wishes', async () => {
    const sheet = await readImportSheet(form.files[0], COLUMNS.length);
    const missing = COLUMNS.find((c, i) => sheet.header[i] !== c.header);
    if (missing) throw fieldError('file', 'bad_template', { column: missing.header });

    const season = await seasonFor(d.db, seasonId);
    const covered = new Set((await d.db.selectFrom('season_communities').select('community_id').where('season_id', '=', season.id).execute()).map((r) => r.community_id));
    const communities = await d.db.selectFrom('regions').select(['id', 'name', 'path']).where('level', '=', 'community').execute();
    const keyed = sheet.rows.map(({ row, cells }) => ({ row, cells: Object.fromEntries(COLUMNS.map((c, i) => [c.key, cells[i]])) as Record<(typeof COLUMNS)[number]['key'], string> }));
    // Looked up in the caller's scope only: "not in your area" and "nowhere" get the same answer.
    const persons = new Map<string, { id: number; name: string; region_path: string }>();
    const idNumbers = [...new Set(keyed.map((k) => k.cells.idNumber.toUpperCase()).filter(isValidIdNumber))];
    for (const batch of inBatches(idNumbers)) {
      const found = await d.db.selectFrom('persons').select(['id', 'name', 'region_path', 'id_number']).where('id_number', 'in', batch).where(inScope(auth, 'region_path')).execute();
      for (const p of found) if (p.id_number) persons.set(p.id_number, p);
    }
    const problems: RowProblem[] = [];
    const rows: { row: number; communityId: number; person: { id: number; name: string; region_path: string }; title: string; story: string; category: any; targetGroup: any; valueFen: number; visitDate: string | null; visitor: string | null }[] = [];
    const msg = (key: string, params?: Record<string, unknown>) => t('zh-CN', key, params);
    for (const { row: r, cells } of keyed) {
      const bad = (field: string, key: string, params?: Record<string, unknown>) => problems.push({ row: r, field, message: msg(key, params) });
      const community = communities.find((c) => c.name === cells.community);
      if (!community) bad('community', 'unknown_community', { name: cells.community });
      else if (!covered.has(community.id)) bad('community', 'season_not_covering');
      else if (!isInScope(auth, community.path)) bad('community', 'out_of_scope_field');
      let person: { id: number; name: string; region_path: string } | undefined;
      const idNumber = cells.idNumber.toUpperCase();
      if (!isValidIdNumber(idNumber)) bad('idNumber', 'invalid_id_number');
      else {
        person = persons.get(idNumber);
        if (!person) bad('idNumber', 'not_in_registry');
        else if (community && !person.region_path.startsWith(community.path)) bad('idNumber', 'not_in_community', { name: community.name });
      }
      if (cells.title.length < 2 || cells.title.length > 40) bad('title', 'too_short', { minimum: 2 });
      if (cells.story.length < 5) bad('story', 'too_short', { minimum: 5 });
      const category = byName(CATEGORY_NAMES, cells.category);
      if (!category) bad('category', 'invalid_value');
      const targetGroup = byName(TARGET_NAMES, cells.targetGroup);
      if (!targetGroup) bad('targetGroup', 'invalid_value');
      // A service or companionship wish may leave the value empty (no cost), as on the H5.
      const value = cells.estimatedValue ? Number(cells.estimatedValue) : 0;
      if (!cells.estimatedValue && !(category && VALUE_OPTIONAL_CATEGORIES.includes(category))) bad('estimatedValue', 'value_required_for_goods');
      else if (!Number.isFinite(value) || value < 0) bad('estimatedValue', 'invalid');
      else if (toFen(value) > season.value_cap_fen) bad('estimatedValue', 'over_value_cap', { cap: season.value_cap_fen / 100 });
      if (cells.visitDate && !/^\d{4}-\d{2}-\d{2}$/.test(cells.visitDate)) bad('visitDate', 'invalid_format');
      if (community && person && category && targetGroup && !problems.some((p) => p.row === r)) {
        rows.push({ row: r, communityId: community.id, person, title: cells.title, story: cells.story, category, targetGroup, valueFen: toFen(value), visitDate: cells.visitDate || null, visitor: cells.visitor || null });
      }
    }
    if (problems.length) throw importRejected(problems);
    if (!rows.length) throw fieldError('file', 'empty_sheet');

    return d.db.transaction().execute(async (tx) => {
      const ids: number[] = [];
      for (const batch of inBatches(rows, 500)) {
        const created = await tx.insertInto('wishes').values(batch.map((w) => ({
          season_id: season.id, community_id: w.communityId, region_path: w.person.region_path, beneficiary_person_id: w.person.id,
          beneficiary_surname: w.person.name[0], title: w.title, story: w.story, category: w.category, target_group: w.targetGroup,
          estimated_value_fen: w.valueFen, channel: 'import' as const, visit_date: w.visitDate, visitor: w.visitor, submitted_by: auth.accountId,
        }))).returning('id').execute();
        // The "submitted" step of each wish's timeline, as recordWishEvent writes it (a step that is not announced live).
        const at = new Date();
        await tx.insertInto('wish_events').values(created.map((c) => ({ wish_id: c.id, kind: 'submitted', actor_id: auth.accountId, at, data: JSON.stringify({ channel: 'import' }) }))).execute();
        ids.push(...created.map((c) => c.id));
      }
      await appendAudit(tx, actor, { action: 'wish.import', targetType: 'season', targetId: season.id, summary: { rows: rows.length, firstId: ids[0], lastId: ids.at(-1) } });
      return { imported: ids.length, seasonId: season.id, ids };
    });
  });
}
