import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, newPage, post, shot, signIn } from './browser.js';

const PANELS = ['overview', 'wishes', 'alliance', 'property', 'party', 'brain'] as const;
const at = (o: any, path: string) => path.split('.').reduce((v, k) => (v == null ? v : v[k]), o);

/** Each shown number by panel: `num-<panel>-<field path in the panel's API answer>` → its text. */
async function shownNumbers(page: Page) {
  return page.locator('[data-testid^="num-"]').evaluateAll((els) => els.map((e) => {
    const [, panel, ...key] = (e.getAttribute('data-testid') ?? '').split('-');
    return { panel, key: key.join('-'), text: (e.textContent ?? '').replace(/[,%\s]/g, '') };
  }));
}

/** Compares every shown number with the API's answer for the region, fetched with the screen's own session. */
async function mismatches(page: Page, base: string, level: string, id: number) {
  const api = Object.fromEntries(await Promise.all(PANELS.map(async (p) => [p, await (await page.request.get(`${base}/api/cockpit/${level}/${id}/${p}`)).json()])));
  const shown = await shownNumbers(page);
  const out = shown.filter((n) => n.text !== String(at(api[n.panel], n.key) ?? '—')).map((n) => `${n.panel}.${n.key}: shown ${n.text}, API ${at(api[n.panel], n.key)}`);
  return { shown: shown.length, panels: new Set(shown.map((n) => n.panel)).size, out };
}

/** Clicks an area of the map by name, where the map says it can be clicked (canvas pixels). */
async function clickArea(page: Page, name: string) {
  const map = page.getByTestId('region-map');
  await expect.poll(async () => JSON.parse((await map.getAttribute('data-hits')) ?? '[]').some((h: any) => h.name === name)).toBe(true);
  const hit = JSON.parse((await map.getAttribute('data-hits'))!).find((h: any) => h.name === name);
  await map.click({ position: { x: hit.x, y: hit.y } });
  return hit.id as number;
}

