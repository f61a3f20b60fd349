import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { inputByTestId, launch, newPage, post, shot, signIn } from './browser.js';

const mobile = {
  viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
  userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50',
};

interface RegionNode { id: number; name: string; level: string; children?: RegionNode[] }
const findRegion = (nodes: RegionNode[], name: string): RegionNode | undefined => {
  for (const n of nodes) {
    if (n.name === name) return n;
    const hit = findRegion(n.children ?? [], name);
    if (hit) return hit;
  }
  return undefined;
};

describe('Red Alliance: a resource, a need, a suggestion, a project', () => {
  let browser: Browser;
  const base = inject('baseUrl');
  beforeAll(async () => { browser = await launch(); });
  afterAll(() => browser?.close());

  it('unit.demo offers a venue → community.luming matches it to a collective need and starts a project → a milestone is done → the public page shows the progress', async () => {
    const errors: string[] = [];
    const watch = (p: Page, name: string) => p.on('pageerror', (e) => errors.push(`[${name}] ${e.message}`));
    const stamp = Date.now().toString(36);
    const resourceTitle = `活动室开放-${stamp}`;
    const needTitle = `老年活动场地-${stamp}`;

    // 1. The unit offers a venue on the H5.
    const unit = await newPage(browser, mobile);
    watch(unit, 'unit');
    await unit.goto(`${base}/login?redirect=/alliance`);
    await signIn(unit, 'unit.demo');
    await unit.getByTestId('resource-title').waitFor();
    await inputByTestId(unit, 'resource-title').fill(resourceTitle);
    await unit.getByTestId('resource-category-venue').click();
    await inputByTestId(unit, 'resource-capacity').fill('5');
    const [created] = await Promise.all([
      unit.waitForResponse((r) => r.url().endsWith('/api/resources') && r.request().method() === 'POST'),
      unit.getByTestId('resource-submit').click(),
    ]);
    expect(created.status()).toBe(201);
    const resourceId: number = (await created.json()).id;
    await unit.getByTestId('my-resource').filter({ hasText: resourceTitle }).waitFor();
    await shot(unit, 'alliance-1-offered');

    // 2. The community worker registers a collective venue need and finds the resource among its suggestions.
    const admin = await newPage(browser, { viewport: { width: 1600, height: 1000 } });
    watch(admin, 'admin');
    await admin.goto(`${base}/admin/login`);
    await signIn(admin, 'community.luming');
    await admin.getByTestId('menu-alliance-lists').waitFor();
    const tree: RegionNode[] = (await (await admin.request.get(`${base}/api/regions/tree`, { params: { maxLevel: 'community' } })).json()).items;
    const luming = findRegion(tree, '鹿鸣社区');
    expect(luming?.level).toBe('community');
    const need = await post(admin, `${base}/api/needs`, { title: needTitle, category: 'venue', communityId: luming!.id, urgency: 3, description: '每周三下午的老年合唱活动需要场地' });

    await admin.goto(`${base}/admin/alliance/lists?category=venue&kind=collective`);
    const row = admin.locator(`[data-testid="need-row"][data-need-id="${need.id}"]`);
    await row.click();
    const suggestion = row.locator(`[data-testid="suggestion"][data-resource-id="${resourceId}"]`);
    await suggestion.waitFor();
    await expect.poll(async () => (await suggestion.getByTestId('suggestion-reasons').locator('li').count())).toBeGreaterThan(0);
    expect(await suggestion.textContent()).toContain(resourceTitle);
    await shot(admin, 'alliance-2-suggestions');
    await suggestion.getByTestId('create-project').click();
    await admin.getByTestId('project-submit').click();
    await admin.waitForURL(/\/admin\/alliance\/projects\/\d+/);
    const projectId = Number(/projects\/(\d+)/.exec(admin.url())![1]);
    expect(await admin.getByTestId('project-title').textContent()).toContain(needTitle);

    // 3. The worker completes the first milestone.
    const before = await admin.getByTestId('milestone-complete').count();
    expect(before).toBeGreaterThanOrEqual(2);
    await admin.getByTestId('milestone-complete').first().click();
    await admin.locator('.prompt-milestone-note .el-message-box__btns .el-button--primary').click();
    await expect.poll(() => admin.getByTestId('milestone-complete').count()).toBe(before - 1);
    const project = await (await admin.request.get(`${base}/api/projects/${projectId}`)).json();
    expect(project.resourceId).toBe(resourceId);
    expect(project.needId).toBe(need.id);
    expect(project.progress).toBeGreaterThan(0);
    await shot(admin, 'alliance-3-milestone');

    // 4. Anyone can follow the project on the H5.
    const visitor = await newPage(browser, mobile);
    watch(visitor, 'visitor');
    await visitor.goto(`${base}/projects/${projectId}`);
    await expect.poll(async () => (await visitor.getByTestId('project-progress').textContent())?.trim()).toBe(`${project.progress}%`);
    expect(await visitor.getByTestId('project-title').textContent()).toContain(needTitle);
    await shot(visitor, 'alliance-4-public');

    expect(errors).toEqual([]);
  });

  it('the station map draws every station with nothing fetched from other hosts', async () => {
    const page = await newPage(browser, mobile);
    const ctx = page.context();
    const origin = new URL(base).host;
    const urls: string[] = [];
    page.on('request', (r) => urls.push(r.url()));
    await ctx.route('**/*', (route) => (new URL(route.request().url()).host === origin ? route.continue() : route.abort()));
    await page.goto(`${base}/stations`);
    await page.getByText('地图', { exact: true }).click();
    const map = page.getByTestId('station-map');
    await map.waitFor();
    await expect.poll(() => map.getByTestId('station-point').count()).toBeGreaterThanOrEqual(50);
    // Stations of one community sit close together: tap the one drawn on top.
    await map.getByTestId('station-point').last().click();
    await page.getByTestId('station-card').waitFor();
    await shot(page, 'alliance-5-stations');
    const foreign = urls.filter((u) => !u.startsWith('data:') && !u.startsWith('blob:') && new URL(u).host !== origin);
    expect(foreign).toEqual([]);
  });
});
