import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idCheckChar } from '../../server/src/core/identity.js';
import { activityToken } from '../../server/src/modules/party/checkin-token.js';
import { bearer, createTestApp, DEMO_PASSWORD, type TestApp } from '../helpers/app.js';
import { jpegWithGps, multipart } from '../helpers/multipart.js';

/**
 * The scope walk: every /api route × every demo account, aimed at records of a
 * region outside the account's data scope (and at other accounts' own records),
 * for reads and writes. A refused write must leave its target rows as they were;
 * a list, export or statistic must hold nothing from outside the scope.
 *
 * ROUTES has one entry per route ("METHOD url"); the first test fails when a route
 * exists without an entry, so a new route cannot ship without saying how it is
 * kept in scope. An entry returns the probes for one account, or a sentence saying
 * why nothing is out of that account's reach through the route.
 */

type Res = Awaited<ReturnType<TestApp['app']['inject']>>;
type ZoneKey = 'LMY' | 'JLH' | 'KC';

interface Acct {
  username: string; id: number; token: string | null; perms: Set<string>;
  personId: number | null; orgId: number | null; scopeRegionId: number | null; scopePath: string;
  zone: ZoneKey | null;
}

interface Probe {
  /** The route's url with ids filled in (the method is the route's). */
  url: string;
  payload?: unknown;
  form?: { payload: Buffer; headers: Record<string, string> };
  /** refuse: the answer is 403 or 404 (or a listed `also`); show: it may succeed, but `check` finds nothing out of scope. */
  expect: 'refuse' | 'show';
  also?: number[];
  /** What leaked, if anything (run on a 2xx for `show`, on the refusal for `refuse`). */
  check?: (res: Res, a: Acct) => Promise<string[]> | string[];
  /** The rows the request must not change (compared before and after). */
  rows?: () => Promise<unknown>;
  prepare?: () => Promise<void>;
  /** After the walk, the same request (or this payload) by this account must succeed: the probe was a valid request. */
  control?: { as: string; payload?: unknown; form?: Probe['form'] };
}

type Entry = (a: Acct) => Probe[] | string;

const DEMO = ['admin', 'street.huanghai', 'community.luming', 'community.julonghu', 'grid.xiangshuwan', 'property.xiangshuwan',
  'owners.xiangshuwan', 'unit.demo', 'member.demo', 'resident.demo'] as const;

/** Whose records each account is aimed at: the nearest region outside its scope. */
const ZONE_OF: Record<string, ZoneKey | null> = {
  admin: null, // the whole district: only other accounts' own records are out of reach
  'street.huanghai': 'KC', 'unit.demo': 'KC', // 黄海街道 → 科城街道
  'community.luming': 'JLH', 'member.demo': 'JLH', // 鹿鸣社区 → 聚龙湖社区
  'community.julonghu': 'LMY', // 聚龙湖社区 → 鹿鸣社区 (鹿鸣苑)
  'grid.xiangshuwan': 'LMY', 'property.xiangshuwan': 'LMY', 'owners.xiangshuwan': 'LMY', 'resident.demo': 'LMY', // 橡树湾 → 鹿鸣苑
};
const ZONE_DEF: Record<ZoneKey, { owner: string; community: string; compound: string }> = {
  LMY: { owner: 'community.luming', community: 'HH-LM', compound: 'LMY' },
  JLH: { owner: 'community.julonghu', community: 'HH-JLH', compound: 'JLH-C1' },
  KC: { owner: 'kc.worker', community: 'KC-KC', compound: 'KC-C1' },
};
const PUBLIC_STATUSES = ['published', 'claimed', 'fulfilled', 'confirmed'];
const NA_DISTRICT = 'district scope: every region is in scope';
const HUB = 'the Red Brain hub is district-wide: access is by department and approval (policy.ts rowAccess), not by region';

interface Region { id: number; path: string; code: string; name: string; level: string; parent_id: number | null }
interface Person { id: number; name: string; id_number: string; household_id: number; region_path: string }
interface Place { community: Region; compound: Region; building: Region; unit: Region; room: Region; freshUnit: Region; person: Person }
interface ZoneFx extends Place {
  key: ZoneKey; owner: string; ownerId: number; org: number; communityUnit: number;
  w: Record<'editMe' | 'photoMe' | 'reviewMe' | 'withdrawMe' | 'claimMe' | 'revokeMe' | 'confirmMe' | 'pending' | 'rejected' | 'withdrawn' | 'published', number>;
  photo: number; consultation: number; voteDraft: number; voteDraft2: number; voteOpen: number; voteOpenClose: number; voteClosed: number;
  objection: number; scan: number; elevator: { id: number; stage: string };
  pendingUnit: number; need: number; project: number; milestone: number; proposal: number;
}
interface Fixtures {
  zones: Record<ZoneKey, ZoneFx>;
  /** Per account (by username): its home place, and foreign wishes it submitted or claimed. */
  home: Record<string, Place>;
  sub: Record<string, { pending: number; published: number; fulfilled: number; photo: number }>;
  claim: Record<string, number>;
  /** A wish in everyone's scope with a live claim by an account no prober is. */
  othersClaim: number;
  currentSeason: number; kcSeason: number; kcWorker: number; kcNotification: number;
  photoForm: Probe['form']; photoFormFulfil: Probe['form']; scanForm: Probe['form'];
}

let t: TestApp;
let F: Fixtures;
const tally = { probes: 0, probedPairs: 0, notApplicable: 0, lacksPermission: 0, routes: 0 };
const controls: { key: string; method: string; probe: Probe }[] = [];

// ---------------------------------------------------------------- helpers

const db = () => t.dbh.db;
const q = async <T = any>(text: TemplateStringsArray, ...vals: unknown[]) => (await sql<T>(text, ...vals).execute(db())).rows;
const inScope = (a: Acct, path: string | null | undefined) => !!path && !!a.scopePath && path.startsWith(a.scopePath);
/** A region on the account's line: inside its scope, or one of the scope's ancestors (a community over a compound scope). */
const onLine = (a: Acct, path: string | null | undefined) => inScope(a, path) || (!!path && !!a.scopePath && a.scopePath.startsWith(path));
const Z = (a: Acct) => F.zones[a.zone!];
/** A zone inside the account's scope, for requests that pair one of its own records with a foreign one. */
const homeZone = (a: Acct) => Object.values(F.zones).find((z) => inScope(a, z.community.path)) ?? null;
const forZone = (fn: (z: ZoneFx, a: Acct) => Probe[]): Entry => (a) => (a.zone ? fn(Z(a), a) : NA_DISTRICT);
const refuse = (p: Omit<Probe, 'expect'>): Probe => ({ expect: 'refuse', ...p });
const show = (p: Omit<Probe, 'expect'>): Probe => ({ expect: 'show', ...p });
const body = (res: Res) => { try { return res.json(); } catch { return undefined; } };
const snippet = (res: Res) => {
  const type = String(res.headers['content-type'] ?? '');
  return /json|text/.test(type) ? res.body.slice(0, 300).replace(/\s+/g, ' ') : `<${type}, ${res.rawPayload.length} bytes>`;
};

async function row(table: string, id: number): Promise<any> {
  return (await sql`select * from ${sql.table(table)} where id = ${id}`.execute(db())).rows[0];
}
const rowsWhere = (table: string, col: string, v: unknown) => async () =>
  (await sql`select * from ${sql.table(table)} where ${sql.ref(col)} = ${v} order by 1`.execute(db())).rows;

/** The region path each id of a kind of record lies under. */
async function pathsOf(kind: string, ids: number[]): Promise<Map<number, string>> {
  if (!ids.length) return new Map();
  const list = sql.join(ids);
  const by: Record<string, ReturnType<typeof sql>> = {
    regions: sql`select id, path from regions where id in (${list})`,
    persons: sql`select id, region_path as path from persons where id in (${list})`,
    wishes: sql`select id, region_path as path from wishes where id in (${list})`,
    accounts: sql`select a.id, r.path from accounts a left join regions r on r.id = a.scope_region_id where a.id in (${list})`,
    organisations: sql`select o.id, r.path from organisations o join regions r on r.id = o.region_id where o.id in (${list})`,
    grids: sql`select g.id, r.path from grids g join regions r on r.id = g.community_id where g.id in (${list})`,
    consultations: sql`select id, scope_path as path from consultations where id in (${list})`,
    elevators: sql`select id, unit_path as path from elevator_projects where id in (${list})`,
    units: sql`select u.id, r.path from alliance_units u join regions r on r.id = u.committee_region_id where u.id in (${list})`,
    needs: sql`select id, region_path as path from needs where id in (${list})`,
  };
  const rows = (await by[kind].execute(db())).rows as { id: number; path: string }[];
  return new Map(rows.map((r) => [r.id, r.path]));
}

/** How many records of a kind lie in the account's scope: no list's total may exceed it. */
async function countIn(kind: string, a: Acct): Promise<number> {
  const like = `${a.scopePath}%`;
  const by: Record<string, ReturnType<typeof sql>> = {
    persons: sql`select count(*)::int as n from persons where region_path like ${like}`,
    wishes: sql`select count(*)::int as n from wishes where region_path like ${like}`,
    accounts: sql`select count(*)::int as n from accounts a join regions r on r.id = a.scope_region_id where r.path like ${like}`,
    grids: sql`select count(*)::int as n from grids g join regions r on r.id = g.community_id where r.path like ${like}`,
    elevators: sql`select count(*)::int as n from elevator_projects where unit_path like ${like}`,
    needs: sql`select count(*)::int as n from needs where region_path like ${like}`,
  };
  return Number(((await by[kind].execute(db())).rows[0] as { n: number }).n);
}

/** Ids of records outside the account's scope (or not on its line). */
async function outside(kind: string, ids: number[], a: Acct, rel: 'in' | 'line' = 'in') {
  const paths = await pathsOf(kind, [...new Set(ids)]);
  const ok = rel === 'in' ? inScope : onLine;
  return [...new Set(ids)].filter((id) => !ok(a, paths.get(id)));
}

/** A list answer whose items (by `idKey`) must all be in scope; with `total0`, its total must be 0 as well. */
const listIn = (kind: string, opts: { idKey?: string; rel?: 'in' | 'line'; total0?: boolean; totalIn?: boolean; items?: (b: any) => any[] } = {}) =>
  async (res: Res, a: Acct) => {
    const b = res.json();
    const items: any[] = opts.items ? opts.items(b) : b.items;
    const bad = await outside(kind, items.map((i) => Number(i[opts.idKey ?? 'id'])), a, opts.rel);
    const out = bad.length ? [`${kind} outside scope: ${bad.slice(0, 8).join(', ')}${bad.length > 8 ? ` (+${bad.length - 8})` : ''}`] : [];
    if (opts.total0 && b.total !== 0) out.push(`total ${b.total} counts records outside scope`);
    if (opts.totalIn) { const n = await countIn(kind, a); if (b.total > n) out.push(`total ${b.total}, but only ${n} ${kind} are in scope`); }
    return out;
  };

async function sheetRows(res: Res): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as any);
  const out: unknown[][] = [];
  wb.worksheets[0].eachRow((r, n) => { if (n > 1) out.push((r.values as unknown[]).slice(1)); });
  return out;
}

/** A valid ID number (correct check digit) like `like` that no one in the registry has. */
async function unknownIdNumber(like: string) {
  for (let k = 501; ; k++) {
    const first17 = `${like.slice(0, 14)}${String((Number(like.slice(14, 17)) + k) % 1000).padStart(3, '0')}`;
    const id = first17 + idCheckChar(first17);
    if (!(await db().selectFrom('persons').select('id').where('id_number', '=', id).executeTakeFirst())) return id;
  }
}

async function xlsx(headers: string[], rows: unknown[][], fields: Record<string, string> = {}) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('sheet');
  ws.addRow(headers);
  for (const r of rows) ws.addRow(r);
  return multipart(fields, [{ field: 'file', name: 'sheet.xlsx', type: 'application/octet-stream', data: Buffer.from(await wb.xlsx.writeBuffer()) }]);
}
const WISH_SHEET = ['社区', '受益人身份证号', '心愿标题', '心愿描述', '类别', '对象类型', '预估价值(元)', '走访日期', '走访人'];
const wishSheet = (community: string, idNumber: string) =>
  xlsx(WISH_SHEET, [[community, idNumber, '想要一台收音机', '独居多年，想听戏曲广播。', '物质', '独居老人', 120, '2026-11-20', '走访员']], { seasonId: String(F.currentSeason) });
const OWNER_SHEET = ['房屋编码', '房屋', '楼层', '专有部分面积(㎡)', '面积来源', '业主身份证号（多人用；分隔）', '投票人身份证号', '开发商未售'];
const ownerSheet = (room: Region & { floor?: number; area?: number }, idNumber: string) =>
  xlsx(OWNER_SHEET, [[room.code, room.name, room.floor ?? 1, room.area ?? 88.5, '不动产登记', idNumber, idNumber, '']]);

/** The row problems of an import answer, as "field: message" with the row number left out. */
const importProblems = (res: Res) => Object.entries(body(res)?.error?.fields ?? {}).map(([k, v]) => `${k.replace(/^row\d+\./, '')}: ${v}`).sort();

/** Sends a second request and says whether the two imports answered differently (an existence oracle). */
const sameAnswerAs = (method: string, url: string, other: () => Promise<Probe['form']>) => async (res: Res, a: Acct) => {
  const form = (await other())!;
  const res2 = await t.app.inject({ method: method as any, url, headers: { ...bearer(a.token!), ...form.headers }, payload: form.payload });
  const one = `${res.statusCode} ${importProblems(res).join('; ')}`, two = `${res2.statusCode} ${importProblems(res2).join('; ')}`;
  return one === two ? [] : [`answers differently for another community's ID number (${one}) and an unknown one (${two})`];
};

const WISH_PRIVATE = ['beneficiaryContact', 'reviewReason', 'claimer', 'channel', 'visit'];
const noPrivateWish = (res: Res) => {
  const b = res.json();
  const leaked = WISH_PRIVATE.filter((k) => b[k] !== undefined && b[k] !== null);
  return leaked.length ? [`private fields ${leaked.join(', ')}${b.beneficiaryContact ? ` (contact: ${JSON.stringify(b.beneficiaryContact)})` : ''}`] : [];
};

/** Every node of a tree answer ({ children } nested). */
const flatTree = (nodes: any[]): any[] => nodes.flatMap((n) => [n, ...flatTree(n.children ?? [])]);

const newWish = { title: '想要一台收音机', story: '独居多年，想听听戏曲广播解闷。', category: 'goods', targetGroup: 'elder', estimatedValue: 120 };
const today = () => new Date().toISOString().slice(0, 10);
const inDays = (n: number) => new Date(Date.now() + n * 86400_000).toISOString().slice(0, 10);

// ---------------------------------------------------------------- the table

