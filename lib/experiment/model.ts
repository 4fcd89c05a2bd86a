/**
 * The queueing model of the assignment's machines, for predictions to test measurements
 * against. A machine ticks `r` times a second; a tick with a non-empty queue processes one
 * message (no roll), a tick with an empty queue rolls a `D`-sided die: 1 sends to its first
 * peer, 2 to its second (to the only peer when it has one), 3 to every peer, the rest are
 * INTERNAL. Peers are the other machines in id order.
 *
 * - Share of an idle tick of `i` that sends to `j`: `p(i→j)` = 2/D for `j` among `i`'s first
 *   two peers plus 1/D for the broadcast (so 2/D each with 2 peers, 3/D with one peer, 1/D to
 *   peers after the second).
 * - Busy share `u_j` (ticks that process a message) = `min(1, λ_j / r_j)`; arrival rate
 *   `λ_j = Σ_i r_i · (1 − u_i) · p(i→j)`: a busy sender does not roll, so it sends less. The
 *   busy shares are the solution of this fixed point (a linear complementarity problem,
 *   solved exactly by principal pivoting).
 * - Utilisation `ρ_j = λ_j / r_j`; with `ρ_j ≥ 1` the queue grows without bound at
 *   `λ_j − r_j` messages per second and the machine never sends.
 * - Clock growth `v_j` (clock units per second): a machine that keeps up (ρ < 1) follows the
 *   fastest-growing clock among its senders, `v_j = max(r_j, max_i v_i)`; a machine that falls
 *   behind processes at time t what arrived at t/ρ_j, so `v_j = max(r_j, max_i v_i / ρ_j)`.
 *   The drift between the fastest and the slowest machine then grows at `v_fast − v_slow`.
 *
 * @module
 */

/** What the model predicts for one machine. */
export interface MachinePrediction {
  /** Tick rate r (ticks/s): also the service rate, one message per tick. */
  rate: number;
  /** Predicted arrival rate λ (messages/s). */
  arrival: number;
  /** Utilisation ρ = λ / r. */
  utilisation: number;
  /** Share of ticks that process a message, min(1, ρ). */
  busy: number;
  /** Messages sent per second (one per recipient). */
  sendRate: number;
  /** Whether the queue grows without bound (ρ ≥ 1). */
  unbounded: boolean;
  /** Predicted queue growth max(0, λ − r) (messages/s). */
  queueGrowth: number;
  /** Predicted long-run growth of its Lamport clock (units/s). */
  clockGrowth: number;
}

/** Predictions for a cluster. */
export interface ClusterPrediction {
  /** Per machine, in id order. */
  machines: MachinePrediction[];
  /** Index of the slowest machine (lowest rate, then lowest id). */
  slowest: number;
  /** Index of the fastest machine (highest rate, then highest id). */
  fastest: number;
  /** Predicted growth of the fastest's clock minus the slowest's (units/s). */
  driftGrowth: number;
}

/**
 * Share of an idle tick of machine `from` that sends a message to machine `to` (indices in
 * id order) among `count` machines with a `dieSides`-sided die.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sendShare } from "./model.ts";
 * assert.equal(sendShare(0, 1, { count: 3, dieSides: 10 }), 0.2); // roll 1 or 3
 * assert.equal(sendShare(0, 1, { count: 2, dieSides: 10 }), 0.3); // roll 1, 2 or 3
 * assert.equal(sendShare(0, 3, { count: 4, dieSides: 10 }), 0.1); // third peer: roll 3 only
 * ```
 */
export function sendShare(
  from: number,
  to: number,
  o: { count: number; dieSides: number },
): number {
  if (from === to || o.count < 2) return 0;
  if (o.count === 2) return 3 / o.dieSides;
  const peerIndex = to < from ? to : to - 1;
  return (peerIndex < 2 ? 2 : 1) / o.dieSides;
}

/**
 * Predicts arrival rates, utilisation, queue growth and clock growth for machines ticking at
 * `rates` (in id order) with a `dieSides`-sided die.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { predictCluster } from "./model.ts";
 * const p = predictCluster([4, 4, 4], { dieSides: 10 });
 * // λ = 2 peers × 4 × (1 − u) × 0.2 and u = λ / 4, so u = 0.4 (1 − u): u = 2/7.
 * assert.ok(Math.abs(p.machines[0].busy - 2 / 7) < 1e-12);
 * assert.equal(p.driftGrowth, 0);
 * ```
 */
