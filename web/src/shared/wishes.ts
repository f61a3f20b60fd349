/**
 * Micro-wish helpers shared by the three apps: the fixed lists, status colours,
 * money, the H5 page address of a wish, and the live feed (Server-Sent Events).
 * No UI library here, so every app can import it.
 */
import type { Season, WishCategory, WishLiveEvent, WishStatus, WishTargetGroup } from './types';

export const WISH_CATEGORIES: WishCategory[] = ['goods', 'service', 'companionship'];
export const WISH_TARGET_GROUPS: WishTargetGroup[] = ['elder', 'child', 'disabled', 'hardship', 'other'];
export const WISH_STATUSES: WishStatus[] = ['pending_review', 'published', 'rejected', 'claimed', 'fulfilled', 'confirmed', 'withdrawn'];
/** The statuses the public wall shows. */
export const PUBLIC_WISH_STATUSES: WishStatus[] = ['published', 'claimed', 'fulfilled', 'confirmed'];
/** Categories that may leave out the estimated value (the server's VALUE_OPTIONAL_CATEGORIES in wishes/schemas.ts). */
export const VALUE_OPTIONAL_CATEGORIES: WishCategory[] = ['service', 'companionship'];
/** Minutes after a claim before the claimer may read the beneficiary's contact (the server's CONTACT_AFTER_MINUTES in wishes/policy.ts). */
export const CONTACT_AFTER_MINUTES = 30;

/** A wish is "lit" on the wish tree once it has been fulfilled. */
export const isLit = (s: WishStatus) => s === 'fulfilled' || s === 'confirmed';

/** One colour per status, used by the H5 tags, the admin tags and the big screen. */
export const WISH_STATUS_COLORS: Record<WishStatus, string> = {
  pending_review: '#ff976a',
  published: '#1989fa',
  rejected: '#969799',
  claimed: '#e8541e',
  fulfilled: '#d4a017',
  confirmed: '#07c160',
  withdrawn: '#969799',
};

/** The same statuses as text on a light background (H5 and console): darker shades with at least 4.5:1 on white. */
export const WISH_STATUS_TEXT_COLORS: Record<WishStatus, string> = {
  pending_review: 'var(--rc-wish-pending, #b34700)',
  published: 'var(--rc-wish-published, #1565c0)',
  rejected: 'var(--rc-wish-closed, #646566)',
  claimed: 'var(--rc-wish-claimed, #b83b0e)',
  fulfilled: 'var(--rc-wish-fulfilled, #8a6500)',
  confirmed: 'var(--rc-wish-confirmed, #0a7a3d)',
  withdrawn: 'var(--rc-wish-closed, #646566)',
};

/** Element Plus tag types per status. */
export const WISH_STATUS_TAG: Record<WishStatus, 'primary' | 'success' | 'info' | 'warning' | 'danger'> = {
  pending_review: 'warning',
  published: 'primary',
  rejected: 'info',
  claimed: 'danger',
  fulfilled: 'warning',
  confirmed: 'success',
  withdrawn: 'info',
};

/** ¥120 / ¥99.50 */
export function formatYuan(v: number | null | undefined): string {
  if (v == null) return '—';
  return `¥${Number.isInteger(v) ? v : v.toFixed(2)}`;
}

/** The H5 page of a wish, absolute (for QR codes and sharing). */
export function wishPageUrl(id: number, origin = location.origin): string {
  return `${origin}/wishes/${id}`;
}

/** The running season first (the newest running one if several), then the others newest first. */
export function sortSeasons(items: Season[]): Season[] {
  return [...items].sort((a, b) => Number(b.current) - Number(a.current) || b.startsOn.localeCompare(a.startsOn));
}

/**
 * Subscribes to the live feed (optionally of one wish). EventSource reconnects by
 * itself (the server sends retry: 3000); the returned function closes it.
 */
export function subscribeWishEvents(onEvent: (e: WishLiveEvent) => void, wishId?: number, regionId?: number): () => void {
  if (typeof EventSource === 'undefined') return () => {};
  const q = new URLSearchParams();
  if (wishId) q.set('wishId', String(wishId));
  if (regionId) q.set('regionId', String(regionId));
  const es = new EventSource(q.size ? `/api/wishes/events?${q}` : '/api/wishes/events');
  const listener = (m: MessageEvent) => {
    try {
      onEvent(JSON.parse(m.data) as WishLiveEvent);
    } catch { /* a malformed event is skipped */ }
  };
  es.addEventListener('wish', listener as EventListener);
  return () => {
    es.removeEventListener('wish', listener as EventListener);
    es.close();
  };
}

/** A QR code of a text as a PNG data URL; the qrcode library is loaded on first use. */
export async function qrDataUrl(text: string, width = 240, dark = '#000000'): Promise<string> {
  const { default: QRCode } = await import('qrcode');
  return QRCode.toDataURL(text, { width, margin: 1, errorCorrectionLevel: 'M', color: { dark, light: '#ffffff' } });
}

/**
 * A phone photo made small enough to upload over mobile data: at most `maxSide`
 * pixels, re-encoded as JPEG (which also drops EXIF, GPS included). Small files and
 * anything the browser cannot decode are sent as they are (the server checks them).
 */
export async function shrinkImage(file: File, maxSide = 1600, quality = 0.85): Promise<File> {
  if (file.size < 600 * 1024 || typeof createImageBitmap === 'undefined') return file;
  try {
    const bmp = await createImageBitmap(file);
    const k = Math.min(1, maxSide / Math.max(bmp.width, bmp.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(bmp.width * k);
    canvas.height = Math.round(bmp.height * k);
    canvas.getContext('2d')!.drawImage(bmp, 0, 0, canvas.width, canvas.height);
    bmp.close?.();
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));
    if (!blob || blob.size >= file.size) return file;
    return new File([blob], `${file.name.replace(/\.\w+$/, '')}.jpg`, { type: 'image/jpeg' });
  } catch {
    return file;
  }
}
