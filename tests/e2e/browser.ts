import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
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

export async function newPage(browser: Browser, opts: BrowserContextOptions): Promise<Page> {
  const ctx = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...opts });
  const page = await ctx.newPage();
  page.setDefaultTimeout(15_000);
  return page;
}

export async function shot(page: Page, name: string) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

/** Fills an input marked with a test id, whether the id sits on the input or on its wrapper. */
export const inputByTestId = (page: Page, id: string) => page.locator(`input[data-testid="${id}"], [data-testid="${id}"] input`).first();

/** The login form every app shares: username, password, submit. */
export async function signIn(page: Page, username: string, password = 'Demo@1234') {
  await inputByTestId(page, 'login-username').fill(username);
  await inputByTestId(page, 'login-password').fill(password);
  await page.getByTestId('login-submit').click();
}
