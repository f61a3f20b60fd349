import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { inputByTestId, launch, newPage, post, shot, signIn } from './browser.js';

const desktop = { viewport: { width: 1600, height: 1000 } };
const mobile = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

/** The badge on the home page's 社区公告 tile: its text, or '' when there is none. */
const tileBadge = async (page: Page) => {
  const badge = page.locator('[data-testid="service-notices"] .van-badge');
  return (await badge.count()) ? ((await badge.first().textContent()) ?? '').trim() : '';
};

describe('社区公告 from the console to the resident\'s phone', () => {
  let browser: Browser;
  const base = inject('baseUrl');
  beforeAll(async () => { browser = await launch(); });
  afterAll(() => browser?.close());

  it('community.luming publishes a notice to 鹿鸣社区; resident.demo sees the badge on the home tile, opens the notice, and the badge goes', async () => {
    const errors: string[] = [];
    const watch = (p: Page) => {
      p.on('pageerror', (e) => errors.push(e.message));
      p.on('response', (r) => { if (r.status() >= 500) errors.push(`${r.status()} ${r.url()}`); });
    };

    // The resident starts with everything read, so that the badge counts only the new notice.
    const phone = await newPage(browser, mobile);
    watch(phone);
    await phone.goto(`${base}/login`);
    await signIn(phone, 'resident.demo');
    await phone.getByTestId('service-notices').waitFor();
    const feed = await (await phone.request.get(`${base}/api/notices/mine?pageSize=100`)).json() as { items: { id: number }[] };
    expect(feed.items.length).toBeGreaterThan(0);
    for (const n of feed.items) await post(phone, `${base}/api/notices/${n.id}/read`, {});
    await phone.reload();
    await phone.getByTestId('service-notices').waitFor();
    await expect.poll(() => tileBadge(phone)).toBe('');

    // The worker publishes on the console.
    const title = `供暖管道检修通知${Date.now() % 10000}`;
    const desk = await newPage(browser, desktop);
    watch(desk);
    await desk.goto(`${base}/admin/login`);
    await signIn(desk, 'community.luming');
    await desk.getByTestId('menu-notices').click();
    await desk.waitForURL(/\/admin\/notices$/);
    await desk.locator('[data-testid="notice-table"] tbody tr').first().waitFor();
    await desk.getByTestId('notice-create').click();
    const dialog = desk.getByTestId('notice-dialog');
    // Saving an empty form shows the rules' Chinese messages and sends nothing.
    await dialog.getByTestId('notice-save').click();
    await expect.poll(() => dialog.locator('.el-form-item__error').allTextContents()).toContain('请填写标题（1–100 字）');
    // The region defaults to the worker's own: 鹿鸣社区, where resident.demo lives.
    await inputByTestId(dialog, 'notice-title').fill(title);
    await inputByTestId(dialog, 'notice-body').fill('本周四 9:00–17:00 检修小区供暖管道，期间暂停供暖，请各位居民做好保暖。');
    const [created] = await Promise.all([
      desk.waitForResponse((r) => r.url().endsWith('/api/notices') && r.request().method() === 'POST'),
      dialog.getByTestId('notice-save').click(),
    ]);
    expect(created.status(), await created.text()).toBe(201);
    expect((await created.json()).region.name).toBe('鹿鸣社区');
    const row = desk.locator('[data-testid="notice-table"] tbody tr', { hasText: title }).first();
    await row.waitFor();
    expect(await row.getByTestId('notice-rate').textContent()).toMatch(/0 \/ \d+ 人已读/);
    await shot(desk, 'notices-console');

    // The resident's home: the tile carries the one unread notice, and so does the 首页 tab.
    await phone.reload();
    await expect.poll(() => tileBadge(phone)).toBe('1');
    await expect.poll(async () => ((await phone.locator('[data-testid="tab-home"] .van-badge').textContent()) ?? '').trim()).toBe('1');
    await shot(phone, 'notices-home-badge');
    await phone.getByTestId('service-notices').click();
    await phone.waitForURL(/\/notices$/);
    const item = phone.locator('[data-testid="notice-item"]', { hasText: title });
    await item.waitFor();
    const [read] = await Promise.all([
      phone.waitForResponse((r) => /\/api\/notices\/\d+\/read$/.test(r.url())),
      item.click(),
    ]);
    expect(read.status()).toBe(200);
    await expect.poll(() => phone.getByTestId('notice-detail').textContent()).toContain(title);
    await shot(phone, 'notices-detail');
    await phone.goBack();
    await phone.goBack();
    await phone.getByTestId('service-notices').waitFor();
    await expect.poll(() => tileBadge(phone)).toBe('');
    expect(await phone.locator('[data-testid="tab-home"] .van-badge').count()).toBe(0);

    // The console's read rate counts the resident.
    await desk.reload();
    await expect.poll(async () => (await desk.locator('[data-testid="notice-table"] tbody tr', { hasText: title }).first().getByTestId('notice-rate').textContent()) ?? '').toMatch(/1 \/ \d+ 人已读/);
    expect(errors).toEqual([]);
  });
});