describe('the cockpit big screen: map, drill-down, live wishes', () => {
  let browser: Browser;
  const base = inject('baseUrl');
  beforeAll(async () => { browser = await launch(); });
  afterAll(() => browser?.close());

  it('district → 黄海街道 → 鹿鸣社区 on the map; every number is the API\'s; a fulfilled wish lights up live', async () => {
    const page = await newPage(browser, { viewport: { width: 1920, height: 1080 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/screen/`);
    await signIn(page, 'admin');

    // The district: the map with its streets, and every panel with its numbers and charts.
    const cockpit = page.locator('[data-testid="cockpit"][data-level="district"]');
    await cockpit.waitFor();
    const map = await (await page.request.get(`${base}/api/cockpit/map`)).json();
    expect(map.root.level).toBe('district');
    expect(map.geo.features.length).toBeGreaterThan(10);
    expect(map.points.filter((p: any) => p.kind === 'station')).toHaveLength(100);
    await page.getByTestId('region-map').locator('canvas').first().waitFor();
    for (const p of PANELS) {
      await page.getByTestId(`trend-${p}`).locator('canvas').first().waitFor();
      await page.getByTestId(`split-${p}`).locator('canvas').first().waitFor();
    }
    const districtId = map.root.id;
    await expect.poll(async () => (await mismatches(page, base, 'district', districtId)).out, { timeout: 15_000 }).toEqual([]);
    const d = await mismatches(page, base, 'district', districtId);
    expect(d.panels).toBe(6);
    expect(Number((await page.getByTestId('num-overview-persons').textContent())!.replace(/,/g, ''))).toBeGreaterThan(0);
    // The population panel's age pyramid holds the API's bands (everyone of known age).
    await page.getByTestId('pyramid-overview').locator('canvas').first().waitFor();
    const overview = await (await page.request.get(`${base}/api/cockpit/district/${map.root.id}/overview`)).json();
    const aged = overview.pyramid.reduce((s: number, b: any) => s + b.male + b.female, 0);
    expect(aged).toBeGreaterThan(0);
    await expect.poll(async () => Number(await page.getByTestId('pyramid-overview').getAttribute('data-total'))).toBe(aged);
    await page.getByTestId('updated-at').waitFor();
    await shot(page, 'cockpit-district');

    // Click 黄海街道 on the map: the street's page, with its id in the URL.
    const hh = await clickArea(page, '黄海街道');
    await page.locator('[data-testid="cockpit"][data-level="street"]').waitFor();
    expect(new URL(page.url()).searchParams.get('region')).toBe(String(hh));
    expect(await page.getByTestId('breadcrumb').textContent()).toContain('黄海街道');

    // Then 鹿鸣社区: every panel's numbers equal the API's for that community.
    const lm = await clickArea(page, '鹿鸣社区');
    await page.locator(`[data-testid="cockpit"][data-level="community"][data-region="${lm}"]`).waitFor();
    expect(new URL(page.url()).searchParams.get('region')).toBe(String(lm));
    expect(await page.getByTestId('scope-name').textContent()).toBe('鹿鸣社区');
    await expect.poll(async () => (await mismatches(page, base, 'community', lm)).out, { timeout: 15_000 }).toEqual([]);
    const c = await mismatches(page, base, 'community', lm);
    expect(c.panels).toBe(6);
    expect(c.shown).toBeGreaterThanOrEqual(20);
    await shot(page, 'cockpit-community');

    // A wish of 鹿鸣社区 claimed and fulfilled through the API lights up on the open screen, without a reload.
    await page.evaluate(() => { (window as any).__sameDocument = true; });
    const list = await (await page.request.get(`${base}/api/wishes?status=published&communityId=${lm}&pageSize=50`)).json();
    expect(list.items.length).toBeGreaterThan(0);
    const wishId = list.items[0].id;
    // unit.demo signs in (on the screen's own sign-in, which it may not view further) to get a session for the API.
    const unit = await newPage(browser, { viewport: { width: 1280, height: 720 } });
    await unit.goto(`${base}/screen/`);
    await signIn(unit, 'unit.demo');
    await unit.getByTestId('no-permission').waitFor();
    await post(unit, `${base}/api/wishes/${wishId}/claim`, {});
    const photo = await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 230, g: 60, b: 60 } } }).jpeg().toBuffer();
    const csrf = await unit.evaluate(() => sessionStorage.getItem('rc_csrf'));
    const res = await unit.request.post(`${base}/api/wishes/${wishId}/fulfil`, {
      headers: { 'X-CSRF-Token': csrf ?? '' },
      multipart: { note: '已送到老人家中', photos: { name: 'gift.jpg', mimeType: 'image/jpeg', buffer: photo } },
    });
    expect(res.status(), await res.text()).toBe(200);
    // Within 2 s of the answer, the wall shows the wish as fulfilled, flashing.
    await page.locator(`[data-testid="wish-wall"] [data-wish-id="${wishId}"][data-status="fulfilled"].flash`).waitFor({ timeout: 2_000 });
    expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
    await shot(page, 'cockpit-lit');

    // The breadcrumb goes back up to the district.
    await page.getByTestId(`crumb-${districtId}`).click();
    await page.locator('[data-testid="cockpit"][data-level="district"]').waitFor();
    expect(new URL(page.url()).searchParams.get('region')).toBe(String(districtId));
    expect(errors).toEqual([]);
    await unit.context().close();
    await page.context().close();
  });

  it('a community worker\'s screen offers its community only; a lobby screen opens at a region from the URL, broadcasting', async () => {
    const page = await newPage(browser, { viewport: { width: 1920, height: 1080 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/screen/`);
    await signIn(page, 'community.luming');
    await page.locator('[data-testid="cockpit"][data-level="community"]').waitFor();
    const map = await (await page.request.get(`${base}/api/cockpit/map`)).json();
    expect(map.regions.map((r: any) => r.name)).toEqual(['鹿鸣社区']);
    expect(map.points.every((p: any) => p.communityId === map.root.id)).toBe(true);
    expect(await page.getByTestId('breadcrumb').textContent()).toBe('鹿鸣社区');
    // A region outside the scope in the URL is not offered: the screen stays on the account's own.
    const foreign = map.root.id + 1; // 聚龙湖社区, the next community of the seed
    expect((await page.request.get(`${base}/api/cockpit/community/${foreign}/overview`)).status()).toBe(403);
    await page.goto(`${base}/screen/?region=${foreign}`);
    await page.getByTestId('scope-notice').waitFor();
    expect(await page.locator('[data-testid="cockpit"]').getAttribute('data-region')).toBe(String(map.root.id));
    await page.context().close();

    // A street account's lobby screen pointed at one of its communities, broadcasting.
    const lobby = await newPage(browser, { viewport: { width: 1920, height: 1080 } });
    lobby.on('pageerror', (e) => errors.push(e.message));
    await lobby.goto(`${base}/screen/`);
    await signIn(lobby, 'street.huanghai');
    await lobby.locator('[data-testid="cockpit"][data-level="street"]').waitFor();
    const streetMap = await (await lobby.request.get(`${base}/api/cockpit/map`)).json();
    expect(new Set(streetMap.regions.map((r: any) => r.level))).toEqual(new Set(['street', 'community']));
    const jlh = streetMap.regions.find((r: any) => r.name === '聚龙湖社区').id;
    // A bar of a split drills down too: 鹿鸣社区's in the population panel.
    const split = lobby.getByTestId('split-overview');
    await expect.poll(async () => JSON.parse((await split.getAttribute('data-hits')) ?? '[]').some((h: any) => h.name === '鹿鸣社区')).toBe(true);
    const bar = JSON.parse((await split.getAttribute('data-hits'))!).find((h: any) => h.name === '鹿鸣社区');
    await split.click({ position: { x: bar.x, y: bar.y } });
    await lobby.locator(`[data-testid="cockpit"][data-level="community"][data-region="${bar.id}"]`).waitFor();
    expect(new URL(lobby.url()).searchParams.get('region')).toBe(String(bar.id));
    await lobby.goto(`${base}/screen/?region=${jlh}&broadcast=1`);
    await lobby.locator(`[data-testid="cockpit"][data-region="${jlh}"]`).waitFor();
    expect(await lobby.getByTestId('broadcast-toggle').getAttribute('class')).toContain('on');
    await lobby.getByTestId('broadcast-toggle').click();
    await expect.poll(() => new URL(lobby.url()).searchParams.get('broadcast')).toBeNull();
    expect(errors).toEqual([]);
    await lobby.context().close();
  });
});
