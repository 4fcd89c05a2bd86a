/**
 * What a flag is ({@linkcode FlagSpec}: name, value kind, range, default, help, where it lives
 * in a cluster file) and the one check of its values ({@linkcode flagValue}), used for the
 * command line and for any other source of the same settings (a cluster file). The tables
 * themselves are in `flags.ts`.
 *
 * @module
 */

/**
 * Longest `--duration` in seconds (about 11.6 days): timers beyond 2^31 − 1 ms (24.8 days)
 * would fire at once, so runs stay well below that.
 */
export const MAX_DURATION_S = 1_000_000;

/** Longest timeout or wait given in ms: a timer beyond 2^31 − 1 ms fires at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * A bad command line (or flag value); the CLIs print the message on one line and exit 2.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { UsageError } from "./flag_values.ts";
 * const err = new UsageError('Cannot use --id as it must be an integer >= 0: current value is "x"');
 * assert.equal(err.name, "UsageError");
 * ```
 */
export class UsageError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "UsageError";
  }
}

/** The kind of a flag's value. */
export type FlagKind = "integer" | "number" | "string" | "boolean";

/**
 * Where a flag's setting lives in a cluster file (issue 10): `"node"` differs per node (a key
 * of each entry of `nodes`), `"shared"` is the same for every node (a top-level key), `"cli"`
 * exists on the command line only (help, modes, things a cluster file states otherwise).
 */
export type FlagScope = "node" | "shared" | "cli";

/** One flag: everything the parser, the help, the docs and a cluster file need to know. */
export interface FlagSpec {
  /** Long name without dashes: `"rate-min"`. */
  readonly name: string;
  /** Kind of value: booleans take none. */
  readonly kind: FlagKind;
  /** Placeholder of the value in help and docs: `"N"`, `"MS"`, `"PATH"`. */
  readonly arg?: string;
  /** Other accepted spellings, without dashes (`"logs_dir"`). */
  readonly aliases?: readonly string[];
  /** One-letter form (`"h"` for `-h`). */
  readonly short?: string;
  /** Lowest value (numbers; default 0). */
  readonly min?: number;
  /** Highest value (numbers; default none). */
  readonly max?: number;
  /** `min` itself is not allowed. */
  readonly above?: boolean;
  /** 0 is allowed too, meaning this (`"never"`), besides `min..max`. */
  readonly zero?: string;
  /** An empty string is allowed too, meaning this (`"no peers"`). */
  readonly empty?: string;
  /** The range in words when min/max do not say it all (used in help, docs and errors). */
  readonly range?: string;
  /** A further check of a valid value: the wanted state when it fails, else `null`. */
  readonly check?: (value: number | string) => string | null;
  /** The default applied when the flag is not given (absent: the program decides). */
  readonly default?: number | string | boolean;
  /** How the default reads in help and docs (`"random"`, `"now"`); default `default`. */
  readonly defaultText?: string;
  /** The flag must be given. */
  readonly required?: boolean;
  /** May be given several times (values are collected). */
  readonly multiple?: boolean;
  /** Help text: one short phrase, without the range and the default (added from the spec). */
  readonly help: string;
  /** Longer text for the docs' flag table; default `help`. */
  readonly doc?: string;
  /** Where the setting lives in a cluster file. */
  readonly scope: FlagScope;
  /** Heading it is listed under in `--help` (`"Options (original)"`). */
  readonly group?: string;
}

/**
 * The allowed values of a flag in words: the same text in `--help`, the docs and errors.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeRange } from "./flag_values.ts";
 * assert.equal(describeRange({ name: "rate", kind: "number", min: 0, above: true, max: 1e6, help: "", scope: "node" }), "a number > 0 and <= 1000000");
 * assert.equal(describeRange({ name: "die-sides", kind: "integer", min: 3, help: "", scope: "shared" }), "an integer >= 3");
 * assert.equal(describeRange({ name: "idle-timeout", kind: "integer", min: 1000, zero: "never", help: "", scope: "shared" }), "an integer >= 1000, or 0 for never");
 * ```
 */
export function describeRange(spec: FlagSpec): string {
  if (spec.range !== undefined) return spec.range;
  if (spec.kind === "string" || spec.kind === "boolean") return "";
  const lo = spec.min ?? 0, hi = spec.max;
  const what = spec.kind === "integer" ? "an integer" : "a number";
  let text: string;
  if (spec.above) text = hi === undefined ? `${what} > ${lo}` : `${what} > ${lo} and <= ${hi}`;
  else text = hi === undefined ? `${what} >= ${lo}` : `${what} ${lo}..${hi}`;
  return spec.zero === undefined ? text : `${text}, or 0 for ${spec.zero}`;
}

