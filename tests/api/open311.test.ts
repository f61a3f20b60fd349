import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';

/**
 * A small Open311 GeoReport v2 client written from the spec (wiki.open311.org/GeoReport_v2),
 * not from our code: `{base}/services.{fmt}`, `services/{code}.{fmt}`, `requests.{fmt}` (GET and
 * form-encoded POST with api_key), `requests/{id}.{fmt}`, `tokens/{token}.{fmt}`; errors are a list
 * of {code, description}. XML documents are read into the same shapes as the JSON ones.
 */
type Fmt = 'json' | 'xml';
const asList = (v: unknown) => (v == null || v === '' ? [] : Array.isArray(v) ? v : [v]);

class GeoReportClient {
  constructor(private app: TestApp['app'], private base: string, private fmt: Fmt, private jurisdiction: string) {}
  private parse(body: string, root: string, item: string): any[] {
    if (this.fmt === 'json') return JSON.parse(body);
    const doc = new XMLParser({ parseTagValue: false }).parse(body);
    return asList(doc[root]?.[item]);
  }
  private async get(path: string, query: Record<string, string> = {}) {
    const qs = new URLSearchParams({ jurisdiction_id: this.jurisdiction, ...query }).toString();
    return this.app.inject({ method: 'GET', url: `${this.base}/${path}.${this.fmt}?${qs}` });
  }
  errors(res: { body: string }) { return this.parse(res.body, 'errors', 'error'); }
  async services() { const r = await this.get('services'); return { status: r.statusCode, items: this.parse(r.body, 'services', 'service') }; }
  async definition(code: string) {
    const r = await this.get(`services/${encodeURIComponent(code)}`);
    if (this.fmt === 'json') return { status: r.statusCode, def: JSON.parse(r.body) };
    const d = new XMLParser({ parseTagValue: false }).parse(r.body).service_definition;
    if (!d) return { status: r.statusCode, def: null };
    return { status: r.statusCode, def: { service_code: d.service_code, attributes: asList(d.attributes?.attribute).map((a: any) => ({ ...a, values: asList(a.values?.value) })) } };
  }
  async post(fields: Record<string, string>) {
    const r = await this.app.inject({
      method: 'POST', url: `${this.base}/requests.${this.fmt}`, headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ jurisdiction_id: this.jurisdiction, ...fields }).toString(),
    });
    return { status: r.statusCode, items: r.statusCode < 300 ? this.parse(r.body, 'service_requests', 'request') : this.errors(r), body: r.body, type: String(r.headers['content-type']) };
  }
  async token(token: string) { const r = await this.get(`tokens/${token}`); return { status: r.statusCode, items: this.parse(r.body, 'service_requests', 'request') }; }
  async request(id: string) { const r = await this.get(`requests/${id}`); return { status: r.statusCode, items: this.parse(r.body, 'service_requests', 'request') }; }
  async requests(query: Record<string, string> = {}) { const r = await this.get('requests', query); return { status: r.statusCode, items: r.statusCode < 300 ? this.parse(r.body, 'service_requests', 'request') : this.errors(r), body: r.body }; }
}

