import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { inputByTestId, launch, newPage, post, shot, signIn } from './browser.js';

const desktop = { viewport: { width: 1600, height: 1000 } };
const mobile = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

/** A synthetic GB 11643 number with a valid MOD 11-2 check character. */
function idNumber(body17: string) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body17].reduce((s, d, i) => s + Number(d) * w[i], 0);
  return body17 + '10X98765432'[sum % 11];
}

/** Opens an Element Plus select and picks its first option (options live in a popper on <body>). */
async function chooseFirst(page: Page, select: Locator) {
  await select.click();
  await page.locator('.el-select__popper:visible .el-select-dropdown__item').first().click();
  await expect.poll(() => page.locator('.el-select__popper:visible').count()).toBe(0);
}

describe('the party member register in the console', () => {
  let browser: Browser;
  const base = inject('baseUrl');
  beforeAll(async () => { browser = await launch(); });
  afterAll(() => browser?.close());

  it('community.luming opens 党员名册 under 智慧党建, finds a seeded member and sees the ID number masked', async () => {
    const errors: string[] = [];
    const page = await newPage(browser, desktop);
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('response', (r) => { if (r.status() >= 500) errors.push(`${r.status()} ${r.url()}`); });

    await page.goto(`${base}/admin/login`);
    await signIn(page, 'community.luming');
    await page.getByTestId('menu-group-party').click();
    await page.getByTestId('menu-party-members').click();
    await page.waitForURL(/\/admin\/party\/members$/);
    await page.locator('[data-testid="party-table"] tbody tr').first().waitFor();

    // A member of the account's scope, as the server lists it: the page must find them by name.
    const listed = await (await page.request.get(`${base}/api/party/members?pageSize=50`)).json() as { items: { name: string; idNumber: string }[]; total: number };
    expect(listed.total).toBeGreaterThan(0);
    const target = listed.items.find((m) => m.name.length >= 2)!;
    await inputByTestId(page, 'party-search').fill(target.name);
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/party/members?') && r.url().includes('q=')),
      inputByTestId(page, 'party-search').press('Enter'),
    ]);
    expect(res.status()).toBe(200);
    const row = page.locator('[data-testid="party-table"] tbody tr', { hasText: target.name }).first();
    await row.waitFor();
    // Masked: 6 digits, stars, the last 4 — never the full number.
    const idCell = (await row.locator('.mono').first().textContent())!.trim();
    expect(idCell).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    expect(idCell).toBe(target.idNumber);

    await row.click();
    const drawer = page.getByTestId('party-member-drawer');
    await expect.poll(() => drawer.getByTestId('party-member-name').textContent()).toBe(target.name);
    expect((await drawer.getByTestId('party-member-id-number').textContent())!.trim()).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    await shot(page, 'party-members');
    expect(errors).toEqual([]);
  });

  it('community.luming registers a member, transfers them out to another organisation and accepts the transfer as the receiving side', async () => {
    const errors: string[] = [];
    const page = await newPage(browser, desktop);
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('response', (r) => { if (r.status() >= 500) errors.push(`${r.status()} ${r.url()}`); });
    const name = `测试党员${'甲乙丙丁戊'[Date.now() % 5]}`;

    await page.goto(`${base}/admin/login`);
    await signIn(page, 'community.luming');
    await page.waitForURL(/\/admin\/?$/);
    await page.goto(`${base}/admin/party/members`);

    // Register: a probationary member (no full-membership date), in the first party organisation of the scope.
    await page.getByTestId('party-add').click();
    const dialog = page.getByTestId('party-member-dialog');
    await inputByTestId(dialog, 'party-form-name').fill(name);
    await inputByTestId(dialog, 'party-form-id-number').fill(idNumber(`11010119900307${String(Date.now() % 1000).padStart(3, '0')}`));
    await chooseFirst(page, dialog.getByTestId('party-form-org'));
    await dialog.getByTestId('party-form-status').getByText('预备党员').click();
    // The date picker keeps its test id off its input: found by its form item's label.
    const joined = dialog.locator('.el-form-item', { hasText: '入党日期' }).locator('input');
    await joined.fill('2025-06-01');
    await joined.press('Enter');
    const [created] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/party/members') && r.request().method() === 'POST'),
      dialog.getByTestId('party-form-save').click(),
    ]);
    expect(created.status(), await created.text()).toBe(201);
    const member: { id: number; organisation: { id: number } } = await created.json();

    // Transfer out from the member's drawer, to another organisation of the scope (so this account is also the receiving side).
    await inputByTestId(page, 'party-search').fill(name);
    await inputByTestId(page, 'party-search').press('Enter');
    await page.locator('[data-testid="party-table"] tbody tr', { hasText: name }).first().click();
    await page.getByTestId('party-member-transfer').click();
    const transferDialog = page.getByTestId('party-transfer-dialog');
    await chooseFirst(page, transferDialog.getByTestId('party-transfer-org'));
    await inputByTestId(transferDialog, 'party-transfer-reason').fill('工作调动');
    const [requested] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/party/transfers') && r.request().method() === 'POST'),
      transferDialog.getByTestId('party-transfer-save').click(),
    ]);
    expect(requested.status(), await requested.text()).toBe(201);
    const transfer: { id: number; to: { id: number; name: string } } = await requested.json();
    expect(transfer.to.id).not.toBe(member.organisation.id);
    await page.getByTestId('party-member-pending').waitFor();

    // The transfers page lists it as pending; accepting it (with a note) moves the member.
    await page.goto(`${base}/admin/party/transfers`);
    const row = page.locator('[data-testid="transfer-table"] tbody tr', { hasText: name }).first();
    await row.waitFor();
    await row.getByTestId('transfer-accept').click();
    await page.locator('.prompt-transfer-accept input').fill('同意接收');
    const [accepted] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/api/party/transfers/${transfer.id}/accept`)),
      page.locator('.prompt-transfer-accept .el-button--primary').click(),
    ]);
    expect(accepted.status(), await accepted.text()).toBe(200);
    const after = await (await page.request.get(`${base}/api/party/members/${member.id}`)).json() as { organisation: { id: number } };
    expect(after.organisation.id).toBe(transfer.to.id);
    // Accepted transfers leave the default (pending) list.
    await expect.poll(() => page.locator('[data-testid="transfer-table"] tbody tr', { hasText: name }).count()).toBe(0);
    await shot(page, 'party-transfers');
    expect(errors).toEqual([]);
  });

  it('member.demo signs in to an activity by its QR link on the H5; the sign-in shows in the console activity detail', async () => {
    const errors: string[] = [];
    const watch = (p: Page) => {
      p.on('pageerror', (e) => errors.push(e.message));
      p.on('response', (r) => { if (r.status() >= 500) errors.push(`${r.status()} ${r.url()}`); });
    };
    const topic = `扫码签到测试${Date.now() % 100000}`;

    // The branch's side (community.luming) schedules an activity of 鹿鸣苑党支部, member.demo's branch, that has just begun.
    const desk = await newPage(browser, desktop);
    watch(desk);
    await desk.goto(`${base}/admin/login`);
    await signIn(desk, 'community.luming');
    await desk.waitForURL(/\/admin\/?$/);
    const orgs = await (await desk.request.get(`${base}/api/orgs/tree`)).json() as { items: { id: number; name: string; children: any[] }[] };
    const find = (nodes: any[]): any => nodes.map((n) => (n.name === '鹿鸣苑党支部' ? n : find(n.children ?? []))).find(Boolean);
    const lmy = find(orgs.items);
    expect(lmy, '鹿鸣苑党支部 in the organisation tree').toBeTruthy();
    const now = Date.now();
    const activity = await post(desk, `${base}/api/party/activities`, {
      organisationId: lmy.id, kind: 'theme_day', topic, place: '鹿鸣苑党群服务站', startsAt: new Date(now - 5 * 60_000).toISOString(), endsAt: new Date(now + 90 * 60_000).toISOString(),
    }) as { id: number };

    // The desk's activity page shows the QR code and the link it encodes.
    await desk.getByTestId('menu-group-party').click();
    await desk.getByTestId('menu-party-activities').click();
    await desk.waitForURL(/\/admin\/party\/activities$/);
    const row = desk.locator('[data-testid="activity-table"] tbody tr', { hasText: topic }).first();
    await row.waitFor();
    await row.getByTestId('activity-open').click();
    const drawer = desk.getByTestId('activity-drawer');
    await drawer.getByTestId('activity-qr').locator('img').waitFor();
    const url = await inputByTestId(drawer, 'activity-qr-url').inputValue();
    expect(url).toMatch(new RegExp(`/party/checkin\\?token=${activity.id}\\.`));
    await expect.poll(() => drawer.getByTestId('activity-attended').textContent()).toMatch(/^0 \//);

    // member.demo opens the link on a phone, signs in to the H5 and back on the page, and signs in to the activity.
    const phone = await newPage(browser, mobile);
    watch(phone);
    await phone.goto(url);
    await phone.waitForURL(/\/login/);
    await signIn(phone, 'member.demo');
    await phone.waitForURL(/\/party\/checkin\?token=/);
    await expect.poll(() => phone.getByTestId('party-checkin-activity').textContent()).toContain(topic);
    const [signed] = await Promise.all([
      phone.waitForResponse((r) => r.url().endsWith(`/api/party/activities/${activity.id}/checkin`)),
      phone.getByTestId('party-checkin-btn').click(),
    ]);
    expect(signed.status(), await signed.text()).toBe(200);
    await phone.getByTestId('party-checkin-done').waitFor();
    await shot(phone, 'party-checkin');

    // The desk's detail, reopened, lists member.demo's member record as signed in by QR.
    const me = await (await phone.request.get(`${base}/api/party/me`)).json() as { member: { id: number; name: string } };
    await desk.keyboard.press('Escape');
    await row.getByTestId('activity-open').click();
    await expect.poll(() => drawer.getByTestId('activity-attended').textContent()).toMatch(/^1 \//);
    const signedRow = drawer.locator('[data-testid="activity-attendance"] tbody tr', { hasText: me.member.name }).first();
    await expect.poll(() => signedRow.textContent()).toMatch(/扫码/);
    await shot(desk, 'party-activity-attendance');
    expect(errors).toEqual([]);
  });
});
