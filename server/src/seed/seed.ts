import { sql } from 'kysely';
import type { Db, Executor } from '../core/db.js';
import { appendAudit, cliActor } from '../core/audit.js';
import { hashPassword } from '../core/auth/passwords.js';
import { nameInitials } from '../core/pinyin.js';
import type { OrgKind, RegionLevel } from '../core/schema.js';
import { syncRoles } from '../modules/people/accounts.js';
import { MODULES, ROLES } from '../modules/index.js';
import type { DemoContext } from '../core/module.js';
import { birthDate, personName, rng, syntheticIdNumber, syntheticPhone, type Rng } from './random.js';

export type SeedScale = 'demo' | 'district';
export const DEMO_PASSWORD = 'Demo@1234';
export const DISTRICT_TARGET_PERSONS = 620_000;

export interface SeedProgress { phase: string; done: number; total: number }
export interface SeedSummary { regions: number; households: number; persons: number; accounts: number; organisations: number; wishes: number; ms: number }

/** Streets and their communities: the named part of the demo district (synthetic). */
const STREETS: { code: string; name: string; communities: [string, string][] }[] = [
  { code: 'HH', name: '黄海街道', communities: [['LM', '鹿鸣社区'], ['JLH', '聚龙湖社区'], ['WG', '文港社区'], ['NH', '南海社区']] },
  { code: 'KC', name: '科城街道', communities: [['KC', '科城社区'], ['NW', '南纬社区'], ['BW', '北纬社区']] },
  { code: 'XD', name: '新都街道', communities: [['XD', '新都社区'], ['HB', '湖滨社区'], ['FS', '丰收社区']] },
];
/**
 * Second, smaller compounds of some communities (community code, name, five-storey blocks), so that the
 * demo has the 15 demonstration compounds the red-property ranking takes. Not in 鹿鸣 or 聚龙湖, whose
 * demo accounts and tests count their compounds; names apart from the district scale's generated ones.
 */
const SECOND_COMPOUNDS: [string, string, number][] = [['WG', '望江花园', 5], ['NH', '海棠苑', 4], ['KC', '银杏里', 4], ['HB', '湖畔名邸', 5]];
/** Extra communities and compound names for the district-scale population. */
const EXTRA_COMMUNITY = ['新河', '盐渎', '登瀛', '梦溪', '仕学', '先锋', '通榆', '解放', '开放', '世纪', '宝龙', '凤凰', '华邦', '星河', '悦达', '金鹰', '瀛洲', '鹤鸣', '海韵', '新洋'];
const COMPOUND_WORDS = ['花园', '家园', '雅苑', '新村', '名邸', '华府', '佳苑', '公寓', '锦园', '景苑'];
const COMPOUND_STEMS = ['阳光', '锦绣', '幸福', '和谐', '翠湖', '春江', '金色', '丽景', '香榭', '紫薇', '银杏', '海棠', '怡景', '滨河', '书香', '东方', '天润', '御景', '学府', '长安'];

interface RegionRow { id: number; parent_id: number | null; level: RegionLevel; code: string; name: string; path: string; sort: number; floor: number | null; area: number | null }
interface HouseholdRow { id: number; room_id: number; region_id: number; region_path: string }
interface PersonRow { id: number; name: string; name_initials: string; sex: 'M' | 'F'; birth_date: string; id_number: string; phone: string | null; household_id: number; is_householder: boolean; region_id: number; region_path: string }

const COLS = {
  regions: 'id int, parent_id int, level text, code text, name text, path text, sort int, floor int, area numeric',
  households: 'id int, room_id int, region_id int, region_path text',
  persons: 'id int, name text, name_initials text, sex text, birth_date date, id_number text, phone text, household_id int, is_householder boolean, region_id int, region_path text',
} as const;

