import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { XMLBuilder } from 'fast-xml-parser';
import { z } from 'zod';
import { appendAudit } from '../../core/audit.js';
import type { Executor } from '../../core/db.js';
import { AppError } from '../../core/errors.js';
import { dbId } from '../../core/http.js';
import { localeOf, t } from '../../core/i18n.js';
import { assertCleanInput } from '../../core/input-guard.js';
import { screenPublicText } from '../../core/public-text.js';
import { OPEN_STATUSES } from './requests-policy.js';
import { hashApiKey } from './requests-routes.js';
import type { AttributeDef, RequestStatus, RequestTeam } from './requests-tables.js';
import { checkAttributes, locate, newToken, OUTCOME_NAMES, recordRequestEvent, serviceTypeByCode, TEAM_NAMES } from './service-requests.js';

/**
 * Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2) under /open311/v2/: services, service
 * definitions, requests (read and, with an api_key, post — form-encoded), tokens; JSON or XML by
 * the path's extension, errors as the spec's array of {code, description}. Public reads carry only
 * the category, status, screened description, the compound (never the room or the point), times
 * and the agency: no requester name, phone or room. jurisdiction_id is the district root's code.
 */

type Format = 'json' | 'xml';
const format = z.enum(['json', 'xml']);
const BASE = '/open311/v2';
const xml = new XMLBuilder({ ignoreAttributes: false, format: false });
const XML_HEAD = { '?xml': { '@_version': '1.0', '@_encoding': 'utf-8' } };

/** The same document as JSON (an array) or XML (a root element with one child per item). */
function send(reply: FastifyReply, fmt: Format, status: number, root: string, item: string, rows: Record<string, unknown>[]) {
  reply.status(status).header('cache-control', 'no-store');
  if (fmt === 'json') return reply.type('application/json; charset=utf-8').send(JSON.stringify(rows));
  const clean = (v: unknown): unknown => (v == null ? '' : Array.isArray(v) ? v.map(clean) : typeof v === 'object' && !(v instanceof Date) ? Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, clean(x)])) : v instanceof Date ? v.toISOString() : v);
  return reply.type('text/xml; charset=utf-8').send(xml.build({ ...XML_HEAD, [root]: { [item]: rows.map((r) => clean(r)) } }));
}
const sendDoc = (reply: FastifyReply, fmt: Format, root: string, doc: Record<string, unknown>) => {
  if (fmt === 'json') return reply.type('application/json; charset=utf-8').send(JSON.stringify(doc));
  return reply.type('text/xml; charset=utf-8').send(xml.build({ ...XML_HEAD, [root]: doc }));
};

class Open311Error extends Error { constructor(readonly status: number, readonly description: string) { super(description); } }
const fmtOf = (req: FastifyRequest): Format => ((req.params as { format?: string } | undefined)?.format === 'xml' || /\.xml(\?|$)/.test(req.url) ? 'xml' : 'json');

/** Errors as the spec says: HTTP status plus [{code, description}] (XML: <errors><error>…). */
function errorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  const locale = localeOf(req);
  let status = 500, description = 'Internal error';
  if (err instanceof Open311Error) { status = err.status; description = err.description; }
  else if (err instanceof AppError) {
    status = err.status;
    const fields = Object.entries(err.fields ?? {}).map(([k, f]) => `${k}: ${t(locale, f.key, f.params)}`);
    description = fields.length ? fields.join('; ') : t(locale, err.messageKey, err.params);
  } else if (hasZodFastifySchemaValidationErrors(err)) {
    status = 400;
    description = (err.validation as { instancePath: string; message: string }[]).map((v) => `${String(v.instancePath).replace(/^\//, '') || err.validationContext}: ${v.message}`).join('; ');
  } else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) { status = err.statusCode; description = err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'Unsupported content type' : 'Bad request'; }
  else req.log.error({ err, reqId: req.id }, 'open311: unhandled error');
  return send(reply, fmtOf(req), status, 'errors', 'error', [{ code: status, description }]);
}

const PUBLIC_COLUMNS = ['r.id', 'r.status', 'r.description', 'r.team', 'r.outcome', 'r.created_at', 'r.updated_at', 'r.due_at', 't.code as service_code', 't.name as service_name',
  'u.name as unit_name', 'c.name as compound_name', 'm.name as community_name', 'a.lat as area_lat', 'a.lng as area_lng'] as const;

