/**
 * The red-property demonstration-compound ranking (红色物业示范小区排名): one pure function from a
 * month's live figures to scores and ranks, beside the formula text the page shows, so the text and
 * the arithmetic are the same thing. No I/O here; compound-figures.ts gathers the figures.
 *
 * Each component is put on a 0–100 scale and rounded to one decimal — the number the page shows —
 * and the composite is computed from those shown numbers, so anyone can redo it from the page.
 */

export interface CompoundFigures {
  compoundId: number;
  name: string;
  communityName: string | null;
  /** Residents' ratings this month: households that rated, and their mean score (1–5). */
  ratings: { households: number; averageScore: number | null };
  /** The community's checklist total (0–100), null when not entered for the month. */
  checklist: number | null;
  /** Service requests of the month that count for the SLA, and those finished within it. */
  requests: { counted: number; onTime: number };
  /** Practical matters serving the compound: its households' survey answers and mean score (1–5); matters overdue and unfinished. */
  practical: { answers: number; averageScore: number | null; overdueOpen: number };
  /** Joint-meeting follow-ups due in the month (and already due), and those done by their due day. */
  followUps: { due: number; onTime: number };
}

export const COMPONENTS = [
  { code: 'residents', name: '居民评价', weight: 30 },
  { code: 'checklist', name: '社区考评', weight: 30 },
  { code: 'requests', name: '报事按时办结率', weight: 20 },
  { code: 'practical', name: '实事满意度', weight: 10 },
  { code: 'followUps', name: '联席会议事项按期完成率', weight: 10 },
] as const;
export type ComponentCode = (typeof COMPONENTS)[number]['code'];

/** Points taken off per practical matter serving the compound that is past its due date and not accepted, and the most taken off. */
export const DEDUCTION_PER_MATTER = 2;
export const DEDUCTION_CAP = 10;

export const FORMULA_TEXT = `综合分 = ${COMPONENTS.map((c) => `${c.name}×${c.weight}%`).join(' + ')} − 逾期未完成实事扣分（每件 ${DEDUCTION_PER_MATTER} 分，最多扣 ${DEDUCTION_CAP} 分）`;
export const FORMULA_NOTES = [
  '各项折算为百分制并保留一位小数：居民评价 = 本月各户评分（1–5 分）的平均值 ÷ 5 × 100；社区考评 = 社区考评表得分（满分 100）；'
    + '报事按时办结率 = 本月提交的报事中在处理时限内完成的比例（不含重复件、非本单位职责和已转交的报事；未到时限又未完成的暂不计）；'
    + '实事满意度 = 服务本小区的暖心实事中，本小区住户截至月末的满意度评分平均值 ÷ 5 × 100；'
    + '联席会议事项按期完成率 = 本月到期的四方联席会议交办事项中，在到期日当天及以前完成的比例。',
  '某项本月没有数据时不计入，其权重按比例分给其余各项。',
  `逾期未完成实事：服务本小区、到月末（当月为今天）已过完成期限仍未验收的暖心实事，每件扣 ${DEDUCTION_PER_MATTER} 分，最多扣 ${DEDUCTION_CAP} 分；综合分最低为 0。`,
  '社区未录入当月考评表的小区不参与排名；同分并列。',
];

const r1 = (n: number) => Math.round(n * 10) / 10;
const pct = (part: number, whole: number) => (whole > 0 ? r1((part / whole) * 100) : null);
const fromFive = (avg: number | null, n: number) => (n > 0 && avg != null ? r1((avg / 5) * 100) : null);

/** The components of one compound, each on 0–100 (one decimal) or null without data, with what it rests on. */
export function componentValues(f: CompoundFigures): Record<ComponentCode, { value: number | null; basis: string }> {
  const avg = (x: number | null) => (x == null ? '' : x.toFixed(2));
  return {
    residents: { value: fromFive(f.ratings.averageScore, f.ratings.households), basis: f.ratings.households ? `${f.ratings.households} 户评价，平均 ${avg(f.ratings.averageScore)} 分` : '本月无居民评价' },
    checklist: { value: f.checklist == null ? null : r1(f.checklist), basis: f.checklist == null ? '社区未考评' : `考评表 ${f.checklist} 分` },
    requests: { value: pct(f.requests.onTime, f.requests.counted), basis: f.requests.counted ? `${f.requests.onTime}/${f.requests.counted} 件按时办结` : '本月无计入的报事' },
    practical: { value: fromFive(f.practical.averageScore, f.practical.answers), basis: f.practical.answers ? `${f.practical.answers} 户评价，平均 ${avg(f.practical.averageScore)} 分` : '无实事满意度评价' },
    followUps: { value: pct(f.followUps.onTime, f.followUps.due), basis: f.followUps.due ? `${f.followUps.onTime}/${f.followUps.due} 项按期完成` : '本月无到期交办事项' },
  };
}

/** One compound's composite score; null (unranked) without the community's checklist. */
export function scoreCompound(f: CompoundFigures) {
  const values = componentValues(f);
  const present = COMPONENTS.filter((c) => values[c.code].value != null);
  const weightSum = present.reduce((s, c) => s + c.weight, 0);
  // In tenths, over integers: Σ value×10×weight is exact, and one division and one rounding follow.
  const weightedTenths = weightSum ? Math.round(present.reduce((s, c) => s + Math.round(values[c.code].value! * 10) * c.weight, 0) / weightSum) : 0;
  const deduction = Math.min(DEDUCTION_CAP, DEDUCTION_PER_MATTER * f.practical.overdueOpen);
  const ranked = f.checklist != null;
  return {
    components: COMPONENTS.map((c) => {
      const v = values[c.code];
      const share = v.value != null && weightSum ? c.weight / weightSum : 0;
      return { code: c.code, name: c.name, weight: c.weight, effectiveWeight: r1(share * 100), value: v.value, points: v.value != null ? r1(v.value * share) : null, basis: v.basis };
    }),
    weighted: weightSum ? weightedTenths / 10 : null,
    deduction,
    overdueMatters: f.practical.overdueOpen,
    score: ranked ? Math.max(0, weightedTenths - deduction * 10) / 10 : null,
  };
}

export type RankedCompound = Omit<CompoundFigures, 'ratings' | 'checklist' | 'requests' | 'practical' | 'followUps'> & ReturnType<typeof scoreCompound> & { rank: number | null };

/** Ranked compounds by score (equal scores share a rank: 1, 2, 2, 4), then the unranked by name. */
export function rankCompounds(figures: CompoundFigures[]): RankedCompound[] {
  const scored = figures.map((f) => ({ compoundId: f.compoundId, name: f.name, communityName: f.communityName, ...scoreCompound(f) }));
  const ranked = scored.filter((s) => s.score != null).sort((a, b) => b.score! - a.score! || a.compoundId - b.compoundId);
  const unranked = scored.filter((s) => s.score == null).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN') || a.compoundId - b.compoundId);
  let rank = 0;
  const out = ranked.map((s, i) => {
    if (i === 0 || s.score !== ranked[i - 1].score) rank = i + 1;
    return { ...s, rank };
  });
  return [...out, ...unranked.map((s) => ({ ...s, rank: null }))];
}
