/**
 * `--scenario name:flag=value,...` and `--sweep flag=a..b[:step]` of `experiment.ts`, turned
 * into scenarios whose cluster options come from `run_machine`'s own parser.
 *
 * @module
 */
import { errorMessage } from "../core/errors.ts";
import { type Scenario, scenarioDir } from "../experiment/plan.ts";
import { parseClusterArgs } from "./cluster_args.ts";
import { flagValue, UsageError } from "./flag_values.ts";
import { EXPERIMENT_FLAGS, SCENARIO_FLAGS } from "./experiment_flags.ts";

export { SCENARIO_FLAGS };

/** Flags only a simulation has (the real network sets its own delays). */
const SIMULATION_ONLY = ["delay-min", "delay-max"];

/** The assignment's scenarios, in report order (the first is the reference). */
export const DEFAULT_SCENARIOS: { name: string; flags: Record<string, string> }[] = [
  { name: "baseline", flags: {} },
  { name: "narrow-rates", flags: { "rate-min": "3", "rate-max": "4" } },
  { name: "fewer-internal", flags: { "die-sides": "4" } },
  { name: "both", flags: { "rate-min": "3", "rate-max": "4", "die-sides": "4" } },
];

/** A parsed `--scenario`. */
export interface ScenarioSpec {
  /** The text given. */
  text: string;
  /** Name. */
  name: string;
  /** Run flags it sets. */
  flags: Record<string, string>;
}

