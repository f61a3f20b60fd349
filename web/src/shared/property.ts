/**
 * Red Property helpers shared by the apps: Beijing-time days and clock times for the room
 * calendar, status colours, distances, and the live status of service requests (Server-Sent
 * Events). No UI library here, so every app can import it.
 */
import { api, isApiError } from './api';
import type { BookingStatus, Page, PositionLevel, RequestLiveEvent, RequestStatus, ServicePosition } from './types';

const TZ = 'Asia/Shanghai';
const dayFmt = new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' });
const clockFmt = new Intl.DateTimeFormat('en-GB', { timeZone: TZ, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** The Beijing calendar day (YYYY-MM-DD) of an instant. */
export const shanghaiDate = (at: Date | string = new Date()) => dayFmt.format(typeof at === 'string' ? new Date(at) : at);
/** The day `n` days after a YYYY-MM-DD day. */
export const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86400_000).toISOString().slice(0, 10);
/** 0 = Sunday … 6 = Saturday, of a YYYY-MM-DD day. */
export const weekdayOf = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay();
/** 14:30 in Beijing time. */
export const clockOf = (at: string | Date) => clockFmt.format(typeof at === 'string' ? new Date(at) : at);
/** 12-01 of a YYYY-MM-DD day. */
export const monthDay = (day: string) => day.slice(5);
export const minutesBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 60_000);

/** Minutes either side of a booking's start in which check-in is open (property/policy.ts CHECKIN_WINDOW_MIN). */
export const CHECKIN_WINDOW_MIN = 15;

export const BOOKING_STATUS_COLORS: Record<BookingStatus, string> = {
  pending: '#ff976a', confirmed: '#1989fa', checked_in: '#07c160', cancelled: '#969799', rejected: '#969799', expired: '#c8c9cc', no_show: '#ee0a24',
};
/** Bookings that still hold their slot. */
export const LIVE_BOOKING_STATUSES: BookingStatus[] = ['pending', 'confirmed', 'checked_in'];

export const REQUEST_STATUS_COLORS: Record<RequestStatus, string> = {
  submitted: '#ff976a', accepted: '#1989fa', assigned: '#7232dd', in_progress: '#e8541e', done: '#07c160', rated: '#07c160', closed: '#969799',
};
export const REQUEST_STATUSES: RequestStatus[] = ['submitted', 'accepted', 'assigned', 'in_progress', 'done', 'rated', 'closed'];

export const POSITION_LEVEL_COLORS: Record<PositionLevel, string> = { street: '#c8161d', community: '#e8541e', compound: '#1989fa' };

/** Great-circle distance in km. */
export function distanceKm(a: { lat: number; lng: number }, b: { lat: number; lng: number }) {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad, dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 6371 * 2 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The browser's position, or null when it is refused, missing or slow. */
export function currentPosition(timeout = 5000): Promise<{ lat: number; lng: number } | null> {
  if (typeof navigator === 'undefined' || !('geolocation' in navigator)) return Promise.resolve(null);
  return new Promise((resolve) => {
    navigator.geolocation.getCurrentPosition((p) => resolve({ lat: p.coords.latitude, lng: p.coords.longitude }), () => resolve(null), { timeout, maximumAge: 600_000 });
  });
}

/**
 * Subscribes to the steps of the service requests the caller may read (optionally one request).
 * EventSource reconnects by itself (the server sends retry: 3000 and ends a stream every ten
 * minutes, so a signed-out session stops hearing); the returned function closes it.
 */
export function subscribeRequestEvents(onEvent: (e: RequestLiveEvent) => void, requestId?: number): () => void {
  if (typeof EventSource === 'undefined') return () => {};
  const es = new EventSource(requestId ? `/api/service-requests/events?requestId=${requestId}` : '/api/service-requests/events');
  const listener = (m: MessageEvent) => {
    try {
      onEvent(JSON.parse(m.data) as RequestLiveEvent);
    } catch { /* a malformed event is skipped */ }
  };
  es.addEventListener('request', listener as EventListener);
  return () => {
    es.removeEventListener('request', listener as EventListener);
    es.close();
  };
}

let positionsCache: { at: number; items: ServicePosition[] } | null = null;

/** Every open position with its rooms (the public register, a few pages at most), kept for a minute. */
export async function allPositions(): Promise<ServicePosition[]> {
  if (positionsCache && Date.now() - positionsCache.at < 60_000) return positionsCache.items;
  const first = await api.get<Page<ServicePosition>>('/api/positions', { page: 1, pageSize: 100 });
  const pages = Math.min(Math.ceil(first.total / 100), 10);
  const rest = await Promise.all(Array.from({ length: Math.max(0, pages - 1) }, (_, i) => api.get<Page<ServicePosition>>('/api/positions', { page: i + 2, pageSize: 100 })));
  const items = [first, ...rest].flatMap((p) => p.items);
  positionsCache = { at: Date.now(), items };
  return items;
}

/** The server's message for a toast: a field's own message in place of the generic "some fields are invalid". */
export function errorText(e: unknown): string {
  if (!isApiError(e)) return e instanceof Error ? e.message : String(e);
  const field = Object.values(e.fields)[0];
  if (!field || e.message.includes(field)) return e.message;
  return e.code === 'validation_failed' ? field : `${e.message}：${field}`;
}
