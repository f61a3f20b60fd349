import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { inputByTestId, launch, newPage, post, shot, signIn } from './browser.js';

const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

/** Every visible element with text of its own whose computed font size is under `min` px. */
const smallText = (page: Page, min: number) => page.evaluate((m) => {
  const out: string[] = [];
  for (const el of document.querySelectorAll<HTMLElement>('#app *')) {
    if (el.closest('svg')) continue;
    if (![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent!.trim())) continue;
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || r.bottom < 0 || r.top > innerHeight) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < m) out.push(`${el.tagName}.${el.className} ${size}px "${el.textContent!.trim().slice(0, 12)}"`);
  }
  return out;
}, min);

/** WCAG contrast of an element's text against the first opaque background behind it. */
const contrastOf = (page: Page, selector: string) => page.locator(selector).first().evaluate((el) => {
  const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
  const lum = ([r, g, b]: number[]) => {
    const f = (v: number) => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  let bg = [255, 255, 255];
  for (let e: Element | null = el; e; e = e.parentElement) {
    const c = rgb(getComputedStyle(e).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] === 1)) { bg = c.slice(0, 3); break; }
  }
  const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(bg)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
});

/** Elements reaching past the right edge of the screen (what would need a sideways swipe). */
const overflowing = (page: Page) => page.evaluate(() => [...document.querySelectorAll<HTMLElement>('#app *')]
  .filter((el) => el.getBoundingClientRect().right > innerWidth + 0.5 && !el.closest('.van-dropdown-item, .van-popup'))
  .map((el) => `${el.tagName}.${el.className} right=${el.getBoundingClientRect().right}`).slice(0, 5));

const box = async (page: Page, testid: string) => (await page.getByTestId(testid).first().boundingBox())!;

