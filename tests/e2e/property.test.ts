import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startServer, type Server } from '../helpers/cli.js';
import { pgAdmin, pgRequired, pgUrl, uniqueDbName } from '../helpers/pg.js';
import { launch, newPage, shot, signIn } from './browser.js';

const mobile = {
  viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
  userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50',
};
const jpeg = (r: number, g: number, b: number) => sharp({ create: { width: 640, height: 480, channels: 3, background: { r, g, b } } }).jpeg().toBuffer();

/**
 * Red Property in the browser. This file runs its own server on PostgreSQL because check-in is only
 * open ±15 minutes around a booking's start and the rooms keep opening hours: the test books through
 * the pages at whatever hour CI runs, then moves that booking to "in five minutes" with one SQL
 * statement (the test's clock), which the shared PGlite server would not let it do.
 */
describe.runIf(await pgRequired())('Red Property on a phone and in the console', () => {
  let browser: Browser;
  let server: Server;
  let db: pg.Client;
  const database = uniqueDbName('redcom_e2e_property');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'redcom-e2e-property-'));
  let base = '';
  const errors: string[] = [];
  const watch = (p: Page, name: string) => {
    p.on('pageerror', (e) => errors.push(`[${name}] ${e.message}`));
    p.on('response', (r) => { if (r.status() >= 500) errors.push(`[${name}] ${r.status()} ${r.url()}`); });
  };
  const phone = async (name: string) => { const p = await newPage(browser, mobile); watch(p, name); return p; };
  const h5SignIn = async (p: Page, user: string) => {
    await p.goto(`${base}/login`);
    await signIn(p, user);
    await p.waitForURL((u) => !u.pathname.startsWith('/login'));
  };
  const status = (p: Page, s: string) => p.locator(`[data-testid="request-status"][data-status="${s}"]`).waitFor();

  beforeAll(async () => {
    await pgAdmin((c) => c.query(`create database ${database}`));
    server = await startServer({ DATABASE_URL: pgUrl(database), DATA_DIR: dataDir }, freePort());
    base = server.url;
    db = new pg.Client({ connectionString: pgUrl(database) });
    await db.connect();
    browser = await launch();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await db?.end();
    await server?.stop('SIGTERM');
    await pgAdmin((c) => c.query(`drop database if exists ${database} with (force)`));
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('resident.demo books 橡树湾’s 有事好商量调解厅 in three taps and checks in by the door’s QR code', async () => {
    const resident = await phone('resident');
    await h5SignIn(resident, 'resident.demo');
    await resident.getByTestId('service-booking').click();
    await resident.waitForURL(/\/positions$/);
    const card = resident.getByTestId('position-card').filter({ hasText: '橡树湾党群服务站' });
    await card.getByTestId('room-row').filter({ hasText: '有事好商量调解厅' }).click(); // tap 1
    await resident.waitForURL(/\/rooms\/\d+$/);
    const roomId = Number(new URL(resident.url()).pathname.split('/').pop());
    await resident.getByTestId('slot-grid').waitFor();
    // Tap 2: "now" when the room is open and free at this hour, else the first free slot of the week.
    if (await resident.getByTestId('slot-now').count()) await resident.getByTestId('slot-now').click();
    else {
      const free = resident.locator('[data-testid="slot-cell"][data-state="free"]');
      for (let day = 1; !(await free.count()) && day < 7; day++) {
        await resident.getByTestId('day-chip').nth(day).click();
        await resident.getByTestId('slot-grid').waitFor();
      }
      await free.first().click();
    }
    await expect.poll(async () => (await resident.getByTestId('booking-summary').textContent()) ?? '').not.toBe('');
    await resident.getByTestId('book-submit').click(); // tap 3
    await resident.waitForURL(/\/bookings\/\d+$/);
    const bookingId = Number(new URL(resident.url()).pathname.split('/').pop());
    await resident.getByTestId('booking-qr').waitFor();
    expect(await resident.getByTestId('booking-status').getAttribute('data-status')).toBe('confirmed');
    await shot(resident, 'property-booking-pass');

    // The test's clock: the booking starts in five minutes, whatever hour it is; the room is cleared for that half hour.
    await db.query(`delete from room_bookings where room_id = $1 and id <> $2 and tstzrange(starts_at, ends_at) && tstzrange(now(), now() + interval '40 minutes')`, [roomId, bookingId]);
    await db.query(`update room_bookings set starts_at = now() + interval '5 minutes', ends_at = now() + interval '35 minutes' where id = $1`, [bookingId]);

    // The station's staff see the door's QR code; the resident scans it (opens its URL) and checks in.
    const staff = await phone('staff');
    await h5SignIn(staff, 'property.xiangshuwan');
    await staff.goto(`${base}/rooms/${roomId}`);
    const qr = await staff.getByTestId('room-qr').getAttribute('data-qr');
    expect(qr).toMatch(/checkin\?/);
    await resident.goto(qr!.replace(/^https?:\/\/[^/]+/, base));
    await resident.getByTestId('checkin-booking').waitFor();
    await resident.getByTestId('checkin-submit').click();
    await resident.getByTestId('checkin-done').waitFor();
    await shot(resident, 'property-checked-in');
    const { rows: [b] } = await db.query('select status, checked_in_at from room_bookings where id = $1', [bookingId]);
    expect(b.status).toBe('checked_in');
    expect(b.checked_in_at).not.toBeNull();
    await staff.context().close();
    await resident.context().close();
    expect(errors).toEqual([]);
  });

  it('a repair with a photo: property.xiangshuwan accepts, does and completes it on the H5, the resident rates it, the console counts it', async () => {
    // What the console's statistics said before.
    const admin = await newPage(browser, { viewport: { width: 1440, height: 900 } });
    watch(admin, 'admin');
    await admin.goto(`${base}/admin/requests/stats`);
    await signIn(admin, 'community.luming');
    const cell = (id: string) => admin.locator(`[data-testid="${id}"][data-key="橡树湾"]`);
    await cell('request-stats-volume').waitFor();
    const before = { volume: Number(await cell('request-stats-volume').textContent()), rated: Number(await cell('request-stats-rated').textContent()) };

    const resident = await phone('resident');
    await h5SignIn(resident, 'resident.demo');
    await resident.getByTestId('service-repair').click();
    await resident.waitForURL(/\/requests\/new$/);
    await resident.locator('[data-testid="category-chip"][data-value="repair.water"]').click();
    await resident.locator('[data-testid="request-attr-part"] [data-value="kitchen"]').click();
    await resident.locator('textarea[data-testid="request-description"], [data-testid="request-description"] textarea').first().fill('厨房水槽下水管漏水，地面有积水');
    await resident.getByTestId('request-photos').locator('input[type="file"]').setInputFiles({ name: 'leak.jpg', mimeType: 'image/jpeg', buffer: await jpeg(40, 90, 160) });
    await resident.locator('.van-uploader__preview').first().waitFor();
    await resident.getByTestId('request-submit').click();
    await resident.waitForURL(/\/requests\/\d+$/);
    const requestId = Number(new URL(resident.url()).pathname.split('/').pop());
    await status(resident, 'submitted');
    expect(await resident.getByTestId('request-photo-list').locator('img').count()).toBe(1);

    // Property staff take it from their queue on the H5; the resident's page follows live (no reload).
    const staff = await phone('staff');
    await h5SignIn(staff, 'property.xiangshuwan');
    await staff.getByTestId('service-requestQueue').click();
    await staff.locator(`[data-testid="queue-item"][data-request-id="${requestId}"]`).click();
    for (const [button, s] of [['request-accept', 'accepted'], ['request-grab', 'assigned'], ['request-start', 'in_progress']] as const) {
      await staff.getByTestId(button).click();
      await status(staff, s);
      await status(resident, s);
    }
    await staff.getByTestId('request-done').click();
    await staff.getByTestId('done-note').fill('已更换厨房下水管，试水无渗漏');
    await staff.getByTestId('done-photos').locator('input[type="file"]').setInputFiles({ name: 'fixed.jpg', mimeType: 'image/jpeg', buffer: await jpeg(60, 160, 90) });
    await staff.locator('[data-testid="done-form"] .van-uploader__preview').first().waitFor();
    await staff.getByTestId('done-submit').click();
    await status(staff, 'done');
    await status(resident, 'done');

    await resident.getByTestId('rate-star-5').click();
    await resident.getByTestId('rate-text').fill('师傅上门很及时');
    await resident.getByTestId('rate-submit').click();
    await status(resident, 'rated');
    await resident.getByTestId('request-rated').waitFor();
    await shot(resident, 'property-request-rated');
    const { rows: [r] } = await db.query('select status, rating, done_at from service_requests where id = $1', [requestId]);
    expect(r).toMatchObject({ status: 'rated', rating: 5 });
    expect(r.done_at).not.toBeNull();

    // The console's statistics count it.
    await admin.getByTestId('request-stats-refresh').click();
    await expect.poll(async () => Number(await cell('request-stats-volume').textContent())).toBe(before.volume + 1);
    await expect.poll(async () => Number(await cell('request-stats-rated').textContent())).toBe(before.rated + 1);
    await shot(admin, 'property-request-stats');
    expect(errors).toEqual([]);
  });
  it('a practical matter’s milestone completed in the console moves its public page’s progress', async () => {
    // An in-progress matter of 鹿鸣社区 (owned there) with a milestone still open.
    const { rows: [pm] } = await db.query(`
      select m.id, ms.id as milestone from practical_matters m join practical_milestones ms on ms.matter_id = m.id and ms.done_at is null
      join regions r on r.name = '鹿鸣社区' where m.status = 'in_progress' and m.region_path like r.path || '%' order by m.id, ms.sort, ms.id limit 1`);
    expect(pm).toBeTruthy();
    const visitor = await phone('visitor');
    await visitor.goto(`${base}/practical-matters/${pm.id}`);
    const publicProgress = async () => Number(await visitor.getByTestId('pm-public-progress').getAttribute('data-progress'));
    await visitor.getByTestId('pm-public-progress').waitFor();
    const before = await publicProgress();

    const admin = await newPage(browser, { viewport: { width: 1440, height: 900 } });
    watch(admin, 'admin');
    await admin.goto(`${base}/admin/practical-matters/${pm.id}`);
    await signIn(admin, 'community.luming');
    const row = admin.getByTestId(`pm-milestone-${pm.milestone}`);
    await row.getByTestId('pm-milestone-complete').click();
    await admin.locator('textarea[data-testid="pm-milestone-note"], [data-testid="pm-milestone-note"] textarea').first().fill('主体施工完成，现场已验收照片存档');
    await admin.getByTestId('pm-milestone-submit').click();
    await expect.poll(() => row.getAttribute('data-done')).toBe('true');
    const consoleProgress = Number(await admin.getByTestId('pm-progress').getAttribute('data-progress'));
    expect(consoleProgress).toBeGreaterThan(before);
    await shot(admin, 'property-practical-console');

    // Anyone's public page (no sign-in) shows the new progress.
    await visitor.reload();
    await expect.poll(publicProgress).toBe(consoleProgress);
    await shot(visitor, 'property-practical-public');
    expect(errors).toEqual([]);
  });
  it('the console’s property pages open without errors, each showing its data', async () => {
    const { rows: [pos] } = await db.query(`select id from service_positions where name = '橡树湾党群服务站'`);
    const admin = await newPage(browser, { viewport: { width: 1440, height: 900 } });
    watch(admin, 'admin');
    await admin.goto(`${base}/admin/service-types`);
    await signIn(admin, 'street.huanghai');
    await expect.poll(() => admin.getByTestId('service-types').locator('tbody tr').count()).toBeGreaterThan(5);
    for (const [path, testid] of [['stations', 'side-menu'], ['compound-ranking', 'side-menu'], ['practical-dashboard', 'side-menu'], ['requests', 'side-menu'], [`positions/${pos.id}`, 'position-photos']]) {
      await admin.goto(`${base}/admin/${path}`);
      await admin.getByTestId(testid).waitFor();
      await admin.waitForLoadState('networkidle');
    }
    await admin.getByTestId('position-staff').waitFor();
    await shot(admin, 'property-position-console');
    expect(errors).toEqual([]);
  });
});
