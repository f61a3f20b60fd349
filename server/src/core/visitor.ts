import { createHash, randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { clientNetwork } from './auth/throttle.js';

/** Anonymous visitors, for "once per visitor per day" counts (wish and season views, station check-ins). */
const VISITOR_COOKIE = 'rc_vid';

/** At most this many visitors (+1 without a valid cookie) are counted per address (network) a day. */
export const VISITORS_PER_ADDRESS = 8;

/**
 * An anonymous visitor key, hashed: the client's network (never a header the client
 * writes) and one of a few buckets picked by its visitor id ('-' without one). Views
 * count once per key and day, so one address adds at most VISITORS_PER_ADDRESS + 1
 * whatever cookies it forges or drops; several people behind one address still count.
 * The user agent is not used: the client chooses it freely.
 */
export const visitorKey = (visitorId: string | undefined, ip: string) => {
  const bucket = visitorId ? createHash('sha256').update(visitorId).digest()[0] % VISITORS_PER_ADDRESS : '-';
  return createHash('sha256').update(`${clientNetwork(ip)}|${bucket}`).digest('base64url').slice(0, 22);
};

/**
 * The visitor id comes from a cookie this server signed; a new visitor gets one and
 * counts by it at once. A cookie that fails the signature is a forgery: it counts as
 * "no id" for its address (see visitorKey), and the client gets a real one.
 */
export function visitorOf(req: FastifyRequest, reply: FastifyReply) {
  const raw = req.cookies[VISITOR_COOKIE];
  const signed = raw ? req.unsignCookie(raw) : null;
  if (signed?.valid && signed.value) return visitorKey(signed.value, req.ip);
  const id = randomUUID();
  reply.setCookie(VISITOR_COOKIE, id, { path: '/', httpOnly: true, sameSite: 'lax', maxAge: 365 * 86400, signed: true });
  return visitorKey(raw ? undefined : id, req.ip);
}
