import { describe, expect, it } from 'vitest';
import { convexHull, districtOutline, hash01, voronoiCells, type Pt } from '../../server/src/modules/cockpit/map-geometry.js';

const area = (ring: Pt[]) => Math.abs(ring.reduce((a, p, i) => { const q = ring[(i + 1) % ring.length]; return a + p[0] * q[1] - q[0] * p[1]; }, 0)) / 2;
/** Inside or on the edge of a convex ring, either orientation. */
const inside = (ring: Pt[], p: Pt) => {
  const s = ring.map((a, i) => { const b = ring[(i + 1) % ring.length]; return (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]); });
  return s.every((x) => x >= -1e-9) || s.every((x) => x <= 1e-9);
};
const centres = (n: number, seed: number): Pt[] => Array.from({ length: n }, (_, i) => [120.14 + 0.1 * hash01(i, seed), 33.33 + 0.07 * hash01(i, seed + 1)]);

describe('the cockpit map geometry', () => {
  it('the outline holds every centre; the cells tile it (areas sum to the outline\'s) and each holds its own centre only', () => {
    for (const seed of [1, 7, 42]) {
      for (const n of [2, 10, 60]) {
        const cs = centres(n, seed);
        const outline = districtOutline(cs);
        expect(convexHull(outline)).toHaveLength(outline.length); // convex
        for (const c of cs) expect(inside(outline, c)).toBe(true);
        const cells = voronoiCells(outline, cs);
        expect(cells).toHaveLength(n);
        const sum = cells.reduce((a, c) => a + area(c), 0);
        expect(Math.abs(sum - area(outline)) / area(outline)).toBeLessThan(1e-4);
        cells.forEach((cell, i) => {
          expect(inside(cell, cs[i])).toBe(true);
          // A point just inside the cell, towards its centre from a vertex, is nearest that centre.
          const v = cell[0];
          const p: Pt = [v[0] + (cs[i][0] - v[0]) * 0.01, v[1] + (cs[i][1] - v[1]) * 0.01];
          const d = (c: Pt) => (c[0] - p[0]) ** 2 + (c[1] - p[1]) ** 2;
          expect(Math.min(...cs.map(d))).toBeCloseTo(d(cs[i]), 12);
        });
      }
    }
  });

  it('is deterministic: the same centres give the same map', () => {
    const cs = centres(10, 3);
    expect(voronoiCells(districtOutline(cs), cs)).toEqual(voronoiCells(districtOutline(cs), cs));
  });
});
