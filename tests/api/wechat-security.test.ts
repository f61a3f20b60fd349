import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_WECHAT_TOKEN } from '../../server/src/modules/wishes/wechat.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';

// WeChat's scheme written out here independently of the server's code, so the test checks the protocol, not itself.
const sha1 = (...parts: string[]) => createHash('sha1').update(parts.sort().join('')).digest('hex');
const now = () => Math.floor(Date.now() / 1000);
let msgSeq = 7_000_000_000;
const textXml = (openid: string, content: string, msgId = String(++msgSeq)) =>
  `<xml><ToUserName><![CDATA[gh_redcom]]></ToUserName><FromUserName><![CDATA[${openid}]]></FromUserName><CreateTime>${now()}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${msgId}</MsgId></xml>`;
const contentOf = (xml: string) => /<Content><!\[CDATA\[([\s\S]*?)\]\]><\/Content>/.exec(xml)?.[1];

function signedQuery(token: string, timestamp = now(), extra: Record<string, string> = {}) {
  const nonce = String(Math.floor(Math.random() * 1e9));
  return new URLSearchParams({ signature: sha1(token, String(timestamp), nonce), timestamp: String(timestamp), nonce, ...extra }).toString();
}

/** Safe mode (安全模式): AES-256-CBC, IV = first 16 key bytes, PKCS#7 to 32; plaintext = 16 random + 4-byte length + xml + appid. */
function encrypt(aesKey: string, appId: string, xml: string) {
  const key = Buffer.from(`${aesKey}=`, 'base64');
  const msg = Buffer.from(xml);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(msg.length);
  const plain = Buffer.concat([randomBytes(16), len, msg, Buffer.from(appId)]);
  const pad = 32 - (plain.length % 32);
  const c = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([c.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), c.final()]).toString('base64');
}
function decrypt(aesKey: string, b64: string) {
  const key = Buffer.from(`${aesKey}=`, 'base64');
  const d = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  const plain = Buffer.concat([d.update(Buffer.from(b64, 'base64')), d.final()]);
  const body = plain.subarray(16, plain.length - plain[plain.length - 1]);
  const len = body.readUInt32BE(0);
  return { xml: body.subarray(4, 4 + len).toString(), appId: body.subarray(4 + len).toString() };
}

const wishCount = async (t: TestApp) => Number((await sql<{ n: string }>`select count(*) as n from wishes`.execute(t.dbh.db)).rows[0].n);