/** The public view of requests: only what any reader may see (no requester, room, point or photos). */
function publicQuery(db: Executor) {
  return db.selectFrom('service_requests as r').innerJoin('service_types as t', 't.id', 'r.service_type_id')
    .innerJoin('regions as c', 'c.id', 'r.compound_id').innerJoin('regions as m', 'm.id', 'r.community_id')
    .leftJoin('alliance_units as u', 'u.id', 't.alliance_unit_id').leftJoin('request_areas as a', 'a.compound_id', 'r.compound_id')
    .select(PUBLIC_COLUMNS);
}
type PublicRow = Awaited<ReturnType<ReturnType<typeof publicQuery>['execute']>>[number];

const round3 = (x: number | null) => (x == null ? null : Math.round(x * 1000) / 1000);
function presentPublic(r: PublicRow) {
  const closed = !OPEN_STATUSES.includes(r.status as RequestStatus);
  return {
    service_request_id: String(r.id), status: closed ? 'closed' : 'open',
    status_notes: r.outcome ? OUTCOME_NAMES[r.outcome] : null,
    service_name: r.service_name, service_code: r.service_code, description: screenPublicText(r.description),
    agency_responsible: r.team === 'alliance' && r.unit_name ? r.unit_name : TEAM_NAMES[r.team as RequestTeam],
    service_notice: null, address: `${r.community_name}${r.compound_name}`, address_id: null, zipcode: null,
    lat: round3(r.area_lat), long: round3(r.area_lng), media_url: null,
    requested_datetime: new Date(r.created_at).toISOString(), updated_datetime: new Date(r.updated_at).toISOString(),
    expected_datetime: closed ? null : new Date(r.due_at).toISOString(),
  };
}

const servicesRow = (s: { code: string; name: string; description: string | null; group_name: string; keywords: string | null; attributes: unknown }) => ({
  service_code: s.code, service_name: s.name, description: s.description ?? '', metadata: defsOf(s.attributes).length > 0, type: 'realtime', keywords: s.keywords ?? '', group: s.group_name,
});
const defsOf = (a: unknown) => (typeof a === 'string' ? JSON.parse(a) : a) as AttributeDef[];
const DATATYPES: Record<AttributeDef['datatype'], string> = { string: 'string', text: 'text', number: 'number', datetime: 'datetime', singlevaluelist: 'singlevaluelist' };

const dateParam = z.string().max(40).refine((s) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d{2}-\d{2}/.test(s) && Number(s.slice(0, 4)) >= 1000, { message: 'invalid_date' });
const anyDoc = (description: string) => ({
  description,
  content: Object.fromEntries(['application/json', 'text/xml'].map((m) => [m, { schema: z.custom<string>(() => true).meta({ type: 'string' }) }])),
});
const formBody = z.record(z.string().max(100), z.string().max(5000)).describe('application/x-www-form-urlencoded：api_key, service_code, lat, long, address_string, description, first_name, last_name, phone, email, attribute[code]…');

