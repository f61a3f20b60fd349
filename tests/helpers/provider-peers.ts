import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Protocol peers for the external message providers: small HTTP servers that answer as WeChat's
 * API and Aliyun SMS do, including their error answers, so tests run the real adapters end to end.
 */

async function listen(handler: (req: http.IncomingMessage, body: string, url: URL) => { status?: number; json?: unknown; location?: string }) {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const url = new URL(req.url!, 'http://peer');
      const out = handler(req, body, url);
      if (out.location) { res.writeHead(out.status ?? 302, { location: out.location }); res.end(); return; }
      res.writeHead(out.status ?? 200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(out.json));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

export interface WechatPeer {
  url: string; appid: string; secret: string;
  /** The openid the next authorisation hands out (as if that WeChat user opened the page). */
  nextOpenid: string;
  tokenCalls: number;
  templates: { touser: string; template_id: string; data: Record<string, { value: string }> }[];
  /** Retires the current access token, as WeChat does when another party fetches one. */
  invalidateToken(): void;
  close(): Promise<void>;
}

export async function startWechatPeer(): Promise<WechatPeer> {
  const appid = 'wx0123456789abcdef';
  const secret = randomBytes(16).toString('hex');
  let token = '';
  const codes = new Map<string, { openid: string; scope: string; used: boolean; at: number }>();
  const userTokens = new Map<string, string>();
  const err = (errcode: number, errmsg: string) => ({ json: { errcode, errmsg } });
  const peer: WechatPeer = {
    url: '', appid, secret, nextOpenid: 'oPeerDefaultOpenid000000000', tokenCalls: 0, templates: [],
    invalidateToken: () => { token = `retired-${token}`; },
    close: async () => {},
  };
  const server = await listen((req, body, url) => {
    const p = url.searchParams;
    switch (url.pathname) {
      case '/connect/oauth2/authorize': {
        // The page WeChat shows (silently for snsapi_base), then back to redirect_uri with a code.
        if (p.get('appid') !== appid || p.get('response_type') !== 'code' || !/^snsapi_(base|userinfo)$/.test(p.get('scope') ?? '')) return { status: 400, json: { error: 'bad authorize request' } };
        const code = randomBytes(16).toString('hex');
        codes.set(code, { openid: peer.nextOpenid, scope: p.get('scope')!, used: false, at: Date.now() });
        const back = new URL(p.get('redirect_uri')!);
        back.searchParams.set('code', code);
        back.searchParams.set('state', p.get('state') ?? '');
        return { location: back.toString() };
      }
      case '/sns/oauth2/access_token': {
        if (p.get('appid') !== appid || p.get('secret') !== secret) return err(40125, 'invalid appsecret');
        if (p.get('grant_type') !== 'authorization_code') return err(40002, 'invalid grant_type');
        const c = codes.get(p.get('code') ?? '');
        if (!c) return err(40029, 'invalid code');
        if (c.used) return err(40163, 'code been used');
        c.used = true;
        const at = randomBytes(12).toString('hex');
        userTokens.set(at, c.openid);
        return { json: { access_token: at, expires_in: 7200, refresh_token: randomBytes(12).toString('hex'), openid: c.openid, scope: c.scope } };
      }
      case '/sns/userinfo': {
        const openid = userTokens.get(p.get('access_token') ?? '');
        if (!openid || openid !== p.get('openid')) return err(40001, 'invalid credential');
        return { json: { openid, nickname: '微信用户小王', sex: 0, province: '', city: '', country: '', headimgurl: 'https://thirdwx.qlogo.cn/mmopen/x/132', privilege: [] } };
      }
      case '/cgi-bin/token': {
        if (p.get('grant_type') !== 'client_credential') return err(40002, 'invalid grant_type');
        if (p.get('appid') !== appid || p.get('secret') !== secret) return err(40125, 'invalid appsecret');
        peer.tokenCalls++;
        token = randomBytes(24).toString('hex');
        return { json: { access_token: token, expires_in: 7200 } };
      }
      case '/cgi-bin/message/template/send': {
        if (req.method !== 'POST') return err(43002, 'require POST method');
        if (!token || p.get('access_token') !== token) return err(40001, 'invalid credential, access_token is invalid or not latest');
        const msg = JSON.parse(body);
        if (!msg.touser) return err(40003, 'invalid openid');
        if (!msg.template_id) return err(40037, 'invalid template_id');
        peer.templates.push(msg);
        return { json: { errcode: 0, errmsg: 'ok', msgid: peer.templates.length } };
      }
      default:
        return { status: 404, json: { errcode: -1, errmsg: 'no such api' } };
    }
  });
  peer.url = server.url;
  peer.close = server.close;
  return peer;
}

export interface AliyunPeer {
  url: string; accessKeyId: string; accessKeySecret: string;
  received: { PhoneNumbers: string; SignName: string; TemplateCode: string; TemplateParam: Record<string, string> }[];
  /** Requests refused: why. */
  refused: string[];
  /** The next n sends are refused with a business error (flow control), as Aliyun does. */
  failNext: number;
  close(): Promise<void>;
}

/** RFC 3986, byte by byte: the peer's own encoder, written apart from the adapter's. */
function rfc3986(s: string) {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) out += /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  return out;
}

