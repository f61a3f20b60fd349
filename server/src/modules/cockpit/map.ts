import type { AuthContext } from '../../core/auth/context.js';
import type { Db } from '../../core/db.js';
import { cached } from '../../core/cache.js';
import { underPath } from '../../core/scope.js';
import { STAGE_GROUP, type ElevatorStage } from '../consult/elevators.js';
import { closedRing, districtOutline, hash01, voronoiCells, type Pt } from './map-geometry.js';

/**
 * GET /api/cockpit/map: the big screen's map of the caller's scope — the district, street and
 * community regions as GeoJSON (map-geometry.ts), and the stations, service positions and elevator
 * retrofits as points. The geometry is drawn once for the whole district (so that a street's map
 * is the same shapes as on the district's) and then cut to the caller's scope.
 */
const MAP_TTL_MS = 60_000;
const MAP_LEVELS = ['district', 'street', 'community'] as const;
type MapLevel = (typeof MAP_LEVELS)[number];

interface MapRegion { id: number; name: string; level: MapLevel; parentId: number | null; path: string; center: Pt }
interface Feature { type: 'Feature'; properties: { id: number; name: string; level: MapLevel; parentId: number | null }; geometry: { type: 'Polygon'; coordinates: Pt[][] } | { type: 'MultiPolygon'; coordinates: Pt[][][] } }

/** The region tree down to communities, with a centre each: the community's recorded point, else a fixed spot in the district. */
async function districtMap(db: Db) {
  const district = await db.selectFrom('regions').select(['id', 'name', 'path']).where('parent_id', 'is', null).orderBy('id').executeTakeFirst();
  if (!district) return { regions: [] as MapRegion[], features: [] as Feature[] };
  const streets = await db.selectFrom('regions').select(['id', 'name', 'path', 'parent_id']).where('parent_id', '=', district.id).where('level', '=', 'street').orderBy('sort').orderBy('id').execute();
  const communities = streets.length
    ? await db.selectFrom('regions').select(['id', 'name', 'path', 'parent_id']).where('parent_id', 'in', streets.map((s) => s.id)).where('level', '=', 'community').orderBy('sort').orderBy('id').execute()
    : [];
  const points = communities.length
    ? new Map((await db.selectFrom('region_points').select(['region_id', 'lat', 'lng']).where('region_id', 'in', communities.map((c) => c.id)).execute()).map((p) => [p.region_id, [Number(p.lng), Number(p.lat)] as Pt]))
    : new Map<number, Pt>();
  // A community without a recorded point (added later, or the district scale's extra ones) gets a spot near its street's
  // recorded communities, else one of its own in the seed's box.
  const recorded = (streetId: number | null) => communities.filter((c) => c.parent_id === streetId).map((c) => points.get(c.id)).filter((p): p is Pt => !!p);
  const centres = communities.map((c) => {
    const known = points.get(c.id);
    if (known) return known;
    const near = recorded(c.parent_id);
    const base: Pt = near.length ? [near.reduce((a, p) => a + p[0], 0) / near.length, near.reduce((a, p) => a + p[1], 0) / near.length] : [120.19, 33.365];
    const spread = near.length ? 0.025 : 0.1;
    return [base[0] + spread * (hash01(c.id, 1) - 0.5), base[1] + spread * 0.7 * (hash01(c.id, 2) - 0.5)] as Pt;
  });
  const outline = districtOutline(centres.length >= 2 ? centres : [[120.14, 33.33], [120.24, 33.4]]);
  const cells = voronoiCells(outline, centres);
  const mean = (ps: Pt[]): Pt => (ps.length ? [ps.reduce((a, p) => a + p[0], 0) / ps.length, ps.reduce((a, p) => a + p[1], 0) / ps.length] : [120.19, 33.365]);

  const regions: MapRegion[] = [{ id: district.id, name: district.name, level: 'district', parentId: null, path: district.path, center: mean(outline) }];
  const features: Feature[] = [{ type: 'Feature', properties: { id: district.id, name: district.name, level: 'district', parentId: null }, geometry: { type: 'Polygon', coordinates: [closedRing(outline)] } }];
  for (const s of streets) {
    const mine = communities.map((c, i) => (c.parent_id === s.id ? i : -1)).filter((i) => i >= 0 && cells[i].length >= 3);
    regions.push({ id: s.id, name: s.name, level: 'street', parentId: district.id, path: s.path, center: mean(mine.map((i) => centres[i])) });
    features.push({ type: 'Feature', properties: { id: s.id, name: s.name, level: 'street', parentId: district.id }, geometry: { type: 'MultiPolygon', coordinates: mine.map((i) => [closedRing(cells[i])]) } });
  }
  communities.forEach((c, i) => {
    regions.push({ id: c.id, name: c.name, level: 'community', parentId: c.parent_id, path: c.path, center: centres[i] });
    features.push({ type: 'Feature', properties: { id: c.id, name: c.name, level: 'community', parentId: c.parent_id }, geometry: { type: 'Polygon', coordinates: [closedRing(cells[i])] } });
  });
  return { regions, features };
}

