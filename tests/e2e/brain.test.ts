import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { createConnection } from 'mariadb';
import type { Browser, Locator, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { inputByTestId, launch, newPage, post, shot, signIn } from './browser.js';

const desktop = { viewport: { width: 1600, height: 1000 } };
const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A synthetic GB 11643 number with a valid MOD 11-2 check character. */
function idNumber(body17: string) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body17].reduce((s, d, i) => s + Number(d) * w[i], 0);
  return body17 + '10X98765432'[sum % 11];
}

/** A sheet whose column names match neither the fields' names nor their labels (the mapping must be chosen by hand), with one row lacking its key. */
async function roster(n: number) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('名单');
  ws.addRow(['公民身份号码', '人员姓名', '联系电话', '所在社区']);
  const rows = Array.from({ length: n }, (_, i) => ({
    id: idNumber(`320902${1940 + (i % 40)}0${1 + (i % 9)}1${i % 10}${String(i).padStart(3, '0').slice(-3)}`),
    name: `测试${'甲乙丙丁戊己庚辛壬癸'[i % 10]}${'一二三四五六七八九十'[Math.floor(i / 10) % 10]}`,
    phone: `138${String(i).padStart(4, '0')}1111`,
  }));
  rows.forEach((r, i) => {
    ws.addRow([r.id, r.name, r.phone, '鹿鸣社区']);
    // One row without its key: marked in the preview, rejected by the import, in the rejects download.
    if (i === 2) ws.addRow(['', '测试缺号', '13800001111', '鹿鸣社区']);
  });
  return { buffer: Buffer.from(await wb.xlsx.writeBuffer()), rows };
}

/**
 * Opens an Element Plus select and picks the option with the given test id (options live in a popper
 * on <body>), then waits for the popper to be gone, so that the next pick cannot hit a closing one.
 */
async function choose(page: Page, select: Locator, optionId: string) {
  await select.click();
  await page.locator(`[data-testid="${optionId}"]:visible`).click();
  await expect.poll(() => page.locator('.el-select__popper:visible').count()).toBe(0);
}

