import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitFen } from '../../server/src/modules/consult/cost-shares.js';

describe('cost shares in fen', () => {
  it('always sum exactly to the amount, and follow the weights within one fen', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 50_000_000 }), fc.array(fc.integer({ min: 0, max: 2_000_000 }), { minLength: 1, maxLength: 40 }), (amount, weights) => {
      const shares = splitFen(amount, weights);
      const total = weights.reduce((s, w) => s + w, 0);
      expect(shares.reduce((s, x) => s + x, 0)).toBe(total === 0 ? 0 : amount);
      if (total > 0) shares.forEach((s, i) => expect(Math.abs(s - (amount * weights[i]) / total)).toBeLessThan(1));
      shares.forEach((s, i) => { if (weights[i] === 0) expect(s).toBe(0); });
    }), { numRuns: 300 });
  });
  it('splits ¥1 three ways as 34/33/33', () => {
    expect(splitFen(100, [1, 1, 1])).toEqual([34, 33, 33]);
  });
});