/** The district and street ids on a region path ('/1/2/3/…'), the points' key to their regions. */
function placeOf(path: string) {
  const seg = path.split('/').filter(Boolean).map(Number);
  return { streetId: seg[1] ?? null, communityId: seg[2] ?? null };
}

export async function cockpitMap(db: Db, auth: AuthContext) {
  const whole = await cached(db, 'cockpit_map', 'district', MAP_TTL_MS, () => districtMap(db));
  const scope = auth.scope?.path ?? null;
  const shown = scope ? whole.regions.filter((r) => r.path.startsWith(scope)) : [];
  const root = shown.find((r) => r.path === scope) ?? null;
  if (!root) return { root: null, regions: [], geo: { type: 'FeatureCollection' as const, features: [] }, points: [], at: new Date().toISOString() };
  const ids = new Set(shown.map((r) => r.id));
  const path = root.path;
  const centre = new Map(whole.regions.map((r) => [r.id, r.center]));

  const [stations, positions, elevators] = await Promise.all([
    db.selectFrom('stations as s').innerJoin('regions as r', 'r.id', 's.region_id').select(['s.id', 's.name', 's.kind', 's.lat', 's.lng', 'r.path'])
      .where(underPath('r.path', path)).orderBy('s.id').execute(),
    db.selectFrom('service_positions').select(['id', 'name', 'level', 'lat', 'lng', 'region_path'])
      .where('active', '=', true).where('lat', 'is not', null).where('lng', 'is not', null).where(underPath('region_path', path)).orderBy('id').execute(),
    db.selectFrom('elevator_projects as e').innerJoin('regions as u', 'u.id', 'e.unit_id').select(['e.id', 'e.stage', 'e.unit_path', 'u.name'])
      .where(underPath('e.unit_path', path)).orderBy('e.id').execute(),
  ]);
  // An elevator sits at its compound's recorded point (the service-request areas), else near its community's centre.
  const compoundIds = [...new Set(elevators.map((e) => Number(e.unit_path.split('/').filter(Boolean)[3])).filter(Boolean))];
  const [areas, compounds] = compoundIds.length
    ? await Promise.all([
      db.selectFrom('request_areas').select(['compound_id', 'lat', 'lng']).where('compound_id', 'in', compoundIds).execute(),
      db.selectFrom('regions').select(['id', 'name']).where('id', 'in', [...new Set(elevators.flatMap((e) => e.unit_path.split('/').filter(Boolean).slice(3, 5).map(Number)))]).execute(),
    ])
    : [[], []];
  const areaOf = new Map(areas.map((a) => [a.compound_id, [Number(a.lng), Number(a.lat)] as Pt]));
  const compoundName = new Map(compounds.map((c) => [c.id, c.name]));

  const points = [
    ...stations.map((s) => ({ kind: 'station' as const, id: s.id, name: s.name, group: s.kind as string, lng: Number(s.lng), lat: Number(s.lat), ...placeOf(s.path) })),
    ...positions.map((p) => ({ kind: 'position' as const, id: p.id, name: p.name, group: p.level as string, lng: Number(p.lng), lat: Number(p.lat), ...placeOf(p.region_path) })),
    ...elevators.map((e) => {
      const place = placeOf(e.unit_path);
      const compoundId = Number(e.unit_path.split('/').filter(Boolean)[3]);
      const base = areaOf.get(compoundId) ?? centre.get(place.communityId ?? 0) ?? root.center;
      const at: Pt = [base[0] + 0.0016 * (hash01(e.id, 3) - 0.5), base[1] + 0.0016 * (hash01(e.id, 4) - 0.5)];
      const buildingId = Number(e.unit_path.split('/').filter(Boolean)[4]);
      const name = [compoundName.get(compoundId), compoundName.get(buildingId), e.name].filter(Boolean).join(' ');
      return { kind: 'elevator' as const, id: e.id, name, group: STAGE_GROUP[e.stage as ElevatorStage] ?? e.stage, lng: Math.round(at[0] * 1e6) / 1e6, lat: Math.round(at[1] * 1e6) / 1e6, ...place };
    }),
  ];
  return {
    root: { id: root.id, name: root.name, level: root.level },
    regions: shown.map((r) => ({ id: r.id, name: r.name, level: r.level, parentId: r.parentId !== null && ids.has(r.parentId) ? r.parentId : null, center: r.center })),
    geo: { type: 'FeatureCollection' as const, features: whole.features.filter((f) => ids.has(f.properties.id)) },
    points,
    at: new Date().toISOString(),
  };
}
