/**
 * Splits an amount in fen by weights so the shares always sum exactly to the
 * amount: each gets the floor of its exact share, and the fen left over go one each
 * to the largest remainders (Hamilton's method; ties to the earlier room).
 * Weights are rationals given as integers (coefficient × 1000 × area in 0.01 m²).
 */
export function splitFen(amountFen: number, weights: number[]): number[] {
  if (!Number.isSafeInteger(amountFen) || amountFen < 0) throw new Error('amount must be a non-negative integer of fen');
  const total = weights.reduce((s, w) => s + BigInt(w), 0n);
  if (total === 0n) return weights.map(() => 0);
  const amount = BigInt(amountFen);
  const exact = weights.map((w) => amount * BigInt(w));
  const base = exact.map((e) => e / total);
  const rem = exact.map((e, i) => ({ i, r: e % total }));
  let left = amount - base.reduce((s, b) => s + b, 0n);
  rem.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of rem) {
    if (left <= 0n) break;
    base[i] += 1n;
    left -= 1n;
  }
  return base.map(Number);
}

/** Ground floor pays nothing by default; each floor up pays more (configurable per project). */
export const DEFAULT_COEFFICIENTS: Record<string, number> = { '1': 0, '2': 0.6, '3': 1, '4': 1.2, '5': 1.4, '6': 1.6, '7': 1.7, '8': 1.8, '9': 1.9 };

/** Subsidy rule (configurable): ¥100,000 for buildings of 6 floors and up, else ¥50,000; never more than the cost. */
export function defaultSubsidyFen(floors: number, totalFen: number) {
  return Math.min(totalFen, (floors >= 6 ? 100_000 : 50_000) * 100);
}