export async function open311Routes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = app.dbh.db;
  const pub = { public: true } as const;
  // Reads answered from the response cache; identical for every caller.
  const cachedPub = { public: true, responseCache: { ns: ['open311'] as [string], signedIn: true } };
  const tags = ['open311'];
  app.setErrorHandler(errorHandler);
  // The spec posts forms: parsed here, for these routes only (repeated keys: the last wins).
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => {
    try { done(null, Object.fromEntries(new URLSearchParams(String(body)))); } catch (err) { done(err as Error, undefined); }
  });

  const jurisdiction = async () => (await db.selectFrom('regions').select('code').where('parent_id', 'is', null).executeTakeFirst())?.code ?? null;
  const checkJurisdiction = async (j: string | undefined) => {
    if (j !== undefined && j !== (await jurisdiction())) throw new Open311Error(404, 'jurisdiction_id not found');
  };
  const jq = z.object({ jurisdiction_id: z.string().max(40).optional() });

  r.get(`${BASE}/services.:format`, {
    config: cachedPub, schema: { tags, summary: 'Open311：服务类别列表', params: z.object({ format }), querystring: jq, response: { 200: anyDoc('services') } },
  }, async (req, reply) => {
    await checkJurisdiction(req.query.jurisdiction_id);
    const rows = await db.selectFrom('service_types').select(['code', 'name', 'description', 'group_name', 'keywords', 'attributes']).where('active', '=', true).orderBy('sort').orderBy('id').execute();
    return send(reply, req.params.format, 200, 'services', 'service', rows.map(servicesRow));
  });

  r.get(`${BASE}/services/:service_code.:format`, {
    config: cachedPub,
    schema: { tags, summary: 'Open311：服务定义（附加字段）', params: z.object({ service_code: z.string().max(40), format }), querystring: jq, response: { 200: anyDoc('service_definition') } },
  }, async (req, reply) => {
    await checkJurisdiction(req.query.jurisdiction_id);
    const s = await db.selectFrom('service_types').select(['code', 'attributes']).where('code', '=', req.params.service_code).where('active', '=', true).executeTakeFirst();
    if (!s) throw new Open311Error(404, 'service_code not found');
    const attributes = defsOf(s.attributes).map((d, i) => ({
      variable: true, code: d.code, datatype: DATATYPES[d.datatype], required: d.required, datatype_description: d.datatype === 'datetime' ? 'ISO 8601' : '',
      order: i + 1, description: d.name, ...(d.values ? { values: d.values.map((v) => ({ key: v.key, name: v.name })) } : {}),
    }));
    if (req.params.format === 'json') return sendDoc(reply, 'json', 'service_definition', { service_code: s.code, attributes });
    return sendDoc(reply, 'xml', 'service_definition', {
      service_code: s.code, attributes: { attribute: attributes.map((a) => ({ ...a, ...(a.values ? { values: { value: a.values } } : {}) })) },
    });
  });

  r.get(`${BASE}/requests.:format`, {
    config: cachedPub,
    schema: {
      tags, summary: 'Open311：报事列表（不含报事人姓名、电话、房屋；位置为小区）', params: z.object({ format }), response: { 200: anyDoc('service_requests') },
      querystring: jq.extend({
        service_request_id: z.string().max(1000).regex(/^\d{1,10}(,\d{1,10})*$/).optional(), service_code: z.string().max(400).optional(),
        start_date: dateParam.optional(), end_date: dateParam.optional(), status: z.string().regex(/^(open|closed)(,(open|closed))?$/).optional(),
      }),
    },
  }, async (req, reply) => {
    const qy = req.query;
    await checkJurisdiction(qy.jurisdiction_id);
    let q = publicQuery(db);
    if (qy.service_request_id) {
      const ids = qy.service_request_id.split(',').map(Number).filter((n) => n <= 2147483647);
      q = q.where('r.id', 'in', ids.length ? ids : [0]);
    } else {
      // The spec's default window: the last 90 days, at most 1000 requests.
      const start = qy.start_date ? new Date(qy.start_date) : qy.end_date ? new Date(new Date(qy.end_date).getTime() - 90 * 86400_000) : new Date(Date.now() - 90 * 86400_000);
      q = q.where('r.created_at', '>=', start);
      if (qy.end_date) q = q.where('r.created_at', '<=', new Date(qy.end_date));
      if (qy.service_code) q = q.where('t.code', 'in', qy.service_code.split(','));
      if (qy.status) {
        const want = qy.status.split(',');
        if (!(want.includes('open') && want.includes('closed'))) q = want[0] === 'open' ? q.where('r.status', 'in', OPEN_STATUSES) : q.where('r.status', 'not in', OPEN_STATUSES);
      }
    }
    const rows = await q.orderBy('r.created_at', 'desc').orderBy('r.id', 'desc').limit(1000).execute();
    return send(reply, req.params.format, 200, 'service_requests', 'request', rows.map(presentPublic));
  });

  r.get(`${BASE}/requests/:id.:format`, {
    config: cachedPub, schema: { tags, summary: 'Open311：一条报事', params: z.object({ id: dbId, format }), querystring: jq, response: { 200: anyDoc('service_requests') } },
  }, async (req, reply) => {
    await checkJurisdiction(req.query.jurisdiction_id);
    const row = await publicQuery(db).where('r.id', '=', req.params.id).executeTakeFirst();
    if (!row) throw new Open311Error(404, 'service_request_id not found');
    return send(reply, req.params.format, 200, 'service_requests', 'request', [presentPublic(row)]);
  });

  r.get(`${BASE}/tokens/:token.:format`, {
    config: pub, schema: { tags, summary: 'Open311：由 token 查询报事编号', params: z.object({ token: z.string().max(64), format }), querystring: jq, response: { 200: anyDoc('service_requests') } },
  }, async (req, reply) => {
    await checkJurisdiction(req.query.jurisdiction_id);
    const row = await db.selectFrom('service_requests').select(['id', 'token']).where('token', '=', req.params.token).executeTakeFirst();
    if (!row) throw new Open311Error(404, 'token not found');
    return send(reply, req.params.format, 200, 'service_requests', 'request', [{ service_request_id: String(row.id), token: row.token }]);
  });

  r.post(`${BASE}/requests.:format`, {
    config: pub,
    schema: {
      tags, summary: 'Open311：提交报事（application/x-www-form-urlencoded，须 api_key；返回 token）', params: z.object({ format }),
      consumes: ['application/x-www-form-urlencoded'], body: formBody, response: { 201: anyDoc('service_requests') },
    },
  }, async (req, reply) => {
    const f = req.body as Record<string, string>;
    assertCleanInput(f);
    await checkJurisdiction(f.jurisdiction_id);
    const client = f.api_key ? await db.selectFrom('open311_clients').select(['id', 'name']).where('key_hash', '=', hashApiKey(f.api_key)).where('revoked_at', 'is', null).executeTakeFirst() : undefined;
    if (!client) throw new Open311Error(403, 'Invalid api_key');
    if (!f.service_code) throw new Open311Error(400, 'service_code was not provided');
    const lat = f.lat !== undefined ? Number(f.lat) : NaN, lng = f.long !== undefined ? Number(f.long) : NaN;
    if (!Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180) throw new Open311Error(400, 'lat and long are required (address_string alone cannot be located)');
    const description = (f.description ?? '').trim();
    if (description.length > 4000) throw new Open311Error(400, 'description is longer than 4000 characters');
    const given: Record<string, string> = {};
    for (const [k, v] of Object.entries(f)) { const m = /^attribute\[(.+)\]$/.exec(k); if (m) given[m[1]] = v; }
    const phone = f.phone?.replace(/[\s-]/g, '');
    const row = await db.transaction().execute(async (tx) => {
      const type = await serviceTypeByCode(tx, f.service_code).catch(() => { throw new Open311Error(400, 'service_code not found'); });
      const attributes = checkAttributes(type.attributes, given, 'attribute');
      const at = await locate(tx, { lat, lng }).catch(() => { throw new Open311Error(400, 'the location is outside the jurisdiction\'s service areas'); });
      const now = new Date();
      const due = new Date(now.getTime() + type.sla_hours * 3600_000);
      const name = [f.last_name, f.first_name].filter(Boolean).join('').slice(0, 40) || null;
      const req311 = await tx.insertInto('service_requests').values({
        token: newToken(), service_type_id: type.id, description: description || type.name, attributes: JSON.stringify(attributes),
        room_id: null, compound_id: at.compoundId, community_id: at.communityId, street_id: at.streetId, region_path: at.path, lat, lng,
        preferred_time: null, requester_account_id: null, requester_person_id: null, contact_name: name, contact_phone: phone && /^\+?\d{5,20}$/.test(phone) ? phone : null,
        submitted_by: null, channel: 'open311', open311_client_id: client.id, team: type.team, sla_hours: type.sla_hours, sla_started_at: now, due_at: due, next_escalation_at: due,
        created_at: now, updated_at: now,
      }).returning(['id', 'token']).executeTakeFirstOrThrow();
      await recordRequestEvent(tx, req311.id, 'submitted', null, null, { channel: 'open311', client: client.name });
      await appendAudit(tx, { id: null, name: `open311:${client.name}`, role: 'open311_client', ip: req.ip, requestId: req.id },
        { action: 'service_request.create', targetType: 'service_request', targetId: req311.id, summary: { serviceCode: type.code, channel: 'open311', clientId: client.id } });
      return { ...req311, notice: `预计 ${type.sla_hours} 小时内处理` };
    });
    return send(reply, req.params.format, 201, 'service_requests', 'request', [{ token: row.token, service_notice: row.notice }]);
  });

  // Anything else under the base (an unknown path, or a segment the router cannot match, such as one
  // holding a newline) is still an Open311 client talking: answer in the spec's error shape.
  await app.register(async (under) => {
    under.setNotFoundHandler((req, reply) => send(reply, fmtOf(req), 404, 'errors', 'error', [{ code: 404, description: 'Not found' }]));
  }, { prefix: BASE });
}

