import type { AuthContext } from '../../core/auth/context.js';
import { appendAudit, type Actor } from '../../core/audit.js';
import type { Db } from '../../core/db.js';
import { fieldError } from '../../core/errors.js';
import { importRejected, inBatches, readImportSheet, type RowProblem } from '../../core/excel.js';
import { t } from '../../core/i18n.js';
import { isValidIdNumber, isValidMobile } from '../../core/identity.js';
import { withImportLock } from '../../core/import-lock.js';
import type { MultipartForm } from '../../core/multipart.js';
import { isInScope } from '../../core/scope.js';
import { dateProblems, memberValues, registryPersons, todayInShanghai, type MemberInput } from './members.js';
import { MEMBER_STATUS_NAMES, PARTY_ORG_KINDS, type MemberStatus } from './tables.js';

/** The import template's columns, in order (the header row must match). */
export const MEMBER_SHEET = [
  { header: '姓名', key: 'name', width: 12 },
  { header: '身份证号', key: 'idNumber', width: 22 },
  { header: '手机号', key: 'phone', width: 14 },
  { header: '所在党组织（名称或编码）', key: 'organisation', width: 28 },
  { header: '党员类别（正式党员/预备党员）', key: 'status', width: 16 },
  { header: '入党日期', key: 'joinedOn', width: 12 },
  { header: '转正日期', key: 'fullOn', width: 12 },
  { header: '职务（多个用；分隔）', key: 'posts', width: 24 },
] as const;
type Key = (typeof MEMBER_SHEET)[number]['key'];

/** 2021-07-01, 2021/7/1, 2021.7.1 or 2021年7月1日 as YYYY-MM-DD; undefined when it is not a real date. */
export function sheetDate(text: string): string | undefined {
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (y < 1921 || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  return date.toISOString().slice(0, 10);
}

const STATUS_BY_TEXT: Record<string, MemberStatus> = {
  ...Object.fromEntries(Object.entries(MEMBER_STATUS_NAMES).map(([k, v]) => [v, k as MemberStatus])),
  正式: 'full', 预备: 'probationary', full: 'full', probationary: 'probationary',
};

/**
 * Imports members from the template, all-or-nothing: every row is checked (name, ID number valid and
 * once in the sheet and not yet a member, name agreeing with the registry when the ID number is there,
 * phone, a party organisation in the caller's scope, category, dates, posts); one bad row rejects the
 * sheet with a row-by-row report. The sheet is read and checked outside the transaction, which only writes.
 */
export async function importMembers(db: Db, auth: AuthContext, actor: Actor, form: { files: MultipartForm['files'] }) {
  if (form.files.length !== 1) throw fieldError('file', 'required');
  return withImportLock(db, auth.accountId, 'party_members', async () => {
    const sheet = await readImportSheet(form.files[0], MEMBER_SHEET.length);
    const missing = MEMBER_SHEET.find((c, i) => sheet.header[i] !== c.header);
    if (missing) throw fieldError('file', 'bad_template', { column: missing.header });
    const msg = (key: string, params?: Record<string, unknown>) => t('zh-CN', key, params);
    const keyed = sheet.rows.map(({ row, cells }) => ({ row, c: Object.fromEntries(MEMBER_SHEET.map((col, i) => [col.key, cells[i]])) as Record<Key, string> }));

    const idNumbers = [...new Set(keyed.map((k) => k.c.idNumber.toUpperCase()).filter(isValidIdNumber))];
    const persons = new Map<string, { id: number; name: string }>();
    const members = new Set<string>();
    for (const batch of inBatches(idNumbers)) {
      for (const [k, v] of await registryPersons(db, batch)) persons.set(k, v);
      for (const m of await db.selectFrom('party_members').select('id_number').where('id_number', 'in', batch).execute()) members.add(m.id_number);
    }
    const orgTexts = [...new Set(keyed.map((k) => k.c.organisation).filter(Boolean))];
    const orgs = new Map<string, { id: number; regionPath: string }[]>();
    for (const batch of inBatches(orgTexts)) {
      const rows = await db.selectFrom('organisations as o').innerJoin('regions as r', 'r.id', 'o.region_id')
        .select(['o.id', 'o.name', 'o.code', 'r.path as regionPath']).where('o.kind', 'in', [...PARTY_ORG_KINDS])
        .where((eb) => eb.or([eb('o.code', 'in', batch), eb('o.name', 'in', batch)])).execute();
      for (const o of rows) for (const key of new Set([o.code, o.name])) orgs.set(key, [...(orgs.get(key) ?? []), o]);
    }

    const today = todayInShanghai();
    const problems: RowProblem[] = [];
    const inputs: { input: MemberInput; personId: number | null }[] = [];
    const firstRowOf = new Map<string, number>();
    for (const { row: r, c } of keyed) {
      const before = problems.length;
      const bad = (field: string, key: string, params?: Record<string, unknown>) => problems.push({ row: r, field, message: msg(key, params) });
      if (!c.name) bad('name', 'required'); else if (c.name.length > 40) bad('name', 'too_long', { maximum: 40 });
      const idNumber = c.idNumber.toUpperCase();
      if (!isValidIdNumber(idNumber)) bad('idNumber', 'invalid_id_number');
      else if (firstRowOf.has(idNumber)) bad('idNumber', 'duplicate_in_sheet', { row: firstRowOf.get(idNumber) });
      else if (members.has(idNumber)) bad('idNumber', 'already_member');
      else {
        firstRowOf.set(idNumber, r);
        const p = persons.get(idNumber);
        if (p && c.name && p.name !== c.name) bad('name', 'name_mismatch');
      }
      if (c.phone && !isValidMobile(c.phone)) bad('phone', 'invalid_phone');
      const found = orgs.get(c.organisation) ?? [];
      if (!c.organisation) bad('organisation', 'required');
      else if (!found.length) bad('organisation', 'no_such_party_org', { name: c.organisation });
      else if (found.length > 1) bad('organisation', 'ambiguous_org', { name: c.organisation });
      else if (!isInScope(auth, found[0].regionPath)) bad('organisation', 'out_of_scope_field');
      const status = STATUS_BY_TEXT[c.status];
      if (!status) bad('status', 'invalid_value');
      const joinedOn = sheetDate(c.joinedOn);
      if (!joinedOn) bad('joinedOn', c.joinedOn ? 'invalid_date' : 'required');
      const fullOn = c.fullOn ? sheetDate(c.fullOn) : null;
      if (fullOn === undefined) bad('fullOn', 'invalid_date');
      const posts = c.posts.split(/[;；,，、]+/).map((x) => x.trim()).filter(Boolean);
      if (posts.length > 10 || posts.some((x) => x.length > 20)) bad('posts', 'bad_posts');
      if (problems.length > before || !status || !joinedOn || fullOn === undefined) continue;
      const input: MemberInput = { name: c.name, idNumber, phone: c.phone || null, organisationId: found[0].id, status, joinedOn, fullOn, posts };
      for (const [field, key] of dateProblems(input, today)) bad(field, key);
      if (problems.length === before) inputs.push({ input, personId: persons.get(idNumber)?.id ?? null });
    }
    if (problems.length) throw importRejected(problems);
    if (!inputs.length) throw fieldError('file', 'empty_sheet');
    return db.transaction().execute(async (tx) => {
      for (const batch of inBatches(inputs, 500)) await tx.insertInto('party_members').values(batch.map((x) => memberValues(x.input, x.personId))).execute();
      await appendAudit(tx, actor, { action: 'party_member.import', targetType: 'party_member', summary: { members: inputs.length } });
      return { imported: inputs.length };
    });
  });
}
