/**
 * Statistics over trials: mean, sample standard deviation, and confidence intervals from
 * Student's t distribution (`mean ± t(1 − α/2, n − 1) · s / √n`), with the t quantile
 * computed from the regularized incomplete beta function (no table, any n).
 *
 * @module
 */

/** Mean, spread and confidence interval of a sample. */
export interface SampleStats {
  /** Number of values. */
  n: number;
  /** Arithmetic mean. */
  mean: number;
  /** Sample standard deviation (n − 1 in the denominator); 0 for one value. */
  sd: number;
  /** Lower end of the confidence interval; null with fewer than 2 values. */
  low: number | null;
  /** Upper end of the confidence interval; null with fewer than 2 values. */
  high: number | null;
  /** Smallest value. */
  min: number;
  /** Largest value. */
  max: number;
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms; relative error below 1e-14). */
function logGamma(x: number): number {
  const c = [
    0.99999999999980993,
    676.5203681218851,
    -1259.1392167224028,
    771.32342877765313,
    -176.61502916214059,
    12.507343278686905,
    -0.13857109526572012,
    9.9843695780195716e-6,
    1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1, d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/** Regularized incomplete beta I_x(a, b). */
function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(
    logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x),
  );
  return x < (a + 1) / (a + b + 2)
    ? (front * betaFraction(x, a, b)) / a
    : 1 - (front * betaFraction(1 - x, b, a)) / b;
}

/**
 * P(T ≤ t) for Student's t distribution with `df` degrees of freedom.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { studentTCdf } from "./stats.ts";
 * assert.equal(studentTCdf(0, 4), 0.5);
 * assert.ok(Math.abs(studentTCdf(2.776445, 4) - 0.975) < 1e-6);
 * ```
 */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`Cannot use Student t: current df is ${df} (want > 0)`);
  if (t === 0) return 0.5;
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

/**
 * The `p` quantile of Student's t distribution with `df` degrees of freedom (bisection on
 * the CDF to 1e-12).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { studentTQuantile } from "./stats.ts";
 * assert.equal(studentTQuantile(0.975, 4).toFixed(4), "2.7764"); // 5 trials
 * assert.equal(studentTQuantile(0.975, 1).toFixed(3), "12.706");
 * ```
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) {
    throw new RangeError(`Cannot take a t quantile: current p is ${p} (want 0 < p < 1)`);
  }
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  let lo = 0, hi = 1;
  while (studentTCdf(hi, df) < p) {
    lo = hi;
    hi *= 2;
    if (hi > 1e12) return Infinity;
  }
  while (hi - lo > 1e-12 * Math.max(1, hi)) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Mean, sample standard deviation, min, max and the `level` confidence interval of the
 * mean (Student t, n − 1 degrees of freedom; default 95%).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sampleStats } from "./stats.ts";
 * const s = sampleStats([1, 2, 3, 4, 5]); // mean 3, s = 1.5811, t(0.975, 4) = 2.7764
 * assert.equal(s.mean, 3);
 * assert.equal(s.low!.toFixed(4), "1.0368");
 * assert.equal(s.high!.toFixed(4), "4.9632");
 * ```
 */
export function sampleStats(values: number[], options: { level?: number } = {}): SampleStats {
  const level = options.level ?? 0.95;
  const n = values.length;
  if (n === 0) throw new RangeError("Cannot summarize a sample: current size is 0 (want ≥ 1)");
  if (!(level > 0 && level < 1)) {
    throw new RangeError(`Cannot use a confidence level: current value is ${level} (want 0..1)`);
  }
  for (const v of values) {
    if (!Number.isFinite(v)) {
      throw new RangeError(`Cannot summarize a sample: current value is ${v} (want finite)`);
    }
  }
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : 0;
  let low: number | null = null, high: number | null = null;
  if (n > 1) {
    const half = (studentTQuantile(1 - (1 - level) / 2, n - 1) * sd) / Math.sqrt(n);
    low = mean - half;
    high = mean + half;
  }
  return { n, mean, sd, low, high, min: Math.min(...values), max: Math.max(...values) };
}
