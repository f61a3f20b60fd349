import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMPONENTS, DEDUCTION_CAP, DEDUCTION_PER_MATTER, FORMULA_TEXT, rankCompounds, scoreCompound, type CompoundFigures } from '../../server/src/modules/property/compound-ranking.js';

/** The demonstration-compound formula: weights, missing components, the deduction, ranks and ties. */

const figures = (over: Partial<CompoundFigures> = {}): CompoundFigures => ({
  compoundId: 1, name: '橡树湾', communityName: '鹿鸣社区',
  ratings: { households: 200, averageScore: 4.3 },
  checklist: 88,
  requests: { counted: 40, onTime: 34 },
  practical: { answers: 50, averageScore: 4.6, overdueOpen: 0 },
  followUps: { due: 4, onTime: 3 },
  ...over,
});

describe('red-property ranking formula', () => {
  it('weights the five components 30/30/20/10/10 and says so in the formula text', () => {
    expect(COMPONENTS.reduce((s, c) => s + c.weight, 0)).toBe(100);
    expect(FORMULA_TEXT).toBe('综合分 = 居民评价×30% + 社区考评×30% + 报事按时办结率×20% + 实事满意度×10% + 联席会议事项按期完成率×10% − 逾期未完成实事扣分（每件 2 分，最多扣 10 分）');
    const s = scoreCompound(figures());
    // 4.3/5 → 86; 88; 34/40 → 85; 4.6/5 → 92; 3/4 → 75
    expect(s.components.map((c) => c.value)).toEqual([86, 88, 85, 92, 75]);
    expect(s.score).toBe(Math.round((86 * 30 + 88 * 30 + 85 * 20 + 92 * 10 + 75 * 10) / 10) / 10);
    expect(s.score).toBe(85.9);
    expect(s.components.map((c) => c.points)).toEqual([25.8, 26.4, 17, 9.2, 7.5]);
    expect(s.components.map((c) => c.basis)).toEqual(['200 户评价，平均 4.30 分', '考评表 88 分', '34/40 件按时办结', '50 户评价，平均 4.60 分', '3/4 项按期完成']);
  });

  it('rounds each component to one decimal first, as the page shows it, and scores from those', () => {
    const s = scoreCompound(figures({ ratings: { households: 3, averageScore: 13 / 3 }, requests: { counted: 3, onTime: 2 } }));
    expect(s.components[0].value).toBe(86.7); // 4.333…/5
    expect(s.components[2].value).toBe(66.7);
    expect(s.score).toBe(Math.round((867 * 30 + 880 * 30 + 667 * 20 + 920 * 10 + 750 * 10) / 100) / 10);
  });

  it('leaves a component without data out and shares its weight among the others', () => {
    const s = scoreCompound(figures({ practical: { answers: 0, averageScore: null, overdueOpen: 0 }, followUps: { due: 0, onTime: 0 } }));
    expect(s.components.map((c) => c.value)).toEqual([86, 88, 85, null, null]);
    expect(s.components.map((c) => c.effectiveWeight)).toEqual([37.5, 37.5, 25, 0, 0]);
    expect(s.score).toBe(Math.round((860 * 30 + 880 * 30 + 850 * 20) / 80) / 10); // 86.5
    expect(s.components.slice(3).map((c) => c.basis)).toEqual(['无实事满意度评价', '本月无到期交办事项']);
  });

  it('takes 2 points per overdue unfinished practical matter, at most 10, and never goes below 0', () => {
    expect(scoreCompound(figures({ practical: { answers: 50, averageScore: 4.6, overdueOpen: 2 } }))).toMatchObject({ deduction: 4, score: 81.9 });
    expect(scoreCompound(figures({ practical: { answers: 50, averageScore: 4.6, overdueOpen: 9 } }))).toMatchObject({ deduction: DEDUCTION_CAP, score: 75.9 });
    const worst = figures({ ratings: { households: 5, averageScore: 1 }, checklist: 0, requests: { counted: 3, onTime: 0 }, practical: { answers: 2, averageScore: 1, overdueOpen: 6 }, followUps: { due: 1, onTime: 0 } });
    expect(scoreCompound(worst).score).toBe(0);
  });

  it('does not rank a compound the community has not assessed, however good its other figures', () => {
    const s = scoreCompound(figures({ checklist: null }));
    expect(s.score).toBeNull();
    expect(s.weighted).not.toBeNull();
    const ranked = rankCompounds([figures({ compoundId: 1, checklist: null, name: '乙小区' }), figures({ compoundId: 2, checklist: 60 }), figures({ compoundId: 3, checklist: null, name: '甲小区' })]);
    expect(ranked.map((r) => [r.compoundId, r.rank])).toEqual([[2, 1], [3, null], [1, null]]);
  });

  it('ranks by score with shared ranks for equal scores (1, 2, 2, 4)', () => {
    const ranked = rankCompounds([
      figures({ compoundId: 4, checklist: 70 }), figures({ compoundId: 3, checklist: 90 }), figures({ compoundId: 2, checklist: 90 }), figures({ compoundId: 1, checklist: 100 }),
    ]);
    expect(ranked.map((r) => [r.compoundId, r.rank])).toEqual([[1, 1], [2, 2], [3, 2], [4, 4]]);
  });

  it('agrees with a plain computation for any figures', () => {
    const avg = fc.option(fc.double({ min: 1, max: 5, noNaN: true }), { nil: null });
    const arb = fc.record({
      households: fc.nat(500), ratingAvg: avg, checklist: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
      counted: fc.nat(200), onTimeShare: fc.double({ min: 0, max: 1, noNaN: true }), answers: fc.nat(300), practicalAvg: avg, overdue: fc.nat(20),
      due: fc.nat(10), doneShare: fc.double({ min: 0, max: 1, noNaN: true }),
    });
    fc.assert(fc.property(arb, (x) => {
      const f = figures({
        ratings: { households: x.households, averageScore: x.households ? x.ratingAvg ?? 3 : null }, checklist: x.checklist,
        requests: { counted: x.counted, onTime: Math.floor(x.counted * x.onTimeShare) },
        practical: { answers: x.answers, averageScore: x.answers ? x.practicalAvg ?? 3 : null, overdueOpen: x.overdue },
        followUps: { due: x.due, onTime: Math.floor(x.due * x.doneShare) },
      });
      const r1 = (n: number) => Math.round(n * 10) / 10;
      const parts: [number | null, number][] = [
        [f.ratings.households ? r1((f.ratings.averageScore! / 5) * 100) : null, 30], [f.checklist, 30],
        [f.requests.counted ? r1((f.requests.onTime / f.requests.counted) * 100) : null, 20],
        [f.practical.answers ? r1((f.practical.averageScore! / 5) * 100) : null, 10], [f.followUps.due ? r1((f.followUps.onTime / f.followUps.due) * 100) : null, 10],
      ];
      const present = parts.filter(([v]) => v != null) as [number, number][];
      // In whole tenths, so that the check rounds the same exact quotient (a float sum can land either side of a .5).
      const tenths = Math.round(present.reduce((s, [v, w]) => s + Math.round(v * 10) * w, 0) / present.reduce((s, [, w]) => s + w, 0));
      const expected = f.checklist == null ? null : Math.max(0, tenths - 10 * Math.min(DEDUCTION_CAP, DEDUCTION_PER_MATTER * x.overdue)) / 10;
      const got = scoreCompound(f).score;
      if (expected == null) return got === null;
      return got != null && Math.abs(got - expected) < 1e-9 && got >= 0 && got <= 100;
    }), { numRuns: 500 });
  });
});
