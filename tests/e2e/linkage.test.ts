import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { inputByTestId, launch, newPage, post, shot, signIn } from './browser.js';

const desktop = { viewport: { width: 1600, height: 1000 } };
const mobile = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

interface Person { name: string; sex: 'M' | 'F'; birthDate: string; idNumber: string; phone: string | null; address: string }

const TRADITIONAL: Record<string, string> = { 陈: '陳', 张: '張', 刘: '劉', 黄: '黃', 赵: '趙', 吴: '吳', 郑: '鄭', 谢: '謝', 许: '許', 冯: '馮', 邓: '鄧', 华: '華', 国: '國', 伟: '偉', 军: '軍', 红: '紅' };
const toTraditional = (s: string) => [...s].map((c) => TRADITIONAL[c] ?? c).join('');

async function choose(page: Page, select: Locator, optionId: string) {
  await select.click();
  await page.locator(`[data-testid="${optionId}"]:visible`).click();
  await expect.poll(() => page.locator('.el-select__popper:visible').count()).toBe(0);
}

/**
 * The record-linkage loop through the browser: data.admin uploads a departmental list of 橡树湾
 * residents written the way lists are (traditional characters, missing phones, 15-digit IDs, other
 * address forms) with decoys, runs a match job against the population registry, reviews two pairs
 * with the keyboard, and creates verification tasks; grid.xiangshuwan opens one on the H5 and closes
 * it; the console's task progress counts it.
 */