describe('elder mode (长辈模式) and the H5 fixes for residents and units', () => {
  let browser: Browser;
  const base = inject('baseUrl');
  beforeAll(async () => { browser = await launch(); });
  afterAll(() => browser?.close());

  it('resident.demo switches elder mode on at home: large type, large targets, four entries, kept over a reload and per account', async () => {
    const errors: string[] = [];
    const page = await newPage(browser, phone);
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/login`);
    // Pinch-zoom is allowed (no user-scalable=no, no maximum-scale=1).
    expect(await page.locator('meta[name=viewport]').getAttribute('content')).not.toMatch(/user-scalable|maximum-scale/);
    await signIn(page, 'resident.demo');
    await page.getByTestId('elder-toggle').click();

    const home = page.getByTestId('elder-home');
    await home.waitFor();
    for (const id of ['elder-post', 'elder-mine', 'elder-call', 'elder-stations']) {
      const b = await box(page, id);
      expect(b.height, id).toBeGreaterThanOrEqual(48);
      expect(b.width, id).toBeGreaterThanOrEqual(48);
    }
    // The grid worker of the resident's home, called with one tap.
    await expect.poll(() => page.getByTestId('elder-call').getAttribute('href')).toMatch(/^tel:1\d{10}$/);
    for (const id of ['elder-leave', 'tab-home', 'tab-wishes', 'tab-me']) {
      const b = await box(page, id);
      expect(Math.min(b.width, b.height), id).toBeGreaterThanOrEqual(48);
    }
    expect(parseFloat(await page.getByTestId('elder-post').locator('b').evaluate((el) => getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(18);
    expect(await smallText(page, 18)).toEqual([]);
    // Main text at 7:1 or more.
    expect(await contrastOf(page, '[data-testid=elder-post] b')).toBeGreaterThanOrEqual(7);
    expect(await contrastOf(page, '[data-testid=elder-call] .eh-text span')).toBeGreaterThanOrEqual(7);
    expect(await contrastOf(page, '[data-testid=elder-leave]')).toBeGreaterThanOrEqual(7);
    // Nothing wider than the screen.
    expect(await overflowing(page)).toEqual([]);
    await shot(page, 'h5-elder-home');

    await page.reload();
    await home.waitFor();
    expect(await page.evaluate(() => document.documentElement.classList.contains('elder'))).toBe(true);

    // "我的": the switch shows on, and the text goes to 1.3×.
    await page.getByTestId('tab-me').click();
    await page.getByTestId('me-elder').waitFor();
    expect(await page.getByTestId('me-elder-switch').getAttribute('aria-checked')).toBe('true');
    const bodySize = () => page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
    expect(await bodySize()).toBe(18);
    await page.getByTestId('elder-size-1.3').click();
    expect(await bodySize()).toBeCloseTo(23.4, 1);
    expect(await smallText(page, 23)).toEqual([]);
    expect((await box(page, 'me-elder')).height).toBeGreaterThanOrEqual(48);
    await shot(page, 'h5-elder-me-large');
    await page.getByTestId('elder-size-1').click();

    // Posting a wish from the elder home: the tile, title, story, 陪伴 (no value needed), submit.
    await page.getByTestId('tab-home').click();
    await page.getByTestId('elder-post').click();
    await inputByTestId(page, 'wish-title').fill('想有人陪我下象棋');
    await page.locator('textarea[data-testid="wish-story"]').fill('老伙计搬走了，想有人每周陪我下两盘棋。');
    await page.locator('[data-testid="wish-category"] [data-value="companionship"]').click();
    await page.getByTestId('wish-submit').click();
    await page.getByTestId('wish-code').waitFor();
    expect(await page.getByTestId('wish-target').count()).toBe(0); // asked behind "more" in elder mode

    // The wish's page and the wall: large type, nothing to swipe sideways.
    await page.getByTestId('wish-success-view').click();
    await page.getByTestId('wish-status').waitFor();
    expect(await smallText(page, 18)).toEqual([]);
    expect(await overflowing(page)).toEqual([]);
    await shot(page, 'h5-elder-wish');
    await page.goto(`${base}/wishes`);
    await page.locator('[data-testid=wish-wall-page] [data-wish-id]').first().waitFor();
    expect(await smallText(page, 18)).toEqual([]);
    expect(await overflowing(page)).toEqual([]);
    await shot(page, 'h5-elder-wall');

    // Another account on the same phone keeps its own choice: unit.demo is not in elder mode, and sees its unit on "我的".
    await post(page, `${base}/api/auth/logout`, {});
    await page.goto(`${base}/login?redirect=/me`);
    await signIn(page, 'unit.demo');
    await page.getByTestId('me-unit').waitFor();
    expect(await page.evaluate(() => document.documentElement.classList.contains('elder'))).toBe(false);
    expect(await page.getByTestId('me-unit-name').textContent()).toContain('盐南数智科技有限公司');
    expect(await page.getByTestId('household').count()).toBe(0);
    expect(await page.getByTestId('me-elevator').count()).toBe(0);
    expect(await page.getByText('我的家庭').count()).toBe(0);
    await shot(page, 'h5-me-unit');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('the resident\'s own ID number on "我的" is masked until tapped', async () => {
    const page = await newPage(browser, phone);
    await page.goto(`${base}/login?redirect=/me`);
    await signIn(page, 'resident.demo');
    const id = page.getByTestId('me-id-number');
    await id.waitFor();
    expect(await id.textContent()).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    await page.getByTestId('me-id-toggle').click();
    expect(await id.textContent()).toMatch(/^\d{17}[\dX]$/);
    await page.getByTestId('me-id-toggle').click();
    expect(await id.textContent()).toContain('********');
    await page.context().close();
  });

  it('a unit sees what it commits to before claiming; cancelling claims nothing; a rejected wish has no QR sharing; a wish reads aloud', async () => {
    const resident = await newPage(browser, phone);
    await resident.goto(`${base}/login?redirect=/me`);
    await signIn(resident, 'resident.demo');
    await resident.getByTestId('me-elder').waitFor();
    const wish = (title: string) => post(resident, `${base}/api/wishes`, { title, story: '家里的台灯坏了，晚上看书看不清。', category: 'goods', targetGroup: 'elder', estimatedValue: 80 });
    const toClaim = (await wish('想要一盏护眼台灯')).id;
    const toReject = (await wish('想要一台大电视')).id;

    const worker = await newPage(browser, phone);
    await worker.goto(`${base}/login`);
    await signIn(worker, 'community.luming');
    await worker.waitForURL((u) => !u.pathname.endsWith('/login'));
    await post(worker, `${base}/api/wishes/${toClaim}/review`, { decision: 'approve' });
    await post(worker, `${base}/api/wishes/${toReject}/review`, { decision: 'reject', reason: '超出微心愿范围' });

    const unit = await newPage(browser, phone);
    await unit.goto(`${base}/login?redirect=/wishes/${toClaim}`);
    await signIn(unit, 'unit.demo');
    await unit.getByTestId('wish-claim').click();
    const sheet = unit.getByTestId('claim-sheet');
    await sheet.waitFor();
    // The season's claim period (第12季: 14 days) and the contact details the claimer will see.
    await expect.poll(() => unit.getByTestId('claim-terms-deadline').textContent()).toContain('14 天');
    expect(await unit.getByTestId('claim-terms-contact').textContent()).toMatch(/姓名、电话和住址/);
    await shot(unit, 'h5-claim-sheet');
    await unit.getByTestId('claim-cancel').click();
    await sheet.waitFor({ state: 'hidden' });
    const state = async () => (await (await unit.request.get(`${base}/api/wishes/${toClaim}`)).json()) as { status: string; claimerName: string | null };
    expect(await state()).toMatchObject({ status: 'published', claimerName: null });
    await unit.getByTestId('wish-claim').click();
    await unit.getByTestId('claim-confirm').click();
    await unit.getByTestId('wish-status').filter({ hasText: '已认领' }).waitFor();
    expect((await state()).status).toBe('claimed');

    // The resident's rejected wish: no QR card to share; the claimed one keeps it.
    await resident.goto(`${base}/wishes/${toReject}`);
    await resident.getByTestId('wish-status').filter({ hasText: '未通过' }).waitFor();
    expect(await resident.getByTestId('wish-qr').count()).toBe(0);
    await resident.goto(`${base}/wishes/${toClaim}`);
    await resident.getByTestId('wish-qr').waitFor();

    // Read aloud: the browser's own speech synthesis, handed the title and the status.
    await resident.evaluate(() => {
      const said: string[] = ((window as any).__said = []);
      const speak = speechSynthesis.speak.bind(speechSynthesis);
      speechSynthesis.speak = (u: SpeechSynthesisUtterance) => { said.push(u.text); speak(u); };
    });
    await resident.getByTestId('wish-read-aloud').click();
    const said = await resident.evaluate(() => (window as any).__said as string[]);
    expect(said[0]).toContain('想要一盏护眼台灯');
    expect(said[0]).toContain('已认领');
    for (const p of [resident, worker, unit]) await p.context().close();
  });
});
