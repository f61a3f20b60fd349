import { describe, expect, it } from 'vitest';
import { fitModel, levelWeights, priorWeight, type Pattern } from '../../server/src/modules/brain/linkage/em.js';

/**
 * Expectation-maximisation recovers the m and u probabilities that generated a set of comparison
 * patterns, without labels; labelled patterns keep their label; missing levels weigh nothing.
 */
function patternsFrom(lambda: number, m: number[][], u: number[][], n: number): Pattern[] {
  // Exact expected counts (no sampling noise): every combination of levels, weighted by its probability.
  const out: Pattern[] = [];
  const walk = (i: number, g: number[], pm: number, pu: number) => {
    if (i === m.length) { out.push({ g, n: Math.round(n * (lambda * pm + (1 - lambda) * pu)) }); return; }
    for (let k = 0; k < m[i].length; k++) walk(i + 1, [...g, k], pm * m[i][k], pu * u[i][k]);
  };
  walk(0, [], 1, 1);
  return out.filter((p) => p.n > 0);
}

describe('linkage: Fellegi–Sunter model by EM', () => {
  const m = [[0.9, 0.07, 0.03], [0.85, 0.1, 0.05], [0.95, 0.05], [0.8, 0.15, 0.05]];
  const u = [[0.01, 0.04, 0.95], [0.05, 0.1, 0.85], [0.5, 0.5], [0.02, 0.08, 0.9]];

  it('recovers λ, m and u from unlabelled patterns', () => {
    const model = fitModel(patternsFrom(0.3, m, u, 1_000_000), [3, 3, 2, 3]);
    expect(model.converged).toBe(true);
    expect(model.lambda).toBeCloseTo(0.3, 2);
    model.m.forEach((mi, i) => mi.forEach((x, k) => expect(x).toBeCloseTo(m[i][k], 2)));
    model.u.forEach((ui, i) => ui.forEach((x, k) => expect(x).toBeCloseTo(u[i][k], 2)));
    // Agreement is evidence for a match, disagreement against; a field that does not separate weighs ~0.
    const w = levelWeights(model);
    expect(w[0][0]).toBeGreaterThan(6);
    expect(w[0][2]).toBeLessThan(-4);
    expect(Math.abs(w[2][0])).toBeLessThan(1);
    expect(priorWeight(model)).toBeCloseTo(Math.log2(0.3 / 0.7), 1);
  });

  it('a missing level contributes to neither m nor u', () => {
    const base = patternsFrom(0.3, m, u, 100_000);
    const withMissing = [...base, { g: [-1, 0, 0, 0], n: 50_000 }];
    const model = fitModel(withMissing, [3, 3, 2, 3]);
    expect(model.m[0][0]).toBeCloseTo(0.9, 1);
    expect(model.u[0][2]).toBeCloseTo(0.95, 1);
  });

  it('labelled patterns keep their label: a pattern the model would call a match stays a non-match', () => {
    const patterns = patternsFrom(0.3, m, u, 100_000);
    const free = fitModel(patterns, [3, 3, 2, 3]);
    // Label every pair that agrees on the first field as a non-match: its m must collapse.
    const labelled = patterns.map((p) => (p.g[0] === 0 ? { ...p, label: 0 as const } : p));
    const fixed = fitModel(labelled, [3, 3, 2, 3]);
    expect(free.m[0][0]).toBeGreaterThan(0.8);
    expect(fixed.m[0][0]).toBeLessThan(0.01);
  });
});