describe('Record linkage and verification tasks in the browser', () => {
  let browser: Browser;
  const base = inject('baseUrl');
  beforeAll(async () => { browser = await launch(); });
  afterAll(() => browser?.close());

  it('upload a list, run a job, review two pairs, create tasks; the grid worker closes one; the console counts it', async () => {
    const errors: string[] = [];
    const watch = (p: Page, name: string) => {
      p.on('pageerror', (e) => errors.push(`[${name}] ${e.message}`));
      p.on('response', (r) => { if (r.status() >= 500) errors.push(`[${name}] ${r.status()} ${r.url()}`); });
    };
    const stamp = Date.now().toString(36);

    // The list's people: residents of 橡树湾 as the registry has them (read by the district admin with a purpose, as a worker would to prepare a list).
    const admin = await newPage(browser, desktop);
    watch(admin, 'admin');
    await admin.goto(`${base}/admin/login`);
    await signIn(admin, 'admin');
    await admin.waitForURL((u) => !u.pathname.endsWith('/login'));
    const tree = await (await admin.request.get(`${base}/api/regions/tree`)).json();
    const find = (nodes: any[], name: string): any => nodes.map((n) => (n.name === name ? n : find(n.children ?? [], name))).find(Boolean);
    const xsw = find(tree.items, '橡树湾');
    const listed = (await (await admin.request.get(`${base}/api/people?regionId=${xsw.id}&pageSize=100`)).json()).items.filter((p: any) => p.idNumber && p.birthDate);
    const people: Person[] = [];
    for (const p of listed.slice(0, 40)) {
      const full = await (await admin.request.get(`${base}/api/people/${p.id}?reveal=1&purpose=${encodeURIComponent('准备核查名单（测试）')}`)).json();
      people.push({ name: full.name, sex: full.sex, birthDate: full.birthDate, idNumber: full.idNumber, phone: full.phone, address: full.address });
    }
    expect(people.length).toBe(40);
    const rows: string[][] = [];
    people.forEach((p, i) => {
      const b = p.birthDate;
      const id15 = b.startsWith('19') ? p.idNumber.slice(0, 6) + p.idNumber.slice(8, 17) : p.idNumber;
      if (i < 30) {
        // Linked people, written with the usual errors.
        rows.push([`W${i}`, i % 3 === 0 ? toTraditional(p.name) : p.name, p.sex === 'M' ? '男' : '女', i % 4 === 0 ? b.replaceAll('-', '/') : b,
          i % 5 === 0 ? id15 : p.idNumber, i % 3 === 1 ? '' : p.phone ?? '', i % 2 ? p.address.replace(/\s+/g, '') : p.address.replace('小区', '')]);
      } else if (i < 34) {
        // Written by name, sex and birth date only (no ID, phone or address).
        rows.push([`W${i}`, p.name, p.sex === 'M' ? '男' : '女', b, '', '', '']);
      } else {
        // Decoys: a resident's name with another birth date, another ID and phone, elsewhere.
        rows.push([`W${i}`, p.name, p.sex === 'M' ? '男' : '女', `${Number(b.slice(0, 4)) - 7}${b.slice(4)}`, '', `1990000${String(i).padStart(4, '0')}`, '新河街道学府里小区9幢1单元101室']);
      }
    });
    const csv = ['key,name,sex,birth_date,id_no,phone,address', ...rows.map((r) => r.map((v) => `"${v}"`).join(','))].join('\n');

    // data.admin: the list's dataset, then the upload through the console.
    const page = await newPage(browser, desktop);
    watch(page, 'data.admin');
    await page.goto(`${base}/admin/login`);
    await signIn(page, 'data.admin');
    await page.waitForURL((u) => !u.pathname.endsWith('/login'));
    const sys = (await (await page.request.get(`${base}/api/brain/systems?q=${encodeURIComponent('健康')}`)).json()).items[0];
    const fields = ['key', 'name', 'sex', 'birth_date', 'id_no', 'phone', 'address'].map((f) => ({ name: f, type: 'text', personal: f === 'key' || f === 'sex' ? 'none' : 'personal', ...(f === 'key' ? { key: true } : {}) }));
    const listName = `重点人群核查名单${stamp}`;
    const ds = await post(page, `${base}/api/brain/datasets`, { name: listName, systemId: sys.id, shareType: 'conditional', fields, legalBasis: 'public_health', purpose: '核查' });
    await page.goto(`${base}/admin/brain/datasets/${ds.id}`);
    await page.getByTestId('brain-upload').click();
    const upload = page.getByTestId('brain-upload-dialog');
    await upload.locator('input[type="file"]').setInputFiles({ name: '核查名单.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await upload.getByTestId('brain-upload-preview').waitFor();
    await expect.poll(() => upload.getByTestId('brain-upload-submit').isDisabled()).toBe(false);
    await upload.locator('.el-loading-mask').waitFor({ state: 'detached' });
    await upload.getByTestId('brain-upload-submit').click();
    await upload.locator('[data-testid="run-progress"][data-status="succeeded"]').waitFor({ timeout: 60_000 });
    await upload.getByTestId('brain-upload-close').click();
    await upload.waitFor({ state: 'hidden' });

    // A match job against the registry, from the 数据比对 page.
    const registry = (await (await page.request.get(`${base}/api/brain/datasets?q=${encodeURIComponent('人口库')}`)).json()).items[0];
    await page.getByTestId('menu-group-brain').click();
    await page.getByTestId('menu-brain-match-jobs').click();
    await page.waitForURL(/\/admin\/brain\/match-jobs$/);
    await page.getByTestId('match-job-create').click();
    const dialog = page.getByTestId('match-job-dialog');
    await choose(page, dialog.getByTestId('match-job-left'), `match-job-left-${ds.id}`);
    await choose(page, dialog.getByTestId('match-job-right'), `match-job-right-${registry.id}`);
    const [created] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/brain/match-jobs') && r.request().method() === 'POST'),
      dialog.getByTestId('match-job-submit').click(),
    ]);
    expect(created.status(), await created.text()).toBe(201);
    const jobId: number = (await created.json()).id;
    await page.goto(`${base}/admin/brain/match-jobs/${jobId}`);
    await page.locator('[data-testid="match-job-status"][data-status="succeeded"], [data-testid="match-job-state"][data-status="succeeded"]').first().waitFor({ timeout: 60_000 });
    const count = async (key: string) => Number(await page.getByTestId(`match-count-${key}`).getAttribute('data-value'));
    await expect.poll(() => count('auto')).toBeGreaterThanOrEqual(25);
    await shot(page, 'linkage-1-job');

    // Two auto-links checked side by side before tasks go out: A (same person) on the first, R (not) on the second.
    const table = page.getByTestId('match-links-table');
    const review = page.getByTestId('match-review-dialog');
    for (const [i, key] of [[0, 'a'], [1, 'r']] as const) {
      await table.getByTestId('match-link-review').nth(i).click();
      await review.getByTestId('match-review-table').waitFor();
      const masked = (await review.getByTestId('match-review-table').textContent()) ?? '';
      for (const p of people) expect(masked).not.toContain(p.idNumber);
      const [labelled] = await Promise.all([page.waitForResponse((r) => r.url().includes('/label') && r.request().method() === 'POST'), page.keyboard.press(key)]);
      expect(labelled.status()).toBe(200);
      if (i === 1) await shot(page, 'linkage-2-review');
      await page.keyboard.press('Escape');
      await review.waitFor({ state: 'hidden' });
    }
    const labels = (await (await page.request.get(`${base}/api/brain/match-jobs/${jobId}/links?decision=auto&pageSize=100`)).json()).items.filter((l: any) => l.label);
    expect(labels.map((l: any) => l.label).sort()).toEqual(['match', 'non_match']);

    // Tasks from the auto-links and the accepted pair, routed to the people's community and grid.
    await page.getByTestId('match-create-tasks').click();
    const made = page.getByTestId('match-tasks-created');
    await made.waitFor();
    const tasksCreated = Number(await made.getAttribute('data-created'));
    // Every auto-link but the one rejected in review.
    expect(tasksCreated).toBe((await count('auto')) - 1);
    await shot(page, 'linkage-3-tasks');

    // The console's progress before the grid worker acts: done for 鹿鸣社区.
    const worker = await newPage(browser, desktop);
    watch(worker, 'community.luming');
    await worker.goto(`${base}/admin/login`);
    await signIn(worker, 'community.luming');
    await worker.getByTestId('menu-verification-tasks').click();
    const lm = worker.locator('[data-testid="task-stats-row"][data-region-name="鹿鸣社区"]').first();
    await lm.waitFor();
    const doneBefore = Number(await lm.getByTestId('task-stats-done').getAttribute('data-value'));
    expect(Number(await lm.getByTestId('task-stats-assigned').getAttribute('data-value'))).toBeGreaterThanOrEqual(tasksCreated);

    // grid.xiangshuwan on the phone: the task list, one task, the result recorded.
    const phone = await newPage(browser, mobile);
    watch(phone, 'grid.xiangshuwan');
    await phone.goto(`${base}/login`);
    await signIn(phone, 'grid.xiangshuwan');
    await phone.waitForURL((u) => !u.pathname.endsWith('/login'));
    await phone.goto(`${base}/tasks`);
    const item = phone.getByTestId('task-item').first();
    await item.waitFor();
    // Masked to what the visit needs: no full ID number or phone of any listed person on the page.
    const listText = (await phone.locator('body').textContent()) ?? '';
    for (const p of people) {
      expect(listText).not.toContain(p.idNumber);
      if (p.phone) expect(listText).not.toContain(p.phone);
    }
    await shot(phone, 'linkage-4-h5-tasks');
    await item.click();
    await phone.getByTestId('task-address').waitFor();
    await phone.getByTestId('task-result-confirmed').click();
    await inputByTestId(phone, 'task-note').fill('本人在家，已当面核实');
    const [closed] = await Promise.all([
      phone.waitForResponse((r) => /\/api\/verification-tasks\/\d+\/result$/.test(r.url())),
      phone.getByTestId('task-submit').click(),
    ]);
    expect(closed.status(), await closed.text()).toBe(200);
    await phone.getByTestId('task-result').waitFor();
    await shot(phone, 'linkage-5-h5-closed');

    // The console counts it.
    await worker.reload();
    await lm.waitFor();
    await expect.poll(async () => Number(await worker.locator('[data-testid="task-stats-row"][data-region-name="鹿鸣社区"]').first().getByTestId('task-stats-done').getAttribute('data-value')), { timeout: 15_000 })
      .toBe(doneBefore + 1);
    await shot(worker, 'linkage-6-console-progress');

    expect(errors).toEqual([]);
  });
});
