import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { greedyAssign, optimalAssign, totalCost, UNASSIGNED, type AssignmentProblem } from '../../server/src/modules/alliance/assignment.js';

/** An independent reference: plain min-cost flow by Bellman–Ford successive shortest paths on the full graph. */
function referenceMinCost(p: AssignmentProblem): number {
  const W = p.edges.length, U = p.units;
  const S = 0, T = 1 + W + U + 1, D = 1 + W + U; // D: "unassigned" node
  const n = T + 1;
  const to: number[] = [], cap: number[] = [], cost: number[] = [], head = new Array(n).fill(-1), next: number[] = [];
  const add = (a: number, b: number, c: number, k: number) => {
    to.push(b); cap.push(c); cost.push(k); next.push(head[a]); head[a] = to.length - 1;
    to.push(a); cap.push(0); cost.push(-k); next.push(head[b]); head[b] = to.length - 1;
  };
  for (let w = 0; w < W; w++) {
    add(S, 1 + w, 1, 0);
    for (const [u, c] of p.edges[w]) add(1 + w, 1 + W + u, 1, c);
    add(1 + w, D, 1, UNASSIGNED);
  }
  for (let u = 0; u < U; u++) add(1 + W + u, T, p.capacity[u], 0);
  add(D, T, W, 0);
  let total = 0;
  for (let f = 0; f < W; f++) {
    const dist = new Array(n).fill(Infinity), prev = new Array(n).fill(-1);
    dist[S] = 0;
    for (let it = 0; it < n; it++) {
      let changed = false;
      for (let a = 0; a < n; a++) {
        if (dist[a] === Infinity) continue;
        for (let e = head[a]; e >= 0; e = next[e]) if (cap[e] > 0 && dist[a] + cost[e] < dist[to[e]]) { dist[to[e]] = dist[a] + cost[e]; prev[to[e]] = e; changed = true; }
      }
      if (!changed) break;
    }
    for (let v = T; v !== S; v = to[prev[v] ^ 1]) { cap[prev[v]]--; cap[prev[v] ^ 1]++; }
    total += dist[T];
  }
  return total;
}

const problemArb = fc.record({ units: fc.integer({ min: 1, max: 6 }), wishes: fc.integer({ min: 1, max: 14 }) }).chain(({ units, wishes }) => fc.record({
  capacity: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: units, maxLength: units }),
  edges: fc.array(fc.uniqueArray(fc.tuple(fc.integer({ min: 0, max: units - 1 }), fc.integer({ min: 0, max: 100 })), { selector: (e) => e[0], maxLength: units }), { minLength: wishes, maxLength: wishes }),
}).map((x) => ({ units, ...x }) as AssignmentProblem));

describe('season-end batch assignment', () => {
  it('is optimal (equals an independent min-cost flow), respects capacities, and never loses to greedy', () => {
    fc.assert(fc.property(problemArb, (p) => {
      const opt = optimalAssign(p);
      const greedy = greedyAssign(p);
      expect(opt.cost).toBe(referenceMinCost(p));
      expect(opt.cost).toBeLessThanOrEqual(greedy.cost);
      expect(opt.assigned).toBeGreaterThanOrEqual(greedy.assigned);
      const used = new Array(p.units).fill(0);
      opt.unitOf.forEach((u, w) => { if (u >= 0) { used[u]++; expect(p.edges[w].some((e) => e[0] === u)).toBe(true); } });
      used.forEach((n, u) => expect(n).toBeLessThanOrEqual(p.capacity[u]));
      expect(totalCost(p, opt.unitOf)).toBe(opt.cost);
    }), { numRuns: 400 });
  });

  it('beats greedy where greedy is short-sighted (planted case)', () => {
    // Greedy gives unit 0 to wish 0 (cost 1); then wish 1 can only go to unit 0 (full) → unassigned.
    const p: AssignmentProblem = { units: 2, capacity: [1, 1], edges: [[[0, 1], [1, 2]], [[0, 5]]] };
    expect(greedyAssign(p)).toMatchObject({ assigned: 1, cost: 1 + UNASSIGNED });
    const opt = optimalAssign(p);
    expect(opt).toMatchObject({ assigned: 2, cost: 7 });
    expect([...opt.unitOf]).toEqual([1, 0]);
  });
});
