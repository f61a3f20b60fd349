import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, newPage, shot, signIn, takeCspViolations } from './browser.js';

describe('the three web apps in a real browser', () => {
  let browser: Browser;
  const base = inject('baseUrl');
  beforeAll(async () => { browser = await launch(); });
  afterAll(() => browser?.close());

  it('an admin signs in to the console and sees the region tree', async () => {
    const page = await newPage(browser, { viewport: { width: 1440, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/admin/`);
    await signIn(page, 'admin');
    await expect.poll(() => page.getByTestId('current-user').first().textContent()).toContain('区级管理员');
    await page.goto(`${base}/admin/regions`);
    const tree = page.getByTestId('region-tree');
    await tree.getByText('黄海街道').first().waitFor();
    expect(await tree.textContent()).toContain('科城街道');
    await shot(page, 'admin-regions');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a resident signs in on the H5 at 390×844 and sees their household', async () => {
    const page = await newPage(browser, { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
      userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50' });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/`);
    await signIn(page, 'resident.demo');
    await page.getByTestId('current-user').first().waitFor();
    await page.goto(`${base}/me`);
    const household = page.getByTestId('household');
    await household.waitFor();
    await expect.poll(() => household.textContent()).toContain('橡树湾');
    // Other members' phones are masked.
    expect(await household.textContent()).toMatch(/\d{3}\*{4}\d{4}/);
    await shot(page, 'h5-me');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('the cockpit renders its first panel of live counts', async () => {
    const page = await newPage(browser, { viewport: { width: 1920, height: 1080 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/screen/`);
    await signIn(page, 'admin');
    const persons = page.getByTestId('num-overview-persons');
    await persons.waitFor();
    const overview = await (await page.request.get(`${base}/api/cockpit/overview`)).json();
    await expect.poll(async () => (await persons.textContent())?.replace(/[,\s]/g, ''), { timeout: 15_000 }).toBe(String(overview.totals.residents));
    await page.getByTestId('trend-overview').locator('canvas').first().waitFor();
    await shot(page, 'screen-overview');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('anyone opens the public figures on a phone, without signing in, and reads the API\'s numbers', async () => {
    const page = await newPage(browser, { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const figures = await (await page.request.get(`${base}/api/public/figures`)).json();
    await page.goto(`${base}/figures`);
    const fulfilled = page.getByTestId('fig-wishes-fulfilled');
    await fulfilled.waitFor();
    expect(page.url()).toContain('/figures'); // not sent to the sign-in page
    expect((await fulfilled.textContent())?.replace(/[,\s]/g, '')).toBe(String(figures.wishes.fulfilled));
    expect((await page.getByTestId('fig-projects').textContent())?.replace(/[,\s]/g, '')).toBe(String(figures.alliance.projects));
    expect(await page.getByTestId('fig-season').count()).toBe(Math.min(12, figures.wishes.seasons.length));
    await shot(page, 'h5-figures');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('the Content-Security-Policy is enforced, and a violation is seen by the check every browser test ends with', async () => {
    const page = await newPage(browser, { viewport: { width: 1280, height: 800 } });
    await page.goto(`${base}/admin/`);
    await page.getByTestId('login-submit').waitFor();
    // What an injected script would do: an inline <script> and an inline event handler; neither may run.
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.body.append(s);
      const img = document.createElement('img');
      img.setAttribute('onerror', 'window.__handlerRan = true');
      img.src = '/no-such-image.png';
      document.body.append(img);
    });
    await expect.poll(() => takeCspViolations().join('\n'), { timeout: 10_000 }).toContain('script-src-elem');
    expect(await page.evaluate(() => [(window as any).__inlineRan, (window as any).__handlerRan])).toEqual([undefined, undefined]);
    await page.context().close();
    takeCspViolations(); // the handler's violation, if it came after the poll: caused on purpose
  });

  it('serves the API docs', async () => {
    const page = await newPage(browser, { viewport: { width: 1280, height: 800 } });
    await page.goto(`${base}/api/docs`);
    await page.getByText('红色社区').first().waitFor();
    await page.context().close();
  });
});
