import type { PublicWish, WishStatus } from '@shared/types';

/**
 * The wish wall as the reader left it (cards loaded, page, scroll), so that coming
 * back from a wish's page does not start again at the top. Kept for a few minutes;
 * a wish's page patches the status it saw.
 */
export interface WallSnapshot {
  key: string; items: PublicWish[]; page: number; total: number; finished: boolean; scrollY: number; at: number;
}

const FRESH_MS = 5 * 60_000;
let snapshot: WallSnapshot | null = null;

export function saveWall(s: WallSnapshot) {
  snapshot = s;
}

export function restoreWall(key: string): WallSnapshot | null {
  if (!snapshot || snapshot.key !== key || Date.now() - snapshot.at > FRESH_MS) return null;
  return snapshot;
}

export function patchWallItem(id: number, patch: { status: WishStatus; claimerName?: string | null }) {
  const item = snapshot?.items.find((w) => w.id === id);
  if (item) Object.assign(item, patch);
}
