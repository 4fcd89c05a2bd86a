/**
 * How to start a node (and the analyzer) as a child process: `deno run` with explicit
 * least-privilege flags on the project's `machine.ts`, or — when `run_machine` itself is a
 * `deno compile`d binary — the compiled `machine` binary beside it.
 *
 * @module
 */
import { formatPeerEntry } from "../core/peers.ts";
import type { NodePlan } from "./plan.ts";

/** A program and its leading arguments. */
export interface Program {
  /** Executable path. */
  exec: string;
  /** Arguments before the program's own flags. */
  args: string[];
}

/** Where the deno executable or the compiled binaries are. */
export interface Launcher {
  /** `"deno"`: run the `.ts` scripts; `"compiled"`: run the binaries beside `execPath`. */
  mode: "deno" | "compiled";
  /** `Deno.execPath()`: the deno binary, or the compiled `run_machine`. */
  execPath: string;
}

const SCRIPT_DIR = new URL("../../", import.meta.url);

/**
 * Detects how this process runs: a compiled binary's `execPath` is the binary itself (not
 * named `deno`). Under deno, nodes are started with `Deno.execPath()`, or with `deno` from
 * PATH when only `--allow-run=deno` was granted.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { detectLauncher } from "./command.ts";
 * assert.equal(detectLauncher({ execPath: "/usr/bin/deno" }).mode, "deno");
 * assert.equal(detectLauncher({ execPath: "/opt/lab/run_machine" }).mode, "compiled");
 * ```
 */
export function detectLauncher(options: { execPath?: string } = {}): Launcher {
  const execPath = options.execPath ?? Deno.execPath();
  const name = execPath.split(/[\\/]/).pop()!.toLowerCase();
  const mode = name === "deno" || name === "deno.exe" ? "deno" : "compiled";
  if (mode === "deno" && options.execPath === undefined && !runAllowed(execPath)) {
    // `--allow-run=deno` names the deno on PATH, which the permission check does not match
    // with the resolved execPath (e.g. behind a symlink): run that same `deno` by name.
    if (runAllowed("deno")) return { mode, execPath: "deno" };
  }
  return { mode, execPath };
}

function runAllowed(command: string): boolean {
  return Deno.permissions.querySync({ name: "run", command }).state === "granted";
}

function sibling(launcher: Launcher, name: string): string {
  const dir = launcher.execPath.replace(/[\\/][^\\/]*$/, "");
  return `${dir}/${name}${Deno.build.os === "windows" ? ".exe" : ""}`;
}

function script(name: string): string {
  const url = new URL(name, SCRIPT_DIR);
  return decodeURIComponent(url.pathname);
}

/**
 * The node program for one planned node: net limited to the listen and peer hosts, read and
 * write limited to the log directory.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { machineProgram } from "./command.ts";
 * const p = machineProgram({ mode: "deno", execPath: "/usr/bin/deno" }, {
 *   dir: "logs/run_x", hosts: ["127.0.0.1"],
 * });
 * assert.deepEqual(p.args.slice(0, 4), ["run", "--no-prompt", "--allow-net=127.0.0.1", "--allow-read=logs/run_x"]);
 * ```
 */
export function machineProgram(
  launcher: Launcher,
  options: { dir: string; hosts: string[]; read?: string[] },
): Program {
  if (launcher.mode === "compiled") return { exec: sibling(launcher, "machine"), args: [] };
  return {
    exec: launcher.execPath,
    args: [
      "run",
      "--no-prompt",
      `--allow-net=${[...new Set(options.hosts)].map(netHost).join(",")}`,
      `--allow-read=${[options.dir, ...options.read ?? []].join(",")}`,
      `--allow-write=${options.dir}`,
      script("machine.ts"),
    ],
  };
}

/**
 * Flags `analyze_logs.ts` runs with on a run directory (as the `analyze` task, writing only
 * into that directory).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyzeFlags } from "./command.ts";
 * assert.equal(analyzeFlags("logs/r")[1], "--allow-write=logs/r");
 * ```
 */
export function analyzeFlags(dir: string): string[] {
  return [
    "--allow-read",
    `--allow-write=${dir}`,
    "--allow-ffi",
    "--allow-sys=cpus,networkInterfaces,hostname",
  ];
}

/**
 * The analyzer program for a run directory.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyzeProgram } from "./command.ts";
 * assert.deepEqual(analyzeProgram({ mode: "compiled", execPath: "/opt/lab/run_machine" }, "logs/r"), {
 *   exec: "/opt/lab/analyze_logs",
 *   args: ["logs/r"],
 * });
 * ```
 */
export function analyzeProgram(launcher: Launcher, dir: string): Program {
  if (launcher.mode === "compiled") return { exec: sibling(launcher, "analyze_logs"), args: [dir] };
  return {
    exec: launcher.execPath,
    args: ["run", "--no-prompt", ...analyzeFlags(dir), script("analyze_logs.ts"), dir],
  };
}

/**
 * The shell command a user types to analyze a run directory (shown in the end report): in
 * the project directory, for a run directory inside it, `deno task analyze <dir>`; else the
 * whole `deno run` line (the `analyze` task may write inside the project only).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyzeCommandLine } from "./command.ts";
 * const deno = { mode: "deno", execPath: "/usr/bin/deno" } as const;
 * assert.equal(analyzeCommandLine(deno, "logs/r", { cwd: "/lab", root: "/lab" }), "deno task analyze logs/r");
 * assert.match(analyzeCommandLine(deno, "/tmp/r", { cwd: "/lab", root: "/lab" }), /^deno run --allow-read --allow-write=\/tmp\/r .* analyze_logs\.ts \/tmp\/r$/);
 * assert.equal(
 *   analyzeCommandLine({ mode: "compiled", execPath: "/opt/lab/run_machine" }, "logs/r"),
 *   "/opt/lab/analyze_logs logs/r",
 * );
 * ```
 */