const ROUTES: Record<string, Entry> = {
  // system and sign-in
  'GET /api/openapi.json': () => 'the API description: no records',
  'GET /api/health': () => 'no records',
  'POST /api/auth/login': () => 'signs in with the account\'s own password',
  'POST /api/auth/sms/send': () => 'sends a code to the phone given; every phone gets the same answer, an SMS only an account\'s own',
  'POST /api/auth/sms/login': () => 'signs in with the code sent to the account\'s own phone',
  'POST /api/auth/logout': () => 'ends the caller\'s own session',
  'GET /api/auth/me': () => [show({ url: '/api/auth/me', check: (res, a) => (res.json().account.id === a.id ? [] : [`answered for account ${res.json().account.id}`]) })],
  'GET /api/auth/csrf': () => 'the caller\'s own session token',
  'POST /api/auth/sms/verify': () => 'completes the caller\'s own password sign-in with the code sent to that account\'s phone',
  'GET /api/auth/methods': () => 'which ways of signing in are set up: no records',
  'GET /api/auth/policy': () => 'the district-wide sign-in policy: no records of a region',
  'PUT /api/auth/policy': () => 'the district-wide sign-in policy (auth:policy, district admin only): no records of a region',
  'GET /api/auth/wechat/authorize': () => 'a redirect to WeChat: no records',
  'GET /api/auth/wechat/callback': () => 'signs in the account bound to the caller\'s own WeChat openid (WeChat off in the walk)',
  'POST /api/auth/wechat/bind': () => 'binds the caller\'s own openid to the account of the phone the caller proved by code (WeChat off in the walk)',

  // regions
  'GET /api/regions/tree': () => [show({
    url: '/api/regions/tree?maxLevel=compound',
    check: listIn('regions', { items: (b) => flatTree(b.items) }),
  })],
  'GET /api/regions/:id': forZone((z) => [refuse({ url: `/api/regions/${z.compound.id}` }), refuse({ url: `/api/regions/${z.room.id}` })]),
  'GET /api/regions/:id/children': forZone((z) => [refuse({ url: `/api/regions/${z.compound.id}/children` })]),
  'POST /api/regions': forZone((z) => [refuse({
    url: '/api/regions', payload: { parentId: z.building.id, name: '9单元', code: `SW-${z.key}-U9` },
    rows: rowsWhere('regions', 'code', `SW-${z.key}-U9`), control: { as: 'admin' },
  })]),
  'PATCH /api/regions/:id': forZone((z) => [refuse({ url: `/api/regions/${z.building.id}`, payload: { name: '越界改名幢' }, rows: () => row('regions', z.building.id), control: { as: 'admin' } })]),
  'GET /api/grids': (a) => [
    show({ url: '/api/grids?pageSize=100', check: listIn('grids', { totalIn: true }) }),
    ...(a.zone ? [show({ url: `/api/grids?communityId=${Z(a).community.id}&pageSize=100`, check: listIn('grids') })] : []),
  ],

  // organisations
  'GET /api/orgs/tree': () => [show({
    url: '/api/orgs/tree',
    check: listIn('organisations', { items: (b) => flatTree(b.items) }),
  })],
  'POST /api/orgs': forZone((z) => [refuse({
    url: '/api/orgs', payload: { kind: 'branch', name: '越界党支部', code: `SW-ORG-${z.key}`, regionId: z.compound.id },
    rows: rowsWhere('organisations', 'code', `SW-ORG-${z.key}`), control: { as: 'admin' },
  })]),
  'PATCH /api/orgs/:id': forZone((z) => [refuse({ url: `/api/orgs/${z.org}`, payload: { name: '越界改名党支部' }, rows: () => row('organisations', z.org), control: { as: 'admin' } })]),

  // people
  'GET /api/people': (a) => [
    show({ url: '/api/people?pageSize=100', check: listIn('persons', { totalIn: true }) }),
    ...(a.zone ? [
      refuse({ url: `/api/people?regionId=${Z(a).compound.id}` }),
      show({ url: `/api/people?q=${encodeURIComponent(Z(a).person.name)}&pageSize=100`, check: listIn('persons') }),
      show({ url: `/api/people?householdId=${Z(a).person.household_id}`, check: listIn('persons', { total0: true }) }),
    ] : []),
  ],
  'GET /api/people/export.xlsx': forZone((z) => [
    refuse({ url: `/api/people/export.xlsx?regionId=${z.compound.id}&purpose=${encodeURIComponent('核对名单')}` }),
    show({
      url: `/api/people/export.xlsx?householdId=${z.person.household_id}&purpose=${encodeURIComponent('核对名单')}`,
      check: async (res, a) => { const bad = await outside('persons', (await sheetRows(res)).map((r) => Number(r[0])), a); return bad.length ? [`exported persons ${bad.join(', ')}`] : []; },
    }),
  ]),
  'GET /api/people/:id': forZone((z, a) => [
    refuse({ url: `/api/people/${z.person.id}` }),
    refuse({ url: `/api/people/${z.person.id}?reveal=1&purpose=${encodeURIComponent('走访')}` }),
    // A resident in scope whose household has members who moved to other communities: those members stay hidden.
    show({ url: `/api/people/${F.home[a.username].person.id}`, check: listIn('persons', { items: (b) => b.household }) }),
  ]),
  'POST /api/people': forZone((z, a) => [
    refuse({ url: '/api/people', payload: { name: '越界新增居民', sex: 'F', regionId: z.room.id }, also: [400], rows: rowsWhere('persons', 'name', '越界新增居民'), control: { as: z.owner } }),
    refuse({ url: '/api/people', payload: { name: '越界入户居民', sex: 'M', regionId: F.home[a.username].room.id, householdId: z.person.household_id }, also: [400], rows: rowsWhere('persons', 'name', '越界入户居民') }),
  ]),
  'PATCH /api/people/:id': forZone((z, a) => [
    refuse({ url: `/api/people/${z.person.id}`, payload: { name: '越界改名' }, rows: () => row('persons', z.person.id), control: { as: z.owner } }),
    refuse({ url: `/api/people/${F.home[a.username].person.id}`, payload: { householdId: z.person.household_id }, also: [400], rows: () => row('persons', F.home[a.username].person.id) }),
    refuse({ url: `/api/people/${F.home[a.username].person.id}`, payload: { regionId: z.room.id }, also: [400], rows: () => row('persons', F.home[a.username].person.id) }),
  ]),
  'GET /api/me/household': () => [show({
    url: '/api/me/household',
    check: async (res, a) => {
      const h = res.json().household;
      if (!h) return [];
      const mine = a.personId ? (await row('persons', a.personId)).household_id : null;
      const ids = h.members.map((m: any) => m.id);
      const others = ids.length ? await q`select id from persons where id in (${sql.join(ids)}) and household_id is distinct from ${mine}` : [];
      return others.length ? [`members of another household: ${others.map((o: any) => o.id).join(', ')}`] : [];
    },
  })],

  // accounts
  'GET /api/roles': () => 'the role table: the same for every holder, no regional data',
  'GET /api/accounts': (a) => [
    show({ url: '/api/accounts?pageSize=100', check: listIn('accounts', { totalIn: true }) }),
    ...(a.zone ? [show({ url: `/api/accounts?q=${encodeURIComponent(Z(a).owner)}`, check: listIn('accounts') })] : []),
  ],
  'POST /api/accounts': forZone((z) => [refuse({
    url: '/api/accounts', payload: { username: `sw.${z.key.toLowerCase()}.new`, password: 'Walk@2026ok', displayName: '越界账号', roles: ['resident'], scopeRegionId: z.compound.id },
    rows: rowsWhere('accounts', 'username', `sw.${z.key.toLowerCase()}.new`), control: { as: 'admin' },
  })]),
  'PATCH /api/accounts/:id': forZone((z) => [refuse({ url: `/api/accounts/${z.ownerId}`, payload: { displayName: '越界改名' }, rows: () => row('accounts', z.ownerId), control: { as: 'admin' } })]),
  'POST /api/accounts/:id/password': forZone((z) => [refuse({ url: `/api/accounts/${z.ownerId}/password`, payload: { password: 'Walk@2026ok' }, rows: () => row('accounts', z.ownerId) })]),
  'POST /api/me/password': () => 'changes the caller\'s own password, given the current one',

  // audit: not scoped, so only district-wide accounts may hold audit:read
  'GET /api/audit': (a) => (a.zone ? [refuse({ url: '/api/audit' })] : 'the district\'s audit log, for district-wide accounts'),
  'GET /api/audit/verify': (a) => (a.zone ? [refuse({ url: '/api/audit/verify' })] : 'checks the whole chain; district-wide accounts only'),
  'GET /api/audit/pi-access': (a) => (a.zone ? [refuse({ url: '/api/audit/pi-access' })] : 'the district\'s personal-data access log'),

  // cockpit
  'GET /api/cockpit/overview': () => [show({
    url: '/api/cockpit/overview',
    check: async (res, a) => {
      const b = res.json();
      const out = b.scope?.id === a.scopeRegionId ? [] : [`scope ${b.scope?.id} is not the account's`];
      return [...out, ...(await listIn('regions', { items: (x) => x.breakdown })(res, a))];
    },
  })],
  // The console home's to-do counts: each equals the same count taken inside the account's scope (none without a scope).
  'GET /api/dashboard/todo': () => [show({
    url: '/api/dashboard/todo',
    check: async (res, a) => {
      const items: { key: string; count: number }[] = res.json().items;
      const like = a.scopePath ? `${a.scopePath}%` : '(no scope)';
      const [inScope] = await q`select
        (select count(*)::int from wishes where status = 'pending_review' and region_path like ${like}) as "reviewWishes",
        (select count(distinct v.id)::int from votes v join consultations c on c.id = v.consultation_id join vote_rooms vr on vr.vote_id = v.id
          left join vote_participations vp on vp.vote_id = vr.vote_id and vp.room_id = vr.room_id
          where v.status = 'open' and vp.room_id is null and c.scope_path like ${like}) as "enterBallots"`;
      return items.filter((i) => i.key in inScope && i.count !== inScope[i.key]).map((i) => `${i.key}: ${i.count}, in scope ${inScope[i.key]}`);
    },
  })],
  'GET /api/cockpit/map': () => [show({
    url: '/api/cockpit/map',
    check: async (res, a) => {
      const b = res.json();
      const regions = [...b.regions.map((r: any) => r.id), ...b.geo.features.map((f: any) => f.properties.id)];
      const places = b.points.map((p: any) => p.communityId ?? p.streetId).filter((id: number | null) => id != null);
      return [...await listIn('regions', { items: () => regions.map((id: number) => ({ id })) })(res, a), ...await listIn('regions', { items: () => places.map((id: number) => ({ id })) })(res, a)];
    },
  })],
  'GET /api/cockpit/wishes': () => [show({ url: `/api/cockpit/wishes?seasonId=${F.currentSeason}`, check: listIn('regions', { idKey: 'communityId', rel: 'line' }) })],
  // The drill-down: the nearest community outside the account's scope is refused (its own is tests/api/cockpit.test.ts's).
  ...Object.fromEntries(['overview', 'wishes', 'alliance', 'property', 'party', 'brain'].map((panel) => [`GET /api/cockpit/:level/:regionId/${panel}`,
    forZone((z) => [refuse({ url: `/api/cockpit/community/${z.community.id}/${panel}`, control: { as: 'admin' } })])])),
  'GET /api/public/figures': () => 'district-wide counts only, the same for everyone (tests/api/public-figures.test.ts checks)',

  // wishes
  'POST /api/wishes': forZone((z) => [refuse({
    url: '/api/wishes', payload: { ...newWish, seasonId: F.currentSeason, beneficiaryPersonId: z.person.id, visit: { date: '2026-11-20', visitor: '走访员' } },
    rows: rowsWhere('wishes', 'beneficiary_person_id', z.person.id), control: { as: z.owner },
  })]),
  'GET /api/wishes': (a) => [
    show({ url: '/api/wishes?pageSize=100', check: listIn('wishes', { totalIn: true }) }),
    ...(a.zone ? [show({ url: `/api/wishes?communityId=${Z(a).community.id}&pageSize=100`, check: listIn('wishes', { total0: a.zone !== 'LMY' }) })] : []),
  ],
  'GET /api/wishes/export.xlsx': (a) => [show({
    url: `/api/wishes/export.xlsx?purpose=${encodeURIComponent('核对')}${a.zone ? `&communityId=${Z(a).community.id}` : ''}`,
    check: async (res) => { const bad = await outside('wishes', (await sheetRows(res)).map((r) => Number(String(r[0]).replace(/^XY0*/, ''))), a); return bad.length ? [`exported wishes ${bad.join(', ')}`] : []; },
  })],
  'GET /api/wishes/import-template.xlsx': () => 'a blank template',
  'POST /api/wishes/import': forZone((z, a) => {
    const home = F.home[a.username].community;
    const foreign = refuse({ url: '/api/wishes/import', also: [400], rows: rowsWhere('wishes', 'beneficiary_person_id', z.person.id), control: { as: z.owner } });
    foreign.prepare = async () => { foreign.form = await wishSheet(z.community.name, z.person.id_number); foreign.control!.form = foreign.form; };
    if (!inScope(a, home.path)) return [foreign];
    // The caller's own community with another community's resident: the same answer as for an ID number nobody has.
    const oracle = refuse({
      url: '/api/wishes/import', also: [400], rows: rowsWhere('wishes', 'beneficiary_person_id', z.person.id),
      check: sameAnswerAs('POST', '/api/wishes/import', async () => wishSheet(home.name, await unknownIdNumber(z.person.id_number))),
    });
    oracle.prepare = async () => { oracle.form = await wishSheet(home.name, z.person.id_number); };
    return [foreign, oracle];
  }),
  'GET /api/wishes/:id': forZone((z, a) => [
    refuse({ url: `/api/wishes/${z.w.pending}` }),
    refuse({ url: `/api/wishes/${z.w.rejected}` }),
    refuse({ url: `/api/wishes/${z.w.withdrawn}` }),
    refuse({ url: `/api/wishes/${F.sub[a.username].pending}` }),
    show({ url: `/api/wishes/${z.w.published}`, check: noPrivateWish }),
    show({ url: `/api/wishes/${F.sub[a.username].published}`, check: noPrivateWish }),
    show({ url: `/api/wishes/${F.claim[a.username]}`, check: noPrivateWish }),
  ]),
  'PATCH /api/wishes/:id': forZone((z, a) => [
    refuse({ url: `/api/wishes/${z.w.editMe}`, payload: { title: '越界改标题' }, rows: () => row('wishes', z.w.editMe), control: { as: z.owner } }),
    refuse({ url: `/api/wishes/${F.sub[a.username].pending}`, payload: { title: '越界改标题' }, rows: () => row('wishes', F.sub[a.username].pending) }),
  ]),
  'POST /api/wishes/:id/photos': forZone((z, a) => [
    refuse({ url: `/api/wishes/${z.w.photoMe}/photos`, form: F.photoForm, rows: rowsWhere('wish_photos', 'wish_id', z.w.photoMe), control: { as: z.owner } }),
    refuse({ url: `/api/wishes/${F.sub[a.username].pending}/photos`, form: F.photoForm, rows: rowsWhere('wish_photos', 'wish_id', F.sub[a.username].pending) }),
  ]),
  'POST /api/wishes/:id/review': forZone((z) => [refuse({ url: `/api/wishes/${z.w.reviewMe}/review`, payload: { decision: 'reject', reason: '越界审核' }, rows: () => row('wishes', z.w.reviewMe), control: { as: z.owner } })]),
  'POST /api/wishes/:id/withdraw': forZone((z, a) => [
    refuse({ url: `/api/wishes/${z.w.withdrawMe}/withdraw`, payload: { reason: '越界撤回' }, rows: () => row('wishes', z.w.withdrawMe), control: { as: z.owner } }),
    refuse({ url: `/api/wishes/${F.sub[a.username].published}/withdraw`, payload: { reason: '越界撤回' }, rows: () => row('wishes', F.sub[a.username].published) }),
  ]),
  'POST /api/wishes/:id/contact': forZone((z, a) => [
    refuse({ url: `/api/wishes/${z.w.published}/contact`, rows: () => row('wishes', z.w.published), control: { as: z.owner } }),
    refuse({ url: `/api/wishes/${F.claim[a.username]}/contact`, rows: rowsWhere('wish_claims', 'wish_id', F.claim[a.username]) }),
    // A wish in scope that someone else claimed: only the community's workers may read the contact.
    ...(a.perms.has('wish:read') ? [] : [refuse({ url: `/api/wishes/${F.othersClaim}/contact`, rows: rowsWhere('wish_claims', 'wish_id', F.othersClaim) })]),
  ]),
  'POST /api/wishes/:id/claim': forZone((z) => [refuse({ url: `/api/wishes/${z.w.claimMe}/claim`, rows: rowsWhere('wish_claims', 'wish_id', z.w.claimMe) })]),
  'POST /api/wishes/:id/claim/withdraw': (a) => [
    refuse({ url: `/api/wishes/${F.othersClaim}/claim/withdraw`, payload: { reason: '越界放弃' }, rows: rowsWhere('wish_claims', 'wish_id', F.othersClaim) }),
    ...(a.zone ? [refuse({ url: `/api/wishes/${F.claim[a.username]}/claim/withdraw`, payload: { reason: '越界放弃' }, rows: rowsWhere('wish_claims', 'wish_id', F.claim[a.username]) })] : []),
  ],
  'POST /api/wishes/:id/revoke-claim': forZone((z) => [refuse({ url: `/api/wishes/${z.w.revokeMe}/revoke-claim`, payload: { reason: '越界撤销' }, rows: rowsWhere('wish_claims', 'wish_id', z.w.revokeMe), control: { as: z.owner } })]),
  'POST /api/wishes/:id/fulfil': (a) => [
    refuse({ url: `/api/wishes/${F.othersClaim}/fulfil`, form: F.photoFormFulfil, rows: () => row('wishes', F.othersClaim) }),
    ...(a.zone ? [refuse({ url: `/api/wishes/${F.claim[a.username]}/fulfil`, form: F.photoFormFulfil, rows: () => row('wishes', F.claim[a.username]) })] : []),
  ],
  'POST /api/wishes/:id/confirm': forZone((z, a) => [
    refuse({ url: `/api/wishes/${z.w.confirmMe}/confirm`, payload: { rating: 5, comment: '越界确认' }, rows: () => row('wishes', z.w.confirmMe), control: { as: z.owner } }),
    refuse({ url: `/api/wishes/${F.sub[a.username].fulfilled}/confirm`, payload: { rating: 5, comment: '越界确认' }, rows: () => row('wishes', F.sub[a.username].fulfilled) }),
  ]),
  'GET /api/files/:id': forZone((z, a) => [
    refuse({ url: `/api/files/${z.photo}` }),
    refuse({ url: `/api/files/${F.sub[a.username].photo}` }),
    refuse({ url: `/api/files/${z.scan}` }),
    ...(NT[z.key].audience.has(a.id) ? [] : [refuse({ url: `/api/files/${NT[z.key].file}` })]),
  ]),
  'GET /api/me/wishes': () => [show({
    url: '/api/me/wishes',
    check: async (res, a) => {
      const b = res.json();
      const items = [...b.submitted, ...b.claimed].filter((w: any) => !PUBLIC_STATUSES.includes(w.status));
      const bad = await outside('wishes', items.map((w: any) => w.id), a);
      return bad.length ? [`non-public wishes outside scope: ${bad.join(', ')}`] : [];
    },
  })],
  'GET /api/seasons': () => [show({
    url: '/api/seasons',
    check: async (res) => {
      const pub = await t.app.inject({ url: '/api/public/seasons' });
      return JSON.stringify(res.json().items) === JSON.stringify(pub.json().items) ? [] : ['more than the public season list'];
    },
  })],
  'POST /api/seasons': forZone((z) => [refuse({
    url: '/api/seasons', payload: { name: '越界心愿季', startsOn: today(), endsOn: inDays(30), communityIds: [z.community.id] }, also: [400],
    rows: rowsWhere('seasons', 'name', '越界心愿季'), control: { as: 'admin' },
  })]),
  'PATCH /api/seasons/:id': forZone(() => [
    refuse({ url: `/api/seasons/${F.currentSeason}`, payload: { name: '越界改名季', valueCap: 99999 }, rows: seasonRows(() => F.currentSeason) }),
    refuse({ url: `/api/seasons/${F.kcSeason}`, payload: { name: '越界改名季' }, rows: seasonRows(() => F.kcSeason), control: { as: 'admin' } }),
  ]),
  'GET /api/seasons/:id/stats': () => [show({
    url: `/api/seasons/${F.currentSeason}/stats`,
    check: async (res, a) => {
      const [{ n }] = await q`select count(*)::int as n from wishes where season_id = ${F.currentSeason} and region_path like ${`${a.scopePath}%`}`;
      const collected = res.json().totals.collected;
      return [...(collected > n ? [`collected ${collected}, but ${n} wishes of the season are in scope`] : []),
        ...(await listIn('regions', { idKey: 'communityId', rel: 'line', items: (b) => b.byCommunity })(res, a))];
    },
  })],

  // the public side: only public states, for every account and for anonymous callers
  'GET /api/public/wishes': () => [show({
    url: '/api/public/wishes?pageSize=100',
    check: async (res) => {
      const items = res.json().items;
      const ids = items.map((w: any) => w.id);
      const hidden = ids.length ? await q`select id, status from wishes where id in (${sql.join(ids)}) and status not in ('published','claimed','fulfilled','confirmed')` : [];
      return hidden.map((w: any) => `wish ${w.id} is ${w.status}`);
    },
  })],
  'GET /api/public/wishes/:id': () => [
    show({ url: `/api/public/wishes/${F.zones.JLH.w.published}`, check: noPrivateWish }),
    refuse({ url: `/api/public/wishes/${F.zones.JLH.w.pending}` }),
    refuse({ url: `/api/public/wishes/${F.zones.JLH.w.rejected}` }),
    refuse({ url: `/api/public/wishes/${F.zones.JLH.w.withdrawn}` }),
  ],
  'GET /api/public/seasons': () => 'seasons are public',
  'POST /api/public/seasons/:id/view': () => 'a page-view counter',
  'GET /api/public/files/:id': () => [refuse({ url: `/api/public/files/${F.zones.JLH.photo}` }), refuse({ url: `/api/public/files/${F.zones.JLH.scan}` })],
  'GET /api/wishes/events': () => 'a live feed of masked public events (an SSE stream)',
  'GET /api/wechat/oa': () => 'the WeChat server check (signature echo)',
  'POST /api/wechat/oa': () => 'messages act as the bound account, inside its own scope',

  // the caller's own messages
  'GET /api/me/notifications': () => [show({
    url: '/api/me/notifications?pageSize=100',
    check: async (res, a) => {
      const ids = res.json().items.map((n: any) => n.id);
      const others = ids.length ? await q`select id from notifications where id in (${sql.join(ids)}) and account_id <> ${a.id}` : [];
      return others.length ? [`another account's messages: ${others.map((o: any) => o.id).join(', ')}`] : [];
    },
  })],
  'POST /api/me/notifications/:id/read': () => [refuse({ url: `/api/me/notifications/${F.kcNotification}/read`, rows: () => row('notifications', F.kcNotification), control: { as: 'kc.worker' } })],
  'POST /api/me/wechat-bind-code': () => 'a bind code for the caller\'s own account',

  // owners' register
  'GET /api/owners': forZone((z) => [refuse({ url: `/api/owners?regionId=${z.unit.id}` })]),
  'GET /api/owners/export.xlsx': forZone((z) => [refuse({ url: `/api/owners/export.xlsx?regionId=${z.unit.id}` })]),
  'GET /api/owners/template.xlsx': forZone((z) => [refuse({ url: `/api/owners/template.xlsx?regionId=${z.unit.id}` })]),
  'POST /api/owners/import': forZone((z, a) => {
    const home = F.home[a.username].room;
    const foreignRoom = refuse({ url: '/api/owners/import', also: [400], rows: rowsWhere('room_owners', 'room_id', z.room.id), control: { as: z.owner } });
    const foreignOwner = refuse({
      url: '/api/owners/import', also: [400], rows: rowsWhere('room_owners', 'room_id', home.id),
      check: sameAnswerAs('POST', '/api/owners/import', async () => ownerSheet(home, await unknownIdNumber(z.person.id_number))),
    });
    foreignRoom.prepare = async () => { foreignRoom.form = await ownerSheet(z.room, z.person.id_number); foreignRoom.control!.form = foreignRoom.form; };
    foreignOwner.prepare = async () => { foreignOwner.form = await ownerSheet(home, z.person.id_number); };
    return inScope(a, home.path) ? [foreignRoom, foreignOwner] : [foreignRoom];
  }),
  'PUT /api/owners/:id': forZone((z, a) => [
    refuse({ url: `/api/owners/${z.room.id}`, payload: { ownerPersonIds: [z.person.id] }, rows: rowsWhere('room_owners', 'room_id', z.room.id), control: { as: z.owner } }),
    ...(inScope(a, F.home[a.username].room.path) ? [refuse({
      url: `/api/owners/${F.home[a.username].room.id}`, payload: { ownerPersonIds: [z.person.id] }, also: [400], rows: rowsWhere('room_owners', 'room_id', F.home[a.username].room.id),
    })] : []),
  ]),

  // consultations and votes
  'GET /api/consultations': () => [show({
    url: '/api/consultations?pageSize=100',
    check: async (res, a) => {
      const items = res.json().items;
      const paths = await pathsOf('consultations', items.map((c: any) => c.id));
      const out: string[] = [];
      for (const c of items) {
        const path = paths.get(c.id)!;
        const owns = a.personId ? await q`select 1 from room_owners o join regions r on r.id = o.room_id where o.person_id = ${a.personId} and r.path like ${`${path}%`} limit 1` : [];
        if (!inScope(a, path) && !owns.length) out.push(`consultation ${c.id} (${c.scopeName})`);
      }
      return out;
    },
  })],
  'POST /api/consultations': forZone((z) => [refuse({
    url: '/api/consultations', payload: { topic: '越界协商议题', scopeRegionId: z.unit.id }, also: [400],
    rows: rowsWhere('consultations', 'topic', '越界协商议题'), control: { as: z.owner },
  })]),
  'GET /api/consultations/:id': forZone((z) => [refuse({ url: `/api/consultations/${z.consultation}` })]),
  'POST /api/consultations/:id/posts': forZone((z) => [refuse({
    url: `/api/consultations/${z.consultation}/posts`, payload: { kind: 'post', body: '越界发言' },
    rows: rowsWhere('consultation_posts', 'consultation_id', z.consultation), control: { as: z.owner },
  })]),
  'POST /api/consultations/:id/stage': forZone((z) => [refuse({ url: `/api/consultations/${z.consultation}/stage`, payload: { stage: 'deliberate' }, rows: () => row('consultations', z.consultation), control: { as: z.owner } })]),
  'POST /api/votes': forZone((z) => [refuse({
    url: '/api/votes', payload: { consultationId: z.consultation, title: '越界表决', rule: 'ordinary' }, also: [400],
    rows: rowsWhere('votes', 'consultation_id', z.consultation), control: { as: z.owner },
  })]),
  'GET /api/votes/:id': forZone((z) => [refuse({ url: `/api/votes/${z.voteOpen}` })]),
  'PATCH /api/votes/:id': forZone((z) => [refuse({ url: `/api/votes/${z.voteDraft}`, payload: { title: '越界改名表决' }, rows: () => row('votes', z.voteDraft), control: { as: z.owner } })]),
  'POST /api/votes/:id/open': forZone((z) => [refuse({ url: `/api/votes/${z.voteDraft2}/open`, rows: () => row('votes', z.voteDraft2), control: { as: z.owner } })]),
  'POST /api/votes/:id/ballots': forZone((z) => [refuse({
    url: `/api/votes/${z.voteOpen}/ballots`, payload: { roomId: z.room.id, choice: 'agree' }, rows: rowsWhere('vote_participations', 'vote_id', z.voteOpen),
    control: { as: z.owner, payload: { roomId: z.room.id, choice: 'agree', channel: 'paper', scanFileId: z.scan } },
  }), refuse({
    // A paper ballot entered by a worker of another community (with the community's own scan).
    url: `/api/votes/${z.voteOpen}/ballots`, payload: { roomId: z.room.id, choice: 'disagree', channel: 'paper', scanFileId: z.scan }, rows: rowsWhere('vote_participations', 'vote_id', z.voteOpen),
  })]),
  'POST /api/votes/:id/scans': forZone((z, a) => [refuse({
    url: `/api/votes/${z.voteOpen}/scans`, form: F.scanForm, rows: rowsWhere('files', 'uploaded_by', a.id), control: { as: z.owner },
  })]),
  'POST /api/votes/:id/close': forZone((z) => [refuse({ url: `/api/votes/${z.voteOpenClose}/close`, rows: () => row('votes', z.voteOpenClose), control: { as: z.owner } })]),
  'GET /api/votes/:id/result': forZone((z) => [refuse({ url: `/api/votes/${z.voteClosed}/result` })]),
  'POST /api/votes/:id/objections': forZone((z) => [refuse({
    url: `/api/votes/${z.voteClosed}/objections`, payload: { body: '越界异议：影响采光' }, rows: rowsWhere('vote_objections', 'vote_id', z.voteClosed), control: { as: z.owner },
  })]),
  'GET /api/votes/:id/objections': forZone((z) => [refuse({ url: `/api/votes/${z.voteClosed}/objections` })]),
  'POST /api/votes/:id/objections/:objectionId/stage': forZone((z, a) => [refuse({
    url: `/api/votes/${z.voteClosed}/objections/${z.objection}/stage`, payload: { stage: 'community_mediation', note: '越界调解' },
    rows: () => row('vote_objections', z.objection), control: { as: z.owner },
  }), ...(homeZone(a) ? [refuse({
    // The caller's own vote with another community's objection.
    url: `/api/votes/${homeZone(a)!.voteClosed}/objections/${z.objection}/stage`, payload: { stage: 'community_mediation', note: '越界调解' }, rows: () => row('vote_objections', z.objection),
  })] : [])]),

  // elevator retrofits
  'GET /api/elevators': (a) => [
    show({ url: '/api/elevators?pageSize=100', check: listIn('elevators', { totalIn: true }) }),
    ...(a.zone ? [show({ url: `/api/elevators?communityId=${Z(a).community.id}&pageSize=100`, check: listIn('elevators', { total0: a.zone !== 'LMY' }) })] : []),
  ],
  'GET /api/elevators/dashboard': () => [show({
    url: '/api/elevators/dashboard',
    check: async (res, a) => {
      const b = res.json();
      const [{ n }] = await q`select count(*)::int as n from elevator_projects where unit_path like ${`${a.scopePath}%`}`;
      const out = b.total > n ? [`counts ${b.total} projects, ${n} in scope`] : [];
      return [...out, ...(await listIn('regions', { idKey: 'communityId', rel: 'line', items: (x) => x.byCommunity })(res, a))];
    },
  })],
  'POST /api/elevators': forZone((z, a) => [
    refuse({ url: '/api/elevators', payload: { unitId: z.freshUnit.id, totalCost: 500000 }, also: [400], rows: rowsWhere('elevator_projects', 'unit_id', z.freshUnit.id), control: { as: z.owner } }),
    ...(inScope(a, F.home[a.username].freshUnit.path) ? [refuse({
      url: '/api/elevators', payload: { unitId: F.home[a.username].freshUnit.id, totalCost: 500000, consultationId: z.consultation, voteId: z.voteClosed }, also: [400],
      rows: rowsWhere('elevator_projects', 'unit_id', F.home[a.username].freshUnit.id),
    })] : []),
  ]),
  'GET /api/elevators/:id': forZone((z) => [refuse({ url: `/api/elevators/${z.elevator.id}` })]),
  'POST /api/elevators/:id/stage': forZone((z) => [refuse({
    url: `/api/elevators/${z.elevator.id}/stage`, payload: { stage: z.elevator.stage, note: '越界更新' },
    rows: async () => [await row('elevator_projects', z.elevator.id), await rowsWhere('elevator_stage_records', 'project_id', z.elevator.id)()], control: { as: z.owner },
  })]),
  'GET /api/me/elevators': () => [show({
    url: '/api/me/elevators',
    check: async (res, a) => {
      const out: string[] = [];
      for (const p of res.json().items) {
        const owns = a.personId ? await q`select 1 from room_owners o join regions r on r.id = o.room_id where o.person_id = ${a.personId} and r.parent_id = ${p.unitId}` : [];
        if (!owns.length) out.push(`project ${p.id} of a unit the caller owns no room in`);
      }
      return out;
    },
  })],

  // the alliance
  'GET /api/alliance/units': () => [show({
    url: '/api/alliance/units?pageSize=100&status=pending',
    check: async (res, a) => {
      const pending = res.json().items.filter((u: any) => u.status !== 'verified');
      if (!a.perms.has('alliance:manage') && !a.perms.has('*')) return pending.length ? [`${pending.length} unverified units shown to a non-manager`] : [];
      const bad = await outside('units', pending.map((u: any) => u.id), a);
      return bad.length ? [`unverified units of other committees: ${pending.filter((u: any) => bad.includes(u.id)).map((u: any) => u.name).join(', ')}`] : [];
    },
  })],
  'POST /api/alliance/units': () => 'an application names the committee it applies to; that committee\'s workers review it',
  'POST /api/alliance/units/:id/review': forZone((z) => [refuse({ url: `/api/alliance/units/${z.pendingUnit}/review`, payload: { decision: 'verify' }, rows: () => row('alliance_units', z.pendingUnit), control: { as: z.owner } })]),
  'GET /api/projects': () => 'the public register of co-building projects',
  'GET /api/projects/:id': () => 'a public co-building project page',
  'POST /api/projects': forZone((z) => [
    refuse({
      url: '/api/projects', payload: { title: '越界共建项目', ownerUnitId: z.communityUnit, regionId: z.community.id, milestones: [{ title: '启动' }] }, also: [400],
      rows: rowsWhere('coop_projects', 'title', '越界共建项目'), control: { as: z.owner },
    }),
    refuse({ url: '/api/projects', payload: { title: '越界需求项目', ownerUnitId: z.communityUnit, needId: z.need, milestones: [{ title: '启动' }] }, also: [400], rows: async () => [await rowsWhere('coop_projects', 'title', '越界需求项目')(), await row('needs', z.need)] }),
  ]),
  'POST /api/projects/:id/milestones/:milestoneId/complete': forZone((z, a) => [refuse({
    url: `/api/projects/${z.project}/milestones/${z.milestone}/complete`, payload: { note: '越界完成' },
    rows: async () => [await row('coop_projects', z.project), await row('coop_milestones', z.milestone)], control: { as: z.owner },
  }), ...(homeZone(a) ? [refuse({
    // The caller's own project with another community's milestone.
    url: `/api/projects/${homeZone(a)!.project}/milestones/${z.milestone}/complete`, payload: { note: '越界完成' }, rows: () => row('coop_milestones', z.milestone),
  })] : [])]),
  'GET /api/alliance/stats': () => [
    show({ url: '/api/alliance/stats?by=community', check: listIn('regions', { rel: 'line' }) }),
    show({ url: '/api/alliance/stats?by=unit', check: listIn('units', { rel: 'line' }) }),
  ],
  'GET /api/alliance/stats.xlsx': () => [
    show({ url: '/api/alliance/stats.xlsx?by=community', check: namesOnLine('regions', sql`select name, path from regions where level = 'community'`) }),
    show({ url: '/api/alliance/stats.xlsx?by=unit', check: namesOnLine('units', sql`select u.name, r.path from alliance_units u join regions r on r.id = u.committee_region_id`) }),
  ],
  'GET /api/stations': () => 'the public map of convenience stations',
  'POST /api/stations/:id/checkin': () => 'a public station-use counter',
  // convenience stations managed from the console (station:manage)
  'GET /api/stations/managed': (a) => [
    show({ url: '/api/stations/managed?pageSize=100', check: async (res, acct) => stationsIn(res.json().items.map((x: any) => x.id), acct) }),
    show({ url: '/api/stations/managed?status=closed&pageSize=100', check: async (res, acct) => stationsIn(res.json().items.map((x: any) => x.id), acct) }),
    ...(a.zone ? [show({ url: `/api/stations/managed?regionId=${Z(a).community.id}`, check: (res) => (res.json().total === 0 ? [] : [`${res.json().total} stations of another community`]) })] : []),
  ],
  'POST /api/stations': forZone((z) => [refuse({
    url: '/api/stations', payload: stationPayload(z, `越界新建站${z.key}`), rows: rowsWhere('stations', 'name', `越界新建站${z.key}`), control: { as: z.owner },
  })]),
  'PATCH /api/stations/:id': forZone((z, a) => [
    refuse({ url: `/api/stations/${ST[z.key].open}`, payload: { openingHours: '越界改时间' }, rows: () => row('stations', ST[z.key].open), control: { as: z.owner } }),
    // The caller's own station moved into another community.
    ...(homeZone(a) ? [refuse({ url: `/api/stations/${ST[homeZone(a)!.key].open}`, payload: { regionId: z.community.id }, rows: () => row('stations', ST[homeZone(a)!.key].open) })] : []),
  ]),
  'POST /api/stations/:id/close': forZone((z) => [refuse({ url: `/api/stations/${ST[z.key].open}/close`, payload: { reason: '越界关闭' }, rows: () => row('stations', ST[z.key].open), control: { as: z.owner } })]),
  'POST /api/stations/:id/reopen': forZone((z) => [refuse({ url: `/api/stations/${ST[z.key].closed}/reopen`, rows: () => row('stations', ST[z.key].closed), control: { as: z.owner } })]),
  'GET /api/stations/export.xlsx': () => [show({ url: '/api/stations/export.xlsx', check: async (res, a) => stationsIn((await sheetRows(res)).map((r) => Number(r[0])), a) })],
  'GET /api/stations/import-template.xlsx': () => 'a blank template',
  'POST /api/stations/import': forZone((z) => {
    const create = refuse({ url: '/api/stations/import', also: [400], rows: rowsWhere('stations', 'name', `越界导入站${z.key}`), control: { as: z.owner } });
    create.prepare = async () => { create.form = await stationSheet(['', `越界导入站${z.key}`, z.community.name]); create.control!.form = create.form; };
    const edit = refuse({ url: '/api/stations/import', also: [400], rows: () => row('stations', ST[z.key].open) });
    edit.prepare = async () => { edit.form = await stationSheet([ST[z.key].open, '越界改名站', z.community.name]); };
    return [create, edit];
  }),
  // station services (fixtures: SV, buildStationServiceFixtures): asked by the zone's owner at the zone's station, handled by member.demo
  'POST /api/stations/:id/services': () => 'any signed-in resident may ask any open station for a service it offers; the request is the caller\'s own',
  'GET /api/station-services': () => [show({ url: '/api/station-services?pageSize=100', check: stationServicesIn }), show({ url: '/api/station-services?view=managed&pageSize=100', check: stationServicesIn })],
  'GET /api/station-services/:id': (a) => (a.zone && a.username !== SV_HANDLER ? [refuse({ url: `/api/station-services/${SV[Z(a).key].taken}` })] : SV_REASON),
  'POST /api/station-services/:id/take': (a) => (a.zone && a.username !== SV_HANDLER ? [refuse({
    url: `/api/station-services/${SV[Z(a).key].requested}/take`, also: [409], rows: () => row('station_services', SV[Z(a).key].requested), control: { as: SV_HANDLER },
  })] : SV_REASON),
  'POST /api/station-services/:id/done': (a) => (a.zone && a.username !== SV_HANDLER ? [refuse({
    url: `/api/station-services/${SV[Z(a).key].taken}/done`, payload: {}, rows: () => row('station_services', SV[Z(a).key].taken), control: { as: SV_HANDLER },
  })] : SV_REASON),
  'POST /api/station-services/:id/rating': forZone((z) => [refuse({
    url: `/api/station-services/${SV[z.key].done}/rating`, payload: { rating: 1, comment: '越界评价' }, rows: () => row('station_services', SV[z.key].done), control: { as: z.owner, payload: { rating: 5 } },
  })]),
  'GET /api/stations/stats': () => [
    show({ url: '/api/stations/stats?by=station', check: async (res, a) => stationsIn(res.json().items.map((x: any) => x.id), a) }),
    show({ url: '/api/stations/stats?by=community', check: listIn('regions', { rel: 'in' }) }),
  ],
  'GET /api/stations/stats.xlsx': () => [
    show({ url: '/api/stations/stats.xlsx?by=station', check: namesOnLine('stations', sql`select s.name, r.path from stations s join regions r on r.id = s.region_id`) }),
    show({ url: '/api/stations/stats.xlsx?by=community', check: namesOnLine('regions', sql`select name, path from regions where level = 'community'`) }),
  ],

  // the three lists and matching
  'GET /api/needs': () => [
    show({ url: '/api/needs?pageSize=100', check: needsVisible }),
    show({ url: '/api/needs?pageSize=100&status=closed', check: needsVisible }),
  ],
  'POST /api/needs': forZone((z) => [refuse({
    url: '/api/needs', payload: { title: '越界集体需求', category: 'goods', communityId: z.community.id }, also: [400],
    rows: rowsWhere('needs', 'title', '越界集体需求'), control: { as: z.owner },
  })]),
  'GET /api/resources': () => [show({
    url: '/api/resources?mine=true&pageSize=100',
    check: async (res, a) => {
      const ids = res.json().items.map((r: any) => r.id);
      const others = ids.length ? await q`select id from resources where id in (${sql.join(ids)}) and offered_by is distinct from ${a.id}` : [];
      return others.length ? [`resources offered by others under mine=true: ${others.map((o: any) => o.id).join(', ')}`] : [];
    },
  })],
  'POST /api/resources': () => 'the caller offers its own resource; the service area is its own unit\'s',
  'GET /api/needs/:id/suggestions': forZone((z) => [refuse({ url: `/api/needs/${z.need}/suggestions` })]),
  'GET /api/me/matching-needs': () => [show({ url: '/api/me/matching-needs', check: listIn('needs', { idKey: 'needId' }) })],
  'POST /api/seasons/:id/assignment': forZone((z) => [show({
    url: `/api/seasons/${F.currentSeason}/assignment`, prepare: resetProposals, rows: () => row('assignment_proposals', z.proposal),
    check: listIn('wishes', { idKey: 'wishId' }),
  })]),
  'GET /api/seasons/:id/assignment': forZone(() => [show({
    url: `/api/seasons/${F.currentSeason}/assignment`, prepare: resetProposals,
    check: async (res, a) => {
      const p = res.json();
      const foreign = Object.values(F.zones).filter((z) => z.proposal === p.id && !inScope(a, z.community.path));
      return [...foreign.map((z) => `the ${z.key} proposal ${p.id}`), ...(await listIn('wishes', { idKey: 'wishId' })(res, a))];
    },
  })]),
  'POST /api/seasons/:id/assignment/:proposalId/accept': forZone((z) => [refuse({
    url: `/api/seasons/${F.currentSeason}/assignment/${z.proposal}/accept`, payload: {}, prepare: resetProposals,
    rows: async () => [await row('assignment_proposals', z.proposal), await rowsWhere('assignment_items', 'proposal_id', z.proposal)(), await rowsWhere('wish_claims', 'claimer_id', z.ownerId)()],
    control: { as: z.owner },
  })]),

  // service requests (property) and Open311
  'GET /api/service-types': () => 'the category list: the same for everyone',
  'POST /api/service-requests': forZone((z, a) => [refuse({
    url: '/api/service-requests', payload: { serviceCode: 'complaint.noise', description: `越界报事${z.key}`, roomId: z.room.id }, also: [400],
    rows: rowsWhere('service_requests', 'description', `越界报事${z.key}`), control: { as: z.owner },
  }), refuse({
    url: '/api/service-requests', payload: { serviceCode: 'complaint.noise', description: `越界代报${z.key}`, roomId: F.home[a.username].room.id, requesterPersonId: z.person.id }, also: [400],
    rows: rowsWhere('service_requests', 'description', `越界代报${z.key}`),
  })]),
  'GET /api/service-requests': (a) => [
    show({ url: '/api/service-requests?pageSize=100', check: requestsIn }),
    ...(a.zone ? [show({ url: `/api/service-requests?compoundId=${Z(a).compound.id}&pageSize=100`, check: requestsIn })] : []),
  ],
  'GET /api/me/service-requests': () => [show({ url: '/api/me/service-requests?pageSize=100', check: requestsIn })],
  'GET /api/service-areas': () => [show({ url: '/api/service-areas', check: async (res, a) => compoundsOnLine(res.json().items.map((x: any) => x.name), a) })],
  'GET /api/service-requests/events': () => 'a live stream: each step goes only to callers who may read the request (tests/api/request-events.test.ts walks it)',
  'GET /api/service-requests/stats': () => [show({ url: '/api/service-requests/stats?by=compound', check: async (res, a) => compoundsOnLine(res.json().items.map((x: any) => x.key), a) })],
  'GET /api/service-requests/stats.xlsx': () => [show({ url: '/api/service-requests/stats.xlsx?by=compound', check: async (res, a) => compoundsOnLine((await sheetRows(res)).map((r) => String(r[0])), a) })],
  'GET /api/service-requests/:id': forZone((z) => [refuse({ url: `/api/service-requests/${SR[z.key].open}` }), refuse({ url: `/api/service-requests/${SR[z.key].done}` })]),
  'POST /api/service-requests/:id/photos': forZone((z) => [refuse({ url: `/api/service-requests/${SR[z.key].photos}/photos`, form: F.photoForm, rows: rowsWhere('service_request_photos', 'request_id', SR[z.key].photos), control: { as: z.owner } })]),
  'POST /api/service-requests/:id/accept': forZone((z) => [refuse({ url: `/api/service-requests/${SR[z.key].submitted}/accept`, rows: () => row('service_requests', SR[z.key].submitted), control: { as: z.owner } })]),
  'POST /api/service-requests/:id/assign': forZone((z) => [refuse({ url: `/api/service-requests/${SR[z.key].accepted}/assign`, payload: {}, rows: () => row('service_requests', SR[z.key].accepted), control: { as: z.owner } })]),
  'POST /api/service-requests/:id/start': forZone((z) => [refuse({ url: `/api/service-requests/${SR[z.key].assigned}/start`, rows: () => row('service_requests', SR[z.key].assigned), control: { as: z.owner } })]),
  'POST /api/service-requests/:id/done': forZone((z) => [refuse({ url: `/api/service-requests/${SR[z.key].inProgress}/done`, payload: { note: '越界完成' }, rows: () => row('service_requests', SR[z.key].inProgress), control: { as: z.owner } })]),
  'POST /api/service-requests/:id/rate': forZone((z) => [refuse({ url: `/api/service-requests/${SR[z.key].done}/rate`, payload: { rating: 1 }, rows: () => row('service_requests', SR[z.key].done) })]),
  'POST /api/service-requests/:id/close': forZone((z) => [refuse({ url: `/api/service-requests/${SR[z.key].open}/close`, payload: { outcome: 'not_ours' }, rows: () => row('service_requests', SR[z.key].open), control: { as: z.owner } })]),
  'POST /api/service-requests/:id/reopen': forZone((z) => [refuse({ url: `/api/service-requests/${SR[z.key].done}/reopen`, payload: { reason: '越界重开' }, rows: () => row('service_requests', SR[z.key].done) })]),
  'POST /api/service-requests/:id/urge': forZone((z) => [refuse({ url: `/api/service-requests/${SR[z.key].open}/urge`, rows: () => row('service_requests', SR[z.key].open) })]),
  'POST /api/open311/keys': () => 'issues a client key: district-wide admins only (no one else holds open311:keys)',
  'GET /api/open311/keys': () => 'the district\'s Open311 clients (no region): district-wide admins only (no one else holds open311:keys)',
  'POST /api/open311/keys/:id/revoke': () => 'revokes a district-wide client key: district-wide admins only (no one else holds open311:keys)',
  'GET /api/service-types/managed': () => 'the district-wide category list (no region): holders of service-type:manage only (street workers, district admins)',
  'POST /api/service-types': () => 'creates a district-wide category (no region): holders of service-type:manage only (street workers, district admins)',
  'PATCH /api/service-types/:code': () => 'edits or deactivates a district-wide category (no region): holders of service-type:manage only (street workers, district admins)',
  'GET /api/service-requests/:id/assignees': forZone((z) => [refuse({ url: `/api/service-requests/${SR[z.key].accepted}/assignees`, control: { as: z.owner } })]),
  'GET /open311/v2/services.:format': () => 'the public category list',
  'GET /open311/v2/services/:service_code.:format': () => 'a public category definition',
  'GET /open311/v2/requests.:format': () => [show({ url: '/open311/v2/requests.json?start_date=2000-01-01T00:00:00Z', check: open311Public })],
  'GET /open311/v2/requests/:id.:format': () => Object.values(SR).map((s) => show({ url: `/open311/v2/requests/${s.done}.json`, check: open311Public })),
  'GET /open311/v2/tokens/:token.:format': () => 'resolves a token to the request id only',
  'POST /open311/v2/requests.:format': () => 'an api_key client submits as itself; no account or scope is involved',

  // service positions, function rooms and bookings (property)
  'GET /api/positions': () => 'the public register of service positions and their rooms (no door codes, no staff)',
  'GET /api/rooms/:id/slots': () => "a room's busy times, without who booked them or why",
  'POST /api/positions': forZone((z) => [refuse({
    url: '/api/positions', payload: { level: 'compound', name: `越界服务站${z.key}`, regionId: z.compound.id, address: '越界地址' }, also: [400],
    rows: rowsWhere('service_positions', 'name', `越界服务站${z.key}`), control: { as: z.owner },
  })]),
  'GET /api/positions/managed': () => [
    show({ url: '/api/positions/managed?pageSize=100', check: async (res, a) => positionsIn(res.json().items.map((x: any) => x.id), a) }),
    show({ url: '/api/positions/managed?active=false&pageSize=100', check: async (res, a) => positionsIn(res.json().items.map((x: any) => x.id), a) }),
  ],
  'GET /api/positions/:id': forZone((z) => [refuse({ url: `/api/positions/${PB[z.key].position}` })]),
  'PATCH /api/positions/:id': forZone((z) => [refuse({ url: `/api/positions/${PB[z.key].position}`, payload: { hours: '越界改时间' }, rows: () => row('service_positions', PB[z.key].position), control: { as: z.owner } })]),
  'POST /api/positions/:id/rooms': forZone((z) => [refuse({
    url: `/api/positions/${PB[z.key].position}/rooms`, payload: { name: `越界功能室${z.key}`, kind: 'other', capacity: 5 },
    rows: rowsWhere('function_rooms', 'name', `越界功能室${z.key}`), control: { as: z.owner },
  })]),
  'GET /api/positions/:id/photos/:fileId': () => "a position's public photo, served only under its own position",
  'POST /api/positions/:id/photos': forZone((z) => [refuse({ url: `/api/positions/${PB[z.key].position}/photos`, form: PB_FORM.form, rows: rowsWhere('service_position_photos', 'position_id', PB[z.key].position), control: { as: z.owner } })]),
  'POST /api/positions/:id/photos/:fileId/delete': forZone((z) => [refuse({
    url: `/api/positions/${PB[z.key].position}/photos/${PB[z.key].photo}/delete`, rows: rowsWhere('service_position_photos', 'position_id', PB[z.key].position), control: { as: z.owner },
  })]),
  'GET /api/positions/:id/staff-candidates': forZone((z) => [refuse({ url: `/api/positions/${PB[z.key].position}/staff-candidates` })]),
  'PATCH /api/rooms/:id': forZone((z) => [refuse({ url: `/api/rooms/${PB[z.key].room}`, payload: { capacity: 3, rotateCode: true }, rows: () => row('function_rooms', PB[z.key].room), control: { as: z.owner } })]),
  'GET /api/rooms/:id/qr': forZone((z) => [refuse({ url: `/api/rooms/${PB[z.key].room}/qr`, check: (res) => (res.body.includes(PB[z.key].code) ? ['the door code'] : []) })]),
  'POST /api/rooms/:id/bookings': forZone((z) => [refuse({
    url: `/api/rooms/${PB[z.key].room}/bookings`, payload: { startsAt: PB[z.key].slot[0], endsAt: PB[z.key].slot[1], purpose: '越界预约', headcount: 3 },
    rows: rowsWhere('room_bookings', 'room_id', PB[z.key].room), control: { as: z.owner },
  })]),
  'GET /api/me/bookings': () => [show({ url: '/api/me/bookings?pageSize=100', check: bookingsIn('line') })],
  'GET /api/bookings': () => [
    show({ url: '/api/bookings?pageSize=100', check: bookingsIn('in') }),
    show({ url: '/api/bookings?status=pending&pageSize=100', check: bookingsIn('in') }),
  ],
  'GET /api/bookings/stats': () => [
    show({ url: '/api/bookings/stats?by=room', check: async (res, a) => positionsIn(res.json().items.map((x: any) => x.positionId), a) }),
    show({ url: '/api/bookings/stats?by=position', check: async (res, a) => positionsIn(res.json().items.map((x: any) => x.id), a) }),
  ],
  'GET /api/bookings/stats.xlsx': () => [show({ url: '/api/bookings/stats.xlsx?by=position', check: namesOnLine('positions', sql`select name, region_path as path from service_positions`) })],
  'GET /api/bookings/:id': forZone((z) => [refuse({ url: `/api/bookings/${PB[z.key].booking}` }), refuse({ url: `/api/bookings/${PB[z.key].pending}` })]),
  'POST /api/bookings/:id/cancel': forZone((z) => [refuse({ url: `/api/bookings/${PB[z.key].cancelMe}/cancel`, payload: { reason: '越界取消' }, rows: () => row('room_bookings', PB[z.key].cancelMe), control: { as: z.owner } })]),
  'POST /api/bookings/:id/checkin': forZone((z) => [refuse({ url: `/api/bookings/${PB[z.key].booking}/checkin`, payload: { code: PB[z.key].code }, rows: () => row('room_bookings', PB[z.key].booking) })]),
  'POST /api/bookings/:id/approve': forZone((z) => [refuse({ url: `/api/bookings/${PB[z.key].pending}/approve`, payload: {}, rows: () => row('room_bookings', PB[z.key].pending), control: { as: z.owner } })]),
  'POST /api/bookings/:id/reject': forZone((z) => [refuse({ url: `/api/bookings/${PB[z.key].pending2}/reject`, payload: { reason: '越界驳回' }, rows: () => row('room_bookings', PB[z.key].pending2), control: { as: z.owner } })]),

  // four-party linkage, joint meetings and the red-property assessment (property): a compound is in scope, or the caller lives there
  'GET /api/compounds/:regionId/parties': forZone((z) => [refuse({ url: `/api/compounds/${z.compound.id}/parties` })]),
  'POST /api/compounds/:regionId/parties': forZone((z) => [refuse({
    url: `/api/compounds/${z.compound.id}/parties`, payload: { kind: 'grid', name: `越界网格${z.key}` }, rows: rowsWhere('compound_parties', 'name', `越界网格${z.key}`), control: { as: z.owner },
  })]),
  'PATCH /api/compound-parties/:id': forZone((z) => [refuse({ url: `/api/compound-parties/${CP[z.key].party}`, payload: { office: '越界办公室' }, rows: () => row('compound_parties', CP[z.key].party), control: { as: z.owner } })]),
  'POST /api/compound-parties/:id/posts': forZone((z) => [refuse({
    url: `/api/compound-parties/${CP[z.key].party}/posts`, payload: { personId: CP[z.key].person2, title: '越界委员' }, rows: rowsWhere('compound_posts', 'party_id', CP[z.key].party), control: { as: z.owner },
  })]),
  'PATCH /api/compound-posts/:id': forZone((z) => [refuse({ url: `/api/compound-posts/${CP[z.key].post}`, payload: { title: '越界改职务' }, rows: () => row('compound_posts', CP[z.key].post), control: { as: z.owner } })]),
  'POST /api/compounds/:regionId/meetings': forZone((z) => [refuse({
    url: `/api/compounds/${z.compound.id}/meetings`, payload: meetingBody(`越界会议${z.key}`, CP[z.key].post, z.ownerId), rows: rowsWhere('compound_meetings', 'title', `越界会议${z.key}`), control: { as: z.owner },
  })]),
  'GET /api/compounds/:regionId/meetings': forZone((z) => [refuse({ url: `/api/compounds/${z.compound.id}/meetings` })]),
  'GET /api/me/follow-ups': () => [show({ url: '/api/me/follow-ups?pageSize=100', check: followUpsOnLine })],
  // Phones whole, so only posts of the compound the caller lives in; an account without a home gets none.
  'GET /api/me/grid-worker': () => [show({
    url: '/api/me/grid-worker',
    check: async (res, a) => {
      const phones: string[] = res.json().contacts.map((c: { phone: string }) => c.phone);
      if (!a.personId) return phones.length ? [`contacts for an account without a home: ${phones.join(', ')}`] : [];
      const home = (await row('persons', a.personId)).region_path;
      const mine = new Set((await q<{ phone: string }>`select pe.phone from compound_posts s join persons pe on pe.id = s.person_id
        join regions c on c.id = s.compound_id where ${home} like c.path || '%'`).map((r) => r.phone));
      return phones.filter((p) => !mine.has(p)).map((p) => `a phone from outside the caller's compound: ${p}`);
    },
  })],
  'POST /api/me/follow-ups/:id/done': forZone((z) => [refuse({ url: `/api/me/follow-ups/${CP[z.key].followUp}/done`, payload: {}, rows: () => row('compound_follow_ups', CP[z.key].followUp), control: { as: z.owner } })]),
  // Only a household of the compound rates it: no prober lives in the zone aimed at (member.demo, of 鹿鸣苑, is the control).
  'POST /api/compounds/:regionId/ratings': forZone((z) => [refuse({
    url: `/api/compounds/${z.compound.id}/ratings`, payload: { score: 2 }, rows: rowsWhere('compound_ratings', 'compound_id', z.compound.id),
    ...(z.key === 'LMY' ? { control: { as: 'member.demo' } } : {}),
  })]),
  'GET /api/compounds/:regionId/ratings/mine': forZone((z) => [refuse({ url: `/api/compounds/${z.compound.id}/ratings/mine` })]),
  'PUT /api/compounds/:regionId/assessments/:month': forZone((z) => [refuse({
    url: `/api/compounds/${z.compound.id}/assessments/${shanghaiMonth()}`, payload: { scores: { cleaning: 1, greening: 1, order: 1, repairs: 1, fire_safety: 1, disclosure: 1 } },
    rows: rowsWhere('compound_assessments', 'compound_id', z.compound.id), control: { as: z.owner },
  })]),
  'GET /api/compounds/:regionId/assessments/:month': forZone((z) => [refuse({ url: `/api/compounds/${z.compound.id}/assessments/${shanghaiMonth()}` })]),
  'GET /api/compounds/ranking': () => [show({ url: '/api/compounds/ranking', check: rankedCompoundsIn })],

  // practical matters (property): in scope when the owning region or a served compound is
  'GET /api/practical-matters': () => 'the public list: units and compounds by name, no person (tests/api/practical-matters.test.ts checks)',
  'GET /api/practical-matters/:id': () => 'the public page of a matter: no person on it',
  'GET /api/practical-matters/:id/photos/:fileId': () => "a matter's public photo, served only under its own matter",
  'GET /api/practical-matters/managed': () => [show({ url: '/api/practical-matters/managed?pageSize=100', check: mattersIn((b) => b.items.map((m: any) => m.id), true) })],
  'GET /api/practical-matters/dashboard': () => [show({ url: '/api/practical-matters/dashboard', check: mattersIn((b) => b.overdueItems.map((m: any) => m.id), true) })],
  'GET /api/practical-matters/export.xlsx': () => [show({
    url: '/api/practical-matters/export.xlsx',
    check: async (res, a) => mattersIn(() => [], false, (await sheetRows(res)).map((r) => Number(r[0])))(res, a),
  })],
  'GET /api/practical-matters/:id/manage': forZone((z) => [refuse({ url: `/api/practical-matters/${PM[z.key].matter}/manage` })]),
  'POST /api/practical-matters': forZone((z, a) => [refuse({
    url: '/api/practical-matters', payload: practicalBody(`越界实事${z.key}`, z.community.id, z.compound.id), also: [400],
    rows: rowsWhere('practical_matters', 'title', `越界实事${z.key}`), control: { as: z.owner },
  }), ...(homeZone(a) ? [refuse({
    // The caller's own community serving another community's compound.
    url: '/api/practical-matters', payload: practicalBody(`越界受益小区${z.key}`, homeZone(a)!.community.id, z.compound.id), also: [400],
    rows: rowsWhere('practical_matters', 'title', `越界受益小区${z.key}`),
  })] : [])]),
  'PATCH /api/practical-matters/:id': forZone((z) => [refuse({ url: `/api/practical-matters/${PM[z.key].matter}`, payload: { title: '越界改名实事' }, rows: () => row('practical_matters', PM[z.key].matter), control: { as: z.owner } })]),
  'POST /api/practical-matters/:id/milestones': forZone((z) => [refuse({
    url: `/api/practical-matters/${PM[z.key].matter}/milestones`, payload: { milestones: [{ title: '越界里程碑' }] },
    rows: rowsWhere('practical_milestones', 'matter_id', PM[z.key].matter), control: { as: z.owner },
  })]),
  // Before …/complete: its control (planned → in_progress) must run while the matter is still planned.
  'POST /api/practical-matters/:id/status': forZone((z) => [refuse({ url: `/api/practical-matters/${PM[z.key].matter}/status`, payload: { status: 'in_progress' }, rows: () => row('practical_matters', PM[z.key].matter), control: { as: z.owner } })]),
  'POST /api/practical-matters/:id/milestones/:milestoneId/complete': forZone((z, a) => [refuse({
    url: `/api/practical-matters/${PM[z.key].matter}/milestones/${PM[z.key].milestone}/complete`, payload: { note: '越界完成' },
    rows: async () => [await row('practical_matters', PM[z.key].matter), await rowsWhere('practical_milestones', 'matter_id', PM[z.key].matter)()], control: { as: z.owner },
  }), ...(homeZone(a) ? [refuse({
    // The caller's own matter with another community's milestone.
    url: `/api/practical-matters/${PM[homeZone(a)!.key].matter}/milestones/${PM[z.key].milestone}/complete`, payload: { note: '越界完成' }, rows: () => row('practical_milestones', PM[z.key].milestone),
  })] : [])]),
  'POST /api/practical-matters/:id/photos': forZone((z) => [refuse({ url: `/api/practical-matters/${PM[z.key].matter}/photos`, form: PM_FORM.form, rows: rowsWhere('practical_matter_photos', 'matter_id', PM[z.key].matter), control: { as: z.owner } })]),
  'POST /api/practical-matters/:id/spending': forZone((z) => [refuse({
    url: `/api/practical-matters/${PM[z.key].matter}/spending`, payload: { amountFen: 10000, spentOn: today(), note: '越界支出' },
    rows: async () => [await row('practical_matters', PM[z.key].matter), await rowsWhere('practical_spending', 'matter_id', PM[z.key].matter)()], control: { as: z.owner },
  })]),
  'GET /api/practical-matters/:id/survey': () => "the caller's own household's answer, and whether it may answer: nothing of another household",
  // Only a household of a served compound answers: no prober lives in the zone aimed at (member.demo, of 鹿鸣苑, is the control).
  'POST /api/practical-matters/:id/survey': forZone((z) => [refuse({
    url: `/api/practical-matters/${PM[z.key].accepted}/survey`, payload: { score: 3 }, rows: rowsWhere('practical_surveys', 'matter_id', PM[z.key].accepted),
    ...(z.key === 'LMY' ? { control: { as: 'member.demo' } } : {}),
  })]),
  // Red Brain: the hub is district-wide, not regional. Its roles (data_admin, department_user) hold the district root and no demo
  // account of this walk has them but admin (district scope); who reads what is the department's approval, walked in tests/api/brain.test.ts.
  'GET /api/brain/departments': () => HUB,
  'POST /api/brain/departments': () => HUB,
  'POST /api/brain/departments/:id/accounts': () => HUB,
  'GET /api/brain/systems': () => HUB,
  'POST /api/brain/systems': () => HUB,
  'GET /api/brain/datasets': () => HUB,
  'POST /api/brain/datasets': () => HUB,
  'GET /api/brain/datasets/:id': () => HUB,
  'PATCH /api/brain/datasets/:id': () => HUB,
  'GET /api/brain/datasets/:id/rows': () => HUB,
  'GET /api/brain/datasets/:id/sample': () => HUB,
  'POST /api/brain/datasets/:id/uploads/preview': () => HUB,
  'POST /api/brain/datasets/:id/uploads': () => HUB,
  'GET /api/brain/runs': () => HUB,
  'GET /api/brain/runs/:id': () => HUB,
  'GET /api/brain/runs/:id/rejects.xlsx': () => HUB,
  'GET /api/brain/connectors': () => HUB,
  'POST /api/brain/connectors': () => HUB,
  'GET /api/brain/connectors/:id': () => HUB,
  'PATCH /api/brain/connectors/:id': () => HUB,
  'POST /api/brain/connectors/:id/run': () => HUB,
  'GET /api/brain/approvals': () => HUB,
  'POST /api/brain/approvals': () => HUB,
  'GET /api/brain/approvals/:id': () => HUB,
  'POST /api/brain/approvals/:id/decision': () => HUB,
  'POST /api/brain/approvals/:id/withdraw': () => HUB,
  'GET /api/brain/exchange-log': () => HUB,
  'GET /api/brain/exchange-log/verify': () => HUB,
  'GET /api/brain/exchange-log/public-key': () => HUB,
  'GET /api/brain/match-jobs': () => HUB,
  'POST /api/brain/match-jobs': () => HUB,
  'GET /api/brain/match-jobs/:id': () => HUB,
  'GET /api/brain/match-jobs/:id/links': () => HUB,
  'GET /api/brain/match-jobs/:id/pairs/:pairId': () => HUB,
  'POST /api/brain/match-jobs/:id/pairs/:pairId/label': () => HUB,
  'POST /api/brain/match-jobs/:id/rescore': () => HUB,
  'GET /api/brain/persons/:personId': () => HUB,
  'POST /api/brain/probe-analysis': () => HUB,
  'POST /api/brain/match-jobs/:id/tasks': () => 'steward only (brain:manage with the district scope, policy.requireSteward): tasks are made district-wide, each carrying its person\'s region',
  'POST /api/brain/registry/sync': () => 'steward only (brain:manage with the district scope, policy.requireSteward): copies the whole registry into the hub\'s built-in dataset, returns counts only',
  // Verification tasks are region-scoped: a worker reads and closes the tasks of their own place (tasks/access.ts).
  'GET /api/verification-tasks': (a) => [
    show({ url: '/api/verification-tasks?pageSize=100', check: tasksIn }),
    show({ url: '/api/verification-tasks?status=open&pageSize=100', check: tasksIn }),
    ...(a.zone ? [refuse({ url: `/api/verification-tasks?regionId=${Z(a).community.id}` })] : []),
  ],
  'GET /api/verification-tasks/stats': () => [show({
    url: '/api/verification-tasks/stats',
    check: async (res, a) => {
      const s = res.json();
      const ids: number[] = [...s.streets.map((x: any) => x.regionId), ...s.communities.map((x: any) => x.regionId)];
      const paths = ids.length ? await q<{ id: number; path: string }>`select id, path from regions where id in (${sql.join(ids)})` : [];
      const bad = paths.filter((r) => !onLine(a, r.path)).map((r) => r.id);
      return bad.length ? [`task statistics name regions outside scope: ${bad.join(', ')}`] : [];
    },
  })],
  'GET /api/verification-tasks/:id': forZone((z) => [refuse({ url: `/api/verification-tasks/${VT[z.key]}` })]),
  'POST /api/verification-tasks/:id/result': forZone((z) => [refuse({
    url: `/api/verification-tasks/${VT[z.key]}/result`, payload: { result: 'confirmed', note: '越界办结' }, rows: () => row('brain_verification_tasks', VT[z.key]), control: { as: z.owner },
  })]),
  'POST /api/brain/inbound/:connectorKey': () => 'a source system pushes as the connector (HMAC-signed with its secret); no account or scope is involved',

  // party register, transfers and 双报到 (fixtures: PF, buildPartyFixtures)
  'GET /api/party/members': (a) => [
    show({ url: '/api/party/members?pageSize=100', check: partyMembersIn((b) => b.items.map((m: any) => m.id), true) }),
    ...(a.zone ? [
      refuse({ url: `/api/party/members?organisationId=${Z(a).org}` }),
      show({ url: `/api/party/members?q=${encodeURIComponent(PF[a.zone].memberName)}&pageSize=100`, check: partyMembersIn((b) => b.items.map((m: any) => m.id), false) }),
    ] : []),
  ],
  'GET /api/party/members/export.xlsx': forZone((z) => [
    refuse({ url: `/api/party/members/export.xlsx?organisationId=${z.org}&purpose=${encodeURIComponent('核对名册')}` }),
    show({
      url: `/api/party/members/export.xlsx?purpose=${encodeURIComponent('核对名册')}`,
      check: async (res, a) => partyMembersIn(() => [], false, (await sheetRows(res)).map((r) => Number(r[0])))(res, a),
    }),
  ]),
  'GET /api/party/members/:id': forZone((z) => [
    refuse({ url: `/api/party/members/${PF[z.key].member}` }),
    refuse({ url: `/api/party/members/${PF[z.key].member}?reveal=1&purpose=${encodeURIComponent('组织生活联系')}` }),
  ]),
  'POST /api/party/members': forZone((z) => [refuse({
    url: '/api/party/members', payload: partyMemberBody(PF[z.key].newcomer, z.org), rows: rowsWhere('party_members', 'id_number', PF[z.key].newcomer.id_number), control: { as: z.owner },
  })]),
  'GET /api/party/members/import-template.xlsx': () => 'an empty template: a header row and no records',
  'POST /api/party/members/import': forZone((z) => {
    const p = refuse({ url: '/api/party/members/import', also: [400], rows: rowsWhere('party_members', 'id_number', PF[z.key].imported.id_number), control: { as: z.owner } });
    p.prepare = async () => { p.form = await partySheet(PF[z.key].imported, PF[z.key].orgCode); p.control!.form = p.form; };
    return [p];
  }),
  'POST /api/party/members/:id/report': forZone((z, a) => [refuse({
    url: `/api/party/members/${PF[z.key].member}/report`, payload: { communityId: F.home[a.username].community.id }, rows: () => row('party_members', PF[z.key].member), control: { as: z.owner },
  })]),
  'POST /api/party/me/report': () => 'reports the caller\'s own member record (found by the account\'s person); it names no other member',
  'GET /api/party/transfers': (a) => [
    show({ url: '/api/party/transfers?pageSize=100', check: transfersIn }),
    ...(a.zone ? [refuse({ url: `/api/party/transfers?organisationId=${Z(a).org}&direction=in&status=pending` })] : []),
  ],
  'POST /api/party/transfers': forZone((z) => [refuse({
    url: '/api/party/transfers', payload: { memberId: PF[z.key].member, toOrganisationId: PF[z.key].elsewhereOrg }, also: [400],
    rows: rowsWhere('party_transfers', 'member_id', PF[z.key].member), control: { as: z.owner },
  })]),
  'POST /api/party/transfers/:id/accept': forZone((z) => [refuse({
    url: `/api/party/transfers/${PF[z.key].acceptMe}/accept`, payload: {}, rows: () => row('party_transfers', PF[z.key].acceptMe), control: { as: z.owner },
  })]),
  'POST /api/party/transfers/:id/reject': forZone((z) => [refuse({
    url: `/api/party/transfers/${PF[z.key].rejectMe}/reject`, payload: { note: '越界退回' }, rows: () => row('party_transfers', PF[z.key].rejectMe), control: { as: z.owner },
  })]),
  // organisation life and points (fixtures: PA, in buildPartyFixtures); a member of the zone's organisation attends its activity
  'GET /api/party/activities': (a) => [
    show({ url: '/api/party/activities?pageSize=100', check: activitiesIn }),
    ...(a.zone ? [show({ url: `/api/party/activities?organisationId=${Z(a).org}&pageSize=100`, check: activitiesIn })] : []),
  ],
  'POST /api/party/activities': forZone((z) => [refuse({
    url: '/api/party/activities', payload: { organisationId: z.org, kind: 'lecture', topic: `越界党课${z.key}`, place: '会议室', startsAt: '2026-12-01T09:00:00+08:00', endsAt: '2026-12-01T10:30:00+08:00' },
    rows: rowsWhere('party_activities', 'topic', `越界党课${z.key}`), control: { as: z.owner },
  })]),
  'GET /api/party/activities/stats': () => [show({
    url: '/api/party/activities/stats',
    check: async (res, a) => [
      ...await listIn('organisations', { items: (b) => b.organisations })(res, a),
      ...await partyMembersIn(() => res.json().members.map((m: any) => m.id), false)(res, a),
    ],
  })],
  'GET /api/party/activities/stats.xlsx': forZone((z) => [
    refuse({ url: `/api/party/activities/stats.xlsx?organisationId=${z.org}` }),
    show({ url: '/api/party/activities/stats.xlsx', check: async (res, a) => partyMembersIn(() => [], false, (await sheetRows(res)).map((r) => Number(r[0])))(res, a) }),
  ]),
  'GET /api/party/activities/:id': (a) => (!a.zone ? NA_DISTRICT : PA[a.zone].attendees.has(a.id) ? ATTENDS : [refuse({ url: `/api/party/activities/${PA[a.zone].activity}` })]),
  'POST /api/party/activities/:id/minutes': forZone((z) => [refuse({
    url: `/api/party/activities/${PA[z.key].activity}/minutes`, payload: { minutes: '越界记录' }, rows: () => row('party_activities', PA[z.key].activity), control: { as: z.owner },
  })]),
  'POST /api/party/activities/:id/photos': forZone((z) => [refuse({
    url: `/api/party/activities/${PA[z.key].activity}/photos`, form: F.photoForm, rows: rowsWhere('party_activity_photos', 'activity_id', PA[z.key].activity), control: { as: z.owner },
  })]),
  'POST /api/party/activities/:id/checkin': (a) => (!a.zone ? NA_DISTRICT : PA[a.zone].attendees.has(a.id) ? ATTENDS : [refuse({
    url: `/api/party/activities/${PA[a.zone].activity}/checkin`, payload: { token: PA[a.zone].token }, rows: rowsWhere('party_attendance', 'activity_id', PA[a.zone].activity),
  })]),
  'GET /api/party/me': () => 'the caller\'s own member record, found by the account\'s person',
  'GET /api/party/members/:id/points': forZone((z) => [refuse({ url: `/api/party/members/${PF[z.key].member}/points` })]),
  'GET /api/party/points/rankings': (a) => [
    show({ url: '/api/party/points/rankings?by=member', check: partyMembersIn((b) => b.items.map((m: any) => m.id), false) }),
    ...(a.zone ? [refuse({ url: `/api/party/points/rankings?by=organisation&organisationId=${Z(a).org}` })] : []),
  ],
  'GET /api/party/points/rankings.xlsx': forZone((z) => [refuse({ url: `/api/party/points/rankings.xlsx?by=member&organisationId=${z.org}` })]),
  'GET /api/party/points/rules': () => 'the district\'s points rules: the same for every reader, no regional data',
  'GET /api/party/posts': () => [show({ url: '/api/party/posts?pageSize=100', check: postsIn })],
  'POST /api/party/posts': forZone((z) => [refuse({
    url: '/api/party/posts', payload: { organisationId: z.org, title: `越界岗位${z.key}`, place: '卡口', startsOn: '2026-12-01', endsOn: '2026-12-31', slots: 3 },
    rows: rowsWhere('party_volunteer_posts', 'title', `越界岗位${z.key}`), control: { as: z.owner },
  })]),
  'POST /api/party/posts/:id/volunteer': () => 'open posts are district-wide: any party member may volunteer for any of them, and the offer is the caller\'s own member record\'s',
  'POST /api/party/offers/:id/hours': forZone((z) => [refuse({
    url: `/api/party/offers/${PA[z.key].served}/hours`, payload: { hours: 3 }, rows: () => row('party_volunteer_offers', PA[z.key].served), control: { as: z.owner },
  })]),
  'POST /api/party/offers/:id/decide': forZone((z) => [refuse({
    url: `/api/party/offers/${PA[z.key].offer}/decide`, payload: { decision: 'accepted' }, rows: () => row('party_volunteer_offers', PA[z.key].offer), control: { as: z.owner },
  })]),
  'PUT /api/party/points/rules': (a) => (a.zone
    ? [refuse({ url: '/api/party/points/rules', payload: { rules: [{ code: 'wish_fulfilled', points: 50 }] }, rows: async () => q`select * from party_point_rules order by code`, control: { as: 'admin' } })]
    : 'the district admin sets the district\'s rules'),

  // notices (fixtures: NT, buildNoticeFixtures): a notice to each zone's compound, read by who lives there and managed by the zone's side
  'GET /api/notices': (a) => [
    show({ url: '/api/notices?pageSize=100', check: noticesIn }),
    ...(a.zone ? [refuse({ url: `/api/notices?regionId=${Z(a).compound.id}` }), show({ url: `/api/notices?q=${encodeURIComponent('范围测试公告')}&pageSize=100`, check: noticesIn })] : []),
  ],
  'POST /api/notices': forZone((z) => [refuse({
    url: '/api/notices', payload: { regionId: z.compound.id, title: `越界公告${z.key}`, body: '越界发布' }, rows: rowsWhere('notices', 'title', `越界公告${z.key}`), control: { as: z.owner },
  })]),
  'GET /api/notices/mine': () => [show({ url: '/api/notices/mine?pageSize=100', check: feedIn })],
  'GET /api/notices/unread-count': () => "counts the caller's own feed: the live notices whose region holds the caller's own home",
  'GET /api/notices/:id': (a) => (!a.zone ? NA_DISTRICT : NT[a.zone].audience.has(a.id) ? LIVES_THERE : [refuse({ url: `/api/notices/${NT[a.zone].notice}` })]),
  'PATCH /api/notices/:id': forZone((z) => [refuse({
    url: `/api/notices/${NT[z.key].notice}`, payload: { title: '越界修改' }, rows: () => row('notices', NT[z.key].notice), control: { as: z.owner },
  })]),
  'DELETE /api/notices/:id': forZone((z) => [refuse({ url: `/api/notices/${NT[z.key].withdrawMe}`, rows: () => row('notices', NT[z.key].withdrawMe), control: { as: z.owner } })]),
  // Only who lives under the notice's region marks it read (member.demo lives in 鹿鸣苑: the control); no prober lives in the zone aimed at.
  'POST /api/notices/:id/read': (a) => (!a.zone ? NA_DISTRICT : NT[a.zone].audience.has(a.id) ? LIVES_THERE : [refuse({
    url: `/api/notices/${NT[a.zone].notice}/read`, rows: rowsWhere('notice_reads', 'notice_id', NT[a.zone].notice), ...(a.zone === 'LMY' ? { control: { as: 'member.demo' } } : {}),
  })]),
  'POST /api/notices/:id/attachments': forZone((z) => [refuse({
    url: `/api/notices/${NT[z.key].notice}/attachments`, form: NT[z.key].form, rows: rowsWhere('notice_attachments', 'notice_id', NT[z.key].notice), control: { as: z.owner },
  })]),
  'DELETE /api/notices/:id/attachments/:fileId': forZone((z) => [refuse({
    url: `/api/notices/${NT[z.key].notice}/attachments/${NT[z.key].file}`, rows: rowsWhere('notice_attachments', 'notice_id', NT[z.key].notice), control: { as: z.owner },
  })]),
};