describe('Open311 GeoReport v2', () => {
  let t: TestApp;
  let apiKey: string, jurisdiction: string, point: { lat: number; lng: number };
  beforeAll(async () => {
    t = await createTestApp();
    apiKey = (await t.app.inject({ method: 'POST', url: '/api/open311/keys', headers: bearer(await t.token('admin')), payload: { name: '市民热线 12345' } })).json().apiKey;
    jurisdiction = (await t.dbh.db.selectFrom('regions').select('code').where('parent_id', 'is', null).executeTakeFirstOrThrow()).code;
    // A point in 橡树湾, as a client's map would give it.
    const area = await t.dbh.db.selectFrom('request_areas as a').innerJoin('regions as g', 'g.id', 'a.compound_id').select(['a.lat', 'a.lng']).where('g.code', '=', 'XSW').executeTakeFirstOrThrow();
    point = { lat: area.lat + 0.0003, lng: area.lng - 0.0002 };
  });
  afterAll(() => t.close());

  for (const fmt of ['json', 'xml'] as const) {
    it(`lists services, reads a definition, posts with an attribute and api_key, resolves the token and reads the status (${fmt})`, async () => {
      const c = new GeoReportClient(t.app, '/open311/v2', fmt, jurisdiction);
      const services = await c.services();
      expect(services.status).toBe(200);
      const water = services.items.find((s: any) => s.service_code === 'repair.water');
      expect(water).toMatchObject({ service_name: '水电维修', type: 'realtime', group: '报事报修' });
      expect(String(water.metadata)).toBe('true');

      const { status, def } = await c.definition('repair.water');
      expect(status).toBe(200);
      expect(def.service_code).toBe('repair.water');
      const part = def.attributes.find((a: any) => a.code === 'part');
      expect(part).toMatchObject({ datatype: 'singlevaluelist' });
      expect(String(part.required)).toBe('true');
      const key = part.values[1].key;

      const posted = await c.post({
        api_key: apiKey, service_code: 'repair.water', lat: String(point.lat), long: String(point.lng), description: `楼道水管爆裂（${fmt}）`,
        first_name: '测试', last_name: '市民', phone: '13800001111', [`attribute[part]`]: key,
      });
      expect(posted.status, posted.body).toBe(201);
      const token = posted.items[0].token;
      expect(token).toBeTruthy();

      const resolved = await c.token(token);
      expect(resolved.status).toBe(200);
      const id = String(resolved.items[0].service_request_id);
      expect(id).toMatch(/^\d+$/);

      const one = await c.request(id);
      expect(one.status).toBe(200);
      expect(one.items[0]).toMatchObject({ service_code: 'repair.water', status: 'open', description: `楼道水管爆裂（${fmt}）` });
      expect(String(one.items[0].address)).toContain('橡树湾');
      expect(JSON.stringify(one.items)).not.toMatch(/13800001111|测试|市民/);

      // The status follows the request: a dispatcher closes it as referred → closed.
      const close = await t.app.inject({ method: 'POST', url: `/api/service-requests/${id}/close`, headers: bearer(await t.token('community.luming')), payload: { outcome: 'referred', referredTo: '区住建局' } });
      expect(close.statusCode, close.body).toBe(200);
      const after = await c.request(id);
      expect(after.items[0].status).toBe('closed');

      const filtered = await c.requests({ service_code: 'repair.water', status: 'closed' });
      expect(filtered.status).toBe(200);
      expect(filtered.items.some((r: any) => String(r.service_request_id) === id)).toBe(true);
      expect(filtered.items.every((r: any) => r.service_code === 'repair.water' && r.status === 'closed')).toBe(true);
      const byId = await c.requests({ service_request_id: id });
      expect(byId.items.map((r: any) => String(r.service_request_id))).toEqual([id]);
      const future = await c.requests({ start_date: new Date(Date.now() + 86400_000).toISOString() });
      expect(future.items).toEqual([]);
    });

    it(`refuses a POST without a valid api_key as the spec says, and reports other errors the same way (${fmt})`, async () => {
      const c = new GeoReportClient(t.app, '/open311/v2', fmt, jurisdiction);
      const fields = { service_code: 'repair.water', lat: String(point.lat), long: String(point.lng), description: '无密钥', 'attribute[part]': 'kitchen' };
      const before = await t.dbh.db.selectFrom('service_requests').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      for (const bad of [{}, { api_key: 'not-a-key' }] as Record<string, string>[]) {
        const res = await c.post({ ...fields, ...bad });
        expect(res.status).toBe(403);
        expect(res.type).toContain(fmt === 'json' ? 'json' : 'xml');
        expect(res.items).toHaveLength(1);
        expect(String(res.items[0].code)).toBe('403');
        expect(res.items[0].description).toBeTruthy();
      }
      const after = await t.dbh.db.selectFrom('service_requests').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
      const missing = await c.post({ api_key: apiKey, service_code: 'repair.water', description: '没有位置' });
      expect(missing.status).toBe(400);
      expect(String(missing.items[0].code)).toBe('400');
      const attr = await c.post({ ...fields, api_key: apiKey, 'attribute[part]': 'roof' });
      expect(attr.status).toBe(400);
      expect(attr.items[0].description).toContain('attribute.part');
      expect((await c.definition('no.such.service')).status).toBe(404);
      expect((await c.request('999999')).status).toBe(404);
      expect((await c.token('no-such-token')).status).toBe(404);
      const wrong = await new GeoReportClient(t.app, '/open311/v2', fmt, 'XX').services();
      expect(wrong.status).toBe(404);
      // A path the router cannot match (a newline in the code; a resource the spec does not have) is still answered in the spec's shape.
      for (const path of ['services/a%0Ab', 'nothing']) {
        const res = await t.app.inject({ url: `/open311/v2/${path}.${fmt}` });
        expect(res.statusCode).toBe(404);
        expect(c.errors(res)).toEqual([{ code: fmt === 'json' ? 404 : '404', description: 'Not found' }]);
      }
    });
  }

  it('never shows a seeded person\'s name, phone or room on a public read', async () => {
    const db = t.dbh.db;
    const people = await db.selectFrom('persons').select(['name', 'phone']).execute();
    const rooms = await db.selectFrom('regions').select('name').where('level', '=', 'room').distinct().execute();
    const bodies: string[] = [];
    for (const fmt of ['json', 'xml']) {
      const list = await t.app.inject({ url: `/open311/v2/requests.${fmt}?start_date=2000-01-01T00:00:00Z` });
      expect(list.statusCode).toBe(200);
      bodies.push(list.body);
      const ids = await db.selectFrom('service_requests').select('id').orderBy('id').limit(30).execute();
      for (const r of ids) bodies.push((await t.app.inject({ url: `/open311/v2/requests/${r.id}.${fmt}` })).body);
    }
    const all = JSON.parse(bodies[0]);
    expect(all.length).toBeGreaterThan(50);
    for (const r of all) expect(Object.keys(r).sort()).toEqual(['address', 'address_id', 'agency_responsible', 'description', 'expected_datetime', 'lat', 'long', 'media_url',
      'requested_datetime', 'service_code', 'service_name', 'service_notice', 'service_request_id', 'status', 'status_notes', 'updated_datetime', 'zipcode']);
    const text = bodies.join('\n');
    const leaks = [
      ...people.filter((p) => text.includes(p.name)).map((p) => `name ${p.name}`),
      ...people.filter((p) => p.phone && text.includes(p.phone)).map((p) => `phone ${p.phone}`),
      ...rooms.filter((r) => text.includes(r.name)).map((r) => `room ${r.name}`),
    ];
    expect(leaks).toEqual([]);
  });
});
