import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { sql } from 'kysely';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { regionByCode } from '../helpers/fixtures.js';
import { multipart } from '../helpers/multipart.js';
import { newWish, publishedWish } from '../helpers/wishes.js';

/**
 * Issue 8, findings 1 and 7: a small upload must not take the process down or
 * hold the database: zip bombs, lying zip directories, huge sheets, pixel bombs
 * and parallel imports by one account are refused with 4xx, nothing is written,
 * and memory stays flat.
 */

interface ZipEntry { name: string; data?: Buffer; deflated?: Buffer; size?: number; crc?: number; declaredSize?: number }

/** A zip built by hand, so that a test can make its central directory lie. */
function zipOf(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const body = e.deflated ?? zlib.deflateRawSync(e.data!);
    const crc = e.crc ?? zlib.crc32(e.data!);
    const size = e.declaredSize ?? e.size ?? e.data!.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(0x0800, 6); local.writeUInt16LE(8, 8);
    local.writeUInt16LE(0, 10); local.writeUInt16LE(0x21, 12); local.writeUInt32LE(crc >>> 0, 14); local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22); local.writeUInt16LE(name.length, 26); local.writeUInt16LE(0, 28);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0); cd.writeUInt16LE(20, 4); cd.writeUInt16LE(20, 6); cd.writeUInt16LE(0x0800, 8); cd.writeUInt16LE(8, 10);
    cd.writeUInt16LE(0, 12); cd.writeUInt16LE(0x21, 14); cd.writeUInt32LE(crc >>> 0, 16); cd.writeUInt32LE(body.length, 20); cd.writeUInt32LE(size, 24);
    cd.writeUInt16LE(name.length, 28); cd.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    central.push(cd, name);
    offset += local.length + name.length + body.length;
  }
  const cdBuf = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cdBuf.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cdBuf, end]);
}

/** sharedStrings.xml with one string of `megabytes` MB of "a", deflated as a stream (never held inflated here). */
async function sharedStringsBomb(megabytes: number) {
  const head = Buffer.from('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>');
  const tail = Buffer.from('</t></si></sst>');
  const chunk = Buffer.alloc(1024 * 1024, 'a');
  let crc = 0;
  let size = 0;
  function* parts() {
    for (const b of [head, ...Array.from({ length: megabytes }, () => chunk), tail]) { crc = zlib.crc32(b, crc); size += b.length; yield b; }
  }
  const out: Buffer[] = [];
  for await (const b of Readable.from(parts()).pipe(zlib.createDeflateRaw({ level: 9 }))) out.push(b as Buffer);
  return { deflated: Buffer.concat(out), crc, size };
}

/** The entries of a real workbook with the given header row, as buffers. */
async function workbookEntries(header: string[]): Promise<ZipEntry[]> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('Sheet1').addRow(header);
  const zip = await JSZip.loadAsync(Buffer.from(await wb.xlsx.writeBuffer()));
  const entries: ZipEntry[] = [];
  for (const f of Object.values(zip.files)) if (!f.dir) entries.push({ name: f.name, data: await f.async('nodebuffer') });
  return entries;
}