/** Per zone: a notice to the zone's compound (with one attachment), one to withdraw, and the accounts whose home lies under the compound. */
const NT = {} as Record<ZoneKey, { notice: number; withdrawMe: number; file: number; audience: Set<number>; form: Probe['form'] }>;
const LIVES_THERE = 'the account\'s home lies under the notice\'s region: the notice is theirs to read';
async function buildNoticeFixtures() {
  const jpeg = await jpegWithGps();
  for (const key of ['LMY', 'JLH', 'KC'] as ZoneKey[]) {
    const z = F.zones[key];
    const insert = async (title: string) => (await db().insertInto('notices').values({
      region_id: z.compound.id, region_path: z.compound.path, title, body: '范围测试', published_by: z.ownerId, expires_at: new Date(Date.now() + 30 * 86400_000),
    }).returning('id').executeTakeFirstOrThrow()).id;
    const notice = await insert(`范围测试公告${key}`), withdrawMe = await insert(`范围测试撤回${key}`);
    const form = multipart({}, [{ field: 'files', name: 'n.jpg', type: 'image/jpeg', data: jpeg }]);
    const file = (await api(z.owner, 'POST', `/api/notices/${notice}/attachments`, undefined, form)).attachments[0].id;
    const audience = await q<{ id: number }>`select a.id from accounts a join persons p on p.id = a.person_id where p.region_path like ${`${z.compound.path}%`}`;
    NT[key] = { notice, withdrawMe, file, audience: new Set(audience.map((r) => r.id)), form };
  }
}
/** Notices of the publishing side's answer were published to regions in the caller's scope; the total is no more than those. */
const noticesIn = async (res: Res, a: Acct) => {
  const b = res.json();
  const ids = (b.items as { id: number }[]).map((x) => x.id);
  const scoped = new Set((await q<{ id: number }>`select id from notices where region_path like ${`${a.scopePath}%`}`).map((r) => r.id));
  const bad = ids.filter((id) => !scoped.has(id));
  const out = bad.length ? [`notices outside scope: ${bad.slice(0, 8).join(', ')}`] : [];
  if (b.total > scoped.size) out.push(`total ${b.total}, but only ${scoped.size} notices are in scope`);
  return out;
};
/** A feed holds only live notices whose region holds the caller's own home. */
const feedIn = async (res: Res, a: Acct) => {
  const ids = (res.json().items as { id: number }[]).map((x) => x.id);
  if (!ids.length) return [];
  const [home] = a.personId == null ? [] : await q<{ path: string }>`select region_path as path from persons where id = ${a.personId}`;
  if (!home) return [`a feed of ${ids.length} notices for an account without a home`];
  const ok = new Set((await q<{ id: number }>`select id from notices where id in (${sql.join(ids)}) and ${home.path} like region_path || '%'
    and withdrawn_at is null and (expires_at is null or expires_at > now())`).map((r) => r.id));
  const bad = ids.filter((id) => !ok.has(id));
  return bad.length ? [`notices not over the caller's home: ${bad.slice(0, 8).join(', ')}`] : [];
};

