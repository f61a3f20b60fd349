import { describe, expect, it } from 'vitest';
import { scorePair, type NeedLike, type ResourceLike, type UnitStats } from '../../server/src/modules/alliance/score.js';

const need: NeedLike = { category: 'goods', region_path: '/1/2/3/', lat: 33.36, lng: 120.19, value_fen: 15000, deadline: '2099-01-01' };
const res = (over: Partial<ResourceLike> = {}): ResourceLike => ({ category: 'goods', service_path: '/1/2/', lat: 33.36, lng: 120.19, value_cap_fen: 30000, capacity: 10, used: 0, available_from: null, available_until: null, status: 'active', ...over });
const unit = (over: Partial<UnitStats> = {}): UnitStats => ({ verified: true, fulfilledOnTime: 5, claimsEnded: 5, recentClaims: 0, ...over });

describe('match score', () => {
  it('hard filters: category, service area, value cap, capacity, verification', () => {
    expect(scorePair(need, res({ category: 'venue' }), unit())).toBeNull();
    expect(scorePair(need, res({ service_path: '/1/9/' }), unit())).toBeNull();
    expect(scorePair(need, res({ value_cap_fen: 10000 }), unit())).toBeNull();
    expect(scorePair(need, res({ used: 10 }), unit())).toBeNull();
    expect(scorePair(need, res(), unit({ verified: false }))).toBeNull();
    expect(scorePair(need, res({ available_until: '2000-01-01' }), unit())).toBeNull();
  });
  it('each factor moves the score the right way, and every reason is named', () => {
    const base = scorePair(need, res(), unit())!;
    expect(base.reasons.map((r) => r.factor)).toEqual(['category', 'distance', 'capacity', 'reliability', 'fairness']);
    expect(scorePair(need, res({ category: 'funds' }), unit())!.score).toBeLessThan(base.score);
    expect(scorePair(need, res({ lat: 33.5 }), unit())!.score).toBeLessThan(base.score);
    expect(scorePair(need, res({ used: 8 }), unit())!.score).toBeLessThan(base.score);
    expect(scorePair(need, res(), unit({ fulfilledOnTime: 1 }))!.score).toBeLessThan(base.score);
    expect(scorePair(need, res(), unit({ recentClaims: 4 }))!.score).toBeLessThan(base.score);
    expect(base.score).toBeLessThanOrEqual(100);
  });
});
