import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isGuardedUrl } from '../../server/src/core/auth/plugin.js';
import { REGION_LEVELS } from '../../server/src/core/schema.js';
import { UNIT_KIND_NAMES } from '../../server/src/modules/alliance/service.js';
import { needCategory, unitKind } from '../../server/src/modules/alliance/schemas.js';
import { consultParty, consultStage, elevatorGroup, elevatorStage, objectionStage } from '../../server/src/modules/consult/schemas.js';
import { PARTIES, STAGES } from '../../server/src/modules/consult/consultations.js';
import { ELEVATOR_STAGES, STAGE_GROUP } from '../../server/src/modules/consult/elevators.js';
import { OBJECTION_STAGES } from '../../server/src/modules/consult/votes.js';
import { person } from '../../server/src/modules/people/schemas.js';
import { regionLevel } from '../../server/src/modules/regions/schemas.js';
import { categories, statuses, targetGroups } from '../../server/src/modules/wishes/routes.js';
import { CATEGORY_NAMES as NEED_CATEGORY_NAMES } from '../../server/src/modules/alliance/score.js';
import { publicWishDetail, wishCategory, wishStatus, wishTargetGroup } from '../../server/src/modules/wishes/schemas.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';

/**
 * Every route declares the reply of its success status. The serializer encodes each
 * JSON reply through that schema, so a field the schema does not declare is not sent
 * (a second guard for masked data), and a reply that does not match is a 500 — which
 * the fuzz test and the scope walk, hitting every route, would catch.
 */
describe('response schemas', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(() => t.close());

  it('every API route (/api/, /open311/; not the docs UI or the web apps\' static files) declares the response of its success status', () => {
    const routes = t.app.routeList.filter((r) => isGuardedUrl(r.url) && !r.url.startsWith('/api/docs') && r.method !== 'HEAD' && r.method !== 'OPTIONS');
    expect(routes.length).toBeGreaterThan(100);
    expect(routes.filter((r) => !r.hasResponse).map((r) => `${r.method} ${r.url}`)).toEqual([]);
  });

  it('the OpenAPI document shows a response for every operation, binary ones by media type', async () => {
    const res = await t.app.inject({ url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: { format?: string } }> }> }>> };
    const missing: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (path.startsWith('/api/docs')) continue;
      for (const [method, op] of Object.entries(ops)) {
        const ok = Object.entries(op.responses ?? {}).find(([status]) => /^2/.test(status));
        // A browser step (the WeChat authorisation) answers a redirect, which has no body.
        const redirect = Object.keys(op.responses ?? {}).some((status) => /^30[1237]$/.test(status));
        if (!ok?.[1].content && !(redirect && !ok)) missing.push(`${method.toUpperCase()} ${path}`);
      }
    }
    expect(missing).toEqual([]);
    // Every $ref resolves (the recursive trees are components).
    const refs = [...new Set([...res.body.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]))];
    const components = Object.keys((res.json() as { components?: { schemas?: object } }).components?.schemas ?? {});
    expect(refs.filter((r) => !components.includes(r))).toEqual([]);
    expect(components).toContain('RegionNode');
    expect(doc.paths['/api/wishes/export.xlsx'].get.responses['200'].content?.['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']?.schema?.format).toBe('binary');
    // An instant is an ISO string on the wire.
    const wall = doc.paths['/api/public/wishes'].get.responses['200'].content?.['application/json']?.schema as any;
    expect(wall.properties.items.items.properties.publishedAt).toMatchObject({ type: 'string', format: 'date-time' });
  });

  it('strips what a schema does not declare', async () => {
    // The public detail is narrower than what getWish builds for a worker: a leak there would not leave the server.
    const encoded = z.encode(publicWishDetail, { ...sampleWish(), beneficiaryContact: { name: '王小明', phone: '13800000000' }, channel: 'visit', abilities: {} } as any);
    expect(Object.keys(encoded)).not.toContain('beneficiaryContact');
    expect(Object.keys(encoded)).not.toContain('channel');
    expect(encoded.timeline[0]).not.toHaveProperty('channel');
    expect(z.encode(person, { ...samplePerson(), idNumberFull: '320902199001011234' } as any)).not.toHaveProperty('idNumberFull');
    // And through a real route: the list of people has exactly the declared fields.
    const res = await t.app.inject({ url: '/api/people?pageSize=1', headers: bearer(await t.token('community.luming')) });
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json().items[0]).sort()).toEqual(Object.keys(person.shape).sort());
    // getWish builds the review status for everyone; the public route's schema does not declare it, so it is not sent.
    const id = (await t.app.inject({ url: '/api/public/wishes?pageSize=1' })).json().items[0].id;
    const worker = await t.app.inject({ url: `/api/wishes/${id}`, headers: bearer(await t.token('admin')) });
    expect(worker.json()).toHaveProperty('reviewStatus', 'approved');
    const pub = await t.app.inject({ url: `/api/public/wishes/${id}` });
    expect(pub.statusCode).toBe(200);
    expect(pub.json()).not.toHaveProperty('reviewStatus');
  });

  it('the enums the web reads agree with the lists the services use', () => {
    expect(regionLevel.options).toEqual(REGION_LEVELS);
    expect(wishCategory.options).toEqual([...categories]);
    expect(wishTargetGroup.options).toEqual([...targetGroups]);
    expect(wishStatus.options).toEqual([...statuses]);
    expect(consultStage.options).toEqual(STAGES);
    expect(consultParty.options).toEqual([...PARTIES]);
    expect(elevatorStage.options).toEqual([...ELEVATOR_STAGES]);
    expect([...elevatorGroup.options].sort()).toEqual([...new Set(Object.values(STAGE_GROUP))].sort());
    expect(objectionStage.options).toEqual([...OBJECTION_STAGES]);
    expect(unitKind.options).toEqual(Object.keys(UNIT_KIND_NAMES));
    expect(needCategory.options).toEqual(Object.keys(NEED_CATEGORY_NAMES));
  });
});

function sampleWish() {
  return {
    id: 1, code: 'XY000001', seasonId: 1, title: 't', story: 's', category: 'goods', categoryName: '物质', targetGroup: 'elder', targetGroupName: '独居老人',
    estimatedValue: 10, status: 'published', statusName: '待认领', beneficiary: '王某', communityId: 1, communityName: 'c', claimerName: null, claimerPartyMember: false,
    publishedAt: new Date(), claimedAt: null, fulfilledAt: null, confirmedAt: null, rating: null, thanks: null, viewCount: 0, photos: [],
    timeline: [{ id: 1, kind: 'submitted', at: new Date(), channel: 'visit' }], reviewStatus: 'approved',
  };
}

function samplePerson() {
  return { id: 1, name: '王小明', sex: 'M', birthDate: null, idNumber: '320902********1234', phone: null, masked: true, householdId: null, isHouseholder: false, regionId: 1, address: '' };
}