/**
 * Party-register fixtures per zone: a member of the zone's compound branch, two persons of the zone who
 * are not members (one to register, one to import), and two transfers into the branch waiting for the zone's side.
 */
interface PartyPerson { id: number; name: string; id_number: string }
const PF = {} as Record<ZoneKey, { member: number; memberName: string; orgCode: string; newcomer: PartyPerson; imported: PartyPerson; elsewhereOrg: number; acceptMe: number; rejectMe: number }>;
const PARTY_SHEET = ['姓名', '身份证号', '手机号', '所在党组织（名称或编码）', '党员类别（正式党员/预备党员）', '入党日期', '转正日期', '职务（多个用；分隔）'];
const partyMemberBody = (p: PartyPerson, organisationId: number) => ({ name: p.name, idNumber: p.id_number, organisationId, status: 'full', joinedOn: '2005-07-01', fullOn: '2006-07-01' });
const partySheet = (p: PartyPerson, orgCode: string) => xlsx(PARTY_SHEET, [[p.name, p.id_number, '', orgCode, '正式党员', '2005-07-01', '2006-07-01', '']]);
async function buildPartyFixtures() {
  const elsewhere = await db().selectFrom('organisations').select('id').where('code', '=', 'P-NET').executeTakeFirstOrThrow();
  // Members of the district's industry committees move into each zone's branch: the zone's side decides.
  const movers = await q<{ id: number; organisation_id: number }>`select m.id, m.organisation_id from party_members m join organisations o on o.id = m.organisation_id
    where o.code in ('P-NET', 'P-EXP', 'P-BIG') and not exists (select 1 from party_transfers t where t.member_id = m.id) order by m.id`;
  for (const [i, key] of (['LMY', 'JLH', 'KC'] as ZoneKey[]).entries()) {
    const z = F.zones[key];
    const org = await db().selectFrom('organisations').select('code').where('id', '=', z.org).executeTakeFirstOrThrow();
    const [member] = await q<{ id: number; name: string }>`select m.id, m.name from party_members m where m.organisation_id = ${z.org} and m.report_community_id is null
      and not exists (select 1 from party_transfers t where t.member_id = m.id) order by m.id offset 1 limit 1`;
    const [newcomer, imported] = await q<PartyPerson>`select p.id, p.name, p.id_number from persons p where p.region_path like ${`${z.compound.path}%`}
      and p.birth_date < '1990-01-01' and p.id_number is not null and not exists (select 1 from party_members m where m.person_id = p.id) order by p.id desc limit 2`;
    const transfer = async (m: { id: number; organisation_id: number }) => (await db().insertInto('party_transfers')
      .values({ member_id: m.id, from_org_id: m.organisation_id, to_org_id: z.org, reason: '测试转入' }).returning('id').executeTakeFirstOrThrow()).id;
    PF[key] = {
      member: member.id, memberName: member.name, orgCode: org.code, newcomer, imported, elsewhereOrg: elsewhere.id,
      acceptMe: await transfer(movers[2 * i]), rejectMe: await transfer(movers[2 * i + 1]),
    };
  }
}
/** Per zone: an activity of the zone's organisation with sign-in open, its QR token, and the accounts whose member record attends it. */
const PA = {} as Record<ZoneKey, { activity: number; token: string; attendees: Set<number>; offer: number; served: number }>;
const ATTENDS = 'the account\'s person is a member of the zone\'s organisation: the activity is theirs';
async function buildActivityFixtures() {
  for (const key of ['LMY', 'JLH', 'KC'] as ZoneKey[]) {
    const z = F.zones[key];
    const { id } = await db().insertInto('party_activities').values({
      organisation_id: z.org, kind: 'theme_day', topic: `范围测试主题党日${key}`, place: '党群服务站',
      starts_at: new Date(Date.now() - 10 * 60_000), ends_at: new Date(Date.now() + 3 * 3600_000),
    }).returning('id').executeTakeFirstOrThrow();
    const attendees = await q<{ id: number }>`select a.id from accounts a join party_members m on m.person_id = a.person_id join organisations mo on mo.id = m.organisation_id
      join organisations o on o.id = ${z.org} where mo.path like o.path || '%'`;
    const post = await db().insertInto('party_volunteer_posts').values({ organisation_id: z.org, title: `范围测试岗位${key}`, place: '卡口', starts_on: today(), ends_on: inDays(30), slots: 5 })
      .returning('id').executeTakeFirstOrThrow();
    const offer = await db().insertInto('party_volunteer_offers').values({ post_id: post.id, member_id: PF[key].member }).returning('id').executeTakeFirstOrThrow();
    // An accepted offer on the started post, whose hours the zone's side records.
    const [other] = await q<{ id: number }>`select id from party_members where organisation_id = ${z.org} and id <> ${PF[key].member} order by id limit 1`;
    const served = await db().insertInto('party_volunteer_offers').values({ post_id: post.id, member_id: other.id, status: 'accepted', decided_at: new Date() }).returning('id').executeTakeFirstOrThrow();
    PA[key] = { activity: id, token: activityToken(t.app.secrets, id, new Date(Date.now() + 4 * 3600_000)).token, attendees: new Set(attendees.map((r) => r.id)), offer: offer.id, served: served.id };
  }
}
/** Posts of an answer: with their offers only for the post organisation's side in scope; otherwise open, and only to a party member. */
const postsIn = async (res: Res, a: Acct) => {
  const items = res.json().items as { id: number; offers: unknown[] | null; status: string }[];
  if (!items.length) return [];
  const paths = new Map((await q<{ id: number; path: string }>`select p.id, r.path from party_volunteer_posts p join organisations o on o.id = p.organisation_id
    join regions r on r.id = o.region_id where p.id in (${sql.join(items.map((i) => i.id))})`).map((r) => [r.id, r.path]));
  const member = a.personId != null && (await q`select 1 from party_members where person_id = ${a.personId}`).length > 0;
  const readable = a.perms.has('*') || a.perms.has('party:read');
  const bad = items.filter((i) => (i.offers ? !(readable && inScope(a, paths.get(i.id))) : !(member && i.status === 'open') && !(readable && inScope(a, paths.get(i.id))))).map((i) => i.id);
  return bad.length ? [`posts outside scope or with offers shown out of scope: ${bad.slice(0, 8).join(', ')}`] : [];
};
/** Activities of an answer are the caller's: its organisation's region in scope (with party:read), or the caller attends it. */
const activitiesIn = async (res: Res, a: Acct) => {
  const ids = (res.json().items as { id: number }[]).map((x) => x.id);
  if (!ids.length) return [];
  const like = `${a.scopePath}%`;
  const readable = a.perms.has('*') || a.perms.has('party:read');
  const ok = new Set((await q<{ id: number }>`select x.id from party_activities x join organisations o on o.id = x.organisation_id join regions r on r.id = o.region_id
    where x.id in (${sql.join(ids)}) and ((${readable} and r.path like ${like}) or exists (select 1 from accounts acc join party_members m on m.person_id = acc.person_id
      join organisations mo on mo.id = m.organisation_id where acc.id = ${a.id} and (mo.path like o.path || '%'
        or exists (select 1 from party_activity_invitees i where i.activity_id = x.id and i.member_id = m.id))))`).map((r) => r.id));
  const bad = ids.filter((id) => !ok.has(id));
  return bad.length ? [`activities outside scope: ${bad.slice(0, 8).join(', ')}`] : [];
};
/** Members of an answer (or of `fromSheet`) are in the caller's scope by organisation or 双报到; with `totalIn`, the total is no more than those. */
const partyMembersIn = (ids: (b: any) => number[], totalIn: boolean, fromSheet?: number[]) => async (res: Res, a: Acct) => {
  const b = fromSheet ? undefined : res.json();
  const like = `${a.scopePath}%`;
  const scoped = new Set((await q<{ id: number }>`select m.id from party_members m join organisations o on o.id = m.organisation_id join regions ro on ro.id = o.region_id
    left join regions rc on rc.id = m.report_community_id where ro.path like ${like} or rc.path like ${like}`).map((r) => r.id));
  const bad = [...new Set(fromSheet ?? ids(b))].filter((id) => !scoped.has(id));
  const out = bad.length ? [`party members outside scope: ${bad.slice(0, 8).join(', ')}`] : [];
  if (totalIn && b && b.total > scoped.size) out.push(`total ${b.total}, but only ${scoped.size} party members are in scope`);
  return out;
};
/** Transfers of an answer have their sending or receiving organisation in the caller's scope. */
const transfersIn = async (res: Res, a: Acct) => {
  const like = `${a.scopePath}%`;
  const scoped = new Set((await q<{ id: number }>`select t.id from party_transfers t join organisations fo on fo.id = t.from_org_id join regions fr on fr.id = fo.region_id
    join organisations tor on tor.id = t.to_org_id join regions tr on tr.id = tor.region_id where fr.path like ${like} or tr.path like ${like}`).map((r) => r.id));
  const bad = (res.json().items as { id: number }[]).map((x) => x.id).filter((id) => !scoped.has(id));
  return bad.length ? [`transfers outside scope: ${bad.join(', ')}`] : [];
};

