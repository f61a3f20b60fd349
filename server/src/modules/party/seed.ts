import { sql } from 'kysely';
import type { Executor } from '../../core/db.js';
import type { DemoContext } from '../../core/module.js';
import { nameInitials } from '../../core/pinyin.js';
import { birthDate, personName, rng, syntheticIdNumber, syntheticPhone } from '../../seed/random.js';
import { seedPartyActivities } from './seed-activities.js';
import { PARTY_ORG_KINDS, type MemberStatus } from './tables.js';

/**
 * The demo member register: members of the seeded party organisations, drawn from the persons who
 * live under each organisation's region (compound branches, community party committees); the
 * enterprise branches and industry committees draw from across the district, and most of those
 * members report to the community they live in (双报到). member.demo's person is a member of 鹿鸣苑党支部.
 * A few enterprise members live outside the district and are not in the registry. Two transfers wait.
 * On its own PRNG and a fixed day, so it is the same every run and does not move other modules' draws.
 */
const SEED_DAY = Date.UTC(2026, 10, 24);
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const BRANCH_POSTS = ['党支部书记', '组织委员', '宣传委员'];
const COMMITTEE_POSTS = ['党委书记', '党委副书记', '组织委员', '宣传委员', '纪检委员', '委员'];

interface Pooled { id: number; name: string; sex: 'M' | 'F'; id_number: string; birth_date: string; region_path: string }

