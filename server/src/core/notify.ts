import type { FastifyBaseLogger } from 'fastify';
import type { Db, Executor } from './db.js';

export interface Notice { accountId: number; kind: string; title: string; body: string; wishId?: number | null }

/**
 * An in-app message, plus one outbox row per other channel the recipient can be
 * reached on (SMS to the account's phone, a WeChat template message if bound).
 * Written in the caller's transaction; delivered later by deliverOutbox.
 */
export async function notify(tx: Executor, n: Notice) {
  await tx.insertInto('notifications').values({ account_id: n.accountId, kind: n.kind, title: n.title, body: n.body, wish_id: n.wishId ?? null }).execute();
  const account = await tx.selectFrom('accounts').select('phone').where('id', '=', n.accountId).executeTakeFirst();
  const bindings = await tx.selectFrom('wechat_bindings').select('openid').where('account_id', '=', n.accountId).execute();
  const payload = JSON.stringify({ kind: n.kind, title: n.title, body: n.body, wishId: n.wishId ?? null });
  if (account?.phone) await tx.insertInto('outbox').values({ channel: 'sms', recipient: account.phone, payload }).execute();
  for (const b of bindings) await tx.insertInto('outbox').values({ channel: 'wechat_template', recipient: b.openid, payload }).execute();
}

/** An SMS only (a sign-in code), no in-app message: queued in the caller's transaction like any other. */
export async function queueSms(tx: Executor, phone: string, message: OutboxMessage) {
  await tx.insertInto('outbox').values({ channel: 'sms', recipient: phone, payload: JSON.stringify(message) }).execute();
}

/** What an outbox row carries; `params` are a template's variables (a sign-in code) for providers that send by template. */
export interface OutboxMessage { kind: string; title: string; body: string; wishId?: number | null; params?: Record<string, string> }
export type ChannelSender = (recipient: string, payload: OutboxMessage) => Promise<void>;

/** Development senders: they write the message to the log instead of an SMS gateway or WeChat. */
export function logSenders(log: Pick<FastifyBaseLogger, 'info'>): Record<string, ChannelSender> {
  const to = (channel: string): ChannelSender => async (recipient, payload) => log.info({ channel, recipient: recipient.replace(/^(\d{3})\d{4}/, '$1****'), kind: payload.kind, title: payload.title, body: payload.body }, 'outbox message (development: not sent)');
  return { sms: to('sms'), wechat_template: to('wechat_template') };
}

/** Attempts before a message is marked failed; the n-th retry waits n × RETRY_AFTER_SECONDS. */
export const OUTBOX_MAX_ATTEMPTS = 5;
const RETRY_AFTER_SECONDS = 30;
/** How long a send may take before another instance may try the row again (a crash mid-send). */
const LEASE_SECONDS = 120;

/**
 * Sends pending outbox rows. A row is leased in a short transaction (SKIP LOCKED, so several
 * instances never take the same row) and sent outside it: a slow gateway holds no lock (on PGlite
 * it would hold the whole database). A failure is retried later, with a growing wait, and marked
 * failed after OUTBOX_MAX_ATTEMPTS; a crash mid-send frees the row when its lease ends.
 */
export async function deliverOutbox(db: Db, senders: Record<string, ChannelSender>, batch = 50): Promise<number> {
  let sent = 0;
  for (let i = 0; i < batch; i++) {
    const row = await db.transaction().execute(async (tx) => {
      const r = await tx.selectFrom('outbox').selectAll().where('status', '=', 'pending')
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', new Date())]))
        .orderBy('id').limit(1).forUpdate().skipLocked().executeTakeFirst();
      if (r) await tx.updateTable('outbox').set({ lease_until: new Date(Date.now() + LEASE_SECONDS * 1000) }).where('id', '=', r.id).execute();
      return r;
    });
    if (!row) break;
    const attempts = row.attempts + 1;
    try {
      const sender = senders[row.channel];
      if (!sender) throw new Error(`no sender for channel ${row.channel}`);
      const payload = typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload;
      await sender(row.recipient, payload as OutboxMessage);
      await db.updateTable('outbox').set({ status: 'sent', sent_at: new Date(), attempts, lease_until: null }).where('id', '=', row.id).execute();
    } catch (err) {
      const failed = attempts >= OUTBOX_MAX_ATTEMPTS;
      await db.updateTable('outbox').set({
        status: failed ? 'failed' : 'pending', attempts, last_error: String(err).slice(0, 1000),
        lease_until: failed ? null : new Date(Date.now() + attempts * RETRY_AFTER_SECONDS * 1000),
      }).where('id', '=', row.id).execute();
    }
    sent++;
  }
  return sent;
}

/** Marks one of the account's messages read; false when it is not theirs or does not exist. */
export async function markNotificationRead(db: Executor, accountId: number, id: number) {
  const res = await db.updateTable('notifications').set({ read_at: new Date() }).where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}