/** Buffers rows and writes them in batches through json_to_recordset: one parameter per batch, same SQL on PGlite and PostgreSQL. */
class Writer {
  private buf: { regions: RegionRow[]; households: HouseholdRow[]; persons: PersonRow[] } = { regions: [], households: [], persons: [] };
  counts = { regions: 0, households: 0, persons: 0 };
  constructor(private tx: Executor, private batch = 5000) {}
  async add<T extends keyof Writer['buf']>(table: T, row: Writer['buf'][T][number]) {
    (this.buf[table] as unknown[]).push(row);
    this.counts[table]++;
    if (this.buf[table].length >= this.batch) await this.flush();
  }
  /** Writes every buffer, parents before children, so foreign keys always hold. */
  async flush() {
    for (const t of ['regions', 'households', 'persons'] as const) {
      const rows = this.buf[t];
      if (!rows.length) continue;
      this.buf[t] = [];
      const cols = COLS[t].split(', ').map((c) => c.split(' ')[0]).join(', ');
      await sql`insert into ${sql.table(t)} (${sql.raw(cols)}) select ${sql.raw(cols)} from json_to_recordset(${JSON.stringify(rows)}::json) as x(${sql.raw(COLS[t])})`.execute(this.tx);
    }
  }
}

interface Ctx { headAge: number; headSex: 'M' | 'F'; headSurname: string; tx: Executor; w: Writer; r: Rng; nextRegion: number; nextHousehold: number; nextPerson: number; onProgress?: (p: SeedProgress) => void; targetPersons: number }

async function region(ctx: Ctx, parent: RegionRow | null, level: RegionLevel, code: string, name: string, sort: number, extra: Partial<RegionRow> = {}): Promise<RegionRow> {
  const id = ctx.nextRegion++;
  const row: RegionRow = { id, parent_id: parent?.id ?? null, level, code, name, path: `${parent?.path ?? '/'}${id}/`, sort, floor: null, area: null, ...extra };
  await ctx.w.add('regions', row);
  return row;
}

const HOUSEHOLD_SIZES = [1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 5];

/** Household members: a householder of 30–80, maybe a spouse, children or a parent. */
async function household(ctx: Ctx, room: RegionRow) {
  const hid = ctx.nextHousehold++;
  await ctx.w.add('households', { id: hid, room_id: room.id, region_id: room.id, region_path: room.path });
  const size = ctx.r.pick(HOUSEHOLD_SIZES);
  for (let i = 0; i < size; i++) {
    const serial = ctx.nextPerson++;
    // householder, then a spouse of the other sex, then children with the householder's surname
    const sex: 'M' | 'F' = i === 1 ? (ctx.headSex === 'M' ? 'F' : 'M') : ctx.r.next() < 0.5 ? 'M' : 'F';
    if (i === 0) ctx.headSex = sex;
    const headAge = i === 0 ? ctx.r.int(30, 85) : 0;
    if (i === 0) ctx.headAge = headAge;
    // spouse near the householder's age, children 20–40 years younger
    const birth = i === 0 ? birthDate(ctx.r, headAge, headAge) : i === 1 ? birthDate(ctx.r, Math.max(20, ctx.headAge - 5), ctx.headAge + 3)
      : birthDate(ctx.r, Math.max(0, ctx.headAge - 40), Math.max(1, ctx.headAge - 20));
    const name = personName(ctx.r, i >= 2 ? ctx.headSurname : undefined);
    if (i === 0) ctx.headSurname = name[0];
    await ctx.w.add('persons', {
      id: serial, name, name_initials: nameInitials(name), sex, birth_date: birth, id_number: syntheticIdNumber(birth, serial, sex),
      phone: i < 2 || ctx.r.next() < 0.5 ? syntheticPhone(serial) : null, household_id: hid, is_householder: i === 0, region_id: room.id, region_path: room.path,
    });
  }
  if (ctx.onProgress && ctx.nextPerson % 5000 < size) ctx.onProgress({ phase: 'persons', done: ctx.nextPerson - 1, total: ctx.targetPersons });
}

interface BuildingSpec { floors: number; units: number; perFloor: number; minArea: number; maxArea: number }