export async function seedParty(tx: Executor, demo: DemoContext) {
  const r = rng(20261129);
  const orgs = await tx.selectFrom('organisations as o').innerJoin('regions as rg', 'rg.id', 'o.region_id')
    .select(['o.id', 'o.code', 'o.kind', 'rg.path', 'rg.level']).where('o.kind', 'in', [...PARTY_ORG_KINDS]).orderBy('o.id').execute();
  const communities = await tx.selectFrom('regions').select(['id', 'path']).where('level', '=', 'community').orderBy('id').execute();
  const communityOf = (path: string) => communities.find((c) => path.startsWith(c.path));

  const pools = new Map<string, Pooled[]>();
  const pool = async (path: string) => {
    if (!pools.has(path)) {
      // Adults of 20–85 with an ID number; the first few hundred by id are plenty for a draw (and fast at district scale).
      pools.set(path, await tx.selectFrom('persons')
        .select(['id', 'name', 'sex', 'id_number', sql<string>`to_char(birth_date, 'YYYY-MM-DD')`.as('birth_date'), 'region_path'])
        .where('region_path', 'like', `${path}%`).where('id_number', 'is not', null)
        .where('birth_date', '<=', iso(SEED_DAY - 20 * 365.25 * DAY)).where('birth_date', '>=', iso(SEED_DAY - 85 * 365.25 * DAY))
        .orderBy('id').limit(400).execute() as Pooled[]);
    }
    return pools.get(path)!;
  };
  const used = new Set<number>([demo.persons.member]);
  const draw = async (path: string) => {
    const list = (await pool(path)).filter((p) => !used.has(p.id));
    if (!list.length) return undefined;
    const p = list[r.int(0, list.length - 1)];
    used.add(p.id);
    return p;
  };

  const rows: {
    person_id: number | null; name: string; name_initials: string; sex: 'M' | 'F'; id_number: string; phone: string | null; organisation_id: number;
    status: MemberStatus; joined_on: string; full_on: string | null; posts: string[]; report_community_id: number | null; reported_on: string | null;
  }[] = [];
  /** Joined at 18 or later: most long ago as full members, about one in fifteen in the last year as probationary. */
  const membership = (birth: string) => {
    const adult = Date.parse(birth) + 18 * 365.25 * DAY;
    if (r.next() < 0.07) return { status: 'probationary' as const, joined_on: iso(SEED_DAY - r.int(20, 330) * DAY), full_on: null };
    const joined = adult + r.next() * (SEED_DAY - 400 * DAY - adult);
    return { status: 'full' as const, joined_on: iso(joined), full_on: iso(joined + 365 * DAY) };
  };
  const add = (p: Pooled, orgId: number, posts: string[], report: boolean) => {
    const home = report ? communityOf(p.region_path) : undefined;
    rows.push({
      person_id: p.id, name: p.name, name_initials: nameInitials(p.name), sex: p.sex, id_number: p.id_number, phone: null, organisation_id: orgId,
      ...membership(p.birth_date), posts, report_community_id: home?.id ?? null, reported_on: home ? iso(SEED_DAY - r.int(10, 700) * DAY) : null,
    });
  };

  const member = await tx.selectFrom('persons').select(['id', 'name', 'sex', 'id_number', sql<string>`to_char(birth_date, 'YYYY-MM-DD')`.as('birth_date'), 'region_path'])
    .where('id', '=', demo.persons.member).executeTakeFirstOrThrow() as Pooled;
  add(member, demo.orgs['P-LMY'], [], false);

  const districtWide = new Set(['E-SZ-P', 'E-XD-P', 'P-NET', 'P-EXP', 'P-BIG']);
  for (const o of orgs) {
    if (districtWide.has(o.code)) {
      const posts = o.kind === 'branch' ? BRANCH_POSTS : COMMITTEE_POSTS;
      for (let k = 0; k < (o.kind === 'branch' ? 15 : 5); k++) {
        const p = await draw(r.pick(communities).path);
        // 双报到: a member whose organisation is not where they live reports to their community — most have.
        if (p) add(p, o.id, posts[k] ? [posts[k]] : [], r.next() < 0.85);
      }
    } else if (o.level === 'compound' || (o.kind === 'branch' && o.level === 'community')) {
      const n = o.code === 'S-LL-P' ? 8 : r.int(18, 32);
      for (let k = 0; k < n; k++) {
        const p = await draw(o.path);
        if (p) add(p, o.id, BRANCH_POSTS[k] ? [BRANCH_POSTS[k]] : [], false);
      }
    } else if (o.kind === 'party_committee' && o.level === 'community') {
      for (const post of COMMITTEE_POSTS) {
        const p = await draw(o.path);
        if (p) add(p, o.id, [post], false);
      }
    }
  }
  // Members of the enterprise branch who live outside the district: in the register, not in the registry.
  for (let k = 0; k < 3; k++) {
    const sex = r.next() < 0.5 ? 'M' as const : 'F' as const;
    const birth = birthDate(r, 25, 50);
    const name = personName(r);
    rows.push({
      person_id: null, name, name_initials: nameInitials(name), sex, id_number: syntheticIdNumber(birth, 900_000 + k, sex), phone: syntheticPhone(900_000 + k),
      organisation_id: demo.orgs['E-SZ-P'], ...membership(birth), posts: [], report_community_id: null, reported_on: null,
    });
  }
  const ids = await tx.insertInto('party_members').values(rows).returning(['id', 'organisation_id']).execute();

  // Two transfers waiting for 鹿鸣社区's side: 橡树湾 → 鹿鸣苑 inside the community, and 聚龙湖 → 橡树湾 from outside it.
  const plain = (code: string) => ids.filter((m) => m.organisation_id === demo.orgs[code])[5];
  const transfers = [
    { member: plain('P-XSW'), from: 'P-XSW', to: 'P-LMY', reason: '搬迁至鹿鸣苑居住', by: 'community.luming' },
    { member: plain('P-JLH-C1'), from: 'P-JLH-C1', to: 'P-XSW', reason: '购房入住橡树湾', by: 'community.julonghu' },
  ];
  for (const t of transfers) {
    await tx.insertInto('party_transfers').values({
      member_id: t.member.id, from_org_id: demo.orgs[t.from], to_org_id: demo.orgs[t.to], reason: t.reason, requested_by: await demo.accountId(t.by),
      requested_at: new Date(SEED_DAY - 2 * DAY),
    }).execute();
  }
  return { partyMembers: rows.length, partyTransfers: transfers.length, ...await seedPartyActivities(tx, demo) };
}
