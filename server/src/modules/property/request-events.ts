import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AuthContext } from '../../core/auth/context.js';
import type { Executor } from '../../core/db.js';
import { AppError } from '../../core/errors.js';
import type { EventBus } from '../../core/events.js';
import { requestAbilities, type RequestAccessRow } from './requests-policy.js';

/**
 * Live status of service requests over Server-Sent Events, fed by LISTEN/NOTIFY so that every
 * instance hears every step. The channel carries the facts the policy needs; each stream sends
 * on only what its caller may read (requests-policy's `read`), and then only id, step and status.
 */
export const REQUEST_CHANNEL = 'request_events';

/** Open streams one account may hold on one instance; the next gets 429. */
export const MAX_STREAMS_PER_ACCOUNT = 10;
/** A stream ends after this long and the browser reconnects, so a signed-out session stops hearing. */
const STREAM_MS = 10 * 60_000;

interface RequestChange { requestId: number; kind: string; status: string; at: string; access: RequestAccessRow }
/** What a client receives: no description, no person. */
export interface RequestLiveEvent { requestId: number; kind: string; status: string; at: string }

/** Announces a step of the request (delivered when the transaction commits). */
export async function announceRequest(bus: EventBus | null | undefined, tx: Executor, requestId: number, kind: string) {
  if (!bus) return;
  const access = await tx.selectFrom('service_requests as r').innerJoin('service_types as t', 't.id', 'r.service_type_id')
    .leftJoin('alliance_units as u', 'u.id', 't.alliance_unit_id')
    .select(['r.region_path', 'r.status', 'r.team', 'r.requester_account_id', 'r.requester_person_id', 'r.assignee_id', 'r.submitted_by', 'u.organisation_id as unit_org_id'])
    .where('r.id', '=', requestId).executeTakeFirst();
  if (!access) return;
  const change: RequestChange = { requestId, kind, status: access.status, at: new Date().toISOString(), access };
  await bus.publish(tx, REQUEST_CHANNEL, change);
}

/** Per-instance bookkeeping of open streams: ended on shutdown, counted per account. */
export function requestStreams(app: FastifyInstance) {
  const open = new Set<import('node:http').ServerResponse>();
  const perAccount = new Map<number, number>();
  app.addHook('preClose', async () => { for (const s of open) s.end(); });

  /** Streams the caller's readable request changes (optionally of one request) until the client leaves. */
  return async function stream(auth: AuthContext, reply: FastifyReply, onlyId?: number) {
    const held = perAccount.get(auth.accountId) ?? 0;
    if (held >= MAX_STREAMS_PER_ACCOUNT) throw new AppError(429, 'too_many_streams');
    perAccount.set(auth.accountId, held + 1);
    const release = () => {
      const n = (perAccount.get(auth.accountId) ?? 1) - 1;
      if (n > 0) perAccount.set(auth.accountId, n); else perAccount.delete(auth.accountId);
    };
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write('retry: 3000\n: connected\n\n');
    let unsubscribe: (() => void) | undefined, closed = false;
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    const expiry = setTimeout(() => res.end(), STREAM_MS);
    open.add(res);
    res.on('close', () => { closed = true; clearInterval(heartbeat); clearTimeout(expiry); unsubscribe?.(); open.delete(res); release(); });
    const off = await app.events.subscribe(REQUEST_CHANNEL, (payload) => {
      const c = payload as RequestChange;
      if (onlyId != null && c.requestId !== onlyId) return;
      if (!requestAbilities(auth, c.access).read) return;
      const out: RequestLiveEvent = { requestId: c.requestId, kind: c.kind, status: c.status, at: c.at };
      res.write(`event: request\ndata: ${JSON.stringify(out)}\n\n`);
    });
    if (closed) off(); else unsubscribe = off;
  };
}