/** Practical-matter fixtures per zone, made through the API by the zone's owner: a planned matter of the compound, and an accepted one (survey open). */
const PM = {} as Record<ZoneKey, { matter: number; milestone: number; accepted: number }>;
const PM_FORM = {} as { form: Probe['form'] };
const practicalBody = (title: string, regionId: number, compoundId: number) => ({
  title, category: 'lighting', year: 2026, regionId, compoundIds: [compoundId], units: [{ kind: 'department', name: '区城市管理局' }], budgetFen: 500000, dueOn: inDays(90),
  milestones: [{ title: '安装', weight: 2 }, { title: '验收', weight: 1 }],
});
async function buildPracticalFixtures() {
  PM_FORM.form = multipart({ kind: 'before' }, [{ field: 'photos', name: 'p.jpg', type: 'image/jpeg', data: await jpegWithGps() }]);
  for (const key of ['LMY', 'JLH', 'KC'] as ZoneKey[]) {
    const z = F.zones[key];
    const matter = await api(z.owner, 'POST', '/api/practical-matters', practicalBody(`${z.compound.name}路灯测试`, z.community.id, z.compound.id));
    const accepted = await api(z.owner, 'POST', '/api/practical-matters', practicalBody(`${z.compound.name}验收测试`, z.community.id, z.compound.id));
    for (const m of (await api(z.owner, 'GET', `/api/practical-matters/${accepted.id}`)).milestones) await api(z.owner, 'POST', `/api/practical-matters/${accepted.id}/milestones/${m.id}/complete`, {});
    await api(z.owner, 'POST', `/api/practical-matters/${accepted.id}/status`, { status: 'accepted' });
    PM[key] = { matter: matter.id, milestone: (await api(z.owner, 'GET', `/api/practical-matters/${matter.id}`)).milestones[0].id, accepted: accepted.id };
  }
}
/** Every practical matter of an answer is in the caller's scope (owning region or a served compound); with `totalIn`, no total or count exceeds those in scope. */
const mattersIn = (ids: (b: any) => number[], totalIn: boolean, fromSheet?: number[]) => async (res: Res, a: Acct) => {
  const b = fromSheet ? undefined : res.json();
  const list = fromSheet ?? ids(b);
  const like = `${a.scopePath}%`;
  const scoped = (await q<{ id: number }>`select m.id from practical_matters m where m.region_path like ${like}
    or exists (select 1 from practical_matter_compounds c where c.matter_id = m.id and c.compound_path like ${like})`).map((r) => r.id);
  const bad = [...new Set(list)].filter((id) => !scoped.includes(id));
  const out = bad.length ? [`practical matters outside scope: ${bad.slice(0, 8).join(', ')}`] : [];
  if (totalIn && b && b.total > scoped.length) out.push(`total ${b.total}, but only ${scoped.length} practical matters are in scope`);
  return out;
};

