import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/src/config.js';
import { assertRealSenders, logOnlyChannels } from '../../server/src/core/senders.js';
import { aliyunEncode, aliyunSignature } from '../../server/src/core/sms-aliyun.js';

const aliyun = { SMS_PROVIDER: 'aliyun', SMS_ACCESS_KEY_ID: 'id', SMS_ACCESS_KEY_SECRET: 's', SMS_SIGN_NAME: '红色社区', SMS_TEMPLATE_CODE: 'SMS_1', SMS_TEMPLATE_NOTICE: 'SMS_2' };
const wechat = { WECHAT_APPID: 'wx1', WECHAT_SECRET: 's', WECHAT_TEMPLATE_ID: 'tpl' };

describe('outbox senders by configuration', () => {
  it('production refuses log-only senders unless ALLOW_LOG_SENDERS=1, and says what to set', () => {
    expect(() => assertRealSenders(loadConfig({ NODE_ENV: 'production' }))).toThrow(/sms and wechat_template would only be written to the log.*SMS_PROVIDER=aliyun.*ALLOW_LOG_SENDERS=1/);
    expect(() => assertRealSenders(loadConfig({ NODE_ENV: 'production', ...aliyun }))).toThrow(/but wechat_template would only/);
    expect(() => assertRealSenders(loadConfig({ NODE_ENV: 'production', ...aliyun, ...wechat }))).not.toThrow();
    expect(() => assertRealSenders(loadConfig({ NODE_ENV: 'production', ALLOW_LOG_SENDERS: '1' }))).not.toThrow();
    expect(() => assertRealSenders(loadConfig({}))).not.toThrow();
    expect(logOnlyChannels(loadConfig({ ...aliyun, ...wechat }))).toEqual([]);
  });

  it('a provider without its keys, or an unknown one, stops the start', () => {
    expect(() => loadConfig({ SMS_PROVIDER: 'aliyun', SMS_ACCESS_KEY_ID: 'id' })).toThrow(/SMS_ACCESS_KEY_SECRET, SMS_SIGN_NAME, SMS_TEMPLATE_CODE, SMS_TEMPLATE_NOTICE/);
    expect(() => loadConfig({ SMS_PROVIDER: 'twilio' })).toThrow(/not known/);
    expect(() => loadConfig({ WECHAT_TEMPLATE_KEYS: 'first' })).toThrow(/WECHAT_TEMPLATE_KEYS/);
  });

  it('Aliyun percent-encoding and the RPC signature match the documentation\'s example', () => {
    expect(aliyunEncode("a b*c~d!'()")).toBe('a%20b%2Ac~d%21%27%28%29');
    // The SendSms example of Aliyun's SMS API signature documentation (AccessKey testId / testSecret).
    const params = {
      AccessKeyId: 'testId', Action: 'SendSms', Format: 'XML', OutId: '123', PhoneNumbers: '15300000001', RegionId: 'cn-hangzhou',
      SignName: '阿里云短信测试专用', SignatureMethod: 'HMAC-SHA1', SignatureNonce: '45e25e9b-0a6f-4070-8c85-2956eda1b466', SignatureVersion: '1.0',
      TemplateCode: 'SMS_71390007', TemplateParam: '{"customer":"test"}', Timestamp: '2017-07-12T02:42:19Z', Version: '2017-05-25',
    };
    expect(aliyunSignature('GET', params, 'testSecret')).toBe('zJDF+Lrzhj/ThnlvIToysFRq6t4=');
  });
});
