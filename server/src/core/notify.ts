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
export async function queueSms(tx: Executor, phone: string, message: { kind: string; title: string; body: string }) {
  await tx.insertInto('outbox').values({ channel: 'sms', recipient: phone, payload: JSON.stringify(message) }).execute();
}

export type ChannelSender = (recipient: string, payload: { kind: string; title: string; body: string }) => Promise<void>;

/** Development senders: they write the message to the log instead of an SMS gateway or WeChat. */
export function logSenders(log: Pick<FastifyBaseLogger, 'info'>): Record<string, ChannelSender> {
  const to = (channel: string): ChannelSender => async (recipient, payload) => log.info({ channel, recipient: recipient.replace(/^(\d{3})\d{4}/, '$1****'), ...payload }, 'outbox message (development: not sent)');
  return { sms: to('sms'), wechat_template: to('wechat_template') };
}

/** Sends pending outbox rows; each row is taken with SKIP LOCKED so several instances never send twice. */
export async function deliverOutbox(db: Db, senders: Record<string, ChannelSender>, batch = 50): Promise<number> {
  let sent = 0;
  for (let i = 0; i < batch; i++) {
    const done = await db.transaction().execute(async (tx) => {
      const row = await tx.selectFrom('outbox').selectAll().where('status', '=', 'pending').orderBy('id').limit(1).forUpdate().skipLocked().executeTakeFirst();
      if (!row) return false;
      const sender = senders[row.channel];
      try {
        if (!sender) throw new Error(`no sender for channel ${row.channel}`);
        const payload = typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload;
        await sender(row.recipient, payload as any);
        await tx.updateTable('outbox').set({ status: 'sent', sent_at: new Date(), attempts: row.attempts + 1 }).where('id', '=', row.id).execute();
      } catch (err) {
        const attempts = row.attempts + 1;
        await tx.updateTable('outbox').set({ status: attempts >= 5 ? 'failed' : 'pending', attempts, last_error: String(err) }).where('id', '=', row.id).execute();
      }
      return true;
    });
    if (!done) break;
    sent++;
  }
  return sent;
}

/** Marks one of the account's messages read; false when it is not theirs or does not exist. */
export async function markNotificationRead(db: Executor, accountId: number, id: number) {
  const res = await db.updateTable('notifications').set({ read_at: new Date() }).where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}