/** Four-party fixtures per zone, made through the API by the zone's owner: a grid party with a post, a meeting with a follow-up the owner owns. */
const CP = {} as Record<ZoneKey, { party: number; post: number; person2: number; followUp: number }>;
const shanghaiMonth = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
const meetingBody = (title: string, post: number, owner: number) => ({
  heldOn: today(), title, topics: ['楼道堆物'], attendeePostIds: [post], followUps: [{ task: '清理楼道堆物', dueOn: inDays(7), ownerAccountId: owner }],
});
async function buildCompoundFixtures() {
  for (const key of ['LMY', 'JLH', 'KC'] as ZoneKey[]) {
    const z = F.zones[key];
    const party = (await api(z.owner, 'POST', `/api/compounds/${z.compound.id}/parties`, { kind: 'grid', name: `${z.compound.name}测试网格` })).id;
    const post = (await api(z.owner, 'POST', `/api/compound-parties/${party}/posts`, { personId: z.person.id, title: '网格员', accountId: z.ownerId })).id;
    const meeting = (await api(z.owner, 'POST', `/api/compounds/${z.compound.id}/meetings`, meetingBody(`${z.compound.name}联席会议测试`, post, z.ownerId))).id;
    const followUp = (await db().selectFrom('compound_follow_ups').select('id').where('meeting_id', '=', meeting).executeTakeFirstOrThrow()).id;
    // The newest resident there: splitHousehold has moved older ones in, so an offset could land on z.person.
    const person2 = (await db().selectFrom('persons').select('id').where('region_path', 'like', `${z.compound.path}%`).where('id', '<>', z.person.id).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow()).id;
    CP[key] = { party, post, person2, followUp };
  }
}
/** Every follow-up of the work list belongs to a compound on the caller's line. */
async function followUpsOnLine(res: Res, a: Acct) {
  const ids = res.json().items.map((x: any) => x.id);
  const rows = ids.length ? await q<{ id: number; compound_path: string }>`select id, compound_path from compound_follow_ups where id in (${sql.join(ids)})` : [];
  const bad = rows.filter((r) => !onLine(a, r.compound_path)).map((r) => r.id);
  return bad.length ? [`follow-ups outside scope: ${bad.join(', ')}`] : [];
}
/** Every compound of the ranking is in the caller's scope. */
async function rankedCompoundsIn(res: Res, a: Acct) {
  const ids = res.json().items.map((x: any) => x.compoundId);
  const bad = await outside('regions', ids, a);
  return bad.length ? [`compounds outside scope: ${bad.join(', ')}`] : [];
}

