import { api, type Query } from '@shared/api';
import type { Booking, BookingStatus, ManagedPosition, Page, RegionNode, RequestStatus, ServiceType } from '@shared/types';
import { fetchRegionTree } from './regions';
import { t } from './i18n';
import { confirmAction, promptText, showError, showSuccess } from './notify';

/** What the Red Property console pages share: Beijing days, option lists, booking decisions. */

// ---- Asia/Shanghai calendar days (UTC+8 all year)
const DAY = 86400_000;
const SHANGHAI = 8 * 3600_000;
/** Today's date in Beijing, YYYY-MM-DD. */
export const shanghaiToday = (now = new Date()) => new Date(now.getTime() + SHANGHAI).toISOString().slice(0, 10);
export const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
/** The Monday of the week a date falls in. */
export function mondayOf(date: string) {
  const wd = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDays(date, -((wd + 6) % 7));
}
/** The Beijing day and HH:mm of an instant. */
export const dayOf = (iso: string) => new Date(Date.parse(iso) + SHANGHAI).toISOString().slice(0, 10);
export const hmOf = (iso: string) => new Date(Date.parse(iso) + SHANGHAI).toISOString().slice(11, 16);
/** 2026-12-01 09:00–10:30 (Beijing); the end's day when it differs. */
export function timeRange(startsAt: string, endsAt: string) {
  const end = dayOf(endsAt) === dayOf(startsAt) ? hmOf(endsAt) : `${dayOf(endsAt)} ${hmOf(endsAt)}`;
  return `${dayOf(startsAt)} ${hmOf(startsAt)}–${end}`;
}

/** Every item of a paged list (100 a page), up to `cap`. */
export async function fetchAll<T>(url: string, query: Query = {}, cap = 2000): Promise<T[]> {
  const out: T[] = [];
  for (let page = 1; ; page++) {
    const res = await api.get<Page<T>>(url, { ...query, page, pageSize: 100 });
    out.push(...res.items);
    if (out.length >= res.total || res.items.length === 0 || out.length >= cap) return out;
  }
}

/** The positions the caller manages (for filters). */
export const fetchManagedPositions = () => fetchAll<ManagedPosition>('/api/positions/managed');

let typesPromise: Promise<ServiceType[]> | null = null;
/** The service categories, fetched once. */
export function fetchServiceTypes(): Promise<ServiceType[]> {
  typesPromise ??= api.get<{ items: ServiceType[] }>('/api/service-types').then((r) => r.items);
  typesPromise.catch(() => { typesPromise = null; });
  return typesPromise;
}

export interface CompoundOption { id: number; name: string; community: string }
/** The compounds of the caller's scope, with their community, from the region tree. */
export async function fetchCompounds(): Promise<CompoundOption[]> {
  const out: CompoundOption[] = [];
  const walk = (nodes: RegionNode[], community: string) => {
    for (const n of nodes) {
      if (n.level === 'compound') out.push({ id: n.id, name: n.name, community });
      else walk(n.children ?? [], n.level === 'community' ? n.name : community);
    }
  };
  walk(await fetchRegionTree(), '');
  return out;
}

/** Element Plus tag types per status. */
export const BOOKING_TAG: Record<BookingStatus, 'primary' | 'success' | 'warning' | 'info' | 'danger'> = {
  pending: 'warning', confirmed: 'primary', checked_in: 'success', cancelled: 'info', rejected: 'info', expired: 'info', no_show: 'danger',
};
export const REQUEST_TAG: Record<RequestStatus, 'primary' | 'success' | 'warning' | 'info' | 'danger'> = {
  submitted: 'danger', accepted: 'warning', assigned: 'warning', in_progress: 'primary', done: 'success', rated: 'success', closed: 'info',
};

/** What staff may still do with a booking in a list (the server decides again and says why not). */
export const canDecide = (b: Booking) => b.status === 'pending';
export const canStaffCancel = (b: Booking) => (b.status === 'pending' || b.status === 'confirmed') && Date.parse(b.endsAt) > Date.now();

/** Approve, reject (with a reason) or cancel (with a reason) a booking; true when it changed. */
export async function decideBooking(b: Booking, action: 'approve' | 'reject' | 'cancel'): Promise<boolean> {
  const what = `${b.positionName}「${b.roomName}」 ${timeRange(b.startsAt, b.endsAt)} · ${b.bookerName}`;
  let body: Record<string, string> = {};
  if (action === 'approve') {
    if (!(await confirmAction(t('property.approveConfirm', { what }), t('property.approve')))) return false;
  } else {
    const reason = await promptText(t(action === 'reject' ? 'property.rejectPrompt' : 'property.cancelPrompt', { what }), t(`property.${action}`),
      { max: 200, testid: `booking-${action}` });
    if (reason === null) return false;
    body = { reason };
  }
  try {
    await api.post(`/api/bookings/${b.id}/${action}`, body);
    showSuccess(t(`property.${action}Done`));
    return true;
  } catch (e) {
    showError(e);
    return false;
  }
}
