import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';
import { afterEach, expect } from 'vitest';
import { ROOT } from '../helpers/cli.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SHOTS = path.join(ROOT, '.tmp/screenshots');

/** Debian's Chromium, headless, with nothing reaching for the network. */
export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** Content-Security-Policy violations seen by any page since the last test ended. */
const cspViolations: string[] = [];
// Every browser test fails on a CSP violation (the server's policy must fit the apps); pages come from newPage only.
afterEach(() => {
  expect(takeCspViolations(), 'Content-Security-Policy violations').toEqual([]);
});
/** The violations seen so far, clearing the list (for a test that causes one on purpose). */
export const takeCspViolations = () => cspViolations.splice(0);

export async function newPage(browser: Browser, opts: BrowserContextOptions): Promise<Page> {
  const ctx = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...opts });
  await ctx.exposeBinding('__reportCspViolation', (_source, v: string) => { cspViolations.push(v); });
  await ctx.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as any).__reportCspViolation(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile || e.documentURI}:${e.lineNumber} ${e.sample ?? ''}`);
    });
  });
  const page = await ctx.newPage();
  page.setDefaultTimeout(15_000);
  return page;
}

export async function shot(page: Page, name: string) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

/** An input (or textarea) marked with a test id, whether the id sits on it or on its wrapper; in a page or inside a part of one. */
export const inputByTestId = (scope: Page | Locator, id: string) =>
  scope.locator(`input[data-testid="${id}"], textarea[data-testid="${id}"], [data-testid="${id}"] input, [data-testid="${id}"] textarea`).first();

/** The login form every app shares: username, password, submit. */
export async function signIn(page: Page, username: string, password = 'Demo@1234') {
  // The H5 opens on phone + SMS code; a demo account's password is on the other tab.
  await page.locator('[data-testid="login-mode-password"], [data-testid="login-username"]').first().waitFor();
  const passwordTab = page.getByTestId('login-mode-password');
  if (await passwordTab.count()) await passwordTab.click();
  await inputByTestId(page, 'login-username').fill(username);
  await inputByTestId(page, 'login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

/** A POST through the page's own session (cookie + the CSRF token the app keeps in sessionStorage); a status of 300 or more fails the test. */
export async function post(page: Page, url: string, body: unknown) {
  const csrf = await page.evaluate(() => sessionStorage.getItem('rc_csrf'));
  const res = await page.request.post(url, { data: body, headers: { 'X-CSRF-Token': csrf ?? '' } });
  expect(res.status(), await res.text()).toBeLessThan(300);
  return res.json();
}