/** Booking fixtures per zone: the compound's station, a room and an approval room made by the zone's owner, and bookings in them. */
const PB = {} as Record<ZoneKey, { position: number; room: number; code: string; slot: [string, string]; booking: number; cancelMe: number; pending: number; pending2: number; photo: number }>;
const PB_FORM = {} as { form: Probe['form'] };
async function buildBookingFixtures() {
  PB_FORM.form = multipart({}, [{ field: 'photos', name: 'p.jpg', type: 'image/jpeg', data: await jpegWithGps() }]);
  const day = new Date(Date.now() + 8 * 3600_000 + 3 * 86400_000).toISOString().slice(0, 10);
  const at = (hhmm: string) => `${day}T${hhmm}:00+08:00`;
  for (const key of ['LMY', 'JLH', 'KC'] as ZoneKey[]) {
    const z = F.zones[key];
    const position = (await db().selectFrom('service_positions').select('id').where('region_id', '=', z.compound.id).where('level', '=', 'compound').executeTakeFirstOrThrow()).id;
    const room = (await api(z.owner, 'POST', `/api/positions/${position}/rooms`, { name: `越界测试室${key}`, kind: 'activity', capacity: 20, whoMayBook: 'any_resident' })).id;
    const approvalRoom = (await api(z.owner, 'POST', `/api/positions/${position}/rooms`, { name: `越界审批室${key}`, kind: 'meeting', capacity: 20, needsApproval: true })).id;
    const book = async (r: number, from: string, to: string) => (await api(z.owner, 'POST', `/api/rooms/${r}/bookings`, { startsAt: at(from), endsAt: at(to), purpose: '测试', headcount: 3 })).id as number;
    const code = (await api(z.owner, 'GET', `/api/rooms/${room}/qr`)).code;
    PB[key] = {
      position, room, code, slot: [at('15:00'), at('16:00')], booking: await book(room, '09:00', '10:00'), cancelMe: await book(room, '11:00', '12:00'),
      pending: await book(approvalRoom, '09:00', '10:00'), pending2: await book(approvalRoom, '11:00', '12:00'),
      photo: (await api(z.owner, 'POST', `/api/positions/${position}/photos`, undefined, PB_FORM.form)).photos[0].id,
    };
  }
}
/** Every booking of a list answer is of a position in the caller's scope ('in') or on its line ('line'). */
const bookingsIn = (rel: 'in' | 'line') => async (res: Res, a: Acct) => {
  const ids = res.json().items.map((x: any) => x.id);
  const rows = ids.length ? await q<{ id: number; path: string }>`select b.id, p.region_path as path from room_bookings b join function_rooms r on r.id = b.room_id
    join service_positions p on p.id = r.position_id where b.id in (${sql.join(ids)})` : [];
  const bad = rows.filter((r) => !(rel === 'in' ? inScope(a, r.path) : onLine(a, r.path))).map((r) => r.id);
  return bad.length ? [`bookings outside scope: ${bad.join(', ')}`] : [];
};
/** Station fixtures per zone, made through the API by the zone's owner in its community: an open station and a closed one. */
const ST = {} as Record<ZoneKey, { open: number; closed: number }>;
const stationPayload = (z: ZoneFx, name: string) => ({
  name, kind: 'fengxiaochao', regionId: z.community.id, address: `${z.community.name}测试路1号`, lat: 33.35, lng: 120.2, openingHours: '全天', services: ['rest', 'express_agency'],
});
async function buildStationFixtures() {
  for (const key of ['LMY', 'JLH', 'KC'] as ZoneKey[]) {
    const z = F.zones[key];
    const open = (await api(z.owner, 'POST', '/api/stations', stationPayload(z, `越界测试站${key}`))).id;
    const closed = (await api(z.owner, 'POST', '/api/stations', stationPayload(z, `越界关闭站${key}`))).id;
    await api(z.owner, 'POST', `/api/stations/${closed}/close`, { reason: '测试关闭' });
    ST[key] = { open, closed };
  }
}
/** Station services per zone at a station of the zone, asked by the zone's owner: one waiting, one taken by member.demo, one done by member.demo. */
const SV = {} as Record<ZoneKey, { requested: number; taken: number; done: number }>;
const SV_HANDLER = 'member.demo';
const SV_REASON = 'a party member takes and serves requests at any open station district-wide (member.demo handles the fixtures); the district sees all';
async function buildStationServiceFixtures() {
  for (const key of ['LMY', 'JLH', 'KC'] as ZoneKey[]) {
    const z = F.zones[key];
    // A station of its own: the close probe's control closes ST's open station during the walk.
    const station = (await api(z.owner, 'POST', '/api/stations', stationPayload(z, `站点服务测试站${key}`))).id;
    const ask = async () => (await api(z.owner, 'POST', `/api/stations/${station}/services`, { service: 'rest', note: '测试服务' })).id as number;
    const [requested, taken, done] = [await ask(), await ask(), await ask()];
    for (const id of [taken, done]) await api(SV_HANDLER, 'POST', `/api/station-services/${id}/take`);
    await api(SV_HANDLER, 'POST', `/api/station-services/${done}/done`, {});
    SV[key] = { requested, taken, done };
  }
}
/** Station services of an answer: the caller's own (asked or handled), waiting ones for a party member, or at a station in the caller's scope for station:manage. */
async function stationServicesIn(res: Res, a: Acct) {
  const ids = (res.json().items as { id: number }[]).map((x) => x.id);
  if (!ids.length) return [];
  const member = a.personId != null && (await q`select 1 from party_members where person_id = ${a.personId}`).length > 0;
  const manage = a.perms.has('*') || a.perms.has('station:manage');
  const rows = await q<{ id: number; path: string; status: string; beneficiary_account_id: number; handler_account_id: number | null }>`select v.id, r.path, v.status,
    v.beneficiary_account_id, v.handler_account_id from station_services v join stations s on s.id = v.station_id join regions r on r.id = s.region_id where v.id in (${sql.join(ids)})`;
  const bad = rows.filter((v) => !(v.beneficiary_account_id === a.id || v.handler_account_id === a.id || (member && v.status === 'requested') || (manage && inScope(a, v.path)))).map((v) => v.id);
  return bad.length ? [`station services outside scope: ${bad.join(', ')}`] : [];
}
const STATION_SHEET = ['编号', '名称', '类型', '所在社区', '地址', '纬度', '经度', '开放时间', '服务项目（用、分隔）', '所属联盟单位', '联系人', '联系电话', '简介'];
/** A stations import sheet with one row: [编号, 名称, 所在社区] and valid values for the rest. */
const stationSheet = ([id, name, community]: [number | string, string, string]) =>
  xlsx(STATION_SHEET, [[id, name, '锋小巢', community, `${community}测试路2号`, 33.35, 120.2, '全天', '休息、快递代办', '', '', '', '']]);
/** Every station named is in the caller's scope. */
async function stationsIn(ids: number[], a: Acct) {
  const rows = ids.length ? await q<{ id: number; path: string }>`select s.id, r.path from stations s join regions r on r.id = s.region_id where s.id in (${sql.join([...new Set(ids)])})` : [];
  const bad = rows.filter((r) => !inScope(a, r.path)).map((r) => r.id);
  return bad.length ? [`stations outside scope: ${bad.join(', ')}`] : [];
}

/** Every position named is in the caller's scope. */
async function positionsIn(ids: number[], a: Acct) {
  const rows = ids.length ? await q<{ id: number; region_path: string }>`select id, region_path from service_positions where id in (${sql.join([...new Set(ids)])})` : [];
  const bad = rows.filter((r) => !inScope(a, r.region_path)).map((r) => r.id);
  return bad.length ? [`positions outside scope: ${bad.join(', ')}`] : [];
}

/** One open verification task per zone, for the zone's person, as createTasksForJob makes them (a job against the registry). */
const VT = {} as Record<ZoneKey, number>;
async function buildTaskFixtures() {
  const [ds] = await q<{ dataset_id: number }>`select dataset_id from brain_builtin_datasets where code = 'population_registry'`;
  const [job] = await q<{ id: number }>`insert into brain_match_jobs (left_dataset_id, right_dataset_id, status) values (${ds.dataset_id}, ${ds.dataset_id}, 'succeeded') returning id`;
  for (const [i, key] of (['LMY', 'JLH', 'KC'] as ZoneKey[]).entries()) {
    const p = F.zones[key].person;
    const regionId = Number(p.region_path.split('/').filter(Boolean).at(-1));
    const [task] = await q<{ id: number }>`insert into brain_verification_tasks (job_id, left_id, right_id, person_id, region_id, region_path, title, due_at, next_escalation_at)
      values (${job.id}, ${i + 1}, ${i + 1}, ${p.id}, ${regionId}, ${p.region_path}, '核实是否在本辖区居住（来源：越界测试名单）', now() + interval '3 days', now() + interval '3 days') returning id`;
    VT[key] = task.id;
  }
}
/** Every task of a list answer lies in the caller's scope. */
async function tasksIn(res: Res, a: Acct) {
  const ids = res.json().items.map((x: any) => x.id);
  const rows = ids.length ? await q<{ id: number; region_path: string }>`select id, region_path from brain_verification_tasks where id in (${sql.join(ids)})` : [];
  const bad = rows.filter((r) => !inScope(a, r.region_path)).map((r) => r.id);
  return bad.length ? [`verification tasks outside scope: ${bad.join(', ')}`] : [];
}

/** Service-request fixtures per zone, made through the API by the zone's owner on behalf of a resident there. */
const SR = {} as Record<ZoneKey, Record<'submitted' | 'photos' | 'accepted' | 'assigned' | 'inProgress' | 'done' | 'open', number>>;
async function buildRequestFixtures() {
  for (const key of ['LMY', 'JLH', 'KC'] as ZoneKey[]) {
    const z = F.zones[key];
    const make = async (steps: [string, unknown?][]) => {
      const { id } = await api(z.owner, 'POST', '/api/service-requests', { serviceCode: 'complaint.noise', description: `${z.compound.name}楼上噪音`, roomId: z.room.id, requesterPersonId: z.person.id });
      for (const [s, p] of steps) await api(z.owner, 'POST', `/api/service-requests/${id}/${s}`, p);
      return id as number;
    };
    const accept: [string, unknown?] = ['accept'], grab: [string, unknown?] = ['assign', {}], start: [string, unknown?] = ['start'], done: [string, unknown?] = ['done', { note: '已劝导' }];
    SR[key] = {
      submitted: await make([]), photos: await make([]), accepted: await make([accept]), assigned: await make([accept, grab]), inProgress: await make([accept, grab, start]),
      done: await make([accept, grab, start, done]), open: await make([]),
    };
  }
}
/** Every request of a list answer lies in the caller's scope. */
async function requestsIn(res: Res, a: Acct) {
  const ids = res.json().items.map((x: any) => x.id);
  const rows = ids.length ? await q<{ id: number; region_path: string }>`select id, region_path from service_requests where id in (${sql.join(ids)})` : [];
  const bad = rows.filter((r) => !inScope(a, r.region_path)).map((r) => r.id);
  return bad.length ? [`service requests outside scope: ${bad.join(', ')}`] : [];
}
/** Every compound named is in the caller's scope. */
async function compoundsOnLine(names: string[], a: Acct) {
  const known = await q<{ name: string; path: string }>`select name, path from regions where level = 'compound'`;
  const bad = names.filter((n) => !known.some((k) => k.name === n && inScope(a, k.path)));
  return bad.length ? [`compounds outside scope: ${bad.join(', ')}`] : [];
}
const OPEN311_FIELDS = ['address', 'address_id', 'agency_responsible', 'description', 'expected_datetime', 'lat', 'long', 'media_url', 'requested_datetime', 'service_code',
  'service_name', 'service_notice', 'service_request_id', 'status', 'status_notes', 'updated_datetime', 'zipcode'];
/** A public Open311 read carries only the public fields, and no room of the request. */
async function open311Public(res: Res) {
  const items = res.json() as any[];
  const extra = items.flatMap((r) => Object.keys(r).filter((k) => !OPEN311_FIELDS.includes(k)));
  const ids = items.map((r) => Number(r.service_request_id));
  const rooms = ids.length ? await q<{ name: string }>`select g.name from service_requests r join regions g on g.id = r.room_id where r.id in (${sql.join(ids)})` : [];
  const leaked = rooms.filter((r) => res.body.includes(r.name)).map((r) => r.name);
  return [...(extra.length ? [`private fields ${[...new Set(extra)].join(', ')}`] : []), ...(leaked.length ? [`rooms ${[...new Set(leaked)].join(', ')}`] : [])];
}

const seasonRows = (id: () => number) => async () => [await row('seasons', id()), await rowsWhere('season_communities', 'season_id', id())()];
const resetProposals = async () => {
  await db().updateTable('assignment_proposals').set({ status: 'proposed' }).where('id', 'in', Object.values(F.zones).map((z) => z.proposal)).execute();
};
/** Every name in column 1 of the sheet belongs to a record on the account's line. */
const namesOnLine = (what: string, all: ReturnType<typeof sql>) => async (res: Res, a: Acct) => {
  const known = (await all.execute(db())).rows as { name: string; path: string }[];
  const names = (await sheetRows(res)).map((r) => String(r[0]));
  const bad = names.filter((n) => !known.some((k) => k.name === n && onLine(a, k.path)));
  return bad.length ? [`${what} outside scope: ${bad.slice(0, 6).join(', ')}${bad.length > 6 ? ` (+${bad.length - 6})` : ''}`] : [];
};
/** Workers see needs of their scope; others see the district's needs list, but only public wishes on it. */
async function needsVisible(res: Res, a: Acct) {
  const items = res.json().items;
  if (a.perms.has('*') || a.perms.has('alliance:manage') || a.perms.has('wish:read')) return listIn('needs', { totalIn: true })(res, a);
  const wishIds = items.filter((n: any) => n.wishId).map((n: any) => n.wishId);
  const hidden = wishIds.length ? await q`select id, status from wishes where id in (${sql.join(wishIds)}) and status not in ('published','claimed','fulfilled','confirmed')` : [];
  return hidden.map((w: any) => `need of wish ${w.id}, which is ${w.status}`);
}

// ---------------------------------------------------------------- fixtures

async function region(code: string): Promise<Region> {
  return db().selectFrom('regions').select(['id', 'path', 'code', 'name', 'level', 'parent_id']).where('code', '=', code).executeTakeFirstOrThrow() as Promise<Region>;
}
async function firstChild(parent: Region): Promise<Region> {
  return db().selectFrom('regions').select(['id', 'path', 'code', 'name', 'level', 'parent_id', 'floor', 'area']).where('parent_id', '=', parent.id).orderBy('sort').orderBy('id').limit(1).executeTakeFirstOrThrow() as unknown as Promise<Region>;
}
/** A new unit with six rooms under a building, with no elevator project yet. */
async function freshUnit(building: Region, code: string): Promise<Region> {
  const u = await db().insertInto('regions').values({ parent_id: building.id, level: 'unit', code, name: `${code.slice(-1)}单元`, path: '', sort: 9 }).returning('id').executeTakeFirstOrThrow();
  const path = `${building.path}${u.id}/`;
  await db().updateTable('regions').set({ path }).where('id', '=', u.id).execute();
  for (let f = 1; f <= 6; f++) {
    const r = await db().insertInto('regions').values({ parent_id: u.id, level: 'room', code: `${code}-${f}01`, name: `${f}01室`, path: '', sort: f * 100 + 1, floor: f, area: 80 }).returning('id').executeTakeFirstOrThrow();
    await db().updateTable('regions').set({ path: `${path}${r.id}/` }).where('id', '=', r.id).execute();
  }
  return { id: u.id, path, code, name: `${code.slice(-1)}单元`, level: 'unit', parent_id: building.id };
}
async function personIn(compound: Region, offset: number): Promise<Person> {
  return db().selectFrom('persons').select(['id', 'name', 'id_number', 'household_id', 'region_path']).where('region_path', 'like', `${compound.path}%`)
    .where('id_number', 'is not', null).orderBy('id').offset(offset).limit(1).executeTakeFirstOrThrow() as Promise<Person>;
}
async function place(communityCode: string, compoundCode: string, freshCode: string, personOffset: number): Promise<Place> {
  const community = await region(communityCode), compound = await region(compoundCode);
  const building = await region(`${compoundCode}-01`), unit = await region(`${compoundCode}-01-1`);
  const room = await firstChild(unit);
  return { community, compound, building, unit, room, freshUnit: await freshUnit(building, freshCode), person: await personIn(compound, personOffset) };
}

