/**
 * Formatting that respects masking: personal data arrives masked from the server
 * (320902********123X, 138****5678) unless it was deliberately revealed; these helpers
 * never try to "fix" a masked value, they only present it.
 */

const TZ = 'Asia/Shanghai';

const dateFmt = new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' });
const timeFmt = new Intl.DateTimeFormat('en-GB', { timeZone: TZ, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

export const EMPTY = '—';

/** 2026-11-24 in Beijing time. A bare date string is returned as is. */
export function formatDate(v: string | Date | null | undefined): string {
  if (!v) return EMPTY;
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
  const d = typeof v === 'string' ? new Date(v) : v;
  if (Number.isNaN(d.getTime())) return String(v);
  return dateFmt.format(d);
}

/** 2026-11-24 14:03:09 in Beijing time. */
export function formatDateTime(v: string | Date | null | undefined): string {
  if (!v) return EMPTY;
  const d = typeof v === 'string' ? new Date(v) : v;
  if (Number.isNaN(d.getTime())) return String(v);
  return `${dateFmt.format(d)} ${timeFmt.format(d)}`;
}

/** A masked value contains the mask character. */
export function isMaskedValue(v: string | null | undefined): boolean {
  return !!v && v.includes('*');
}

/** Personal data for display: the value as the server sent it, or a dash. */
export function formatPI(v: string | null | undefined): string {
  return v ? v : EMPTY;
}

/** 王某 — for places where even a name must not be shown in full. */
export function maskName(name: string | null | undefined): string {
  return name ? `${name[0]}某` : EMPTY;
}

export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return EMPTY;
  return isMaskedValue(phone) || phone.length < 7 ? phone : `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}

export function maskIdNumber(id: string | null | undefined): string {
  if (!id) return EMPTY;
  return isMaskedValue(id) || id.length < 10 ? id : id.slice(0, 6) + '*'.repeat(id.length - 10) + id.slice(-4);
}

/** 89.50 m² */
export function formatArea(area: number | null | undefined): string {
  return area == null ? EMPTY : `${Number(area).toFixed(2)} m²`;
}

export function formatFloor(floor: number | null | undefined, locale: string): string {
  if (floor == null) return EMPTY;
  if (locale === 'en') return floor < 0 ? `B${-floor}` : `F${floor}`;
  return floor < 0 ? `地下${-floor}层` : `${floor}层`;
}

export function formatNumber(n: number | null | undefined, locale = 'zh-CN'): string {
  return n == null ? EMPTY : new Intl.NumberFormat(locale === 'en' ? 'en-US' : 'zh-CN').format(n);
}

/** Whole years from a YYYY-MM-DD birth date (Beijing today). */
export function ageOf(birthDate: string | null | undefined, now = new Date()): number | null {
  if (!birthDate || !/^\d{4}-\d{2}-\d{2}/.test(birthDate)) return null;
  const [y, m, d] = birthDate.slice(0, 10).split('-').map(Number);
  const [ty, tm, td] = dateFmt.format(now).split('-').map(Number);
  let age = ty - y;
  if (tm < m || (tm === m && td < d)) age--;
  return age >= 0 ? age : null;
}

/** A long hash shortened for tables: 3f2a9c…b81e */
export function shortHash(h: string | null | undefined, n = 8): string {
  if (!h) return EMPTY;
  return h.length > n * 2 ? `${h.slice(0, n)}…${h.slice(-4)}` : h;
}
