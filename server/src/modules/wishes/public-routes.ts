import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParam, optionalId } from '../../core/http.js';
import { pageQuery } from '../../core/paging.js';
import { actorFromRequest } from '../../core/auth/context.js';
import { clientNetwork } from '../../core/auth/throttle.js';
import { AppError } from '../../core/errors.js';
import { readDbFor, replicaCaughtUp } from '../../core/read-replica.js';
import { communitiesUnder, invalidateWall, publicFile, publicWall, recordSeasonView } from './public.js';
import { countWishView, flushViews } from './views.js';
import { visitorOf as visitor } from '../../core/visitor.js';
import { listSeasons } from './seasons.js';
import { getWish } from './service.js';
import { WISH_CHANNEL, type WishLiveEvent } from './timeline.js';
import { categories } from './routes.js';
import { publicWishResponses as res } from './schemas.js';

/** Open live-event streams one address may hold on one instance; the next gets 429. */
export const MAX_STREAMS_PER_ADDRESS = 20;

/** The public side of the wish wall: no sign-in needed, and nothing on it identifies a beneficiary. */
export async function publicWishRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = app.dbh.db;
  const tags = ['wishes (public)'];
  const pub = { public: true };
  // Open SSE streams end before the server closes, so a shutdown never waits on them.
  const streams = new Set<import('node:http').ServerResponse>();
  app.addHook('preClose', async () => { for (const s of streams) s.end(); });
  // Views counted in memory are written before the database closes.
  app.addHook('onClose', async () => { await flushViews(db); });
  // A state change anywhere (any instance) makes this instance recompute its wall order.
  // The replica's copy only once the replica has the change (core/read-replica.ts).
  await app.events.subscribe(WISH_CHANNEL, () => { invalidateWall(db); void replicaCaughtUp(app.dbh).then(() => invalidateWall(app.dbh.readDb)); });

  // Live-event streams held open per client address, on this instance (an in-memory count: per instance by design).
  const streamsPerAddress = new Map<string, number>();

  r.get('/api/public/wishes', {
    config: { ...pub, responseCache: { ns: ['wishes'], signedIn: true } },
    schema: {
      tags, summary: '心愿墙（公开，脱敏；较早、浏览少的心愿优先展示）', response: res.wall,
      querystring: pageQuery.extend({ seasonId: optionalId, communityId: optionalId, category: z.enum(categories).optional(), status: z.enum(['published', 'claimed', 'fulfilled', 'confirmed']).optional(), sort: z.enum(['fair', 'latest']).optional() }),
    },
  }, async (req) => publicWall(readDbFor(req), req.query, req.query));

  r.get('/api/public/wishes/:id', {
    // The view is counted for this visitor whether the page comes from the cache or not (on a hit the
    // params are the raw strings: the cached URL was validated when its page was made).
    config: { ...pub, responseCache: { ns: ['wishes'], signedIn: true, perCaller: (req, reply) => countWishView(db, Number((req.params as { id: string | number }).id), visitor(req, reply)) } },
    schema: { tags, summary: '心愿公开页（含时间线；每位访客每天计一次浏览）', params: idParam, response: res.detail },
  }, async (req) => getWish(readDbFor(req), null, actorFromRequest(req), req.params.id));

  r.get('/api/public/seasons', { config: { ...pub, responseCache: { ns: ['wishes'], signedIn: true } }, schema: { tags, summary: '心愿季', response: res.seasons } }, async () => ({ items: await listSeasons(db) }));

  r.post('/api/public/seasons/:id/view', {
    config: { ...pub, leavesPublicPages: true },
    schema: { tags, summary: '记录心愿季页面浏览（每位访客每天一次）', params: idParam, response: res.seasonView },
  }, async (req, reply) => recordSeasonView(db, req.params.id, visitor(req, reply)));

  r.get('/api/public/files/:id', {
    config: pub,
    schema: { tags, summary: '心愿照片（已去除位置信息）', params: idParam, response: res.file, querystring: z.object({ thumb: z.enum(['0', '1']).optional() }) },
  }, async (req, reply) => {
    const f = await publicFile(db, app.files, req.params.id, req.query.thumb === '1');
    return reply.type(f.mime).header('cache-control', 'public, max-age=86400').send(f.bytes);
  });

  /**
   * Live feed over Server-Sent Events, fed by LISTEN/NOTIFY so that clients of
   * every instance see every event. Optional ?wishId= narrows it to one wish.
   */
  r.get('/api/wishes/events', {
    config: pub,
    schema: { tags, summary: '心愿实时事件（SSE：published/claimed/fulfilled/confirmed…，脱敏；regionId 只收该区域内社区的心愿）', response: res.events, querystring: z.object({ wishId: optionalId, regionId: optionalId }) },
  }, async (req, reply) => {
    const only = req.query.wishId;
    // A screen showing one street or community hears only the wishes of its own communities.
    const communities = req.query.regionId ? await communitiesUnder(db, req.query.regionId) : null;
    const address = clientNetwork(req.ip);
    const held = streamsPerAddress.get(address) ?? 0;
    if (held >= MAX_STREAMS_PER_ADDRESS) throw new AppError(429, 'too_many_streams');
    streamsPerAddress.set(address, held + 1);
    const release = () => {
      const n = (streamsPerAddress.get(address) ?? 1) - 1;
      if (n > 0) streamsPerAddress.set(address, n); else streamsPerAddress.delete(address);
    };
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write('retry: 3000\n: connected\n\n');
    // Listen for the close first: a client that leaves while we subscribe still frees its place.
    let unsubscribe: (() => void) | undefined, closed = false;
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    streams.add(res);
    res.on('close', () => { closed = true; clearInterval(heartbeat); unsubscribe?.(); streams.delete(res); release(); });
    const off = await app.events.subscribe(WISH_CHANNEL, (e) => {
      const ev = e as WishLiveEvent;
      if (only && ev.wishId !== only) return;
      if (communities && !communities.has(ev.communityId)) return;
      res.write(`event: wish\ndata: ${JSON.stringify(ev)}\n\n`);
    });
    if (closed) off(); else unsubscribe = off;
  });
}
