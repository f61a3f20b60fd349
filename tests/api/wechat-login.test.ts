import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { startWechatPeer, type WechatPeer } from '../helpers/provider-peers.js';

/**
 * WeChat sign-in (issue 14), end to end against a protocol peer that answers as WeChat's OAuth2
 * web authorisation does: authorize → WeChat → callback; a bound openid signs in, a new one binds
 * to an account by phone + SMS code; the state is signed, expires and belongs to the browser;
 * WeChat refuses a code used twice; without WECHAT_APPID the feature is off.
 */
describe('sign-in with WeChat (web authorisation)', () => {
  let t: TestApp;
  let wx: WechatPeer;
  let ip = 0;
  const from = () => `198.18.9.${++ip}`;
  const cookieOf = (res: { cookies: { name: string; value: string }[] }, name: string) => res.cookies.find((c) => c.name === name)?.value;

  /** One authorisation as the browser makes it: our authorize → the peer (as WeChat) → our callback. */
  async function authorise(openid: string, opts: { redirect?: string; userinfo?: boolean } = {}) {
    const start = await t.app.inject({ url: `/api/auth/wechat/authorize?redirect=${encodeURIComponent(opts.redirect ?? '/me')}${opts.userinfo ? '&userinfo=1' : ''}`, remoteAddress: from() });
    expect(start.statusCode).toBe(302);
    const to = new URL(start.headers.location as string);
    expect(`${to.origin}${to.pathname}`).toBe(`${wx.url}/connect/oauth2/authorize`);
    expect(to.hash).toBe('#wechat_redirect');
    expect(to.searchParams.get('scope')).toBe(opts.userinfo ? 'snsapi_userinfo' : 'snsapi_base');
    expect(to.searchParams.get('redirect_uri')).toMatch(/\/api\/auth\/wechat\/callback$/);
    const nonce = cookieOf(start, 'rc_wx_state')!;
    expect(nonce).toBeTruthy();
    wx.nextOpenid = openid;
    const back = await fetch(to, { redirect: 'manual' });
    expect(back.status).toBe(302);
    const callback = new URL(back.headers.get('location')!);
    const url = `${callback.pathname}${callback.search}`;
    const res = await t.app.inject({ url, cookies: { rc_wx_state: nonce }, remoteAddress: from() });
    return { res, url, nonce, state: callback.searchParams.get('state')! };
  }

  beforeAll(async () => {
    wx = await startWechatPeer();
    t = await createTestApp({ env: { WECHAT_APPID: wx.appid, WECHAT_SECRET: wx.secret, WECHAT_OAUTH_BASE: wx.url, WECHAT_API_BASE: wx.url } });
  });
  afterAll(async () => {
    await t.close();
    await wx.close();
  });

  it('the H5 learns that WeChat sign-in is available', async () => {
    const res = await t.app.inject({ url: '/api/auth/methods' });
    expect(res.json()).toEqual({ password: true, sms: true, wechat: true });
  });

  it('a bound openid signs in with a session cookie and lands where it started', async () => {
    const resident = await t.dbh.db.selectFrom('accounts').select('id').where('username', '=', 'resident.demo').executeTakeFirstOrThrow();
    await t.dbh.db.insertInto('wechat_bindings').values({ openid: 'oKnownResident000000000001', account_id: resident.id }).execute();
    const { res } = await authorise('oKnownResident000000000001', { redirect: '/wishes/mine' });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/wishes/mine');
    const session = cookieOf(res, 'rc_session');
    expect(session).toBeTruthy();
    const me = await t.app.inject({ url: '/api/auth/me', cookies: { rc_session: session! } });
    expect(me.json().account.username).toBe('resident.demo');
    const audit = await t.dbh.db.selectFrom('audit_log').select('summary').where('action', '=', 'auth.login').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(audit.summary).toEqual({ method: 'wechat' });
  });

  it('a new openid is sent to bind a phone by SMS code, then signs in; next time it signs in straight away', async () => {
    const { res } = await authorise('oNewcomer00000000000000001', { userinfo: true });
    expect(res.statusCode).toBe(302);
    expect(cookieOf(res, 'rc_session')).toBeFalsy();
    const bindPage = new URL(res.headers.location as string, 'http://h5');
    expect(bindPage.pathname).toBe('/login');
    expect(bindPage.searchParams.get('redirect')).toBe('/me');
    expect(bindPage.searchParams.get('nickname')).toBe('微信用户小王'); // snsapi_userinfo: the nickname greets the person
    const ticket = bindPage.searchParams.get('wechatTicket')!;

    const member = await t.dbh.db.selectFrom('accounts').select(['id', 'phone']).where('username', '=', 'member.demo').executeTakeFirstOrThrow();
    const sent = await t.app.inject({ method: 'POST', url: '/api/auth/sms/send', payload: { phone: member.phone }, remoteAddress: from() });
    const code = sent.json().devCode;
    const wrongCode = await t.app.inject({ method: 'POST', url: '/api/auth/wechat/bind', payload: { ticket, phone: member.phone, code: String((Number(code) + 1) % 1e6).padStart(6, '0') }, remoteAddress: from() });
    expect(wrongCode.statusCode).toBe(401);
    const forged = await t.app.inject({ method: 'POST', url: '/api/auth/wechat/bind', payload: { ticket: `${ticket.split('.')[0]}x.${ticket.split('.')[1]}`, phone: member.phone, code }, remoteAddress: from() });
    expect(forged.statusCode).toBe(400);
    expect(forged.json().error.fields.ticket).toBeTruthy();
    expect(await t.dbh.db.selectFrom('wechat_bindings').select('account_id').where('openid', '=', 'oNewcomer00000000000000001').execute()).toEqual([]);

    const bound = await t.app.inject({ method: 'POST', url: '/api/auth/wechat/bind', payload: { ticket, phone: member.phone, code }, remoteAddress: from() });
    expect(bound.statusCode).toBe(200);
    expect(bound.json().account.username).toBe('member.demo');
    expect(bound.json().token).toBeTruthy();
    expect(await t.dbh.db.selectFrom('wechat_bindings').select('account_id').where('openid', '=', 'oNewcomer00000000000000001').execute()).toEqual([{ account_id: member.id }]);
    // The code was used by the binding.
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/wechat/bind', payload: { ticket, phone: member.phone, code }, remoteAddress: from() })).statusCode).toBe(401);

    const again = await authorise('oNewcomer00000000000000001');
    expect(again.res.statusCode).toBe(302);
    expect(again.res.headers.location).toBe('/me');
    const me = await t.app.inject({ url: '/api/auth/me', cookies: { rc_session: cookieOf(again.res, 'rc_session')! } });
    expect(me.json().account.username).toBe('member.demo');
  });

  it('a bad, expired or another browser\'s state is refused with 400', async () => {
    const { nonce, state } = await authorise('oStateCheck000000000000001');
    const tampered = `${state.slice(0, -2)}${state.endsWith('AA') ? 'BB' : 'AA'}`;
    const cases = [
      { state: tampered, cookie: nonce },
      { state, cookie: undefined }, // no cookie: not this browser's
      { state, cookie: 'someone-elses-nonce' },
    ];
    // Expired: a state sealed as the server does, ten minutes and a second ago.
    const data = Buffer.from(JSON.stringify({ n: 'n0nce', r: '/me', s: 'snsapi_base', exp: Date.now() - 1000 })).toString('base64url');
    cases.push({ state: `${data}.${t.app.secrets.mac('wechat-oauth-state', data)}`, cookie: 'n0nce' });
    for (const c of cases) {
      const res = await t.app.inject({ url: `/api/auth/wechat/callback?code=anything&state=${encodeURIComponent(c.state)}`, ...(c.cookie && { cookies: { rc_wx_state: c.cookie } }), remoteAddress: from() });
      expect(res.statusCode, JSON.stringify(c)).toBe(400);
      expect(res.json().error.code).toBe('wechat_state_invalid');
      expect(res.json().error.message).toContain('微信授权已过期或无效');
    }
    const missing = await t.app.inject({ url: '/api/auth/wechat/callback?state=x' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.fields.code).toBeTruthy();
  });

  it('a code used once is refused the second time (WeChat answers 40163)', async () => {
    const resident = await t.dbh.db.selectFrom('accounts').select('id').where('username', '=', 'resident.demo').executeTakeFirstOrThrow();
    await t.dbh.db.insertInto('wechat_bindings').values({ openid: 'oReplay000000000000000001', account_id: resident.id }).execute();
    const first = await authorise('oReplay000000000000000001');
    expect(first.res.statusCode).toBe(302);
    const replay = await t.app.inject({ url: first.url, cookies: { rc_wx_state: first.nonce }, remoteAddress: from() });
    expect(replay.statusCode).toBe(400);
    expect(replay.json().error.code).toBe('wechat_code_invalid');
    expect(cookieOf(replay, 'rc_session')).toBeFalsy();
  });

  it('a return path to another site is not followed', async () => {
    const resident = await t.dbh.db.selectFrom('accounts').select('id').where('username', '=', 'resident.demo').executeTakeFirstOrThrow();
    await t.dbh.db.insertInto('wechat_bindings').values({ openid: 'oRedirect00000000000000001', account_id: resident.id }).execute();
    for (const evil of ['//evil.example/x', 'https://evil.example/', '/\\evil.example']) {
      const { res } = await authorise('oRedirect00000000000000001', { redirect: evil });
      expect(res.headers.location).toBe('/');
    }
  });

  it('without WECHAT_APPID/WECHAT_SECRET WeChat sign-in is off, and says so', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'redcom-wx-off-'));
    const off = await buildApp({ config: { ...loadConfig({ DATA_DIR: dataDir, RATE_LIMIT_PUBLIC_PER_MIN: '0' }), webDist: path.join(dataDir, 'no-web') }, dbh: t.dbh });
    try {
      expect((await off.inject({ url: '/api/auth/methods' })).json().wechat).toBe(false);
      for (const req of [{ url: '/api/auth/wechat/authorize?redirect=/me' }, { url: '/api/auth/wechat/callback?code=c&state=s' }, { method: 'POST' as const, url: '/api/auth/wechat/bind', payload: { ticket: 't', phone: '13800138000', code: '123456' } }]) {
        const res = await off.inject(req);
        expect(res.statusCode, req.url).toBe(404);
        expect(res.json().error.code).toBe('wechat_off');
        expect(res.json().error.message).toBe('本系统未开通微信登录，请使用手机号验证码或密码登录');
      }
    } finally {
      await off.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