describe('Red Brain in the console', () => {
  let browser: Browser;
  const base = inject('baseUrl');
  beforeAll(async () => { browser = await launch(); });
  afterAll(() => browser?.close());

  it('data.admin registers a system and a dataset, uploads an .xlsx with a column mapping, watches the progress and sees the rows masked', async () => {
    const errors: string[] = [];
    const page = await newPage(browser, desktop);
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('response', (r) => { if (r.status() >= 500) errors.push(`${r.status()} ${r.url()}`); });
    const stamp = Date.now().toString(36);

    await page.goto(`${base}/admin/login`);
    await signIn(page, 'data.admin');
    // The data administrator's menu is the hub's group, with nothing it may not open.
    await page.getByTestId('menu-group-brain').click();
    await page.getByTestId('menu-brain-registry').click();
    await page.waitForURL(/\/admin\/brain\/registry$/);
    expect(await page.getByTestId('menu-wishes').count()).toBe(0);

    // 1. A system of 市民政局, registered on the registry page.
    await inputByTestId(page, 'brain-department-search').fill('市民政局');
    await inputByTestId(page, 'brain-department-search').press('Enter');
    await page.locator('tr.dept-row', { hasText: '市民政局' }).first().click();
    await page.getByTestId('brain-system-create').click();
    const systemName = `困难群众核查系统${stamp}`;
    await inputByTestId(page, 'brain-system-name').fill(systemName);
    const [sysRes] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/brain/systems') && r.request().method() === 'POST'),
      page.getByTestId('brain-system-submit').click(),
    ]);
    expect(sysRes.status()).toBe(201);
    const system: { id: number; departmentId: number } = await sysRes.json();
    await page.locator(`tr[data-system-id="${system.id}"]`, { hasText: systemName }).waitFor();
    await page.getByTestId('brain-system-dialog').waitFor({ state: 'hidden' });
    await shot(page, 'brain-1-registry');

    // 2. A dataset of that system, declared in the catalogue's dialog: four fields, the ID number the key.
    await page.getByTestId('menu-brain-catalogue').click();
    await page.getByTestId('brain-dataset-create').click();
    const dialog = page.getByTestId('brain-dataset-dialog');
    await choose(page, dialog.getByTestId('brain-dataset-department'), `brain-dataset-department-${system.departmentId}`);
    await choose(page, dialog.getByTestId('brain-dataset-system'), `brain-dataset-system-${system.id}`);
    const datasetName = `困难群众名单${stamp}`;
    await inputByTestId(dialog, 'brain-dataset-name').fill(datasetName);
    const fields: [string, string, 'none' | 'personal'][] = [['idNumber', '身份证号', 'personal'], ['name', '姓名', 'personal'], ['phone', '手机号', 'personal'], ['community', '社区', 'none']];
    for (const [i, [name, label, personal]] of fields.entries()) {
      if (i > 0) await dialog.getByTestId('brain-field-add').click();
      const row = dialog.getByTestId('brain-field-row').nth(i);
      await inputByTestId(row, 'brain-field-name').fill(name);
      await inputByTestId(row, 'brain-field-label').fill(label);
      await row.getByTestId(`brain-field-personal-${personal}`).click();
    }
    await dialog.getByTestId('brain-dataset-share-conditional').click();
    await choose(page, dialog.getByTestId('brain-dataset-basis'), 'brain-dataset-basis-legal_duty');
    await inputByTestId(dialog, 'brain-dataset-purpose').fill('核实困难群众救助资格');
    await shot(page, 'brain-2-dataset-dialog');
    const [dsRes] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/brain/datasets') && r.request().method() === 'POST'),
      dialog.getByTestId('brain-dataset-submit').click(),
    ]);
    expect(dsRes.status(), await dsRes.text()).toBe(201);
    const dataset: { id: number; keyFields: string[] } = await dsRes.json();
    expect(dataset.keyFields).toEqual(['idNumber']);
    await page.waitForURL(new RegExp(`/admin/brain/datasets/${dataset.id}$`));
    expect(await page.getByTestId('brain-dataset-title').textContent()).toBe(datasetName);

    // 3. The upload: the preview maps nothing (the sheet's column names are its own), so the key is missing until mapped by hand.
    const { buffer, rows } = await roster(6000);
    await page.getByTestId('brain-upload').click();
    const upload = page.getByTestId('brain-upload-dialog');
    await upload.locator('input[type="file"]').setInputFiles({ name: '困难群众名单.xlsx', mimeType: XLSX_MIME, buffer });
    await upload.getByTestId('brain-upload-preview').waitFor();
    await upload.getByTestId('brain-key-missing').waitFor();
    await expect.poll(() => upload.getByTestId('brain-upload-submit').isDisabled()).toBe(true);
    for (const [i, field] of ['idNumber', 'name', 'phone', 'community'].entries()) {
      const previewed = page.waitForResponse((r) => r.url().endsWith('/uploads/preview'));
      await choose(page, upload.getByTestId(`brain-map-${i}`), `brain-map-option-${field}`);
      await previewed;
    }
    await expect.poll(() => upload.getByTestId('brain-key-missing').count()).toBe(0);
    await expect.poll(() => upload.getByTestId('brain-preview-ok').count()).toBe(19);
    expect(await upload.getByTestId('brain-preview-bad').allTextContents()).toEqual(['主键字段 身份证号 为空']);
    expect(await upload.getByTestId('brain-preview-table').textContent()).toContain(rows[0].id);
    await upload.locator('.el-loading-mask').waitFor({ state: 'detached' });
    await shot(page, 'brain-3-mapping');

    // 4. Import, and the progress polled every half second until the run has succeeded.
    const polls: { status: string; progress: number }[] = [];
    const onPoll = async (r: Response) => {
      if (/\/api\/brain\/runs\/\d+$/.test(new URL(r.url()).pathname) && r.ok()) polls.push(await r.json());
    };
    page.on('response', onPoll);
    const [started] = await Promise.all([
      page.waitForResponse((r) => /\/api\/brain\/datasets\/\d+\/uploads$/.test(r.url()) && r.request().method() === 'POST'),
      upload.getByTestId('brain-upload-submit').click(),
    ]);
    expect(started.status()).toBe(202);
    const progress = upload.getByTestId('run-progress');
    await progress.waitFor();
    await upload.locator('[data-testid="run-progress"][data-status="succeeded"][data-progress="100"]').waitFor({ timeout: 60_000 });
    page.off('response', onPoll);
    expect(polls.length).toBeGreaterThan(0);
    expect(polls.at(-1)).toMatchObject({ status: 'succeeded', progress: 1, rowsIn: 6001, inserted: 6000, rejected: 1 });
    expect(await upload.getByTestId('run-status').textContent()).toBe('成功');
    await shot(page, 'brain-4-imported');
    await upload.getByTestId('brain-upload-close').click();
    await upload.waitFor({ state: 'hidden' });

    // 5. The dataset page: the row count, the run in the history, and the sample masked.
    await expect.poll(async () => (await page.getByTestId('brain-dataset-rows').textContent())?.replace(/\D/g, '')).toBe('6000');
    expect(await page.getByTestId('brain-runs-table').textContent()).toContain('困难群众名单.xlsx');
    // The rejected row, downloadable with its reason.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('brain-run-rejects').click()]);
    const rejects = new ExcelJS.Workbook();
    await rejects.xlsx.load(fs.readFileSync(await download.path()) as any);
    const sheet = rejects.worksheets[0];
    expect(sheet.rowCount).toBe(2);
    expect(sheet.getRow(2).getCell(2).text).toBe('主键字段 身份证号 为空');
    expect(sheet.getRow(2).values).toContain('测试缺号');
    const sample = page.getByTestId('brain-sample-table');
    await expect.poll(() => sample.locator('[data-field="idNumber"]').count()).toBe(20);
    const first = [...rows].sort((a, b) => a.id.localeCompare(b.id))[0];
    const masked = `${first.id.slice(0, 6)}********${first.id.slice(-4)}`;
    expect(await sample.locator('[data-field="idNumber"]').first().textContent()).toBe(masked);
    const phones = await sample.locator('[data-field="phone"]').allTextContents();
    expect(new Set(phones)).toEqual(new Set(['138****1111']));
    for (const n of await sample.locator('[data-field="name"]').allTextContents()) expect(n).toMatch(/^测\*+$/);
    expect(await sample.locator('[data-field="community"]').first().textContent()).toBe('鹿鸣社区');
    const shown = (await sample.textContent()) ?? '';
    for (const r of rows.slice(0, 50)) expect(shown).not.toContain(r.id);
    await shot(page, 'brain-5-dataset');
    await page.getByTestId('brain-runs-table').scrollIntoViewIfNeeded();
    await shot(page, 'brain-6-runs');

    // 6. The exchange log holds the run and the sample reads, and its chain verifies.
    await page.getByTestId('menu-brain-exchange-log').click();
    await page.getByTestId('brain-log-table').locator('tr.exchange-row').first().waitFor();
    await page.getByTestId('brain-verify').click();
    await page.locator('[data-testid="brain-verify-result"][data-ok="true"]').waitFor();
    await shot(page, 'brain-7-exchange-log');

    expect(errors).toEqual([]);
  });

  it('a department asks to use another’s conditional dataset and the provider approves it in its inbox', async () => {
    const errors: string[] = [];
    const watch = (p: Page, name: string) => {
      p.on('pageerror', (e) => errors.push(`[${name}] ${e.message}`));
      p.on('response', (r) => { if (r.status() >= 500) errors.push(`[${name}] ${r.status()} ${r.url()}`); });
    };
    const health = await newPage(browser, desktop);
    watch(health, 'weijian');
    await health.goto(`${base}/admin/login`);
    await signIn(health, 'dept.weijian');
    await health.getByTestId('menu-group-brain').click();
    // A department user browses and asks; connectors and the exchange log are the stewards'.
    await health.getByTestId('menu-brain-catalogue').waitFor();
    expect(await health.getByTestId('menu-brain-connectors').count()).toBe(0);
    expect(await health.getByTestId('menu-brain-exchange-log').count()).toBe(0);

    await health.getByTestId('menu-brain-catalogue').click();
    await inputByTestId(health, 'brain-catalogue-search').fill('高龄独居老人名单');
    await inputByTestId(health, 'brain-catalogue-search').press('Enter');
    await health.locator('tr.dataset-row', { hasText: '高龄独居老人名单' }).waitFor();
    await shot(health, 'brain-8-catalogue');
    await health.locator('tr.dataset-row', { hasText: '高龄独居老人名单' }).getByTestId('brain-dataset-link').click();
    await health.waitForURL(/\/admin\/brain\/datasets\/\d+$/);
    // Not the provider: no sample rows, no upload; a request instead.
    expect(await health.getByTestId('brain-sample-table').count()).toBe(0);
    expect(await health.getByTestId('brain-upload').count()).toBe(0);
    await health.getByTestId('brain-request').click();
    const dialog = health.getByTestId('brain-request-dialog');
    await inputByTestId(dialog, 'brain-request-purpose').fill('家庭医生上门随访独居高龄老人');
    for (const f of ['name', 'community']) await dialog.getByTestId(`brain-request-field-${f}`).click();
    const [asked] = await Promise.all([
      health.waitForResponse((r) => r.url().endsWith('/api/brain/approvals') && r.request().method() === 'POST'),
      dialog.getByTestId('brain-request-submit').click(),
    ]);
    expect(asked.status(), await asked.text()).toBe(201);
    const approval: { id: number; fields: string[]; legalBasis: string } = await asked.json();
    expect(approval.fields).toEqual(['name', 'community']);
    expect(approval.legalBasis).toBe('legal_duty');
    await health.getByTestId('brain-request-pending').waitFor();

    // The provider decides in its inbox (the first tab).
    const civil = await newPage(browser, desktop);
    watch(civil, 'minzheng');
    await civil.goto(`${base}/admin/login`);
    await signIn(civil, 'dept.minzheng');
    await civil.getByTestId('menu-group-brain').click();
    await civil.getByTestId('menu-brain-approvals').click();
    const row = civil.locator(`tr[data-approval-id="${approval.id}"]`);
    await row.getByTestId('brain-approve').click();
    const decide = civil.getByTestId('brain-decision-approve');
    await inputByTestId(decide, 'brain-decision-note').fill('限于随访使用');
    await decide.getByTestId('brain-decision-submit').click();
    await expect.poll(async () => (await row.getByTestId('brain-approval-state').textContent())?.trim()).toBe('已批准');
    await decide.waitFor({ state: 'hidden' });
    await shot(civil, 'brain-9-approvals');

    // The requester sees it approved and live among its own requests.
    await health.getByTestId('menu-brain-approvals').click();
    await health.locator('.el-tabs__item', { hasText: '我的申请' }).click();
    const mine = health.locator(`tr[data-approval-id="${approval.id}"]`);
    await expect.poll(async () => (await mine.getByTestId('brain-approval-state').textContent())?.trim()).toBe('已批准');
    expect(await mine.textContent()).toContain('生效中');

    expect(errors).toEqual([]);
  });

  it('a SQL connector pointed at MariaDB runs now with live progress; a new webhook shows its key and secret once', async () => {
    const errors: string[] = [];
    const page = await newPage(browser, desktop);
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('response', (r) => { if (r.status() >= 500) errors.push(`${r.status()} ${r.url()}`); });
    const db = `redcom_e2e_${randomBytes(4).toString('hex')}`;
    const my = await createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
    try {
      await my.query(`create database ${db}`);
      await my.query(`use ${db}`);
      await my.query(`create table ${db}.residents (idNumber varchar(18) primary key, name varchar(20) not null, updated_at datetime not null)`);
      await my.query(`insert into ${db}.residents select concat('3209021930', lpad(seq, 8, '0')), concat('居民', seq), '2026-01-01 08:00:00' + interval (seq div 1000) minute from seq_1_to_30000`);

      await page.goto(`${base}/admin/login`);
      await signIn(page, 'data.admin');
      await page.getByTestId('menu-group-brain').waitFor();
      const systemId = (await (await page.request.get(`${base}/api/brain/systems`, { params: { pageSize: 1 } })).json()).items[0].id;
      const dataset = await post(page, `${base}/api/brain/datasets`, {
        name: `居民库同步${db}`, systemId, shareType: 'none', legalBasis: 'legal_duty', purpose: '基层治理',
        fields: [{ name: 'idNumber', type: 'text', personal: 'personal', key: true }, { name: 'name', type: 'text', personal: 'personal' }, { name: 'updated_at', type: 'timestamp', personal: 'none' }],
      });

      // The connector, set up in the dialog (the dataset comes from the address).
      await page.goto(`${base}/admin/brain/connectors?datasetId=${dataset.id}`);
      await page.getByTestId('brain-connector-create').click();
      const dialog = page.getByTestId('brain-connector-dialog');
      await expect.poll(async () => (await dialog.getByTestId('brain-connector-dataset').textContent()) ?? '').toContain(dataset.name);
      await inputByTestId(dialog, 'brain-connector-url').fill(`mysql://root@127.0.0.1:3306/${db}`);
      await inputByTestId(dialog, 'brain-connector-table').fill('residents');
      const [made] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/api/brain/connectors') && r.request().method() === 'POST'),
        dialog.getByTestId('brain-connector-submit').click(),
      ]);
      expect(made.status(), await made.text()).toBe(201);
      const connector: { id: number } = await made.json();

      // Run now: the row's progress follows the run to its end.
      const row = page.locator(`tr[data-connector-id="${connector.id}"]`);
      await row.getByTestId('brain-connector-run').click();
      await row.locator('[data-testid="run-progress"][data-status="succeeded"][data-progress="100"]').waitFor({ timeout: 60_000 });
      expect(await row.getByTestId('run-counts').textContent()).toContain('新增 30000');
      await shot(page, 'brain-10-connectors');

      // A webhook: its key, secret and inbound address once, in the dialog, and never in the list.
      await page.getByTestId('brain-connector-create').click();
      await dialog.getByTestId('brain-connector-kind-webhook').click();
      await dialog.getByTestId('brain-connector-submit').click();
      const secretDialog = page.getByTestId('brain-webhook-dialog');
      await secretDialog.waitFor();
      await dialog.waitFor({ state: 'hidden' });
      const secret = await inputByTestId(secretDialog, 'brain-webhook-secret').inputValue();
      const key = await inputByTestId(secretDialog, 'brain-webhook-key').inputValue();
      expect(secret).toMatch(/^[0-9a-f]{64}$/);
      expect(await inputByTestId(secretDialog, 'brain-webhook-url').inputValue()).toBe(`${base}/api/brain/inbound/${key}`);
      await shot(page, 'brain-11-webhook-secret');
      await secretDialog.getByTestId('brain-webhook-close').click();
      await secretDialog.waitFor({ state: 'hidden' });
      await page.locator('tr.connector-row', { hasText: key }).waitFor();
      expect(await page.content()).not.toContain(secret);
    } finally {
      await my.query(`drop database if exists ${db}`);
      await my.end();
    }
    expect(errors).toEqual([]);
  });
});
