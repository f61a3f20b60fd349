import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverOutbox, OUTBOX_MAX_ATTEMPTS } from '../../server/src/core/notify.js';
import { outboxSenders } from '../../server/src/core/senders.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { startAliyunPeer, startWechatPeer, type AliyunPeer, type WechatPeer } from '../helpers/provider-peers.js';

/**
 * Messages that really leave (issue 14): the outbox sends SMS through Aliyun SMS's signed RPC API
 * and WeChat template messages with a shared, cached access token — here against protocol peers
 * that check the signature and answer errors as the providers do.
 */
describe('real message senders against protocol peers', () => {
  let t: TestApp;
  let sms: AliyunPeer;
  let wx: WechatPeer;
  const quiet = { info: () => {} };
  const senders = () => outboxSenders(t.app.config, t.dbh.db, t.app.secrets, quiet);
  const pending = () => t.dbh.db.selectFrom('outbox').select(['id', 'channel']).where('status', '=', 'pending').execute();
  /** Sends what is pending now, leaving earlier tests' rows aside. */
  const clearOutbox = () => t.dbh.db.updateTable('outbox').set({ status: 'sent' }).where('status', '=', 'pending').execute();

  beforeAll(async () => {
    [sms, wx] = await Promise.all([startAliyunPeer(), startWechatPeer()]);
    t = await createTestApp({
      env: {
        SMS_PROVIDER: 'aliyun', SMS_ENDPOINT: sms.url, SMS_ACCESS_KEY_ID: sms.accessKeyId, SMS_ACCESS_KEY_SECRET: sms.accessKeySecret,
        SMS_SIGN_NAME: '红色社区', SMS_TEMPLATE_CODE: 'SMS_470001', SMS_TEMPLATE_NOTICE: 'SMS_470002',
        WECHAT_APPID: wx.appid, WECHAT_SECRET: wx.secret, WECHAT_API_BASE: wx.url, WECHAT_OAUTH_BASE: wx.url, WECHAT_TEMPLATE_ID: 'tpl-notice-01',
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await Promise.all([sms.close(), wx.close()]);
  });

  it('a sign-in code goes out through the outbox as a signed SendSms the peer accepts, with the code as the template variable', async () => {
    await clearOutbox();
    const phone = (await t.dbh.db.selectFrom('accounts').select('phone').where('username', '=', 'resident.demo').executeTakeFirstOrThrow()).phone!;
    const sent = await t.app.inject({ method: 'POST', url: '/api/auth/sms/send', payload: { phone }, remoteAddress: '198.51.100.21' });
    expect(sent.statusCode).toBe(200);
    expect(await deliverOutbox(t.dbh.db, senders())).toBe(1);
    expect(sms.refused).toEqual([]);
    expect(sms.received.at(-1)).toEqual({ PhoneNumbers: phone, SignName: '红色社区', TemplateCode: 'SMS_470001', TemplateParam: { code: sent.json().devCode } });
    const row = await t.dbh.db.selectFrom('outbox').select(['status', 'attempts', 'sent_at']).where('recipient', '=', phone).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('a notice goes out with the notice template; a wrong secret is refused by the peer\'s signature check', async () => {
    await clearOutbox();
    await t.dbh.db.insertInto('outbox').values({ channel: 'sms', recipient: '13800138123', payload: JSON.stringify({ kind: 'wish_published', title: '心愿已发布', body: '您的心愿已发布到心愿墙。' }) }).execute();
    expect(await deliverOutbox(t.dbh.db, senders())).toBe(1);
    expect(sms.received.at(-1)).toMatchObject({ PhoneNumbers: '13800138123', TemplateCode: 'SMS_470002', TemplateParam: { title: '心愿已发布' } });

    const forged = outboxSenders({ ...t.app.config, sms: { ...(t.app.config.sms as any), accessKeySecret: 'not-the-secret' } }, t.dbh.db, t.app.secrets, quiet);
    const [{ id }] = await t.dbh.db.insertInto('outbox').values({ channel: 'sms', recipient: '13800138124', payload: JSON.stringify({ kind: 'x', title: '测试', body: '测试' }) }).returning('id').execute();
    await deliverOutbox(t.dbh.db, forged);
    expect(sms.refused.at(-1)).toBe('SignatureDoesNotMatch');
    const row = await t.dbh.db.selectFrom('outbox').select(['status', 'attempts', 'last_error']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row.last_error).toContain('SignatureDoesNotMatch');
  });

  it('a provider error is retried later, then the message is marked failed after the outbox\'s attempts', async () => {
    await clearOutbox();
    const [{ id }] = await t.dbh.db.insertInto('outbox').values({ channel: 'sms', recipient: '13800138125', payload: JSON.stringify({ kind: 'x', title: '提醒', body: '提醒' }) }).returning('id').execute();
    sms.failNext = 1;
    expect(await deliverOutbox(t.dbh.db, senders())).toBe(1);
    let row = await t.dbh.db.selectFrom('outbox').select(['status', 'attempts', 'last_error', 'lease_until']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row.last_error).toContain('isv.BUSINESS_LIMIT_CONTROL');
    // Not again at once: the retry waits.
    expect(row.lease_until!.getTime()).toBeGreaterThan(Date.now());
    expect(await deliverOutbox(t.dbh.db, senders())).toBe(0);
    const due = () => t.dbh.db.updateTable('outbox').set({ lease_until: sql`now() - interval '1 second'` as any }).where('id', '=', id).execute();
    await due();
    expect(await deliverOutbox(t.dbh.db, senders())).toBe(1);
    row = await t.dbh.db.selectFrom('outbox').select(['status', 'attempts', 'last_error', 'lease_until']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });
    expect(sms.received.at(-1)!.PhoneNumbers).toBe('13800138125');

    // A message the provider always refuses ends failed after OUTBOX_MAX_ATTEMPTS.
    const [{ id: bad }] = await t.dbh.db.insertInto('outbox').values({ channel: 'sms', recipient: '12345', payload: JSON.stringify({ kind: 'x', title: '提醒', body: '提醒' }) }).returning('id').execute();
    for (let i = 0; i < OUTBOX_MAX_ATTEMPTS; i++) {
      await t.dbh.db.updateTable('outbox').set({ lease_until: null }).where('id', '=', bad).execute();
      expect(await deliverOutbox(t.dbh.db, senders())).toBe(1);
    }
    const failed = await t.dbh.db.selectFrom('outbox').select(['status', 'attempts', 'last_error']).where('id', '=', bad).executeTakeFirstOrThrow();
    expect(failed).toMatchObject({ status: 'failed', attempts: OUTBOX_MAX_ATTEMPTS });
    expect(failed.last_error).toContain('isv.MOBILE_NUMBER_ILLEGAL');
    expect(await pending()).toEqual([]);
  });

  it('WeChat template messages share one cached access token, fetched again after 40001', async () => {
    await clearOutbox();
    const account = await t.dbh.db.selectFrom('accounts').select('id').where('username', '=', 'resident.demo').executeTakeFirstOrThrow();
    await t.dbh.db.insertInto('wechat_bindings').values({ openid: 'oTemplateReader0000000001', account_id: account.id }).onConflict((oc) => oc.column('openid').doNothing()).execute();
    const queue = (title: string) => t.dbh.db.insertInto('outbox').values({ channel: 'wechat_template', recipient: 'oTemplateReader0000000001', payload: JSON.stringify({ kind: 'x', title, body: '您认领的心愿距截止还有 3 天，请尽快圆梦并上传照片。' }) }).execute();
    const before = wx.tokenCalls;
    await queue('心愿认领提醒');
    await queue('心愿已圆梦');
    // Two deliveries (as two ticks, with fresh senders, as two instances would be): one token.
    expect(await deliverOutbox(t.dbh.db, senders(), 1)).toBe(1);
    expect(await deliverOutbox(t.dbh.db, senders(), 1)).toBe(1);
    expect(wx.tokenCalls - before).toBe(1);
    expect(wx.templates.slice(-2).map((m) => [m.touser, m.template_id, m.data.thing1.value])).toEqual([
      ['oTemplateReader0000000001', 'tpl-notice-01', '心愿认领提醒'], ['oTemplateReader0000000001', 'tpl-notice-01', '心愿已圆梦'],
    ]);
    // A template "thing" holds 20 characters.
    expect([...wx.templates.at(-1)!.data.thing2.value].length).toBeLessThanOrEqual(20);
    // The token is stored encrypted, not as WeChat gave it.
    const stored = await t.dbh.db.selectFrom('provider_tokens').select('value').where('name', '=', `wechat:${wx.appid}`).executeTakeFirstOrThrow();
    expect(stored.value).not.toMatch(/^[0-9a-f]{48}$/);

    // WeChat retires the token (someone else fetched one): 40001, a new token, the message still goes.
    wx.invalidateToken();
    await queue('新消息');
    expect(await deliverOutbox(t.dbh.db, senders())).toBe(1);
    expect(wx.tokenCalls - before).toBe(2);
    expect(wx.templates.at(-1)!.data.thing1.value).toBe('新消息');
    expect(await pending()).toEqual([]);
  });
});