export async function startAliyunPeer(): Promise<AliyunPeer> {
  const accessKeyId = 'LTAI5tPeerTestKey';
  const accessKeySecret = randomBytes(15).toString('base64');
  const nonces = new Set<string>();
  const peer: AliyunPeer = { url: '', accessKeyId, accessKeySecret, received: [], refused: [], failNext: 0, close: async () => {} };
  const refuse = (status: number, Code: string, Message: string) => { peer.refused.push(Code); return { status, json: { RequestId: randomBytes(8).toString('hex'), Code, Message } }; };
  const server = await listen((req, body, url) => {
    const params = Object.fromEntries(req.method === 'POST' ? new URLSearchParams(body) : url.searchParams);
    const { Signature, ...rest } = params;
    if (rest.AccessKeyId !== accessKeyId) return refuse(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
    if (rest.SignatureMethod !== 'HMAC-SHA1' || rest.SignatureVersion !== '1.0') return refuse(400, 'InvalidSignatureMethod', 'bad method');
    const canonical = Object.keys(rest).sort().map((k) => `${rfc3986(k)}=${rfc3986(rest[k])}`).join('&');
    const expected = createHmac('sha1', `${accessKeySecret}&`).update(`${req.method}&${rfc3986('/')}&${rfc3986(canonical)}`).digest('base64');
    if (Signature !== expected) return refuse(400, 'SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.');
    if (Math.abs(Date.parse(rest.Timestamp) - Date.now()) > 15 * 60_000 || !/Z$/.test(rest.Timestamp)) return refuse(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
    if (nonces.has(rest.SignatureNonce)) return refuse(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
    nonces.add(rest.SignatureNonce);
    if (rest.Action !== 'SendSms' || rest.Version !== '2017-05-25') return refuse(400, 'InvalidAction.NotFound', 'Specified api is not found');
    if (!/^1[3-9]\d{9}$/.test(rest.PhoneNumbers)) return refuse(200, 'isv.MOBILE_NUMBER_ILLEGAL', '非法手机号');
    if (peer.failNext > 0) { peer.failNext--; return refuse(200, 'isv.BUSINESS_LIMIT_CONTROL', '触发号码天级流控Permits:10'); }
    peer.received.push({ PhoneNumbers: rest.PhoneNumbers, SignName: rest.SignName, TemplateCode: rest.TemplateCode, TemplateParam: JSON.parse(rest.TemplateParam) });
    return { json: { RequestId: randomBytes(8).toString('hex'), BizId: `${Date.now()}^0`, Code: 'OK', Message: 'OK' } };
  });
  peer.url = server.url;
  peer.close = server.close;
  return peer;
}