/** A compound of buildings → units → rooms; `occupied` rooms get a household. Returns the buildings. */
async function compound(ctx: Ctx, community: RegionRow, code: string, name: string, sort: number, specs: BuildingSpec[], vacantEvery = 0) {
  const c = await region(ctx, community, 'compound', code, name, sort);
  const buildings: RegionRow[] = [];
  let roomIndex = 0;
  for (const [bi, spec] of specs.entries()) {
    const b = await region(ctx, c, 'building', `${code}-${String(bi + 1).padStart(2, '0')}`, `${bi + 1}幢`, bi + 1);
    buildings.push(b);
    for (let u = 1; u <= spec.units; u++) {
      const unit = await region(ctx, b, 'unit', `${b.code}-${u}`, `${u}单元`, u);
      for (let f = 1; f <= spec.floors; f++) {
        for (let k = 1; k <= spec.perFloor; k++) {
          const no = `${f}${String(k).padStart(2, '0')}`;
          const area = Math.round((spec.minArea + ctx.r.next() * (spec.maxArea - spec.minArea)) * 100) / 100;
          const room = await region(ctx, unit, 'room', `${unit.code}-${no.padStart(4, '0')}`, `${no}室`, f * 100 + k, { floor: f, area });
          roomIndex++;
          if (vacantEvery && roomIndex % vacantEvery === 0) continue;
          await household(ctx, room);
        }
      }
    }
  }
  return { compound: c, buildings };
}

const OLD_BLOCK: BuildingSpec = { floors: 6, units: 2, perFloor: 2, minArea: 62, maxArea: 96 };
const HIGH_RISE: BuildingSpec = { floors: 18, units: 2, perFloor: 2, minArea: 89, maxArea: 143 };
/** Five storeys: the consult seed gives elevator projects to the first six-storey units by path, which these would push along. */
const FIVE_STOREY_BLOCK: BuildingSpec = { ...OLD_BLOCK, floors: 5 };

/**
 * Seeds the demo district: three streets, ten communities, fifteen compounds (橡树湾 with
 * 2,571 households), grids, party organisations, enterprises and the demo accounts.
 * `district` scale adds communities and compounds until 620,000 persons live there.
 * Deterministic: the same scale gives the same data.
 */
