/**
 * The cockpit's map of the demo district, drawn without a tile server: a district outline around the
 * community centres, and each community as the part of the outline nearer to its centre than to any
 * other (a Voronoi cell, clipped by half-planes). A street is the union of its communities' cells,
 * kept as a MultiPolygon. Pure and deterministic: the same centres give the same map.
 */
export type Pt = [number, number]; // [lng, lat]

/** A small deterministic hash in [0, 1), for jitter that must not depend on a PRNG's stream. */
export function hash01(n: number, salt = 0): number {
  let x = (n * 2654435761 + salt * 40503 + 0x9e3779b9) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b) >>> 0;
  return ((x ^ (x >>> 16)) >>> 0) / 4294967296;
}

const round = (v: number) => Math.round(v * 1e6) / 1e6;
const cross = (o: Pt, a: Pt, b: Pt) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);

/** Convex hull (monotone chain), counter-clockwise, no repeated first point. */
export function convexHull(points: Pt[]): Pt[] {
  const p = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (p.length < 3) return p;
  const lower: Pt[] = [];
  for (const q of p) { while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], q) <= 0) lower.pop(); lower.push(q); }
  const upper: Pt[] = [];
  for (const q of [...p].reverse()) { while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], q) <= 0) upper.pop(); upper.push(q); }
  return lower.slice(0, -1).concat(upper.slice(0, -1));
}

/**
 * The district's outline: a jittered ring of 18 points around everything on the map (centres and
 * points), taken as its convex hull so that every cell stays convex.
 */
export function districtOutline(points: Pt[]): Pt[] {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
  // An ellipse through the corners of the box, widened a little, so every point is well inside.
  const rx = ((x1 - x0) / 2) * 1.55 + 0.004, ry = ((y1 - y0) / 2) * 1.55 + 0.004;
  const ring: Pt[] = [];
  for (let i = 0; i < 18; i++) {
    const a = (i / 18) * 2 * Math.PI;
    const k = 0.9 + 0.18 * hash01(i, 7);
    ring.push([cx + rx * k * Math.cos(a), cy + ry * k * Math.sin(a)]);
  }
  return convexHull(ring);
}

/** Keeps the part of a convex polygon on `a`'s side of the perpendicular bisector of a–b (Sutherland–Hodgman, one edge). */
function clipToNearer(poly: Pt[], a: Pt, b: Pt): Pt[] {
  const nx = b[0] - a[0], ny = b[1] - a[1];
  const c = (b[0] * b[0] + b[1] * b[1] - a[0] * a[0] - a[1] * a[1]) / 2;
  const side = (p: Pt) => c - (nx * p[0] + ny * p[1]); // > 0: nearer to a
  const out: Pt[] = [];
  for (let i = 0; i < poly.length; i++) {
    const p = poly[i], q = poly[(i + 1) % poly.length];
    const sp = side(p), sq = side(q);
    if (sp >= 0) out.push(p);
    if ((sp >= 0) !== (sq >= 0)) {
      const t = sp / (sp - sq);
      out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
    }
  }
  return out;
}

/** One cell per centre: the outline's part nearer that centre than any other. Coordinates rounded to 1e-6°. */
export function voronoiCells(outline: Pt[], centres: Pt[]): Pt[][] {
  return centres.map((a, i) => {
    let cell = outline;
    for (let j = 0; j < centres.length && cell.length; j++) {
      if (j === i || (centres[j][0] === a[0] && centres[j][1] === a[1])) continue;
      cell = clipToNearer(cell, a, centres[j]);
    }
    return cell.map((p) => [round(p[0]), round(p[1])] as Pt);
  });
}

/** A GeoJSON ring: closed (first point repeated). */
export function closedRing(ring: Pt[]): Pt[] {
  return ring.length ? [...ring, ring[0]] : [];
}
