/**
 * Season-end batch assignment: wishes → units with capacities, at minimum total
 * cost, as many wishes as possible. A wish may also stay unassigned at cost
 * UNASSIGNED (above any real cost), so the optimiser first maximises the number
 * placed, then minimises cost.
 *
 * Exact: successive shortest augmenting paths (rows added one at a time, as in the
 * Hungarian / Jonker–Volgenant method) with unit potentials. Because the unit side
 * is small (≈ 184), shortest paths run over units only: moving an already placed
 * wish from unit u to unit v costs c(w,v) − c(w,u), and the cheapest such move per
 * (u, v) is kept in a table that is refreshed only for the units a path touched.
 */

export const UNASSIGNED = 1000;

export interface AssignmentProblem {
  units: number;
  capacity: number[];
  /** edges[w] = the units wish w may go to, with integer costs in [0, UNASSIGNED). */
  edges: [unit: number, cost: number][][];
}

export interface AssignmentResult {
  /** unit index per wish, or −1 when it stays unassigned */
  unitOf: Int32Array;
  cost: number;
  assigned: number;
}

export function totalCost(p: AssignmentProblem, unitOf: Int32Array) {
  let cost = 0;
  for (let w = 0; w < unitOf.length; w++) {
    const u = unitOf[w];
    cost += u < 0 ? UNASSIGNED : p.edges[w].find((e) => e[0] === u)![1];
  }
  return cost;
}

/** Cheapest pairs first; a wish takes the pair if the unit still has room. The baseline. */
export function greedyAssign(p: AssignmentProblem): AssignmentResult {
  const pairs: [number, number, number][] = [];
  p.edges.forEach((es, w) => es.forEach(([u, c]) => pairs.push([c, w, u])));
  pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  const unitOf = new Int32Array(p.edges.length).fill(-1);
  const left = [...p.capacity];
  for (const [, w, u] of pairs) if (unitOf[w] < 0 && left[u] > 0) { unitOf[w] = u; left[u]--; }
  const assigned = unitOf.reduce((s, u) => s + (u >= 0 ? 1 : 0), 0);
  return { unitOf, cost: totalCost(p, unitOf), assigned };
}

export function optimalAssign(p: AssignmentProblem): AssignmentResult {
  const U = p.units, D = U; // node D is "unassigned": unlimited room, cost UNASSIGNED for every wish
  const N = U + 1;
  const W = p.edges.length;
  const costOf: Map<number, number>[] = p.edges.map((es) => { const m = new Map<number, number>(es.map(([u, c]) => [u, c])); m.set(D, UNASSIGNED); return m; });
  const unitOf = new Int32Array(W).fill(-1); // −1 = not yet processed; D = unassigned
  const members: Set<number>[] = Array.from({ length: N }, () => new Set<number>());
  const room = [...p.capacity, Number.POSITIVE_INFINITY];
  const pi = new Float64Array(N);
  // swap[u*N+v]: cheapest c(w,v) − c(w,u) over wishes w at u; swapWish: which w
  const swap = new Float64Array(N * N).fill(Number.POSITIVE_INFINITY);
  const swapWish = new Int32Array(N * N).fill(-1);
  const refresh = (u: number) => {
    swap.fill(Number.POSITIVE_INFINITY, u * N, u * N + N);
    swapWish.fill(-1, u * N, u * N + N);
    for (const w of members[u]) {
      const here = costOf[w].get(u)!;
      for (const [v, c] of costOf[w]) {
        if (v === u) continue;
        const d = c - here;
        if (d < swap[u * N + v]) { swap[u * N + v] = d; swapWish[u * N + v] = w; }
      }
    }
  };
  const dist = new Float64Array(N), done = new Uint8Array(N), predUnit = new Int32Array(N), predWish = new Int32Array(N);
  for (let w0 = 0; w0 < W; w0++) {
    // Dijkstra over units on reduced costs, starting from the new wish.
    dist.fill(Number.POSITIVE_INFINITY); done.fill(0);
    let h = Number.POSITIVE_INFINITY;
    for (const [v, c] of costOf[w0]) h = Math.min(h, c - pi[v]);
    for (const [v, c] of costOf[w0]) { dist[v] = c - pi[v] - h; predUnit[v] = -1; predWish[v] = w0; }
    let target = -1;
    for (;;) {
      let u = -1, best = Number.POSITIVE_INFINITY;
      for (let x = 0; x < N; x++) if (!done[x] && dist[x] < best) { best = dist[x]; u = x; }
      if (u < 0) break;
      done[u] = 1;
      if (members[u].size < room[u]) { target = u; break; }
      for (let v = 0; v < N; v++) {
        if (done[v]) continue;
        const s = swap[u * N + v];
        if (s === Number.POSITIVE_INFINITY) continue;
        const nd = dist[u] + s + pi[u] - pi[v];
        if (nd < dist[v]) { dist[v] = nd; predUnit[v] = u; predWish[v] = swapWish[u * N + v]; }
      }
    }
    if (target < 0) throw new Error('no augmenting path (the unassigned node always has room)');
    // Potentials: finalised nodes move by their distance, the rest by the target's.
    const dt = dist[target];
    for (let x = 0; x < N; x++) pi[x] += Math.min(done[x] ? dist[x] : dt, dt);
    // Walk back: each step moves one wish into v (from predUnit, or the new wish from outside).
    const touched = new Set<number>();
    for (let v = target; ; ) {
      const w = predWish[v], u = predUnit[v];
      if (u >= 0) { members[u].delete(w); touched.add(u); }
      members[v].add(w); unitOf[w] = v; touched.add(v);
      if (u < 0) break;
      v = u;
    }
    for (const x of touched) refresh(x);
  }
  const out = new Int32Array(W);
  let assigned = 0;
  for (let w = 0; w < W; w++) { out[w] = unitOf[w] === D ? -1 : unitOf[w]; if (out[w] >= 0) assigned++; }
  return { unitOf: out, cost: totalCost(p, out), assigned };
}