const OWNER_HEADER = ['房屋编码', '房屋', '楼层', '专有部分面积(㎡)', '面积来源', '业主身份证号（多人用；分隔）', '投票人身份证号', '开发商未售'];
const WISH_HEADER = ['社区', '受益人身份证号', '心愿标题', '心愿描述', '类别', '对象类型', '预估价值(元)', '走访日期', '走访人'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The highest RSS seen while `work` runs, sampled every 20 ms, minus the RSS before it. */
async function rssGrowth<T>(work: () => Promise<T>): Promise<{ result: T; growthMb: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, growthMb: (peak - before) / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}

describe('upload bombs: zip, pixel, rows and parallel imports', () => {
  let t: TestApp;
  let worker: string;
  beforeAll(async () => {
    t = await createTestApp();
    worker = await t.token('community.luming');
  });
  afterAll(() => t.close());

  const counts = async () => {
    const n = async (table: 'wishes' | 'room_owners' | 'room_register' | 'files' | 'wish_photos' | 'audit_log') =>
      Number((await t.dbh.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    return { wishes: await n('wishes'), roomOwners: await n('room_owners'), roomRegister: await n('room_register'), files: await n('files'), wishPhotos: await n('wish_photos'), audit: await n('audit_log') };
  };
  const upload = (url: string, token: string, data: Buffer, fields: Record<string, string> = {}) => {
    const form = multipart(fields, [{ field: 'file', name: 'sheet.xlsx', type: XLSX, data }]);
    return t.app.inject({ method: 'POST', url, headers: { ...bearer(token), ...form.headers }, payload: form.payload });
  };
  const healthy = async () => expect((await t.app.inject({ url: '/api/health' })).statusCode).toBe(200);

  it('an .xlsx of a few hundred KB whose sharedStrings.xml inflates to 300 MB is refused (413) from its central directory', async () => {
    const bomb = await sharedStringsBomb(300);
    expect(bomb.deflated.length).toBeLessThan(1024 * 1024);
    for (const [url, header] of [['/api/owners/import', OWNER_HEADER], ['/api/wishes/import', WISH_HEADER]] as const) {
      const entries = (await workbookEntries([...header])).filter((e) => e.name !== 'xl/sharedStrings.xml');
      const file = zipOf([...entries, { name: 'xl/sharedStrings.xml', ...bomb }]);
      const before = await counts();
      const { result: res, growthMb } = await rssGrowth(() => upload(url, worker, file));
      expect(res.statusCode, res.body.slice(0, 300)).toBe(413);
      expect(res.json().error.code).toBe('payload_too_large');
      expect(res.json().error.fields.file).toContain('MB');
      expect(growthMb).toBeLessThan(200);
      expect(await counts()).toEqual(before);
    }
    await healthy();
  });

  it('a central directory that declares 1 KB for an entry that inflates to 300 MB is caught while inflating (400)', async () => {
    const bomb = await sharedStringsBomb(300);
    const entries = (await workbookEntries(OWNER_HEADER)).filter((e) => e.name !== 'xl/sharedStrings.xml');
    const file = zipOf([...entries, { name: 'xl/sharedStrings.xml', ...bomb, declaredSize: 1024 }]);
    const before = await counts();
    const { result: res, growthMb } = await rssGrowth(() => upload('/api/owners/import', worker, file));
    expect(res.statusCode, res.body.slice(0, 300)).toBe(400);
    expect(res.json().error.fields.file).toBeTruthy();
    expect(growthMb).toBeLessThan(200);
    expect(await counts()).toEqual(before);
    await healthy();
  });

  it('a zip of many thousand tiny entries is refused (413) before any of them is read', async () => {
    const entries = await workbookEntries(OWNER_HEADER);
    for (let i = 0; i < 5000; i++) entries.push({ name: `xl/media/pad${i}.bin`, data: Buffer.from('x') });
    const res = await upload('/api/owners/import', worker, zipOf(entries));
    expect(res.statusCode, res.body.slice(0, 300)).toBe(413);
    expect(res.json().error.fields.file).toBeTruthy();
  });

  it('rows and columns are capped per import (20,000 rows): counted rows, a far-away row and a wide row are all 413; nothing is written', async () => {
    const before = await counts();
    const many = new ExcelJS.Workbook();
    const ws = many.addWorksheet('业主名册');
    ws.addRow(OWNER_HEADER);
    for (let i = 0; i < 20_001; i++) ws.addRow([`NO-SUCH-${i}`, '', '', '80', '', '', '', '是']);
    const tooMany = await upload('/api/owners/import', worker, Buffer.from(await many.xlsx.writeBuffer()));
    expect(tooMany.statusCode, tooMany.body.slice(0, 300)).toBe(413);
    expect(tooMany.json().error.fields.file).toContain('20000');

    const far = new ExcelJS.Workbook();
    const fs = far.addWorksheet('心愿征集表');
    fs.addRow(WISH_HEADER);
    fs.getRow(100_000).getCell(1).value = '鹿鸣社区';
    const farRes = await upload('/api/wishes/import', worker, Buffer.from(await far.xlsx.writeBuffer()));
    expect(farRes.statusCode, farRes.body.slice(0, 300)).toBe(413);
    expect(farRes.json().error.fields.file).toContain('20000');

    const wide = new ExcelJS.Workbook();
    const ww = wide.addWorksheet('业主名册');
    ww.addRow(OWNER_HEADER);
    ww.getRow(2).getCell(200).value = 'x';
    const wideRes = await upload('/api/owners/import', worker, Buffer.from(await wide.xlsx.writeBuffer()));
    expect(wideRes.statusCode, wideRes.body.slice(0, 300)).toBe(413);
    expect(wideRes.json().error.fields.file).toMatch(/\d+ ?列/);

    expect(await counts()).toEqual(before);
    await healthy();
  });

  it('a 16000×16000 PNG (a few hundred KB) is refused with 413 on wish photos, fulfilment evidence and vote scans; no file is stored', async () => {
    const png = await sharp({ create: { width: 16000, height: 16000, channels: 3, background: { r: 250, g: 250, b: 250 } } }).toColourspace('b-w').png({ compressionLevel: 9 }).toBuffer();
    expect(png.length).toBeLessThan(2 * 1024 * 1024);
    const resident = await t.token('resident.demo');
    const created = await t.app.inject({ method: 'POST', url: '/api/wishes', headers: bearer(resident), payload: newWish() });
    expect(created.statusCode, created.body.slice(0, 300)).toBe(201);
    const wishId = created.json().id;
    const claimed = await publishedWish(t);
    const unitToken = await t.token('unit.demo');
    expect((await t.app.inject({ method: 'POST', url: `/api/wishes/${claimed}/claim`, headers: bearer(unitToken) })).statusCode).toBe(200);
    const scope = await regionByCode(t.dbh.db, 'XSW-01-1');
    const c = await t.app.inject({ method: 'POST', url: '/api/consultations', headers: bearer(worker), payload: { topic: '1幢1单元加装电梯', scopeRegionId: scope.id } });
    const v = await t.app.inject({ method: 'POST', url: '/api/votes', headers: bearer(worker), payload: { consultationId: c.json().id, title: '是否同意加装电梯', rule: 'major' } });
    expect(v.statusCode, v.body.slice(0, 300)).toBe(201);

    const before = await counts();
    const send = (url: string, token: string, field: string, fields: Record<string, string> = {}) => {
      const form = multipart(fields, [{ field, name: 'big.png', type: 'image/png', data: png }]);
      return t.app.inject({ method: 'POST', url, headers: { ...bearer(token), ...form.headers }, payload: form.payload });
    };
    const { result, growthMb } = await rssGrowth(async () => [
      await send(`/api/wishes/${wishId}/photos`, resident, 'photos'),
      await send(`/api/wishes/${claimed}/fulfil`, unitToken, 'photos', { note: '已送达' }),
      await send(`/api/votes/${v.json().id}/scans`, worker, 'scan'),
    ]);
    for (const [res, field] of result.map((r, i) => [r, ['photos', 'photos', 'scan'][i]] as const)) {
      expect(res.statusCode, res.body.slice(0, 300)).toBe(413);
      expect(res.json().error.fields[field]).toContain('MP');
    }
    expect(growthMb).toBeLessThan(200);
    expect(await counts()).toEqual(before);
    expect((await t.dbh.db.selectFrom('wishes').select('status').where('id', '=', claimed).executeTakeFirstOrThrow()).status).toBe('claimed');
    await healthy();
  });

  it('one import per account at a time: of two parallel imports one is 429 and writes nothing; the lock is released afterwards', async () => {
    const unit = await regionByCode(t.dbh.db, 'LMY-02-1');
    const tpl = await t.app.inject({ url: `/api/owners/template.xlsx?regionId=${unit.id}`, headers: bearer(worker) });
    expect(tpl.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(tpl.rawPayload as any);
    const ws = wb.worksheets[0];
    const people = await t.dbh.db.selectFrom('persons').select(['id_number']).where('region_path', 'like', `${unit.path}%`).orderBy('id').limit(12).execute();
    for (let r = 2; r <= 13; r++) ws.getRow(r).getCell(6).value = people[r - 2].id_number;
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    const auditBefore = (await counts()).audit;
    const [a, b] = await Promise.all([upload('/api/owners/import', worker, file), upload('/api/owners/import', worker, file)]);
    expect([a.statusCode, b.statusCode].sort(), `${a.body.slice(0, 300)} ${b.body.slice(0, 300)}`).toEqual([201, 429]);
    const busy = a.statusCode === 429 ? a : b;
    expect(busy.json().error.code).toBe('import_in_progress');
    const imports = await t.dbh.db.selectFrom('audit_log').select('action').where('action', '=', 'owners.import').execute();
    expect(imports).toHaveLength(1);
    expect((await counts()).audit).toBe(auditBefore + 1);

    // Released in `finally`: the next import runs; a lock left by a crashed instance expires.
    expect((await upload('/api/owners/import', worker, file)).statusCode).toBe(201);
    const account = await t.dbh.db.selectFrom('accounts').select('id').where('username', '=', 'community.luming').executeTakeFirstOrThrow();
    await sql`insert into import_locks (account_id, kind, token, started_at) values (${account.id}, 'owners', 'crashed', now() - interval '1 hour')`.execute(t.dbh.db);
    expect((await upload('/api/owners/import', worker, file)).statusCode).toBe(201);
    await sql`insert into import_locks (account_id, kind, token, started_at) values (${account.id}, 'owners', 'running', now())`.execute(t.dbh.db);
    expect((await upload('/api/wishes/import', worker, file)).statusCode).toBe(429);
    await sql`delete from import_locks where account_id = ${account.id}`.execute(t.dbh.db);
  });
});
