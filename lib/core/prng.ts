/**
 * A small seedable pseudo-random generator (sfc32), so every random choice of a run can be
 * reproduced from its seed.
 *
 * @module
 */

/** A source of uniform random numbers in [0, 1). */
export interface RandomSource {
  /** Next number in [0, 1). */
  next(): number;
  /** The seed it was made from, when it has one (logged in STARTUP). */
  readonly seed?: number;
}

/**
 * sfc32 generator seeded from one 32-bit integer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Prng } from "./prng.ts";
 * const a = new Prng(42), b = new Prng(42);
 * assert.equal(a.next(), b.next());
 * assert.equal(a.seed, 42);
 * ```
 */
export class Prng implements RandomSource {
  /** The seed it was made from. */
  readonly seed: number;
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  /** Creates a generator; the same seed gives the same sequence. */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new RangeError(
        `Cannot seed the PRNG as the seed must be an integer >= 0: current value is ${seed}`,
      );
    }
    this.seed = seed;
    this.#a = 0x9e3779b9;
    this.#b = 0x243f6a88;
    this.#c = 0xb7e15162;
    this.#d = (seed >>> 0) ^ Math.floor(seed / 2 ** 32);
    for (let i = 0; i < 15; i++) this.next();
  }

  /** Next number in [0, 1). */
  next(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return (t >>> 0) / 4294967296;
  }
}

/**
 * Rolls a fair die: a uniform random integer in `1..sides`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Prng, rollDie } from "./prng.ts";
 * const roll = rollDie(new Prng(1), 10);
 * assert.ok(Number.isInteger(roll) && roll >= 1 && roll <= 10);
 * ```
 */
export function rollDie(random: RandomSource, sides: number): number {
  return 1 + Math.floor(random.next() * sides);
}

/**
 * Derives the seed of node `index` from a run seed, so a cluster run is reproducible and
 * nodes do not share a sequence.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { deriveSeed } from "./prng.ts";
 * assert.notEqual(deriveSeed(7, 1), deriveSeed(7, 2));
 * assert.equal(deriveSeed(7, 1), deriveSeed(7, 1));
 * ```
 */
export function deriveSeed(runSeed: number, index: number): number {
  let h = (Math.imul(runSeed ^ 0x5bd1e995, 0x27d4eb2d) + Math.imul(index + 1, 0x165667b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** Largest session value: sessions are integers 0..2^53 - 1. */
export const MAX_SESSION: number = Number.MAX_SAFE_INTEGER;

/**
 * A 53-bit session derived from a seed, for the simulation: the same seed gives the same
 * session, so same-seed runs stay byte-identical. (Real nodes draw theirs at random.)
 *
 * @example
 * ```ts
 * import { deriveSession } from "./prng.ts";
 * import assert from "node:assert/strict";
 * assert.equal(deriveSession(7), deriveSession(7));
 * assert.notEqual(deriveSession(7), deriveSession(8));
 * assert.ok(Number.isSafeInteger(deriveSession(7)));
 * ```
 */
export function deriveSession(seed: number): number {
  const r = new Prng(deriveSeed(seed, 0x5e55));
  const high = Math.floor(r.next() * 2 ** 21);
  const low = Math.floor(r.next() * 2 ** 32);
  return high * 2 ** 32 + low;
}
