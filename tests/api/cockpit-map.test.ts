import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';

type Pt = [number, number];
/** Ray casting; the rings are closed (first point repeated). */
function inRing(ring: Pt[], [x, y]: Pt) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i], [xj, yj] = ring[j];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
const area = (ring: Pt[]) => Math.abs(ring.slice(0, -1).reduce((a, p, i) => a + p[0] * ring[i + 1][1] - ring[i + 1][0] * p[1], 0)) / 2;

/**
 * GET /api/cockpit/map: the screen's map, drawn from the community centres — the communities tile the
 * district outline, each holds its own centre and its stations; a street is its communities; a caller
 * gets their own scope only.
 */
describe('cockpit map', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(() => t.close());
  const map = async (who: string) => (await t.app.inject({ url: '/api/cockpit/map', headers: bearer(await t.token(who)) }));

  it('the district: streets and communities as areas that tile the outline; every station inside its own community', async () => {
    const m = (await map('admin')).json();
    expect(m.root).toMatchObject({ name: '盐南高新区', level: 'district' });
    const feature = new Map<number, any>(m.geo.features.map((f: any) => [f.properties.id, f]));
    const communities = m.regions.filter((r: any) => r.level === 'community');
    const streets = m.regions.filter((r: any) => r.level === 'street');
    expect(streets.map((s: any) => s.name)).toEqual(['黄海街道', '科城街道', '新都街道']);
    expect(communities.length).toBe(10);
    expect(m.geo.features).toHaveLength(1 + streets.length + communities.length);
    // The communities tile the outline: their areas sum to its area.
    const outline = feature.get(m.root.id).geometry.coordinates[0];
    const sum = communities.reduce((a: number, c: any) => a + area(feature.get(c.id).geometry.coordinates[0]), 0);
    expect(Math.abs(sum - area(outline)) / area(outline)).toBeLessThan(1e-4);
    for (const c of communities) expect(inRing(feature.get(c.id).geometry.coordinates[0], c.center), c.name).toBe(true);
    // A street is the cells of its communities.
    for (const s of streets) {
      const mine = communities.filter((c: any) => c.parentId === s.id).map((c: any) => feature.get(c.id).geometry.coordinates);
      expect(feature.get(s.id).geometry).toEqual({ type: 'MultiPolygon', coordinates: mine });
    }
    const stations = m.points.filter((p: any) => p.kind === 'station');
    expect(stations).toHaveLength(100);
    const outside = stations.filter((p: any) => !inRing(feature.get(p.communityId).geometry.coordinates[0], [p.lng, p.lat])).map((p: any) => p.name);
    expect(outside).toEqual([]);
    expect(m.points.filter((p: any) => p.kind === 'position').length).toBeGreaterThan(10);
    expect(m.points.filter((p: any) => p.kind === 'elevator').length).toBeGreaterThan(0);
    for (const p of m.points) expect(inRing(outline, [p.lng, p.lat]), p.name).toBe(true);
  });

  it('a street account gets its street and its communities; a community worker its community; a resident nothing', async () => {
    const hh = (await map('street.huanghai')).json();
    expect(hh.root).toMatchObject({ name: '黄海街道', level: 'street' });
    expect(hh.regions.map((r: any) => r.name)).toEqual(['黄海街道', '鹿鸣社区', '聚龙湖社区', '文港社区', '南海社区']);
    expect(hh.regions[0].parentId).toBeNull();
    expect(hh.geo.features.map((f: any) => f.properties.name).sort()).toEqual(hh.regions.map((r: any) => r.name).sort());
    expect(hh.points.length).toBeGreaterThan(0);
    expect(hh.points.every((p: any) => p.streetId === hh.root.id)).toBe(true);
    const lm = (await map('community.luming')).json();
    expect(lm.regions.map((r: any) => r.name)).toEqual(['鹿鸣社区']);
    expect(lm.points.every((p: any) => p.communityId === lm.root.id)).toBe(true);
    expect((await map('resident.demo')).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/cockpit/map' })).statusCode).toBe(401);
  });
});