/**
 * How the default reads in help and docs (`""` when there is none to show).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeDefault } from "./flag_values.ts";
 * assert.equal(describeDefault({ name: "seed", kind: "integer", defaultText: "random", help: "", scope: "node" }), "random");
 * assert.equal(describeDefault({ name: "duration", kind: "number", default: 60, help: "", scope: "shared" }), "60");
 * ```
 */
export function describeDefault(spec: FlagSpec): string {
  if (spec.required) return "(required)";
  if (spec.defaultText !== undefined) return spec.defaultText;
  if (spec.default === undefined || typeof spec.default === "boolean") return "";
  return String(spec.default);
}

/** What a value placeholder stands for, in words. */
const WORDS: Record<string, string> = {
  PATH: "path",
  DIR: "directory",
  ADDR: "address",
  LIST: "list",
  SPEC: "spec",
};

/** How a value reads in an error: numbers as given, anything else quoted. */
function show(value: unknown): string {
  if (typeof value === "number") return String(value);
  const text = String(value);
  return /^-?\d+(\.\d+)?$/.test(text.trim()) ? text.trim() : JSON.stringify(text);
}

/**
 * Checks one value of `spec` from the command line (a string) or from a file (a JSON number,
 * string or boolean) and returns it typed; throws a {@linkcode UsageError}
 * `Cannot use <label> as it must be <range>: current value is <value>`. `label` defaults to
 * `--<name>`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { flagValue } from "./flag_values.ts";
 * const rate = { name: "rate", kind: "number", min: 0, above: true, max: 1e6, help: "", scope: "node" } as const;
 * assert.equal(flagValue(rate, "0.5"), 0.5);
 * assert.equal(flagValue(rate, 7), 7);
 * assert.throws(() => flagValue(rate, "0"), {
 *   message: "Cannot use --rate as it must be a number > 0 and <= 1000000: current value is 0",
 * });
 * assert.throws(() => flagValue(rate, 0, { label: '"rate" of node 2' }), /Cannot use "rate" of node 2 as/);
 * ```
 */
export function flagValue(
  spec: FlagSpec,
  input: string | number | boolean,
  options: { label?: string } = {},
): number | string | boolean {
  const label = options.label ?? `--${spec.name}`;
  const want = (wanted: string, value: unknown = input) =>
    new UsageError(`Cannot use ${label} as it must be ${wanted}: current value is ${show(value)}`);
  switch (spec.kind) {
    case "boolean":
      if (typeof input !== "boolean") throw want("true or false (a flag without a value)");
      return input;
    case "string": {
      if (input === "" && spec.empty !== undefined) return input;
      if (typeof input !== "string" || input.trim() === "") {
        throw want(spec.range || `a non-empty ${WORDS[spec.arg ?? ""] ?? "text"}`);
      }
      const problem = spec.check?.(input) ?? null;
      if (problem !== null) throw want(problem);
      return input;
    }
    default: {
      const value = toNumber(spec.kind, input);
      const lo = spec.min ?? 0, hi = spec.max ?? Infinity;
      const inRange = (spec.above ? value > lo : value >= lo) && value <= hi;
      if (!(Number.isFinite(value) && (inRange || (spec.zero !== undefined && value === 0)))) {
        throw want(describeRange(spec));
      }
      const problem = spec.check?.(value) ?? null;
      if (problem !== null) throw want(problem);
      return value;
    }
  }
}

/** A number from text (digits only for integers) or a JSON number; NaN when it is none. */
function toNumber(kind: "integer" | "number", input: string | number | boolean): number {
  if (typeof input === "boolean") return NaN;
  if (typeof input === "number") {
    return kind === "integer" && !Number.isSafeInteger(input) ? NaN : input;
  }
  const text = input.trim();
  if (kind === "integer") return /^\d+$/.test(text) ? safe(Number(text)) : NaN;
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : NaN;
}

function safe(n: number): number {
  return Number.isSafeInteger(n) ? n : NaN;
}

/**
 * A random 32-bit seed (for runs without `--seed`; the seed is logged so it can be repeated).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { randomSeed } from "./flag_values.ts";
 * const seed = randomSeed();
 * assert.ok(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32);
 * ```
 */
export function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0];
}