/** A parsed `--sweep`. */
export interface SweepSpec {
  /** The text given. */
  text: string;
  /** Flag swept. */
  flag: string;
  /** Its values. */
  values: number[];
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/;

/**
 * Parses `name`, `name:` or `name:flag=value,...`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseScenarioSpec } from "./experiment_scenarios.ts";
 * assert.deepEqual(parseScenarioSpec("slow:rate-min=1,rate-max=2").flags, {
 *   "rate-min": "1",
 *   "rate-max": "2",
 * });
 * ```
 */
export function parseScenarioSpec(text: string): ScenarioSpec {
  const bad = (why: string) =>
    new UsageError(`Cannot use --scenario ${JSON.stringify(text)}: ${why}`);
  const colon = text.indexOf(":");
  const name = colon < 0 ? text : text.slice(0, colon);
  const rest = colon < 0 ? "" : text.slice(colon + 1);
  if (!NAME.test(name)) {
    throw bad(
      `current name is ${JSON.stringify(name)} (want 1-40 letters, digits, ".", "-" or "_", ` +
        `then ":flag=value,...")`,
    );
  }
  const flags: Record<string, string> = {};
  for (const part of rest === "" ? [] : rest.split(",")) {
    const eq = part.indexOf("=");
    const flag = (eq < 0 ? part : part.slice(0, eq)).trim().replace(/^--/, "");
    const value = eq < 0 ? "" : part.slice(eq + 1).trim();
    if (!(SCENARIO_FLAGS as readonly string[]).includes(flag)) {
      throw bad(
        `current flag is ${JSON.stringify(flag)} (want one of ${SCENARIO_FLAGS.join(", ")})`,
      );
    }
    if (value === "") throw bad(`current value of ${flag} is missing (want ${flag}=value)`);
    if (flag in flags) throw bad(`current flags set ${flag} twice (want once)`);
    flags[flag] = value;
  }
  return { text, name, flags };
}

/**
 * Parses `flag=a..b` or `flag=a..b:step` (step default 1) into its values.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseSweepSpec } from "./experiment_scenarios.ts";
 * assert.deepEqual(parseSweepSpec("count=2..8:2").values, [2, 4, 6, 8]);
 * assert.deepEqual(parseSweepSpec("rate=0.5..1.5:0.5").values, [0.5, 1, 1.5]);
 * ```
 */
export function parseSweepSpec(text: string): SweepSpec {
  const bad = (why: string) => new UsageError(`Cannot use --sweep ${JSON.stringify(text)}: ${why}`);
  const m = /^([a-z-]+)=([^.:]+(?:\.\d+)?)\.\.([^:]+)(?::(.+))?$/.exec(text.trim());
  if (m === null) throw bad("current value is not flag=a..b[:step] (want e.g. count=2..32)");
  const [, flag, aText, bText, stepText] = m;
  if (!(SCENARIO_FLAGS as readonly string[]).includes(flag)) {
    throw bad(`current flag is ${JSON.stringify(flag)} (want one of ${SCENARIO_FLAGS.join(", ")})`);
  }
  const num = (what: string, t: string) => {
    const v = t.trim() === "" ? NaN : Number(t);
    if (!Number.isFinite(v)) throw bad(`current ${what} is ${JSON.stringify(t)} (want a number)`);
    return v;
  };
  const a = num("start", aText), b = num("end", bText);
  const step = stepText === undefined ? 1 : num("step", stepText);
  if (!(step > 0)) throw bad(`current step is ${step} (want > 0)`);
  if (b < a) throw bad(`current end ${b} is below the start ${a} (want a <= b)`);
  const n = Math.floor((b - a) / step + 1e-9) + 1;
  if (n > 1000) throw bad(`current range has ${n} values (want at most 1000)`);
  const values = Array.from({ length: n }, (_, i) => Math.round((a + i * step) * 1e9) / 1e9);
  return { text, flag, values };
}

/**
 * The experiment's scenarios: the given ones (else the assignment's four; with a sweep, the
 * baseline), each point of the sweep applied to each, all validated as `run_machine` flags.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildScenarios, parseSweepSpec } from "./experiment_scenarios.ts";
 * const s = buildScenarios({
 *   specs: [],
 *   sweep: parseSweepSpec("count=2..4"),
 *   defaults: { count: 3, duration: 60, basePort: 5001, real: false, jobs: 1 },
 * });
 * assert.deepEqual(s.map((x) => [x.name, x.options.count]), [["count=2", 2], ["count=3", 3], ["count=4", 4]]);
 * ```
 */
export function buildScenarios(o: {
  specs: ScenarioSpec[];
  sweep: SweepSpec | null;
  defaults: { count: number; duration: number; basePort: number; real: boolean; jobs: number };
}): Scenario[] {
  const given = o.specs.length > 0;
  const specs: ScenarioSpec[] = given
    ? o.specs
    : (o.sweep ? DEFAULT_SCENARIOS.slice(0, 1) : DEFAULT_SCENARIOS).map((s) => ({
      text: s.name,
      ...s,
    }));
  const names = new Set<string>();
  for (const s of specs) {
    if (names.has(s.name)) {
      throw new UsageError(
        `Cannot use --scenario ${JSON.stringify(s.text)}: current name ${
          JSON.stringify(s.name)
        } is used twice (want unique names)`,
      );
    }
    names.add(s.name);
    for (const f of Object.keys(s.flags)) {
      if (o.defaults.real && SIMULATION_ONLY.includes(f)) {
        throw new UsageError(
          `Cannot use --scenario ${JSON.stringify(s.text)} with --real: current flags set ` +
            `${f} (want none of ${SIMULATION_ONLY.join(", ")}: the real network sets the delays)`,
        );
      }
      if (o.sweep?.flag === f) {
        throw new UsageError(
          `Cannot use --sweep ${JSON.stringify(o.sweep.text)}: current scenario ${
            JSON.stringify(s.name)
          } sets ${f} too (want the swept flag left to the sweep)`,
        );
      }
    }
  }
  if (o.sweep && o.defaults.real && SIMULATION_ONLY.includes(o.sweep.flag)) {
    throw new UsageError(
      `Cannot use --sweep ${JSON.stringify(o.sweep.text)} with --real: current flag is ` +
        `${o.sweep.flag} (the real network sets the delays)`,
    );
  }
  const out: Scenario[] = [];
  for (const s of specs) {
    const points = o.sweep?.values ?? [null];
    for (const v of points) {
      const flags = v === null ? s.flags : { ...s.flags, [o.sweep!.flag]: String(v) };
      const point = v === null ? "" : `${o.sweep!.flag}=${v}`;
      const name = v === null ? s.name : specs.length > 1 ? `${s.name} ${point}` : point;
      out.push({
        name,
        dir: v === null
          ? scenarioDir(s.name)
          : `${specs.length > 1 ? `${scenarioDir(s.name)}/` : ""}${scenarioDir(point)}`,
        flags,
        options: clusterOptions(
          flags,
          o.defaults,
          () =>
            v === null
              ? `Cannot use --scenario ${JSON.stringify(s.text)}`
              : `Cannot use --sweep ${JSON.stringify(o.sweep!.text)} at ${point}` +
                (given ? ` of scenario ${JSON.stringify(s.name)}` : ""),
        ),
        sweepValue: v,
        sweepBase: v === null ? null : s.name,
      });
    }
  }
  const maxCount = Math.max(...out.map((s) => s.options.count));
  const lastPort = o.defaults.basePort + o.defaults.jobs * maxCount - 1;
  if (o.defaults.real && lastPort > 65535) {
    throw new UsageError(
      `Cannot use --base-port ${o.defaults.basePort} with --jobs ${o.defaults.jobs}: current ` +
        `last port would be ${lastPort} (${o.defaults.jobs} clusters of up to ${maxCount} ` +
        `nodes; want <= 65535)`,
    );
  }
  return out;
}

/** Cluster options of one scenario, parsed by run_machine's parser. */
function clusterOptions(
  flags: Record<string, string>,
  d: { count: number; duration: number; basePort: number; real: boolean },
  context: () => string,
) {
  const merged: Record<string, string> = {
    count: String(d.count),
    duration: String(d.duration),
    "base-port": String(d.basePort),
    seed: "0",
    ...flags,
  };
  const args = Object.entries(merged).flatMap(([k, v]) => [`--${k}`, v]);
  args.push("--quiet");
  if (!d.real) args.push("--simulate");
  try {
    const options = parseClusterArgs(args);
    // An experiment's own limits on the run flags (at most 100 machines, a duration > 0).
    for (const spec of EXPERIMENT_FLAGS.flags) {
      if (spec.name === "count") flagValue(spec, options.count);
      if (spec.name === "duration") flagValue(spec, options.duration);
    }
    return options;
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    const why = errorMessage(err);
    throw new UsageError(`${context()}: ${why.charAt(0).toLowerCase()}${why.slice(1)}`, {
      cause: err,
    });
  }
}
