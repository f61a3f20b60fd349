/**
 * Aliyun SMS (dysmsapi, SendSms, API version 2017-05-25) over its HTTPS RPC API, signed as its
 * "RPC signature" documentation says: HMAC-SHA1 over the sorted, percent-encoded parameters,
 * keyed with the AccessKey secret and "&". A sign-in code goes out with the verification
 * template (variable `code`), any other message with the notice template (variable `title`).
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { SmsConfig } from '../config.js';
import type { ChannelSender } from './notify.js';

/** RFC 3986 percent-encoding as Aliyun wants it: only A–Z a–z 0–9 - _ . ~ stay; space is %20, never +. */
export function aliyunEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The signature of a request's parameters (without Signature): Base64(HMAC-SHA1(secret + "&", METHOD&%2F&encode(canonical query))). */
export function aliyunSignature(method: 'GET' | 'POST', params: Record<string, string>, accessKeySecret: string): string {
  const canonical = Object.keys(params).sort().map((k) => `${aliyunEncode(k)}=${aliyunEncode(params[k])}`).join('&');
  const stringToSign = `${method}&${aliyunEncode('/')}&${aliyunEncode(canonical)}`;
  return createHmac('sha1', `${accessKeySecret}&`).update(stringToSign).digest('base64');
}

/** Template variables are at most 35 characters for Aliyun's notice templates. */
const variable = (s: string) => [...s].slice(0, 35).join('');

export function aliyunSmsSender(cfg: Extract<SmsConfig, { provider: 'aliyun' }>): ChannelSender {
  return async (phone, message) => {
    const isCode = !!message.params?.code;
    const params: Record<string, string> = {
      AccessKeyId: cfg.accessKeyId, Action: 'SendSms', Format: 'JSON', RegionId: 'cn-hangzhou',
      SignatureMethod: 'HMAC-SHA1', SignatureNonce: randomUUID(), SignatureVersion: '1.0',
      Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), Version: '2017-05-25',
      PhoneNumbers: phone, SignName: cfg.signName,
      TemplateCode: isCode ? cfg.templateCode : cfg.noticeTemplateCode,
      TemplateParam: JSON.stringify(isCode ? { code: message.params!.code } : { title: variable(message.title) }),
    };
    const body = new URLSearchParams({ ...params, Signature: aliyunSignature('POST', params, cfg.accessKeySecret) });
    const res = await fetch(`${cfg.endpoint}/`, { method: 'POST', body, signal: AbortSignal.timeout(10_000) });
    const text = await res.text();
    let answer: { Code?: string; Message?: string; RequestId?: string } = {};
    try { answer = JSON.parse(text); } catch { /* an HTML error page from a proxy: reported below */ }
    // Business errors come back as HTTP 200 with a Code other than OK (e.g. isv.BUSINESS_LIMIT_CONTROL).
    if (!res.ok || answer.Code !== 'OK') {
      throw new Error(`Aliyun SMS refused (HTTP ${res.status}): ${answer.Code ?? text.slice(0, 200)} ${answer.Message ?? ''} ${answer.RequestId ? `RequestId ${answer.RequestId}` : ''}`.trim());
    }
  };
}