export function analyzeCommandLine(
  launcher: Launcher,
  dir: string,
  options: { cwd?: string; root?: string } = {},
): string {
  if (launcher.mode === "compiled") {
    return [sibling(launcher, "analyze_logs"), dir].map(quote).join(" ");
  }
  const cwd = options.cwd ?? Deno.cwd();
  const root = (options.root ?? script("")).replace(/\/+$/, "");
  if (cwd === root && !dir.startsWith("/") && !/(^|\/)\.\.(\/|$)/.test(dir)) {
    return ["deno", "task", "analyze", dir].map(quote).join(" ");
  }
  const path = relativeTo(cwd, `${root}/analyze_logs.ts`);
  return ["deno", "run", ...analyzeFlags(dir), path, dir].map(quote).join(" ");
}

/**
 * Why this process may not keep a run's logs in `dir` (its permissions do not cover it), with
 * the command that would, ready to copy; `null` when it may. `args` are the run's own flags.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { logsDirProblem } from "./command.ts";
 * const problem = logsDirProblem("/tmp/x", {
 *   launcher: { mode: "deno", execPath: "/usr/bin/deno" },
 *   args: ["--logs-dir", "/tmp/x", "--count", "4"],
 *   granted: () => false,
 *   cwd: "/lab",
 *   root: "/lab",
 * });
 * assert.equal(
 *   problem,
 *   'Cannot keep the logs in "/tmp/x" as this process may not read and write there (deno ' +
 *     "task run allows logs/ only): run instead\n  deno run --allow-run=deno --allow-read=logs,/tmp/x " +
 *     "--allow-write=logs,/tmp/x run_machine.ts --logs-dir /tmp/x --count 4",
 * );
 * ```
 */
export function logsDirProblem(
  dir: string,
  options: {
    launcher: Launcher;
    args: string[];
    granted?: (name: "read" | "write", path: string) => boolean;
    cwd?: string;
    root?: string;
  },
): string | null {
  const granted = options.granted ??
    ((name, path) => Deno.permissions.querySync({ name, path }).state === "granted");
  if (granted("read", dir) && granted("write", dir)) return null;
  const head = `Cannot keep the logs in ${JSON.stringify(dir)} as this process may not read ` +
    `and write there`;
  if (options.launcher.mode === "compiled") {
    return `${head} (deno task compile allows logs/ only): give --logs-dir logs/<name>`;
  }
  const root = (options.root ?? script("")).replace(/\/+$/, "");
  const path = relativeTo(options.cwd ?? Deno.cwd(), `${root}/run_machine.ts`);
  const command = [
    "deno",
    "run",
    "--allow-run=deno",
    `--allow-read=logs,${dir}`,
    `--allow-write=logs,${dir}`,
    path,
    ...options.args,
  ].map(quote).join(" ");
  return `${head} (deno task run allows logs/ only): run instead\n  ${command}`;
}

/** `path` relative to `dir` when it is inside it, else `path` as is. */
function relativeTo(dir: string, path: string): string {
  const prefix = dir.replace(/\/+$/, "") + "/";
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

/**
 * The node's own flags for a planned node (model options passed through).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nodeArgs } from "./command.ts";
 * const args = nodeArgs({ id: 1, port: 5001, peers: [], log: "l/machine_1.log", seed: 9 }, {
 *   duration: 2, bind: "127.0.0.1", rateRange: [1, 6], dieSides: 10,
 * });
 * assert.deepEqual(args.slice(0, 4), ["--id", "1", "--port", "5001"]);
 * ```
 */
export function nodeArgs(
  node: NodePlan,
  model: {
    duration: number;
    bind: string;
    rate?: number;
    rateRange: [number, number];
    dieSides: number;
    /** The run's secret file (see `run_secret.ts`); the node authenticates its links. */
    secretFile?: string | null;
    /** The node's `--drain-ms` (default the node's own, 300 ms). */
    drainMs?: number;
  },
): string[] {
  const secret = model.secretFile == null ? [] : ["--secret-file", model.secretFile];
  const control = ["--control", "--hold-links"];
  if (node.args !== undefined) return [...node.args, "--log", node.log, ...secret, ...control];
  return [
    "--id",
    String(node.id),
    "--port",
    String(node.port),
    "--peers",
    node.peers.map(formatPeerEntry).join(","),
    "--log",
    node.log,
    "--duration",
    String(model.duration),
    "--bind",
    model.bind,
    "--seed",
    String(node.seed),
    ...(model.rate === undefined ? [] : ["--rate", String(model.rate)]),
    "--rate-min",
    String(model.rateRange[0]),
    "--rate-max",
    String(model.rateRange[1]),
    "--die-sides",
    String(model.dieSides),
    ...(model.drainMs === undefined ? [] : ["--drain-ms", String(model.drainMs)]),
    ...secret,
    ...control,
  ];
}

function netHost(host: string): string {
  return host.includes(":") ? `[${host.replace(/^\[|\]$/g, "")}]` : host;
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}
