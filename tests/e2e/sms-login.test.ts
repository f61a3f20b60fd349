import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { inputByTestId, launch, newPage, shot } from './browser.js';

const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

/** A resident signs in on the H5 by phone and SMS code; outside production the code shows in a banner. */
describe('signing in on the H5 by phone and SMS code', () => {
  let browser: Browser;
  const base = inject('baseUrl');
  beforeAll(async () => { browser = await launch(); });
  afterAll(() => browser?.close());

  it('resident.demo types the phone, gets the code from the dev banner and lands on the home page signed in', async () => {
    const errors: string[] = [];
    const page = await newPage(browser, phone);
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/login`);

    // A bad number is caught before anything is sent.
    await inputByTestId(page, 'login-phone').fill('1380013');
    await page.getByTestId('login-send-code').click();
    await page.getByText('手机号应为 11 位大陆手机号').waitFor();

    await inputByTestId(page, 'login-phone').fill('138 0013 8000');
    const [sent] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/auth/sms/send')),
      page.getByTestId('login-send-code').click(),
    ]);
    expect(sent.status()).toBe(200);
    const banner = page.getByTestId('login-dev-code');
    await banner.waitFor();
    const code = /(\d{6})/.exec((await banner.textContent())!)![1];
    expect(code).toBe((await sent.json()).devCode);
    // The button counts down instead of sending again.
    expect(await page.getByTestId('login-send-code').isDisabled()).toBe(true);

    await inputByTestId(page, 'login-code').fill(code);
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/auth/sms/login')),
      page.getByTestId('login-submit').click(),
    ]);
    expect(res.status()).toBe(200);
    await page.waitForURL((u) => !u.pathname.endsWith('/login'));
    const me = await (await page.request.get(`${base}/api/auth/me`)).json();
    expect(me.account.username).toBe('resident.demo');
    await shot(page, 'h5-sms-login');
    expect(errors).toEqual([]);
  });
});