describe('WeChat OA endpoint, plaintext mode', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(() => t.close());

  const post = (query: string, xml: string) => t.app.inject({ method: 'POST', url: `/api/wechat/oa?${query}`, headers: { 'content-type': 'text/xml' }, payload: xml });
  const send = (openid: string, content: string, msgId?: string) => post(signedQuery(DEMO_WECHAT_TOKEN, now(), { openid }), textXml(openid, content, msgId));
  const bindCode = async (username: string) =>
    (await t.app.inject({ method: 'POST', url: '/api/me/wechat-bind-code', headers: bearer(await t.token(username)) })).json().code as string;

  it('a correctly signed request with a timestamp outside ±5 minutes is refused', async () => {
    const old = Math.floor(Date.parse('2023-06-01T00:00:00Z') / 1000);
    const stale = await post(signedQuery(DEMO_WECHAT_TOKEN, old), textXml('oOld', '心愿 想要一台收音机听戏'));
    expect(stale.statusCode).toBe(403);
    const future = await post(signedQuery(DEMO_WECHAT_TOKEN, now() + 3600), textXml('oOld', '心愿 想要一台收音机听戏'));
    expect(future.statusCode).toBe(403);
    const verify = await t.app.inject({ url: `/api/wechat/oa?${signedQuery(DEMO_WECHAT_TOKEN, old, { echostr: 'x1' })}` });
    expect(verify.statusCode).toBe(403);
    expect((await send('oOld', '你好')).statusCode).toBe(200);
  });

  it('the same MsgId delivered three times (and in parallel) makes one wish', async () => {
    expect(contentOf((await send('oReplay', `绑定 ${await bindCode('resident.demo')}`)).body)).toContain('绑定成功');
    const before = await wishCount(t);
    const msgId = '8800000000000001';
    const first = await send('oReplay', '心愿 想要一床厚棉被过冬', msgId);
    expect(contentOf(first.body)).toMatch(/编号 XY\d{6}/);
    for (let i = 0; i < 2; i++) expect((await send('oReplay', '心愿 想要一床厚棉被过冬', msgId)).statusCode).toBe(200);
    await Promise.all(Array.from({ length: 3 }, () => send('oReplay', '心愿 想要一台收音机听戏曲', '8800000000000002')));
    expect(await wishCount(t)).toBe(before + 2);
  });

  it('one captured signed URL cannot carry a second, different message', async () => {
    const query = signedQuery(DEMO_WECHAT_TOKEN, now(), { openid: 'oReplay' });
    const before = await wishCount(t);
    expect(contentOf((await post(query, textXml('oReplay', '心愿 想要一个助行器方便出门'))).body)).toMatch(/编号/);
    const forged = await post(query, textXml('oReplay', '心愿 攻击者伪造的心愿内容'));
    expect(contentOf(forged.body) ?? '').not.toMatch(/编号/);
    expect(await wishCount(t)).toBe(before + 1);
  });

  it('bind-code guesses are throttled per OpenID, per code and overall', async () => {
    const code = await bindCode('member.demo');
    const wrong = (c: string) => (c === '000001' ? '000002' : '000001');
    // one OpenID: five wrong guesses, then even the right code is refused
    const replies: string[] = [];
    for (let i = 0; i < 7; i++) replies.push(contentOf((await send('oGuesser', `绑定 ${String(100000 + i)}`)).body)!);
    expect(replies.slice(0, 5).every((r) => r.includes('无效'))).toBe(true);
    expect(replies.slice(5).every((r) => r.includes('次数过多'))).toBe(true);
    expect(contentOf((await send('oGuesser', `绑定 ${code}`)).body)).toContain('次数过多');
    // one code value tried from many OpenIDs
    const perCode: string[] = [];
    for (let i = 0; i < 7; i++) perCode.push(contentOf((await send(`oCodeTry${i}`, `绑定 ${wrong(code)}`)).body)!);
    expect(perCode.at(-1)).toContain('次数过多');
    // the owner, from their own OpenID, still binds
    expect(contentOf((await send('oMember', `绑定 ${code}`)).body)).toContain('绑定成功');
    const bound = await t.dbh.db.selectFrom('wechat_bindings').select('openid').where('openid', 'in', ['oGuesser', 'oMember']).execute();
    expect(bound.map((b) => b.openid)).toEqual(['oMember']);
  });

  it('300 guesses from 300 OpenIDs are cut off long before they cover the code space', async () => {
    const code = await bindCode('street.huanghai');
    const results = await Promise.all(Array.from({ length: 300 }, (_, i) =>
      send(`oSpray${i}`, `绑定 ${String(200000 + i)}`).then((r) => contentOf(r.body)!)));
    const checked = results.filter((r) => r.includes('无效')).length;
    expect(checked).toBeLessThanOrEqual(100);
    expect(results.filter((r) => r.includes('次数过多')).length).toBeGreaterThanOrEqual(200);
    expect(contentOf((await send('oStreetOwner', `绑定 ${code}`)).body)).toContain('次数过多');
  });
});