export async function seed(db: Db, scale: SeedScale, onProgress?: (p: SeedProgress) => void): Promise<SeedSummary> {
  const t0 = Date.now();
  const existing = await db.selectFrom('regions').select('id').limit(1).executeTakeFirst();
  if (existing) throw new Error('数据库中已有区域数据，不能重复生成演示数据（the database already holds regions）');
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const targetPersons = scale === 'district' ? DISTRICT_TARGET_PERSONS : 0;

  const summary = await db.transaction().execute(async (tx) => {
    await syncRoles(tx, ROLES);
    const ctx: Ctx = { headAge: 40, headSex: 'M', headSurname: '王', tx, w: new Writer(tx), r: rng(20261124), nextRegion: 1, nextHousehold: 1, nextPerson: 1, onProgress, targetPersons };
    const district = await region(ctx, null, 'district', 'YN', '盐南高新区', 0);
    const streets: Record<string, RegionRow> = {};
    const communities: Record<string, RegionRow> = {};
    const compounds: Record<string, RegionRow> = {};
    const grids: { community: RegionRow; code: string; name: string; regions: RegionRow[] }[] = [];

    for (const [si, s] of STREETS.entries()) {
      streets[s.code] = await region(ctx, district, 'street', s.code, s.name, si + 1);
      for (const [ci, [code, name]] of s.communities.entries()) {
        communities[code] = await region(ctx, streets[s.code], 'community', `${s.code}-${code}`, name, ci + 1);
      }
    }
    // 橡树湾: 12 old six-storey blocks and 32 high-rises, 2,592 rooms of which 21 unsold/vacant → 2,571 households.
    const lm = communities.LM;
    const xsw = await compound(ctx, lm, 'XSW', '橡树湾', 1, [...Array(12).fill(OLD_BLOCK), ...Array(32).fill(HIGH_RISE)], 123);
    compounds.XSW = xsw.compound;
    grids.push({ community: lm, code: 'LM-G1', name: '橡树湾第一网格', regions: xsw.buildings.slice(0, 22) });
    grids.push({ community: lm, code: 'LM-G2', name: '橡树湾第二网格', regions: xsw.buildings.slice(22) });
    const lmy = await compound(ctx, lm, 'LMY', '鹿鸣苑', 2, Array(4).fill(OLD_BLOCK));
    compounds.LMY = lmy.compound;
    grids.push({ community: lm, code: 'LM-G3', name: '鹿鸣苑网格', regions: [lmy.compound] });
    let sort = 1;
    for (const s of STREETS) {
      for (const [code, name] of s.communities) {
        if (code === 'LM') continue;
        const comp = await compound(ctx, communities[code], `${code}-C1`, `${name.replace('社区', '')}${code === 'JLH' ? '花园' : '家园'}`, sort++, Array(code === 'JLH' ? 4 : 5).fill(OLD_BLOCK));
        compounds[code] = comp.compound;
        grids.push({ community: communities[code], code: `${code}-G1`, name: `${name}第一网格`, regions: [comp.compound] });
      }
    }
    // On their own PRNG, so the main stream, and with it the modules' seeded data that draws on it, stays as it was.
    const mainRng = ctx.r;
    ctx.r = rng(20261126);
    for (const [code, name, blocks] of SECOND_COMPOUNDS) {
      const comp = await compound(ctx, communities[code], `${code}-C2`, name, sort++, Array(blocks).fill(FIVE_STOREY_BLOCK));
      compounds[`${code}-C2`] = comp.compound;
      grids.push({ community: communities[code], code: `${code}-G2`, name: `${communities[code].name}第二网格`, regions: [comp.compound] });
    }
    ctx.r = mainRng;

    if (scale === 'district') {
      // More communities per street, each filled with compounds of high-rises, until the target population.
      const streetList = Object.values(streets);
      let ci = 0;
      while (ctx.nextPerson <= targetPersons) {
        const street = streetList[ci % streetList.length];
        const cname = `${EXTRA_COMMUNITY[ci % EXTRA_COMMUNITY.length]}${ci >= EXTRA_COMMUNITY.length ? Math.floor(ci / EXTRA_COMMUNITY.length) + 1 : ''}社区`;
        const community = await region(ctx, street, 'community', `${street.code}-X${ci + 1}`, cname, 100 + ci);
        for (let k = 0; k < 8 && ctx.nextPerson <= targetPersons; k++) {
          const cname2 = `${COMPOUND_STEMS[(ci * 8 + k) % COMPOUND_STEMS.length]}${COMPOUND_WORDS[(ci + k) % COMPOUND_WORDS.length]}`;
          const specs = [...Array(4).fill(OLD_BLOCK), ...Array(ctx.r.int(8, 16)).fill(HIGH_RISE)];
          const comp = await compound(ctx, community, `${community.code}-C${k + 1}`, cname2, k + 1, specs, 40);
          grids.push({ community, code: `${community.code}-G${k + 1}`, name: `${cname2}网格`, regions: [comp.compound] });
        }
        ci++;
      }
    }
    await ctx.w.flush();
    onProgress?.({ phase: 'persons', done: ctx.nextPerson - 1, total: Math.max(targetPersons, ctx.nextPerson - 1) });

    const gridIds: Record<string, number> = {};
    for (const g of grids) {
      const row = await tx.insertInto('grids').values({ community_id: g.community.id, code: g.code, name: g.name }).returning('id').executeTakeFirstOrThrow();
      await tx.insertInto('grid_regions').values(g.regions.map((r) => ({ grid_id: row.id, region_id: r.id }))).execute();
      gridIds[g.code] = row.id;
    }

    // Party organisations follow the region tree; enterprises and social organisations have their own branches.
    const orgs: Record<string, number> = {};
    const org = async (code: string, name: string, kind: OrgKind, regionId: number, parent?: string) => {
      const parentPath = parent ? (await tx.selectFrom('organisations').select('path').where('id', '=', orgs[parent]).executeTakeFirstOrThrow()).path : '/';
      const row = await tx.insertInto('organisations').values({ parent_id: parent ? orgs[parent] : null, kind, name, code, region_id: regionId, path: '' }).returning('id').executeTakeFirstOrThrow();
      await tx.updateTable('organisations').set({ path: `${parentPath}${row.id}/` }).where('id', '=', row.id).execute();
      orgs[code] = row.id;
      return row.id;
    };
    await org('P-YN', '盐南高新区党工委', 'party_working_committee', district.id);
    for (const s of STREETS) {
      await org(`P-S-${s.code}`, `${s.name}党工委`, 'party_working_committee', streets[s.code].id, 'P-YN');
      for (const [code, name] of s.communities) {
        await org(`P-C-${code}`, `${name}党委`, 'party_committee', communities[code].id, `P-S-${s.code}`);
        if (compounds[code]) await org(`P-${code}-C1`, `${(await tx.selectFrom('regions').select('name').where('id', '=', compounds[code].id).executeTakeFirstOrThrow()).name}党支部`, 'branch', compounds[code].id, `P-C-${code}`);
      }
    }
    await org('P-XSW', '橡树湾小区党支部', 'branch', compounds.XSW.id, 'P-C-LM');
    await org('P-LMY', '鹿鸣苑党支部', 'branch', compounds.LMY.id, 'P-C-LM');
    await org('P-NET', '盐南高新区互联网行业党委', 'party_committee', district.id, 'P-YN');
    await org('P-EXP', '盐南高新区快递行业党委', 'party_committee', district.id, 'P-YN');
    await org('P-BIG', '盐南高新区大数据行业党委', 'party_committee', district.id, 'P-YN');
    await org('E-SZ', '盐南数智科技有限公司', 'enterprise', streets.HH.id);
    await org('E-SZ-P', '盐南数智科技有限公司党支部', 'branch', streets.HH.id, 'E-SZ');
    await org('E-XD', '迅达快递盐南网点', 'enterprise', streets.KC.id);
    await org('E-XD-P', '迅达快递盐南网点党支部', 'branch', streets.KC.id, 'E-XD');
    await org('S-LL', '鹿鸣邻里志愿服务社', 'social_org', lm.id);
    await org('S-LL-P', '鹿鸣邻里志愿服务社党支部', 'branch', lm.id, 'S-LL');
    await org('I-XX', '盐南实验小学', 'institution', communities.JLH.id);

    // Demo people with accounts: the first 橡树湾 household of three or more; a 鹿鸣苑 resident as party member.
    const residentRow = await tx.selectFrom('persons as p').select(['p.id', 'p.household_id'])
      .where('p.region_path', 'like', `${compounds.XSW.path}%`).where('p.is_householder', '=', true)
      .where(sql<boolean>`(select count(*) from persons m where m.household_id = p.household_id) >= 3`)
      .orderBy('p.id').limit(1).executeTakeFirstOrThrow();
    const memberRow = await tx.selectFrom('persons as p').select('p.id')
      .where('p.region_path', 'like', `${compounds.LMY.path}%`).where('p.is_householder', '=', true).orderBy('p.id').limit(1).executeTakeFirstOrThrow();
    // The two demo residents have easy-to-type phones, for signing in by SMS code (the code shows in the H5's dev banner).
    const accounts: { username: string; name: string; role: string; scope: RegionRow; personId?: number; orgId?: number; phone?: string }[] = [
      { username: 'admin', name: '区级管理员', role: 'district_admin', scope: district },
      { username: 'street.huanghai', name: '黄海街道工作人员', role: 'street_worker', scope: streets.HH },
      { username: 'community.luming', name: '鹿鸣社区工作人员', role: 'community_worker', scope: lm },
      { username: 'community.julonghu', name: '聚龙湖社区工作人员', role: 'community_worker', scope: communities.JLH },
      { username: 'grid.xiangshuwan', name: '橡树湾网格员', role: 'grid_worker', scope: compounds.XSW },
      { username: 'property.xiangshuwan', name: '橡树湾物业', role: 'property_staff', scope: compounds.XSW },
      { username: 'owners.xiangshuwan', name: '橡树湾业委会', role: 'owners_committee', scope: compounds.XSW },
      { username: 'unit.demo', name: '盐南数智科技有限公司', role: 'alliance_unit', scope: streets.HH, orgId: orgs['E-SZ'] },
      { username: 'member.demo', name: '党员（演示）', role: 'party_member', scope: lm, personId: memberRow.id, orgId: orgs['P-LMY'], phone: '13800138001' },
      { username: 'resident.demo', name: '居民（演示）', role: 'resident', scope: compounds.XSW, personId: residentRow.id, phone: '13800138000' },
      // The Red Brain's data administrator and department users (the brain seed links each to its department).
      { username: 'data.admin', name: '市大数据管理局数据管理员', role: 'data_admin', scope: district },
      { username: 'dept.minzheng', name: '市民政局数据专员', role: 'department_user', scope: district },
      { username: 'dept.weijian', name: '市卫健委数据专员', role: 'department_user', scope: district },
      { username: 'dept.gongan', name: '市公安局数据专员', role: 'department_user', scope: district },
      { username: 'dept.huanghai', name: '黄海街道数据专员', role: 'department_user', scope: district },
    ];
    for (const a of accounts) {
      // Accounts of residents carry the person's name and phone, so they can sign in by phone too.
      if (a.personId && a.phone) await tx.updateTable('persons').set({ phone: a.phone }).where('id', '=', a.personId).execute();
      const person = a.personId ? await tx.selectFrom('persons').select(['name', 'phone']).where('id', '=', a.personId).executeTakeFirstOrThrow() : null;
      const row = await tx.insertInto('accounts').values({
        username: a.username, display_name: person?.name ?? a.name, phone: person?.phone ?? null,
        password_hash: passwordHash, scope_region_id: a.scope.id, person_id: a.personId ?? null, organisation_id: a.orgId ?? null,
      }).returning('id').executeTakeFirstOrThrow();
      await tx.insertInto('account_roles').values({ account_id: row.id, role_code: a.role }).execute();
      // The 橡树湾 grid worker works both 橡树湾 grids.
      if (a.username === 'grid.xiangshuwan') await tx.insertInto('grid_workers').values([gridIds['LM-G1'], gridIds['LM-G2']].map((grid_id) => ({ grid_id, account_id: row.id }))).execute();
    }

    const accountId = async (u: string) => (await tx.selectFrom('accounts').select('id').where('username', '=', u).executeTakeFirstOrThrow()).id;
    // Each module seeds its own part of the district, in module order.
    const demo: DemoContext = {
      rng: ctx.r, streets: Object.values(streets), communities: Object.values(communities), compounds, orgs, accountId,
      persons: { resident: residentRow.id, member: memberRow.id },
    };
    const counts: Record<string, number> = {};
    for (const m of MODULES) Object.assign(counts, (await m.seed?.(tx, demo)) ?? {});

    // Explicit ids were written; move the identity sequences past them.
    for (const t of ['regions', 'households', 'persons'] as const) {
      await sql`select setval(pg_get_serial_sequence(${t}, 'id'), (select coalesce(max(id), 1) from ${sql.table(t)}))`.execute(tx);
    }
    const summary: SeedSummary = {
      regions: ctx.w.counts.regions, households: ctx.w.counts.households, persons: ctx.w.counts.persons,
      accounts: accounts.length, organisations: Object.keys(orgs).length, wishes: counts.wishes ?? 0, ms: Date.now() - t0,
    };
    await appendAudit(tx, cliActor('seed'), { action: 'seed.run', summary: { scale, ...summary } });
    return summary;
  });
  // Fresh statistics and visibility map after a bulk load, so the planner and index-only scans work from the start.
  await sql`vacuum analyze`.execute(db);
  return summary;
}