export function predictCluster(
  rates: number[],
  options: { dieSides: number },
): ClusterPrediction {
  const n = rates.length;
  if (n === 0) throw new RangeError("Cannot predict a cluster: current machine count is 0");
  for (const r of rates) {
    if (!(r > 0 && Number.isFinite(r))) {
      throw new RangeError(`Cannot predict a cluster: current rate is ${r} (want > 0)`);
    }
  }
  const share = (i: number, j: number) => sendShare(i, j, { count: n, dieSides: options.dieSides });
  // a[j][i]: messages to j per idle-tick share of i, relative to j's rate.
  const a = rates.map((rj, j) => rates.map((ri, i) => (ri * share(i, j)) / rj));
  const idle = solveIdle(a);
  const arrival = rates.map((_, j) =>
    rates.reduce((s, ri, i) => s + ri * idle[i] * share(i, j), 0)
  );
  const machines = rates.map((r, j): MachinePrediction => {
    const rho = arrival[j] / r;
    const sendRate = rates.reduce((s, _, k) => s + share(j, k), 0) * r * idle[j];
    return {
      rate: r,
      arrival: arrival[j],
      utilisation: rho,
      busy: 1 - idle[j],
      sendRate,
      unbounded: rho >= 1 - 1e-12,
      queueGrowth: Math.max(0, arrival[j] - r),
      clockGrowth: r,
    };
  });
  // Clock growth: propagate the fastest-growing clock along the links that carry messages.
  for (let pass = 0; pass <= n; pass++) {
    let changed = false;
    for (let j = 0; j < n; j++) {
      const m = machines[j];
      let v = m.rate;
      for (let i = 0; i < n; i++) {
        if (idle[i] <= 1e-12 || share(i, j) === 0) continue;
        const lifted = m.unbounded
          ? machines[i].clockGrowth / m.utilisation
          : machines[i].clockGrowth;
        if (lifted > v) v = lifted;
      }
      if (v > m.clockGrowth + 1e-12) {
        m.clockGrowth = v;
        changed = true;
      }
    }
    if (!changed) break;
  }
  let slowest = 0, fastest = 0;
  rates.forEach((r, i) => {
    if (r < rates[slowest]) slowest = i;
    if (r >= rates[fastest]) fastest = i;
  });
  return {
    machines,
    slowest,
    fastest,
    driftGrowth: machines[fastest].clockGrowth - machines[slowest].clockGrowth,
  };
}

/**
 * Idle shares s (1 − busy share) with s = max(0, 1 − a·s): the linear complementarity
 * problem w = (I + a)s − 1, s ≥ 0, w ≥ 0, s·w = 0, solved by Murty's least-index principal
 * pivoting (finite for a P-matrix; I + a is one whenever the die rolls INTERNAL at all).
 */
function solveIdle(a: number[][]): number[] {
  const n = a.length;
  const free = new Array<boolean>(n).fill(true); // s_j > 0 (machine keeps up)
  for (let step = 0; step < 50 * n * n + 100; step++) {
    const s = solveFree(a, free);
    let flip = -1;
    for (let j = 0; j < n && flip < 0; j++) {
      if (free[j] ? s[j] < -1e-12 : a[j].reduce((t, aji, i) => t + aji * s[i], 0) < 1 - 1e-12) {
        flip = j;
      }
    }
    if (flip < 0) return s.map((x) => Math.max(0, x));
    free[flip] = !free[flip];
  }
  throw new RangeError("Cannot predict a cluster: the queueing model did not converge");
}

/** Solves (I + a)_FF s_F = 1 with s = 0 outside F (Gaussian elimination, partial pivoting). */
function solveFree(a: number[][], free: boolean[]): number[] {
  const idx = free.flatMap((f, j) => (f ? [j] : []));
  const m = idx.map((j, r) => [...idx.map((i, c) => (r === c ? 1 : 0) + a[j][i]), 1]);
  const k = idx.length;
  for (let c = 0; c < k; c++) {
    let p = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    for (let r = 0; r < k; r++) {
      if (r === c || m[r][c] === 0) continue;
      const f = m[r][c] / m[c][c];
      for (let q = c; q <= k; q++) m[r][q] -= f * m[c][q];
    }
  }
  const s = new Array<number>(free.length).fill(0);
  idx.forEach((j, r) => (s[j] = m[r][k] / m[r][r]));
  return s;
}
