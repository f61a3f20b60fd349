import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { inputByTestId, launch, newPage, shot, signIn } from './browser.js';

const mobile = {
  viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
  userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50',
};

/** "鹿鸣社区 3/12" on the cockpit's wish tree → 3. */
const litIn = async (tree: ReturnType<Page['getByTestId']>, community: string) => {
  const text = ((await tree.textContent()) ?? '').replace(/\s+/g, ' ');
  const m = new RegExp(`${community}\\s*(\\d+)\\s*/\\s*(\\d+)`).exec(text);
  return m ? Number(m[1]) : NaN;
};

describe('a micro-wish from a phone to a lit light on the wish tree', () => {
  let browser: Browser;
  const base = inject('baseUrl');
  const photo = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'redcom-photo-')), 'gift.jpg');
  beforeAll(async () => {
    browser = await launch();
    await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 220, g: 40, b: 40 } } }).jpeg().toFile(photo);
  });
  afterAll(() => browser?.close());

  it('resident submits on the H5 → community.luming approves in the console → unit.demo claims and uploads a photo → the resident confirms → the tree lights', async () => {
    const errors: string[] = [];
    const watch = (p: Page, name: string) => p.on('pageerror', (e) => errors.push(`[${name}] ${e.message}`));

    // The cockpit stays open through the whole path.
    const screen = await newPage(browser, { viewport: { width: 1920, height: 1080 } });
    watch(screen, 'screen');
    await screen.goto(`${base}/screen/`);
    await signIn(screen, 'admin');
    const tree = screen.getByTestId('wish-tree');
    await tree.getByTestId('wish-tree-branch').first().waitFor();
    const litBefore = await litIn(tree, '鹿鸣社区');
    expect(litBefore).toBeGreaterThanOrEqual(0);

    // 1. The resident submits a wish on the phone.
    const resident = await newPage(browser, mobile);
    watch(resident, 'resident');
    await resident.goto(`${base}/login?redirect=/wishes/new`);
    await signIn(resident, 'resident.demo');
    await resident.getByTestId('wish-title').waitFor();
    await inputByTestId(resident, 'wish-title').fill('想要一个保温杯');
    await resident.locator('textarea[data-testid="wish-story"], [data-testid="wish-story"] textarea').first().fill('冬天出门遛弯想带杯热水，家里的杯子不保温了。');
    await inputByTestId(resident, 'wish-value').fill('60');
    await resident.getByTestId('wish-submit').click();
    const code = ((await resident.getByTestId('wish-code').textContent()) ?? '').trim();
    expect(code).toMatch(/^XY\d{6}$/);
    const id = Number(code.slice(2));
    await shot(resident, 'wish-1-submitted');

    // 2. The community worker approves it in the console.
    const admin = await newPage(browser, { viewport: { width: 1440, height: 900 } });
    watch(admin, 'admin');
    await admin.goto(`${base}/admin/wishes?status=pending_review`);
    await signIn(admin, 'community.luming');
    const row = admin.locator(`[data-wish-id="${id}"]`);
    await row.waitFor();
    await row.getByTestId('wish-approve').click();
    await admin.getByTestId('review-confirm').click();
    await expect.poll(async () => (await (await admin.request.get(`${base}/api/wishes/${id}`)).json()).status).toBe('published');

    // 3. The alliance unit claims it on the H5 and reports fulfilment with a photo.
    const unit = await newPage(browser, mobile);
    watch(unit, 'unit');
    await unit.goto(`${base}/login?redirect=/wishes/${id}`);
    await signIn(unit, 'unit.demo');
    await unit.getByTestId('wish-claim').click();
    // The claim asks first what the unit commits to (deadline, contact details); elder-mode.test.ts covers cancelling.
    await unit.getByTestId('claim-confirm').click();
    await unit.getByTestId('wish-status').filter({ hasText: '已认领' }).waitFor();
    await unit.getByTestId('wish-fulfil').click();
    await unit.locator('[data-testid="fulfil-photos"] input[type=file]').setInputFiles(photo);
    await unit.locator('textarea[data-testid="fulfil-note"], [data-testid="fulfil-note"] textarea').first().fill('已把保温杯送到老人家中。');
    await unit.getByTestId('fulfil-submit').click();
    await unit.getByTestId('wish-status').filter({ hasText: '已圆梦' }).waitFor();
    await shot(unit, 'wish-3-fulfilled');

    // 4. The resident confirms with a rating and a thank-you.
    await resident.goto(`${base}/wishes/${id}`);
    await resident.getByTestId('wish-confirm').click();
    await resident.locator('textarea[data-testid="confirm-comment"], [data-testid="confirm-comment"] textarea, input[data-testid="confirm-comment"], [data-testid="confirm-comment"] input').first().fill('谢谢你们，杯子很好用！');
    await resident.getByTestId('confirm-submit').click();
    await resident.getByTestId('wish-status').filter({ hasText: '已确认' }).waitFor();

    // 5. The cockpit's wish tree shows one more light in 鹿鸣社区, live.
    await expect.poll(() => litIn(tree, '鹿鸣社区'), { timeout: 10_000 }).toBe(litBefore + 1);
    await shot(screen, 'wish-5-tree-lit');
    const pub = await (await resident.request.get(`${base}/api/public/wishes/${id}`)).json();
    expect(pub).toMatchObject({ status: 'confirmed', rating: 5 });
    expect(pub.photos.filter((p: { kind: string }) => p.kind === 'evidence')).toHaveLength(1);
    expect(errors).toEqual([]);
    for (const p of [screen, resident, admin, unit]) await p.context().close();
  }, 120_000); // four browsers through the whole path, now with the claim confirmation: over a minute on a loaded machine
});