describe('WeChat OA endpoint, safe mode (WECHAT_OA_AES_KEY set)', () => {
  const TOKEN = 'safe-mode-token', APPID = 'wx1234567890abcdef';
  const AES_KEY = randomBytes(32).toString('base64').slice(0, 43);
  let t: TestApp;
  // The token also goes into process.env, where the endpoint used to read it: so the refusals below are the AES mode's, not a token mismatch's.
  const savedToken = process.env.WECHAT_OA_TOKEN;
  beforeAll(async () => {
    process.env.WECHAT_OA_TOKEN = TOKEN;
    t = await createTestApp({ env: { WECHAT_OA_TOKEN: TOKEN, WECHAT_OA_AES_KEY: AES_KEY, WECHAT_OA_APPID: APPID } });
  });
  afterAll(async () => {
    if (savedToken === undefined) delete process.env.WECHAT_OA_TOKEN; else process.env.WECHAT_OA_TOKEN = savedToken;
    await t.close();
  });

  function encryptedRequest(openid: string, content: string, opts: { appId?: string; tamper?: boolean } = {}) {
    const enc = encrypt(AES_KEY, opts.appId ?? APPID, textXml(openid, content));
    const ts = String(now()), nonce = String(Math.floor(Math.random() * 1e9));
    const q = new URLSearchParams({ signature: sha1(TOKEN, ts, nonce), timestamp: ts, nonce, openid, encrypt_type: 'aes', msg_signature: sha1(TOKEN, ts, nonce, enc) });
    const body = opts.tamper ? enc.slice(0, 10) + (enc[10] === 'A' ? 'B' : 'A') + enc.slice(11) : enc;
    return t.app.inject({ method: 'POST', url: `/api/wechat/oa?${q}`, headers: { 'content-type': 'text/xml' }, payload: `<xml><ToUserName><![CDATA[gh_redcom]]></ToUserName><Encrypt><![CDATA[${body}]]></Encrypt></xml>` });
  }
  /** The reply is encrypted too, and signed over its own timestamp and nonce. */
  function openReply(xml: string) {
    const enc = /<Encrypt><!\[CDATA\[([^\]]+)\]\]><\/Encrypt>/.exec(xml)![1];
    const sig = /<MsgSignature><!\[CDATA\[([0-9a-f]+)\]\]><\/MsgSignature>/.exec(xml)![1];
    const ts = /<TimeStamp>(\d+)<\/TimeStamp>/.exec(xml)![1];
    const nonce = /<Nonce><!\[CDATA\[([^\]]+)\]\]><\/Nonce>/.exec(xml)![1];
    expect(sig).toBe(sha1(TOKEN, ts, nonce, enc));
    const { xml: inner, appId } = decrypt(AES_KEY, enc);
    expect(appId).toBe(APPID);
    return contentOf(inner);
  }

  it('an encrypted message is accepted and answered encrypted; the server check still works', async () => {
    const verify = await t.app.inject({ url: `/api/wechat/oa?${signedQuery(TOKEN, now(), { echostr: 'hello-safe' })}` });
    expect(verify.body).toBe('hello-safe');
    const code = (await t.app.inject({ method: 'POST', url: '/api/me/wechat-bind-code', headers: bearer(await t.token('resident.demo')) })).json().code;
    const bind = await encryptedRequest('oSafe1', `绑定 ${code}`);
    expect(bind.statusCode).toBe(200);
    expect(openReply(bind.body)).toContain('绑定成功');
    const before = await wishCount(t);
    const wish = await encryptedRequest('oSafe1', '心愿 想要一副老花镜看报纸');
    expect(openReply(wish.body)).toMatch(/编号 XY\d{6}/);
    expect(await wishCount(t)).toBe(before + 1);
  });

  it('a tampered body, a foreign AppID and a plaintext message are refused', async () => {
    const before = await wishCount(t);
    const tampered = await encryptedRequest('oSafe1', '心愿 想要一个新的电热水壶', { tamper: true });
    expect(tampered.statusCode).toBe(403);
    const foreign = await encryptedRequest('oSafe1', '心愿 想要一个新的电热水壶', { appId: 'wxOTHERAPP' });
    expect(foreign.statusCode).toBe(403);
    const plain = await t.app.inject({ method: 'POST', url: `/api/wechat/oa?${signedQuery(TOKEN, now(), { openid: 'oSafe1' })}`, headers: { 'content-type': 'text/xml' }, payload: textXml('oSafe1', '心愿 想要一个新的电热水壶') });
    expect(plain.statusCode).toBe(403);
    expect(await wishCount(t)).toBe(before);
  });
});
