import type { Executor } from '../../core/db.js';
import type { WishCategory, WishStatus, WishTargetGroup } from '../../core/schema.js';
import type { Rng } from '../../seed/random.js';

/** Synthetic wishes: title, story, category, target group, value in yuan. */
const POOL: [string, string, WishCategory, WishTargetGroup, number][] = [
  ['想要一台收音机', '独居多年，眼睛不好看不了电视，想听听戏曲广播解闷。', 'goods', 'elder', 120],
  ['冬天需要一床厚棉被', '房子朝北比较冷，现在的被子盖了十几年，想换一床暖和的。', 'goods', 'elder', 200],
  ['希望有人陪我下象棋', '老伴走后一个人在家，以前最爱下棋，想找人每周陪我下两盘。', 'companionship', 'elder', 0],
  ['想要一套课外读物', '孩子读三年级，很喜欢看书，家里条件有限，想要一套科普读物。', 'goods', 'child', 150],
  ['需要一个新书包', '孩子的书包背带断了，补了好几次，想换一个结实的书包。', 'goods', 'child', 100],
  ['希望有人辅导数学', '父母都是快递员早出晚归，孩子数学跟不上，希望有志愿者每周辅导一次。', 'service', 'child', 0],
  ['想要一副老花镜', '看药品说明书很吃力，想配一副合适的老花镜。', 'goods', 'elder', 80],
  ['帮忙修理漏水的水龙头', '厨房水龙头一直滴水，自己腿脚不便修不了。', 'service', 'disabled', 50],
  ['想要一辆助行器', '膝盖不好，出门买菜走不远，想要一个带座椅的助行器。', 'goods', 'disabled', 260],
  ['希望有人帮忙打扫卫生', '行动不便，家里很久没有彻底打扫了，希望有人帮忙大扫除一次。', 'service', 'disabled', 0],
  ['想给孩子买双运动鞋', '孩子参加学校运动会，鞋子已经磨破了。', 'goods', 'hardship', 150],
  ['需要一个电饭煲', '家里的电饭煲坏了，暂时没有能力买新的。', 'goods', 'hardship', 180],
  ['想学用智能手机', '想学会用手机视频通话，看看在外地工作的儿子。', 'service', 'elder', 0],
  ['希望有人陪我去医院复查', '每月要去医院复查，子女不在身边，希望有人陪同。', 'companionship', 'elder', 0],
  ['想要一盏台灯', '孩子晚上写作业光线太暗，想要一盏护眼台灯。', 'goods', 'child', 90],
  ['想要一台电风扇', '夏天屋里很热，旧风扇已经转不动了。', 'goods', 'hardship', 120],
  ['希望理发师上门理发', '卧床多年出不了门，想请理发师上门理个发。', 'service', 'disabled', 0],
  ['想要几盆绿植', '家里冷清，想养几盆好养活的绿植。', 'goods', 'other', 60],
];

const PLAN: { status: WishStatus; n: number }[] = [
  { status: 'pending_review', n: 4 }, { status: 'published', n: 10 }, { status: 'rejected', n: 1 }, { status: 'claimed', n: 3 },
  { status: 'fulfilled', n: 2 }, { status: 'confirmed', n: 4 }, { status: 'withdrawn', n: 1 },
];

const day = (d: Date, days: number) => new Date(d.getTime() + days * 86400_000);
const iso = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Seeds the current season (always running: it started 20 days ago) with wishes in
 * every state across the named communities, the last season's confirmed wishes, and
 * claims by unit.demo and member.demo.
 */
