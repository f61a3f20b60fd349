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

const RATIOS = ['participationArea', 'participationHeads', 'consentArea', 'consentHeads'] as const;
type Ratio = (typeof RATIOS)[number];
interface Result {
  passed: boolean; status: string;
  percentages: Record<Ratio, number>; tests: Record<Ratio, boolean>;
  counts: { rooms: number; heads: number; ballots: number; agree: number; disagree: number; abstain: number };
  participationArea: { num: string; den: string }; participationHeads: { num: string; den: string };
  consentArea: { num: string; den: string }; consentHeads: { num: string; den: string };
}

/** As the pages show a percentage: the server's value (4 decimals) cut to 2, never rounded up. */
const pct = (p: number) => `${p.toFixed(4).slice(0, -2)}%`;
const text = async (p: Page, testid: string, within?: ReturnType<Page['getByTestId']>) => ((await (within ?? p).getByTestId(testid).first().textContent()) ?? '').replace(/\s+/g, ' ');

describe('an owners’ vote on an elevator retrofit, from the console to a phone and back', () => {
  let browser: Browser;
  const base = inject('baseUrl');
  const scan = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'redcom-scan-')), 'ballot-102.jpg');
  beforeAll(async () => {
    browser = await launch();
    await sharp({ create: { width: 800, height: 1100, channels: 3, background: { r: 250, g: 248, b: 240 } } }).jpeg().toFile(scan);
  });
  afterAll(() => browser?.close());

  it('community.luming opens a consultation and a major-rule vote on 橡树湾 1幢1单元 → resident.demo votes 同意 on the H5 → a paper ballot with a scan → close → the four ratios', async () => {
    const errors: string[] = [];
    const watch = (p: Page, name: string) => p.on('pageerror', (e) => errors.push(`[${name}] ${e.message}`));
    const topic = `1幢1单元加装电梯 ${Date.now().toString(36)}`;
    const voteTitle = '是否同意在橡树湾1幢1单元加装电梯';

    // 1. The community worker starts a consultation on the unit XSW-01-1.
    const admin = await newPage(browser, { viewport: { width: 1440, height: 900 } });
    watch(admin, 'admin');
    await admin.goto(`${base}/admin/consultations`);
    await signIn(admin, 'community.luming');
    await admin.getByTestId('consult-create').click();
    const create = admin.getByTestId('consult-create-dialog');
    await inputByTestId(admin, 'consult-topic').fill(topic);
    await admin.locator('textarea[data-testid="consult-description"], [data-testid="consult-description"] textarea').first().fill('顶楼住户提出加装电梯，底层住户担心采光与噪声，请大家有事好商量。');
    // 鹿鸣社区 opens by itself; then 橡树湾 → 1幢 → 1单元.
    await create.getByTestId('scope-node-XSW').click();
    await create.getByTestId('scope-node-XSW-01').click();
    await create.getByTestId('scope-node-XSW-01-1').click();
    await expect.poll(() => text(admin, 'consult-scope-selected')).toContain('橡树湾 1幢 1单元');
    await admin.getByTestId('consult-create-submit').click();
    const detail = admin.getByTestId('consult-detail');
    await detail.waitFor();
    expect(await text(admin, 'consult-title')).toBe(topic);
    await expect.poll(() => text(admin, 'consult-scope')).toContain('1单元');

    // 2. A major-matter vote (participation ≥ 2/3, consent ≥ 3/4 of area and heads), opened at once.
    await admin.getByTestId('vote-create').click();
    await inputByTestId(admin, 'vote-title').fill(voteTitle);
    await admin.getByTestId('vote-submit').click();
    const card = admin.getByTestId('vote-card').filter({ hasText: voteTitle });
    await card.getByTestId('vote-open').click();
    await admin.getByTestId('vote-open-confirm').click();
    await expect.poll(() => card.getAttribute('data-status')).toBe('open');
    await card.getByTestId('participation-table').waitFor();
    const voteId = Number(await card.getAttribute('data-vote-id'));
    expect(voteId).toBeGreaterThan(0);
    const vote = await (await admin.request.get(`${base}/api/votes/${voteId}`)).json();
    expect(vote).toMatchObject({ rule: 'major', status: 'open', counts: { rooms: 12, voted: 0 } });
    await shot(admin, 'vote-1-console-open');

    // 3. The resident finds it from the H5 home page and votes 同意 for their room.
    const resident = await newPage(browser, mobile);
    watch(resident, 'resident');
    await resident.goto(`${base}/`);
    await signIn(resident, 'resident.demo');
    await resident.getByTestId('home-consult').click();
    await resident.getByTestId('consult-item').filter({ hasText: topic }).click();
    await resident.locator(`[data-testid="consult-vote"][data-vote-id="${voteId}"]`).click();
    await resident.getByTestId('ballot-agree').click();
    await resident.getByTestId('ballot-confirm').click();
    await expect.poll(() => text(resident, 'ballot-done')).toContain('已投票');
    await expect.poll(() => text(resident, 'ballot-done')).toContain('同意');
    await resident.getByTestId('ballot-confirm').waitFor({ state: 'hidden' });
    await shot(resident, 'vote-2-h5-voted');

    // 4. The worker enters a paper ballot for 102室 with its scan.
    await card.getByTestId('vote-paper').click();
    await admin.getByTestId('paper-room').click();
    await admin.locator('.el-select-dropdown__item:visible').filter({ hasText: '102室' }).click();
    await admin.getByTestId('paper-choice-agree').click();
    await admin.locator('[data-testid="paper-scan"] input[type=file]').setInputFiles(scan);
    await admin.getByTestId('paper-submit').click();
    const row = (room: string) => card.locator('tr[data-room-id]').filter({ hasText: room });
    await expect.poll(async () => (await row('102室').textContent()) ?? '').toMatch(/已投.*纸质/);
    await expect.poll(async () => (await row('101室').textContent()) ?? '').toMatch(/已投.*线上.*同意/);
    await expect.poll(() => text(admin, 'vote-progress', card)).toContain('2 / 12');
    await admin.getByTestId('paper-submit').waitFor({ state: 'hidden' });
    await shot(admin, 'vote-3-console-paper');

    // 5. Close and count; the result page shows the four ratios as the API has them.
    await card.getByTestId('vote-close').click();
    await admin.getByTestId('vote-close-confirm').click();
    await expect.poll(() => card.getAttribute('data-status')).toBe('closed');
    await card.getByTestId('vote-result-link').click();
    const shown = admin.getByTestId('vote-result');
    await shown.waitFor();
    const api: Result = await (await admin.request.get(`${base}/api/votes/${voteId}/result`)).json();
    expect(api).toMatchObject({ status: 'closed', passed: false, counts: { rooms: 12, ballots: 2, agree: 2, disagree: 0, abstain: 0 } });
    expect(api.participationHeads.num).toBe('2');
    expect(api.consentHeads).toEqual({ num: '2', den: '2' });
    expect(api.consentArea.num).toBe(api.participationArea.num);
    for (const k of RATIOS) {
      const el = shown.getByTestId(`ratio-${k}`);
      const t = ((await el.textContent()) ?? '').replace(/\s+/g, ' ');
      expect(t).toContain(pct(api.percentages[k]));
      expect(t).toContain(`${api[k].num}/${api[k].den}`);
      expect(t).toContain(api.tests[k] ? '✓' : '✗');
      expect(await el.getAttribute('data-ok')).toBe(String(api.tests[k]));
    }
    // 2 of 12 rooms took part: consent is unanimous, participation falls short of 2/3.
    expect(await text(admin, 'ratio-percent', shown.getByTestId('ratio-consentArea'))).toBe('100.00%');
    expect(api.tests).toEqual({ participationArea: false, participationHeads: false, consentArea: true, consentHeads: true });
    expect(await text(admin, 'vote-passed')).toContain('未通过');
    await shot(admin, 'vote-4-console-result');

    // 6. The resident sees the same result on the phone.
    await resident.reload();
    const mine = resident.getByTestId('vote-result');
    await mine.waitFor();
    for (const k of RATIOS) expect(((await mine.getByTestId(`ratio-${k}`).textContent()) ?? '')).toContain(pct(api.percentages[k]));
    await shot(resident, 'vote-5-h5-result');

    expect(errors).toEqual([]);
    for (const p of [admin, resident]) await p.context().close();
  });
});
