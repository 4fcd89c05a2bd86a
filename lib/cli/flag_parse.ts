/**
 * Reading a command line against a flag table: every problem is one {@linkcode UsageError}
 * line naming the flag (an unknown flag with the closest known one, a missing value, a value
 * for a flag that takes none, a stray argument), and values are checked with
 * {@linkcode flagValue} on first use.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { describeRange, type FlagSpec, flagValue, UsageError } from "./flag_values.ts";

/** The flags of one program. */
export interface FlagTable<N extends string = string> {
  /** Program name used in messages (`"machine.ts"`). */
  readonly program: string;
  /** Its flags, in help order. */
  readonly flags: readonly (FlagSpec & { readonly name: N })[];
  /** A flag given twice is an error (else the last one counts, as `deno task` presets need). */
  readonly once?: boolean;
  /** What the program takes besides flags (`"LOGS..."`), if anything; else a stray argument is an error. */
  readonly positionals?: string;
}

/**
 * The flags of a command line, read against their table. Values are checked when read, so
 * a program reads each flag once, in the order its checks should run.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseFlags } from "./flag_parse.ts";
 * const table = {
 *   program: "demo.ts",
 *   flags: [
 *     { name: "count", kind: "integer", min: 1, max: 9, default: 3, help: "nodes", scope: "cli" },
 *     { name: "quiet", kind: "boolean", help: "no output", scope: "cli" },
 *   ],
 * } as const;
 * const flags = parseFlags(table, ["--count", "4"]);
 * assert.equal(flags.number("count"), 4);
 * assert.equal(flags.boolean("quiet"), false);
 * assert.throws(() => parseFlags(table, ["--cont", "4"]), {
 *   message: "Cannot use --cont: it is not a flag of demo.ts (did you mean --count?)",
 * });
 * ```
 */
export class FlagValues<N extends string> {
  #table: FlagTable<N>;
  #raw: Map<string, string[]>;
  #positionals: string[];

  /** Use {@linkcode parseFlags}. */
  constructor(table: FlagTable<N>, raw: Map<string, string[]>, positionals: string[] = []) {
    this.#table = table;
    this.#raw = raw;
    this.#positionals = positionals;
  }

  /** The arguments that are not flags, in order (only when the table takes them). */
  get positionals(): readonly string[] {
    return this.#positionals;
  }

  /** The spec of `name`. */
  spec(name: N): FlagSpec {
    return this.#table.flags.find((f) => f.name === name)!;
  }

  /** Whether the flag was given. */
  given(name: N): boolean {
    return this.#raw.has(name);
  }

  /** The text given (the last one), unchecked. */
  text(name: N): string | undefined {
    return this.#raw.get(name)?.at(-1);
  }

  /** Every text given, unchecked (flags that may repeat). */
  texts(name: N): string[] {
    return this.#raw.get(name) ?? [];
  }

  /** A checked number: the value given, else the default, else `undefined`. */
  number(name: N): number | undefined {
    const spec = this.spec(name);
    const text = this.text(name);
    if (text !== undefined) return flagValue(spec, text) as number;
    return typeof spec.default === "number" ? spec.default : undefined;
  }

  /** A checked string: the value given, else the default, else `undefined`. */
  string(name: N): string | undefined {
    const spec = this.spec(name);
    const text = this.text(name);
    if (text !== undefined) return flagValue(spec, text) as string;
    return typeof spec.default === "string" ? spec.default : undefined;
  }

  /** Whether a boolean flag was given. */
  boolean(name: N): boolean {
    return this.given(name);
  }

  /** Throws when a required flag is missing. */
  requireAll(): void {
    for (const f of this.#table.flags) {
      if (f.required && !this.given(f.name)) {
        const range = describeRange(f);
        throw new UsageError(
          `Cannot start ${this.#table.program} as --${f.name} is required (${f.help}` +
            `${range === "" ? "" : `, ${range}`}): current value is missing`,
        );
      }
    }
  }
}

/**
 * Reads `args` against `table`; throws a {@linkcode UsageError} (one line) for an unknown
 * flag, a missing value, a value given to a flag that takes none, a stray argument, or (with
 * `table.once`) a flag given twice.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseFlags } from "./flag_parse.ts";
 * const table = {
 *   program: "demo.ts",
 *   flags: [{ name: "duration", kind: "number", default: 60, help: "seconds", scope: "shared" }],
 * } as const;
 * assert.throws(() => parseFlags(table, ["--duration", "-1"]).number("duration"), {
 *   message: "Cannot use --duration as it must be a number >= 0: current value is -1",
 * });
 * assert.throws(() => parseFlags(table, ["--duration"]), /its value is missing/);
 * ```
 */