/** Calls the API as a fixture owner and insists on success. */
async function api(as: string, method: string, url: string, payload?: unknown, form?: Probe['form']) {
  const headers = bearer(await t.token(as));
  const res = form
    ? await t.app.inject({ method: method as any, url, headers: { ...headers, ...form.headers }, payload: form.payload })
    : await t.app.inject({ method: method as any, url, headers, payload: payload as any });
  if (res.statusCode >= 300) throw new Error(`fixture ${as} ${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json();
}

let wishSerial = 0;
/** A wish straight into the database, in any state, with a claim when claimed or fulfilled. */
async function insertWish(at: { community: Region; person: Person }, status: string, submittedBy: number, claimer?: { id: number; orgId: number | null; name: string }) {
  const now = Date.now();
  const ago = (d: number) => new Date(now - d * 86400_000);
  const published = PUBLIC_STATUSES.includes(status) ? ago(3) : null;
  const claimed = ['claimed', 'fulfilled', 'confirmed'].includes(status) ? ago(2) : null;
  const fulfilled = ['fulfilled', 'confirmed'].includes(status) ? ago(1) : null;
  const w = await db().insertInto('wishes').values({
    season_id: F.currentSeason, community_id: at.community.id, region_path: at.person.region_path, beneficiary_person_id: at.person.id,
    beneficiary_surname: at.person.name[0], title: `越界测试心愿${++wishSerial}`, story: '一位独居老人的小心愿。', category: 'goods', target_group: 'elder',
    estimated_value_fen: 12000, channel: 'visit', visit_date: '2026-11-20', visitor: '走访员', submitted_by: submittedBy,
    review_status: status === 'rejected' ? 'rejected' : published ? 'approved' : 'pending', review_reason: status === 'rejected' ? '不符合本季范围（仅工作人员可见）' : null,
    status: status as any, published_at: published, claimed_at: claimed, fulfilled_at: fulfilled, withdrawn_at: status === 'withdrawn' ? ago(1) : null,
    created_at: ago(4), updated_at: ago(4),
  } as any).returning('id').executeTakeFirstOrThrow();
  await db().insertInto('wish_events').values({ wish_id: w.id, kind: 'submitted', at: ago(4), actor_id: submittedBy, data: JSON.stringify({ channel: 'visit' }) }).execute();
  if (status === 'withdrawn') await db().insertInto('wish_events').values({ wish_id: w.id, kind: 'withdrawn', at: ago(1), actor_id: submittedBy, data: JSON.stringify({ reason: '受益人住院（内部原因）' }) }).execute();
  if (claimed) {
    const who = claimer!;
    await db().insertInto('wish_claims').values({
      wish_id: w.id, claimer_id: who.id, claimer_org_id: who.orgId, claimer_name: who.name, status: fulfilled ? 'fulfilled' : 'live',
      claimed_at: claimed, due_at: new Date(now + 10 * 86400_000), fulfilled_at: fulfilled, fulfil_note: fulfilled ? '已送达' : null,
    } as any).execute();
  }
  return w.id;
}

async function buildFixtures(): Promise<Fixtures> {
  const ids = Object.fromEntries((await db().selectFrom('accounts').select(['id', 'username', 'organisation_id']).execute()).map((a) => [a.username, a]));
  const kc = await region('KC-KC');
  const kcWorker = await api('admin', 'POST', '/api/accounts', { username: 'kc.worker', password: DEMO_PASSWORD, displayName: '科城社区工作人员', roles: ['community_worker'], scopeRegionId: kc.id });
  const current = await db().selectFrom('seasons').select('id').where('name', '=', '第12季').executeTakeFirstOrThrow();
  const jpeg = await jpegWithGps();
  const photo = () => multipart({}, [{ field: 'photos', name: 'p.jpg', type: 'image/jpeg', data: jpeg }]);
  F = {
    zones: {} as Fixtures['zones'], home: {}, sub: {}, claim: {}, othersClaim: 0, currentSeason: current.id, kcSeason: 0, kcWorker: kcWorker.id, kcNotification: 0,
    photoForm: photo(), photoFormFulfil: multipart({ note: '越界圆梦' }, [{ field: 'photos', name: 'p.jpg', type: 'image/jpeg', data: jpeg }]),
    scanForm: multipart({}, [{ field: 'scan', name: 'ballot.jpg', type: 'image/jpeg', data: jpeg }]),
  };
  // Starts tomorrow, so that 第12季 stays the current season.
  const kcSeason = await api('admin', 'POST', '/api/seasons', { name: '科城专项季', startsOn: inDays(1), endsOn: inDays(30), communityIds: [kc.id] });
  F.kcSeason = kcSeason.id;

  for (const key of ['LMY', 'JLH', 'KC'] as ZoneKey[]) {
    const def = ZONE_DEF[key];
    const p = await place(def.community, def.compound, `${def.compound}-01-8`, 1);
    const ownerId = key === 'KC' ? kcWorker.id : ids[def.owner].id;
    const wish = (status: string) => insertWish(p, status, ownerId, { id: ownerId, orgId: null, name: '测试认领人' });
    const w = {
      editMe: await wish('pending_review'), photoMe: await wish('pending_review'), reviewMe: await wish('pending_review'), withdrawMe: await wish('published'),
      claimMe: await wish('published'), revokeMe: await wish('claimed'), confirmMe: await wish('fulfilled'), pending: await wish('pending_review'),
      rejected: await wish('rejected'), withdrawn: await wish('withdrawn'), published: await wish('published'),
    };
    const photoFile = (await api(def.owner, 'POST', `/api/wishes/${w.pending}/photos`, undefined, photo())).photos[0].id;
    const consultation = (await api(def.owner, 'POST', '/api/consultations', { topic: `${p.unit.name}加装电梯协商`, scopeRegionId: p.unit.id })).id;
    const vote = async () => (await api(def.owner, 'POST', '/api/votes', { consultationId: consultation, title: '是否同意加装电梯', rule: 'major' })).id;
    const voteDraft = await vote(), voteDraft2 = await vote(), voteOpen = await vote(), voteOpenClose = await vote(), voteClosed = await vote();
    for (const v of [voteOpen, voteOpenClose, voteClosed]) await api(def.owner, 'POST', `/api/votes/${v}/open`);
    await api(def.owner, 'POST', `/api/votes/${voteClosed}/close`);
    const objection = (await api(def.owner, 'POST', `/api/votes/${voteClosed}/objections`, { body: '低层住户担心采光' })).id;
    const scan = (await api(def.owner, 'POST', `/api/votes/${voteOpen}/scans`, undefined, F.scanForm)).fileId;
    const elevator = await db().selectFrom('elevator_projects').select(['id', 'stage']).where('unit_id', '=', p.unit.id).executeTakeFirstOrThrow();
    const pendingUnit = (await api(def.owner, 'POST', '/api/alliance/units', { name: `${p.community.name}测试申请单位`, kind: 'social_org', committeeRegionId: p.community.id, contactName: '联络人', contactPhone: '13912345678' })).id;
    const communityUnit = (await db().selectFrom('alliance_units').select('id').where('committee_region_id', '=', p.community.id).where('kind', '=', 'community').where('status', '=', 'verified').executeTakeFirstOrThrow()).id;
    const need = (await api(def.owner, 'POST', '/api/needs', { title: `${p.community.name}活动室桌椅`, category: 'goods', communityId: p.community.id })).id;
    const project = await api(def.owner, 'POST', '/api/projects', { title: `${p.community.name}共建测试项目`, ownerUnitId: communityUnit, regionId: p.community.id, milestones: [{ title: '启动' }, { title: '完成' }] });
    const proposal = (await api(def.owner, 'POST', `/api/seasons/${current.id}/assignment`)).id;
    const org = (await db().selectFrom('organisations').select('id').where('region_id', '=', p.compound.id).orderBy('id').executeTakeFirstOrThrow()).id;
    F.zones[key] = {
      ...p, key, owner: def.owner, ownerId, org, communityUnit, w, photo: photoFile, consultation, voteDraft, voteDraft2, voteOpen, voteOpenClose, voteClosed, objection, scan,
      elevator, pendingUnit, need, project: project.id, milestone: project.milestones[0].id, proposal,
    };
  }

  const homes = { XSW: await place('HH-LM', 'XSW', 'XSW-01-9', 5), JLH: await place('HH-JLH', 'JLH-C1', 'JLH-C1-01-9', 5) };
  // Home residents whose households span communities: family members moved (by the district) to rooms elsewhere.
  homes.XSW.person = await splitHousehold(homes.XSW.compound, 4, [F.zones.LMY.room, F.zones.JLH.room, F.zones.KC.room]);
  homes.JLH.person = await splitHousehold(homes.JLH.compound, 2, [F.zones.LMY.room]);
  // Rooms of the owner register other tests do not use (橡树湾 3幢 1单元, 聚龙湖花园 2幢 1单元).
  homes.XSW.room = await firstChild(await region('XSW-03-1'));
  homes.JLH.room = await firstChild(await region('JLH-C1-02-1'));
  F.othersClaim = await insertWish(homes.XSW, 'claimed', kcWorker.id, { id: kcWorker.id, orgId: null, name: '科城认领人' });
  for (const u of DEMO) {
    F.home[u] = u === 'community.julonghu' ? homes.JLH : homes.XSW;
    const zone = ZONE_OF[u];
    if (!zone) continue;
    const z = F.zones[zone];
    const me = ids[u];
    const sub = { pending: await insertWish(z, 'pending_review', me.id), published: await insertWish(z, 'published', me.id), fulfilled: await insertWish(z, 'fulfilled', me.id, { id: z.ownerId, orgId: null, name: '测试认领人' }), photo: 0 };
    sub.photo = (await api(z.owner, 'POST', `/api/wishes/${sub.pending}/photos`, undefined, photo())).photos[0].id;
    F.sub[u] = sub;
    F.claim[u] = await insertWish(z, 'claimed', z.ownerId, { id: me.id, orgId: me.organisation_id ?? null, name: u });
  }
  F.kcNotification = (await db().insertInto('notifications').values({ account_id: kcWorker.id, kind: 'test', title: '科城的消息', body: '只给科城社区工作人员' }).returning('id').executeTakeFirstOrThrow()).id;
  await resetProposals();
  await buildRequestFixtures();
  await buildTaskFixtures();
  await buildBookingFixtures();
  await buildCompoundFixtures();
  await buildStationFixtures();
  await buildStationServiceFixtures();
  await buildPracticalFixtures();
  await buildPartyFixtures();
  await buildActivityFixtures();
  await buildNoticeFixtures();
  return F;
}

/** The householder of a household of at least `size` under a compound, whose other members are moved to `rooms`. */
async function splitHousehold(compound: Region, size: number, rooms: Region[]): Promise<Person> {
  const [h] = await q<{ household_id: number }>`select household_id from persons where region_path like ${`${compound.path}%`} and household_id is not null
    group by household_id having count(*) >= ${size} and bool_or(id = 1) is not true order by household_id offset 1 limit 1`;
  const members = await db().selectFrom('persons').select(['id', 'name', 'id_number', 'household_id', 'region_path', 'is_householder'])
    .where('household_id', '=', h.household_id).orderBy('is_householder', 'desc').orderBy('id').execute();
  for (const [i, room] of rooms.entries()) await api('admin', 'PATCH', `/api/people/${members[i + 1].id}`, { regionId: room.id });
  const { is_householder: _, ...head } = members[0];
  return head as Person;
}

async function loadAccount(username: string): Promise<Acct> {
  const token = await t.token(username);
  const me = (await t.app.inject({ url: '/api/auth/me', headers: bearer(token) })).json();
  const scope = me.scope ? await db().selectFrom('regions').select('path').where('id', '=', me.scope.id).executeTakeFirstOrThrow() : null;
  return {
    username, id: me.account.id, token, perms: new Set(me.permissions), personId: me.person?.id ?? null, orgId: me.organisation?.id ?? null,
    scopeRegionId: me.scope?.id ?? null, scopePath: scope?.path ?? '', zone: ZONE_OF[username],
  };
}
const ANONYMOUS: Acct = { username: 'anonymous', id: 0, token: null, perms: new Set(), personId: null, orgId: null, scopeRegionId: null, scopePath: '', zone: null };

// ---------------------------------------------------------------- the walk

describe('scope walk: every route × every demo account × records out of scope', () => {
  let accounts: Acct[];
  let routes: Map<string, { method: string; url: string; public: boolean; permission?: string }>;

  beforeAll(async () => {
    t = await createTestApp();
    routes = new Map(t.app.routeList
      .filter((r) => (r.url.startsWith('/api/') || r.url.startsWith('/open311/')) && !r.url.startsWith('/api/docs') && r.method !== 'HEAD' && r.method !== 'OPTIONS')
      .map((r) => [`${r.method} ${r.url}`, r]));
    await buildFixtures();
    accounts = [];
    for (const u of DEMO) accounts.push(await loadAccount(u));
  });
  afterAll(async () => {
    console.log(`scope walk: ${tally.routes} routes × ${DEMO.length} demo accounts (+ anonymous on public routes): ${tally.probedPairs} route×account pairs probed with ${tally.probes} requests; `
      + `${tally.notApplicable} pairs with nothing out of reach, ${tally.lacksPermission} without the route's permission; ${controls.length} controls`);
    await t?.close();
  });

  it('has an entry for every route, and no entry for a route that does not exist', () => {
    const missing = [...routes.keys()].filter((k) => !(k in ROUTES)).sort();
    const stale = Object.keys(ROUTES).filter((k) => !routes.has(k)).sort();
    expect({ missing, stale }, 'add an entry to ROUTES in tests/api/scope-walk.test.ts for each new route').toEqual({ missing: [], stale: [] });
  });

  for (const key of Object.keys(ROUTES)) {
    it(key, async () => {
      const route = routes.get(key);
      if (!route) throw new Error(`${key} is in ROUTES but the app has no such route (stale entry)`);
      tally.routes++;
      const failures: string[] = [];
      let controlled = false;
      for (const a of route.public ? [...accounts, ANONYMOUS] : accounts) {
        if (route.permission && !a.perms.has('*') && !a.perms.has(route.permission)) { tally.lacksPermission++; continue; }
        const probes = ROUTES[key](a);
        if (typeof probes === 'string') { tally.notApplicable++; continue; }
        tally.probedPairs++;
        for (const p of probes) {
          tally.probes++;
          await p.prepare?.();
          const before = p.rows ? JSON.stringify(await p.rows()) : undefined;
          const res = await send(a, route.method, p);
          const what = `${a.username} ${route.method} ${p.url}${p.payload ? ` ${JSON.stringify(p.payload)}` : ''}`;
          if (p.expect === 'refuse') {
            if (![403, 404, ...(p.also ?? [])].includes(res.statusCode)) failures.push(`${what} → ${res.statusCode} (expected a refusal): ${snippet(res)}`);
            else if (p.check) for (const leak of await p.check(res, a)) failures.push(`${what} → ${res.statusCode}: ${leak}`);
          } else if (res.statusCode < 300) {
            for (const leak of (await p.check?.(res, a)) ?? []) failures.push(`${what} → ${res.statusCode}: ${leak}`);
          } else if (![403, 404].includes(res.statusCode)) failures.push(`${what} → ${res.statusCode}: ${snippet(res)}`);
          if (p.rows) {
            const after = JSON.stringify(await p.rows());
            if (after !== before) failures.push(`${what} → ${res.statusCode} changed rows out of scope: ${before?.slice(0, 200)} → ${after.slice(0, 200)}`);
          }
          if (p.control && !controlled) { controls.push({ key, method: route.method, probe: p }); controlled = true; }
        }
      }
      expect(failures.join('\n'), `${key}: ${failures.length} out-of-scope answers`).toBe('');
    });
  }

  it('controls: each refused write, sent by an account in scope, succeeds (the probes were valid requests)', async () => {
    const failures: string[] = [];
    for (const c of controls) {
      const p = c.probe;
      const as = await loadAccountCached(c.probe.control!.as);
      const res = await send(as, c.method, { ...p, payload: p.control!.payload ?? p.payload, form: p.control!.form ?? p.form });
      if (res.statusCode >= 300) failures.push(`${c.key} as ${as.username}: ${res.statusCode} ${snippet(res)}`);
    }
    expect(controls.length).toBeGreaterThan(20);
    expect(failures.join('\n')).toBe('');
  });
});

describe('account links stay in scope when a scoped role may write accounts', () => {
  let t2: TestApp;
  beforeAll(async () => { t2 = await createTestApp(); });
  afterAll(() => t2?.close());

  it('a street worker with account:write cannot link an account to a person or organisation of another street', async () => {
    const role = await t2.dbh.db.selectFrom('roles').select('permissions').where('code', '=', 'street_worker').executeTakeFirstOrThrow();
    await t2.dbh.db.updateTable('roles').set({ permissions: [...role.permissions, 'account:write', 'wish:submit'] }).where('code', '=', 'street_worker').execute();
    const street = await t2.token('street.huanghai');
    const region = (code: string) => t2.dbh.db.selectFrom('regions').select(['id', 'path']).where('code', '=', code).executeTakeFirstOrThrow();
    const [kc, lm] = [await region('KC-C1'), await region('HH-LM')];
    const kcPerson = await t2.dbh.db.selectFrom('persons').select('id').where('region_path', 'like', `${kc.path}%`).orderBy('id').limit(1).executeTakeFirstOrThrow();
    const hhPerson = await t2.dbh.db.selectFrom('persons').select('id').where('region_path', 'like', `${lm.path}%`).orderBy('id').offset(50).limit(1).executeTakeFirstOrThrow();
    const kcOrg = await t2.dbh.db.selectFrom('organisations').select('id').where('code', '=', 'E-XD').executeTakeFirstOrThrow();
    const post = (payload: object) => t2.app.inject({ method: 'POST', url: '/api/accounts', headers: bearer(street), payload });
    const base = { password: 'Walk@2026ok', displayName: '测试居民', roles: ['resident'], scopeRegionId: lm.id };
    expect((await post({ ...base, username: 'sw.link.person', personId: kcPerson.id })).statusCode).toBeOneOf([400, 403]);
    expect((await post({ ...base, username: 'sw.link.org', organisationId: kcOrg.id })).statusCode).toBeOneOf([400, 403]);
    expect(await t2.dbh.db.selectFrom('accounts').select('id').where('username', 'in', ['sw.link.person', 'sw.link.org']).execute()).toEqual([]);
    const fine = await post({ ...base, username: 'sw.link.ok', personId: hhPerson.id });
    expect(fine.statusCode, fine.body).toBe(201);
    const id = fine.json().id;
    const patch = await t2.app.inject({ method: 'PATCH', url: `/api/accounts/${id}`, headers: bearer(street), payload: { personId: kcPerson.id } });
    expect(patch.statusCode).toBeOneOf([400, 403]);
    const patchOrg = await t2.app.inject({ method: 'PATCH', url: `/api/accounts/${id}`, headers: bearer(street), payload: { organisationId: kcOrg.id } });
    expect(patchOrg.statusCode).toBeOneOf([400, 403]);
    expect(await t2.dbh.db.selectFrom('accounts').select(['person_id', 'organisation_id']).where('id', '=', id).executeTakeFirstOrThrow()).toEqual({ person_id: hhPerson.id, organisation_id: null });
  });
});

const cached = new Map<string, Acct>();
async function loadAccountCached(username: string) {
  if (!cached.has(username)) cached.set(username, await loadAccount(username));
  return cached.get(username)!;
}

async function send(a: Acct, method: string, p: Probe) {
  const headers: Record<string, string> = a.token ? bearer(a.token) : {};
  if (p.form) return t.app.inject({ method: method as any, url: p.url, headers: { ...headers, ...p.form.headers }, payload: p.form.payload });
  return t.app.inject({ method: method as any, url: p.url, headers, ...(p.payload !== undefined ? { payload: p.payload as any } : {}) });
}
