/**
 * The offline map's arithmetic (no tiles, no network): a bounding box of the points fitted into
 * the drawing with the right aspect, the projection both ways, and the outline drawn around them.
 */
export interface LatLng { lat: number; lng: number }

/** A dot on the map. */
export interface MapPoint extends LatLng {
  id: number | string;
  color: string;
  /** A name drawn beside the dot (for maps with few points). */
  label?: string;
  /** Extra attributes on the dot's <g> (test ids, data-*). */
  attrs?: Record<string, string | number>;
}

export interface MapBox { minLat: number; maxLat: number; minLng: number; maxLng: number; kx: number; scale: number; ox: number; oy: number }

/** Fits the points into a W×H drawing with PAD around; null when there are none. */
export function boxOf(pts: LatLng[], W: number, H: number, PAD: number): MapBox | null {
  if (!pts.length) return null;
  let [minLat, maxLat, minLng, maxLng] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const s of pts) { minLat = Math.min(minLat, s.lat); maxLat = Math.max(maxLat, s.lat); minLng = Math.min(minLng, s.lng); maxLng = Math.max(maxLng, s.lng); }
  const dLat = Math.max(maxLat - minLat, 0.002);
  const dLng = Math.max(maxLng - minLng, 0.002);
  // Keep the aspect right: a degree of longitude is shorter than one of latitude.
  const kx = Math.cos(((minLat + maxLat) / 2) * (Math.PI / 180));
  const scale = Math.min((W - 2 * PAD) / (dLng * kx), (H - 2 * PAD) / dLat);
  const ox = (W - dLng * kx * scale) / 2;
  const oy = (H - dLat * scale) / 2;
  return { minLat, maxLat, minLng, maxLng, kx, scale, ox, oy };
}

export const project = (b: MapBox, H: number, at: LatLng) => ({ x: b.ox + (at.lng - b.minLng) * b.kx * b.scale, y: H - (b.oy + (at.lat - b.minLat) * b.scale) });
export const unproject = (b: MapBox, H: number, x: number, y: number): LatLng => ({ lat: b.minLat + (H - y - b.oy) / b.scale, lng: b.minLng + (x - b.ox) / (b.kx * b.scale) });

/** The middle of the points' bounding box. */
export function centreOf(pts: LatLng[]): LatLng | null {
  if (!pts.length) return null;
  const lats = pts.map((p) => p.lat), lngs = pts.map((p) => p.lng);
  return { lat: (Math.min(...lats) + Math.max(...lats)) / 2, lng: (Math.min(...lngs) + Math.max(...lngs)) / 2 };
}

/** The convex hull of the drawn points, pushed out a little, as an SVG polygon's points. */
export function hullOutline(xy: [number, number][]): string {
  const ps = [...xy].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (ps.length < 3) return '';
  const cross = (o: number[], a: number[], b: number[]) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const half = (list: [number, number][]) => {
    const h: [number, number][] = [];
    for (const p of list) { while (h.length >= 2 && cross(h[h.length - 2], h[h.length - 1], p) <= 0) h.pop(); h.push(p); }
    h.pop();
    return h;
  };
  const hull = [...half(ps), ...half([...ps].reverse())];
  const cx = hull.reduce((s, p) => s + p[0], 0) / hull.length;
  const cy = hull.reduce((s, p) => s + p[1], 0) / hull.length;
  return hull.map(([x, y]) => {
    const d = Math.hypot(x - cx, y - cy) || 1;
    return `${(x + ((x - cx) / d) * 16).toFixed(1)},${(y + ((y - cy) / d) * 16).toFixed(1)}`;
  }).join(' ');
}