export function parseFlags<N extends string>(table: FlagTable<N>, args: string[]): FlagValues<N> {
  const byName = new Map<string, FlagSpec>();
  for (const f of table.flags) {
    byName.set(f.name, f);
    for (const a of f.aliases ?? []) byName.set(a, f);
  }
  const options = Object.fromEntries(
    table.flags.map((f) => [f.name, {
      type: f.kind === "boolean" ? "boolean" as const : "string" as const,
      ...(f.short === undefined ? {} : { short: f.short }),
    }]),
  );
  for (const f of table.flags) {
    for (const a of f.aliases ?? []) options[a] = { type: options[f.name].type };
  }
  const { tokens } = parseArgs({
    args,
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const raw = new Map<string, string[]>();
  const rawName = new Map<string, string>();
  const positionals: string[] = [];
  for (const t of tokens) {
    if (t.kind === "option-terminator") continue;
    if (t.kind === "positional") {
      if (table.positionals !== undefined) {
        positionals.push(t.value);
        continue;
      }
      throw new UsageError(
        `Cannot use argument ${JSON.stringify(t.value)}: ${table.program} takes flags only ` +
          `(want --name value)`,
      );
    }
    const spec = byName.get(t.name);
    if (spec === undefined) throw unknownFlag(table, t.rawName);
    if (spec.kind === "boolean") {
      if (t.value !== undefined) {
        throw new UsageError(
          `Cannot use ${t.rawName}=${t.value}: --${spec.name} takes no value (want --${spec.name})`,
        );
      }
    } else if (t.value === undefined || (!t.inlineValue && isFlagLike(t.value, table))) {
      throw new UsageError(
        `Cannot use ${t.rawName}: its value is missing (want ${t.rawName} ${spec.arg ?? "VALUE"})`,
      );
    }
    const before = rawName.get(spec.name);
    if (before !== undefined && table.once && !spec.multiple) {
      throw new UsageError(
        `Cannot use --${spec.name} twice: current value is given twice (want it once)`,
      );
    }
    if (before !== undefined && before !== t.rawName && !spec.multiple) {
      const texts = [raw.get(spec.name)!.at(-1), t.value ?? ""];
      if (texts[0] !== texts[1]) {
        throw new UsageError(
          `Cannot use both ${before} and ${t.rawName}: current values are ${
            texts.map((v) => JSON.stringify(v)).join(" and ")
          } (want one of them)`,
        );
      }
    }
    rawName.set(spec.name, t.rawName);
    const list = spec.multiple ? raw.get(spec.name) ?? [] : [];
    list.push(t.value ?? "");
    raw.set(spec.name, list);
  }
  return new FlagValues(table, raw, positionals);
}

/**
 * The values of a low/high pair of flags (`--rate-min`/`--rate-max`); throws when high < low.
 * The one check of such pairs, for every program.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { orderedPair, parseFlags } from "./flag_parse.ts";
 * import { MACHINE_FLAGS } from "./flags.ts";
 * const flags = parseFlags(MACHINE_FLAGS, ["--rate-min", "4", "--rate-max", "2"]);
 * assert.throws(() => orderedPair(flags, "rate-min", "rate-max"), {
 *   message: "Cannot use --rate-max as it must be >= --rate-min (4): current value is 2",
 * });
 * ```
 */
export function orderedPair<N extends string>(
  flags: FlagValues<N>,
  low: N,
  high: N,
): [number, number] {
  const a = flags.number(low)!, b = flags.number(high)!;
  if (b < a) {
    throw new UsageError(
      `Cannot use --${high} as it must be >= --${low} (${a}): current value is ${b}`,
    );
  }
  return [a, b];
}

/** A value that is really the next flag: any `--name` (`--log` after `--peers`), or `-h`. */
function isFlagLike(value: string, table: FlagTable): boolean {
  return value.startsWith("--") || table.flags.some((f) => f.short && value === `-${f.short}`);
}

function unknownFlag(table: FlagTable, rawName: string): UsageError {
  const near = closestFlag(table, rawName.replace(/^-+/, ""));
  return new UsageError(
    `Cannot use ${rawName}: it is not a flag of ${table.program}` +
      (near === null ? "" : ` (did you mean --${near}?)`),
  );
}

/**
 * The known flag closest to `name` (edit distance at most a third of its length, at least 2;
 * or one that starts with it), or `null`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { closestFlag } from "./flag_parse.ts";
 * const table = { program: "x", flags: [
 *   { name: "rate-min", kind: "integer", help: "", scope: "shared" },
 *   { name: "logs-dir", kind: "string", help: "", scope: "cli" },
 * ] } as const;
 * assert.equal(closestFlag(table, "ratemin"), "rate-min");
 * assert.equal(closestFlag(table, "logs"), "logs-dir");
 * assert.equal(closestFlag(table, "zzz"), null);
 * ```
 */
export function closestFlag(table: FlagTable, name: string): string | null {
  const lower = name.toLowerCase().replaceAll("_", "-");
  let best: string | null = null, bestDistance = Infinity;
  for (const f of table.flags) {
    if (f.name.startsWith(lower) && lower.length >= 3) return f.name;
    const d = distance(lower, f.name);
    if (d < bestDistance) (best = f.name, bestDistance = d);
  }
  return bestDistance <= Math.max(2, Math.floor(lower.length / 3)) ? best : null;
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}
