import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, newPage, signIn } from './browser.js';

/**
 * The console's one .xlsx import dialog (wishes, stations, party members), through the wish
 * collection sheet, which also carries a season: the template downloads, a sheet with a bad row
 * is refused whole and its problems are listed row by row under the column's Chinese name.
 */
describe('importing a sheet in the console', () => {
  let browser: Browser;
  const base = inject('baseUrl');
  beforeAll(async () => { browser = await launch(); });
  afterAll(() => browser?.close());

  it('community.luming downloads the wish template, imports a sheet with a bad ID number and sees the row refused, nothing imported', async () => {
    const errors: string[] = [];
    const page = await newPage(browser, { viewport: { width: 1600, height: 1000 }, acceptDownloads: true });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/admin/login`);
    await signIn(page, 'community.luming');
    await page.waitForURL((u) => !u.pathname.endsWith('/login'));
    await page.goto(`${base}/admin/wishes`);
    await page.getByTestId('wish-import').click();
    const dialog = page.getByTestId('wish-import-dialog');
    await dialog.waitFor();
    // The sheet goes into the current season unless the worker picks another.
    await expect.poll(async () => (await dialog.locator('.el-select').first().textContent()) ?? '').toContain('（进行中）');

    // The template, as the button downloads it; one row, the example, with an ID number that cannot be valid.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('wish-import-template').click()]);
    expect(download.suggestedFilename()).toBe('心愿征集表模板.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await download.path())!);
    const ws = wb.getWorksheet('心愿征集表')!;
    expect(ws.getRow(1).getCell(2).value).toBe('受益人身份证号');
    ws.getRow(2).getCell(1).value = '鹿鸣社区';
    ws.getRow(2).getCell(2).value = '110101199001011234';
    const sheet = Buffer.from(await wb.xlsx.writeBuffer());

    const before = (await (await page.request.get(`${base}/api/wishes?status=pending_review&pageSize=1`)).json()).total;
    await dialog.locator('input[type=file]').setInputFiles({ name: '征集表.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: sheet });
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/wishes/import')),
      page.getByTestId('wish-import-submit').click(),
    ]);
    expect(res.status()).toBe(400);

    const report = page.getByTestId('wish-import-errors');
    await report.waitFor();
    const row = report.locator('tbody tr', { hasText: '受益人身份证号' }).first();
    await row.waitFor();
    expect(await row.textContent()).toContain('第 2 行');
    expect(await dialog.isVisible()).toBe(true);
    expect((await (await page.request.get(`${base}/api/wishes?status=pending_review&pageSize=1`)).json()).total).toBe(before);
    expect(errors).toEqual([]);
  });
});
