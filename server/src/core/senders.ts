/**
 * The outbox's channel senders, chosen by configuration: Aliyun SMS and WeChat template messages
 * when their keys are set, otherwise the development senders that only write to the log.
 * Production refuses to start with a log-only channel (messages would silently never leave)
 * unless ALLOW_LOG_SENDERS=1 says that is meant.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.js';
import type { Db } from './db.js';
import { logSenders, type ChannelSender } from './notify.js';
import type { SecretBox } from './secret-box.js';
import { aliyunSmsSender } from './sms-aliyun.js';
import { wechatApi, wechatTemplateConfigured } from './wechat-api.js';

/** The channels that would only be logged under this configuration. */
export function logOnlyChannels(config: Config): string[] {
  return [...(config.sms.provider === 'log' ? ['sms'] : []), ...(wechatTemplateConfigured(config) ? [] : ['wechat_template'])];
}

/** Throws, before anything starts, when production would send messages to the log only. */
export function assertRealSenders(config: Config) {
  const logOnly = logOnlyChannels(config);
  if (!config.production || !logOnly.length || config.allowLogSenders) return;
  throw new Error(
    `In production messages must really leave, but ${logOnly.join(' and ')} would only be written to the log. `
    + 'Set SMS_PROVIDER=aliyun with SMS_ACCESS_KEY_ID, SMS_ACCESS_KEY_SECRET, SMS_SIGN_NAME, SMS_TEMPLATE_CODE, SMS_TEMPLATE_NOTICE, '
    + 'and WECHAT_APPID, WECHAT_SECRET, WECHAT_TEMPLATE_ID; or set ALLOW_LOG_SENDERS=1 to start without sending SMS or WeChat messages.',
  );
}

export function outboxSenders(config: Config, db: Db, secrets: SecretBox, log: Pick<FastifyBaseLogger, 'info'>): Record<string, ChannelSender> {
  const senders = logSenders(log);
  if (config.sms.provider === 'aliyun') senders.sms = aliyunSmsSender(config.sms);
  if (wechatTemplateConfigured(config)) senders.wechat_template = wechatApi(config, db, secrets).templateSender();
  return senders;
}
