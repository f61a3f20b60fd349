import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { describeViolations, seriousViolations } from './axe.js';
import { launch, newPage, post, shot, signIn } from './browser.js';

const mobile = {
  viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
  userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50',
};

/** axe on the page once it has settled: no serious or critical WCAG 2.1 AA violation. */
async function expectAccessible(page: Page, name: string) {
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(300); // let transitions (toasts, skeletons) finish
  await shot(page, `a11y-${name}`);
  const vs = await seriousViolations(page);
  expect.soft(vs.map((v) => v.id), `${name}:\n${describeViolations(vs)}`).toEqual([]);
}

describe('accessibility (axe-core): no serious or critical violations', () => {
  let browser: Browser;
  const base = inject('baseUrl');
  beforeAll(async () => { browser = await launch(); });
  afterAll(() => browser?.close());

  it('H5: login, home, wish wall, a wish, a vote', async () => {
    const page = await newPage(browser, mobile);
    await page.goto(`${base}/login`);
    await page.locator('[data-testid="login-mode-password"], [data-testid="login-username"]').first().waitFor();
    await expectAccessible(page, 'h5-login');

    await signIn(page, 'resident.demo');
    await page.getByTestId('current-user').first().waitFor();
    await expectAccessible(page, 'h5-home');

    await page.goto(`${base}/wishes`);
    await page.getByTestId('wish-card').first().waitFor();
    await expectAccessible(page, 'h5-wall');

    const wishId = await page.getByTestId('wish-card').first().getAttribute('data-wish-id');
    await page.goto(`${base}/wishes/${wishId}`);
    await page.getByTestId('wish-title-text').waitFor();
    await expectAccessible(page, 'h5-wish');

    // An open vote on the resident's own unit, opened by the community worker through the API.
    const { household } = await (await page.request.get(`${base}/api/me/household`)).json();
    const worker = await newPage(browser, { viewport: { width: 1440, height: 900 } });
    await worker.goto(`${base}/admin/`);
    await signIn(worker, 'community.luming');
    await worker.getByTestId('current-user').first().waitFor();
    const room = await (await worker.request.get(`${base}/api/regions/${household.members[0].regionId}`)).json();
    const consult = await post(worker, `${base}/api/consultations`, { topic: `无障碍检查 ${Date.now().toString(36)}`, scopeRegionId: room.parentId });
    const vote = await post(worker, `${base}/api/votes`, { consultationId: consult.id, title: '是否同意更换单元门禁', rule: 'ordinary' });
    await post(worker, `${base}/api/votes/${vote.id}/open`, {});
    await worker.context().close();
    const voteId = vote.id;
    await page.goto(`${base}/votes/${voteId}`);
    await page.getByTestId('vote-title').waitFor();
    await expectAccessible(page, 'h5-vote');
    await page.context().close();
  });

  it('console: the wish list', async () => {
    const page = await newPage(browser, { viewport: { width: 1440, height: 900 } });
    await page.goto(`${base}/admin/wishes`);
    await signIn(page, 'community.luming');
    await page.locator('.el-table__row').first().waitFor();
    await expectAccessible(page, 'admin-wishes');
    await page.context().close();
  });
});
