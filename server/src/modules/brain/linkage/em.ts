/**
 * Fellegi–Sunter model fitted by expectation-maximisation over comparison patterns. The database
 * groups the candidate pairs by comparison vector (a few hundred patterns for hundreds of thousands
 * of pairs), so the iterations run here over that small table. Levels are 0..k-1 per comparison,
 * -1 where a side is missing (it contributes nothing). Pairs a worker labelled keep their label as
 * a fixed match probability (1 or 0) while the rest are estimated.
 */
export interface Pattern { g: number[]; n: number; /** labelled pairs: 1 = match, 0 = non-match; absent = unlabelled */ label?: 0 | 1 }
export interface Model {
  /** Share of candidate pairs that are matches. */
  lambda: number;
  /** m[i][k]: P(level k on comparison i | match); u[i][k] likewise for non-matches. */
  m: number[][];
  u: number[][];
  iterations: number;
  converged: boolean;
}

const FLOOR = 1e-6;
const normalise = (xs: number[]) => {
  const s = xs.reduce((a, b) => a + b, 0);
  return xs.map((x) => Math.max(FLOOR, s > 0 ? x / s : 1 / xs.length));
};

/**
 * Starting values as Splink's defaults: matches mostly agree exactly (m high at level 0), and
 * non-matches are distributed like all candidate pairs (u from the pattern marginals).
 */
function initialModel(patterns: Pattern[], levels: number[]): Model {
  const u = levels.map((k, i) => normalise(Array.from({ length: k }, (_, lv) => patterns.reduce((s, p) => s + (p.g[i] === lv ? p.n : 0), 0) + 1)));
  const m = levels.map((k) => normalise(Array.from({ length: k }, (_, lv) => (lv === 0 ? 0.9 : lv === k - 1 ? 0.02 : 0.08 / Math.max(1, k - 2)))));
  return { lambda: 0.1, m, u, iterations: 0, converged: false };
}

/** Log2 Bayes factor of each level: the weight a worker reads in the explanation ("身份证号相同 +14.2"). */
export function levelWeights(model: Model): number[][] {
  return model.m.map((mi, i) => mi.map((mk, k) => Math.log2(mk / model.u[i][k])));
}
export const priorWeight = (model: Model) => Math.log2(model.lambda / (1 - model.lambda));

function matchProbability(model: Model, g: number[]): number {
  let lm = Math.log(model.lambda), lu = Math.log(1 - model.lambda);
  for (let i = 0; i < g.length; i++) {
    if (g[i] < 0) continue;
    lm += Math.log(model.m[i][g[i]]);
    lu += Math.log(model.u[i][g[i]]);
  }
  return 1 / (1 + Math.exp(lu - lm));
}

export function fitModel(patterns: Pattern[], levels: number[], opts: { maxIterations?: number; tolerance?: number; start?: Model } = {}): Model {
  const maxIterations = opts.maxIterations ?? 200, tolerance = opts.tolerance ?? 1e-7;
  let model = opts.start ? { ...opts.start, iterations: 0, converged: false } : initialModel(patterns, levels);
  for (let it = 1; it <= maxIterations; it++) {
    let sumP = 0, sumN = 0;
    const mAcc = levels.map((k) => new Array<number>(k).fill(0));
    const uAcc = levels.map((k) => new Array<number>(k).fill(0));
    for (const p of patterns) {
      const prob = p.label ?? matchProbability(model, p.g);
      sumP += prob * p.n;
      sumN += p.n;
      for (let i = 0; i < levels.length; i++) {
        const lv = p.g[i];
        if (lv < 0) continue;
        mAcc[i][lv] += prob * p.n;
        uAcc[i][lv] += (1 - prob) * p.n;
      }
    }
    const next: Model = {
      lambda: Math.min(1 - FLOOR, Math.max(FLOOR, sumN ? sumP / sumN : 0.5)),
      m: mAcc.map(normalise), u: uAcc.map(normalise), iterations: it, converged: false,
    };
    const delta = Math.max(Math.abs(next.lambda - model.lambda), ...next.m.flatMap((mi, i) => mi.map((x, k) => Math.abs(x - model.m[i][k]))),
      ...next.u.flatMap((ui, i) => ui.map((x, k) => Math.abs(x - model.u[i][k]))));
    model = next;
    if (delta < tolerance) { model.converged = true; break; }
  }
  return model;
}

/** λ among the given patterns alone with m and u held: the fixed point of λ = mean posterior match probability. */
export function candidateShare(model: Model, patterns: Pattern[], iterations = 200): number {
  let lambda = model.lambda;
  const n = patterns.reduce((s, p) => s + p.n, 0);
  if (!n) return lambda;
  for (let it = 0; it < iterations; it++) {
    const m = { ...model, lambda };
    const next = Math.min(1 - FLOOR, Math.max(FLOOR, patterns.reduce((s, p) => s + (p.label ?? matchProbability(m, p.g)) * p.n, 0) / n));
    if (Math.abs(next - lambda) < 1e-9) return next;
    lambda = next;
  }
  return lambda;
}