export async function seedWishes(tx: Executor, r: Rng, ids: { communities: number[]; residentPersonId: number; residentAccountId: number; workerId: number; unit: { accountId: number; orgId: number; name: string }; member: { accountId: number; name: string } }) {
  const now = new Date();
  const current = await tx.insertInto('seasons').values({ name: '第12季', theme: '点亮微心愿 · 温暖过冬', starts_on: iso(day(now, -20)), ends_on: iso(day(now, 70)), value_cap_fen: 30000, claim_days: 14 }).returning('id').executeTakeFirstOrThrow();
  const last = await tx.insertInto('seasons').values({ name: '第11季', theme: '点亮微心愿 · 金秋助学', starts_on: iso(day(now, -120)), ends_on: iso(day(now, -21)), value_cap_fen: 30000, claim_days: 14 }).returning('id').executeTakeFirstOrThrow();
  for (const s of [current.id, last.id]) await tx.insertInto('season_communities').values(ids.communities.map((community_id) => ({ season_id: s, community_id }))).execute();

  const communities = await tx.selectFrom('regions').select(['id', 'path']).where('id', 'in', ids.communities).execute();
  let n = 0;
  const make = async (seasonId: number, status: WishStatus, ageDays: number, personId?: number) => {
    const community = communities[n % communities.length];
    const person = personId
      ? await tx.selectFrom('persons').select(['id', 'name', 'region_path']).where('id', '=', personId).executeTakeFirstOrThrow()
      : await tx.selectFrom('persons').select(['id', 'name', 'region_path']).where('region_path', 'like', `${community.path}%`).orderBy('id').offset(Math.floor(n / communities.length) * 7).limit(1).executeTakeFirstOrThrow();
    const [title, story, category, targetGroup, value] = POOL[n % POOL.length];
    n++;
    const communityId = personId ? (await tx.selectFrom('regions').select('id').where('level', '=', 'community').where('id', 'in', person.region_path.split('/').filter(Boolean).map(Number)).executeTakeFirstOrThrow()).id : community.id;
    const created = day(now, -ageDays);
    const published = ['published', 'claimed', 'fulfilled', 'confirmed', 'withdrawn'].includes(status) ? day(created, 1) : null;
    const claimed = ['claimed', 'fulfilled', 'confirmed'].includes(status) ? day(created, 2) : null;
    const cap = (d: Date, hoursAgo: number) => new Date(Math.min(d.getTime(), now.getTime() - hoursAgo * 3600_000));
    const fulfilled = ['fulfilled', 'confirmed'].includes(status) ? cap(day(created, 2 + r.int(2, 8)), 12) : null;
    const confirmed = status === 'confirmed' ? cap(day(fulfilled!, 1), 2) : null;
    const w = await tx.insertInto('wishes').values({
      season_id: seasonId, community_id: communityId, region_path: person.region_path, beneficiary_person_id: person.id, beneficiary_surname: person.name[0],
      title, story, category, target_group: targetGroup, estimated_value_fen: value * 100, channel: personId ? 'h5' : r.pick(['visit', 'h5', 'import'] as const),
      visit_date: null, visitor: null, submitted_by: personId ? ids.residentAccountId : ids.workerId,
      review_status: status === 'pending_review' ? 'pending' : status === 'rejected' ? 'rejected' : 'approved',
      review_reason: status === 'rejected' ? '价值超出本季范围，建议转介民政救助' : null, reviewed_by: status === 'pending_review' ? null : ids.workerId, status,
      published_at: published, claimed_at: claimed, fulfilled_at: fulfilled, confirmed_at: confirmed, withdrawn_at: status === 'withdrawn' ? day(created, 3) : null,
      rating: confirmed ? r.int(4, 5) : null, thanks: confirmed ? '谢谢你们，心里暖暖的！' : null, view_count: published ? r.int(0, 60) : 0, created_at: created, updated_at: created,
    }).returning('id').executeTakeFirstOrThrow();
    const ev = (kind: string, at: Date, data: object = {}) => tx.insertInto('wish_events').values({ wish_id: w.id, kind, at, actor_id: null, data: JSON.stringify(data) }).execute();
    await ev('submitted', created, { channel: 'h5' });
    if (status === 'rejected') await ev('rejected', day(created, 1), { reason: '价值超出本季范围，建议转介民政救助' });
    if (published) await ev('published', published);
    if (claimed) {
      const byUnit = n % 2 === 0;
      const who = byUnit ? { id: ids.unit.accountId, org: ids.unit.orgId, name: ids.unit.name, pub: ids.unit.name } : { id: ids.member.accountId, org: null, name: ids.member.name, pub: `${ids.member.name[0]}某` };
      await tx.insertInto('wish_claims').values({
        wish_id: w.id, claimer_id: who.id, claimer_org_id: who.org, claimer_name: who.name, status: fulfilled ? 'fulfilled' : 'live',
        claimed_at: claimed, due_at: day(claimed, 14), fulfilled_at: fulfilled, fulfil_note: fulfilled ? '已送到老人家中，并陪老人聊了一会儿。' : null,
      }).execute();
      await ev('claimed', claimed, { claimerName: who.pub });
      if (fulfilled) await ev('fulfilled', fulfilled, { note: '已送到老人家中，并陪老人聊了一会儿。', photos: 0, claimerName: who.pub });
      if (confirmed) await ev('confirmed', confirmed, { rating: 5, thanks: '谢谢你们，心里暖暖的！' });
    }
    if (status === 'withdrawn') await ev('withdrawn', day(created, 3), { reason: '受益人已搬离社区' });
    return w.id;
  };
  // resident.demo's own wish, pending review, and one of theirs already fulfilled awaiting confirmation.
  await make(current.id, 'pending_review', 1, ids.residentPersonId);
  await make(current.id, 'fulfilled', 8, ids.residentPersonId);
  for (const p of PLAN) for (let i = 0; i < p.n; i++) await make(current.id, p.status, 3 + r.int(0, 15));
  for (let i = 0; i < 8; i++) await make(last.id, 'confirmed', 40 + r.int(0, 60));
  return { seasonId: current.id, wishes: n };
}
