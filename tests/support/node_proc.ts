/**
 * Test support: a real node (`machine.ts`) as a subprocess, with its peak RSS sampled from
 * /proc, and checks of its log: ticks done, clock moved only by valid messages, END last.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { LogEvent } from "../../lib/core/log_schema.ts";
import { readLog } from "./log_check.ts";
import { freePorts } from "./ports.ts";

const MACHINE = new URL("../../machine.ts", import.meta.url).pathname;

/** How to start a node. */
export interface NodeSpec {
  /** Log directory (the node may write only there). */
  dir: string;
  /** Machine id; default 1. */
  id?: number;
  /** Port; default a free one. */
  port?: number;
  /** Listen address; default 127.0.0.1. */
  bind?: string;
  /** `--peers` value; default none. */
  peers?: string;
  /** Ticks/s; default 100. */
  rate?: number;
  /** Seconds; default 2. */
  duration?: number;
  /** More flags. */
  args?: string[];
  /** `ulimit -n` for the node process. */
  ulimit?: number;
  /** Run inside this network namespace (`ip netns exec`). */
  netns?: string;
  /** Environment additions (e.g. LAMPORT_SECRET). */
  env?: Record<string, string>;
  /** Hosts the node may reach; default 127.0.0.1 and the bind address. */
  netHosts?: string[];
  /**
   * Measure the peak RSS (with /usr/bin/time, else by sampling /proc from a shell loop);
   * default true. Off when the test signals the node's pid itself.
   */
  rss?: boolean;
}

/** What a node did, after it exited. */
export interface NodeResult {
  /** Exit code. */
  code: number;
  /** Its stderr. */
  stderr: string;
  /** Its log. */
  events: LogEvent[];
  /** SEND + RECEIVE + INTERNAL events. */
  ticks: number;
  /** rate × duration. */
  expectedTicks: number;
  /** Peak resident set size in MB (0 when not measured). */
  rssPeakMb: number;
}

/** A running node subprocess. */
export interface NodeProc {
  /** Process id. */
  pid: number;
  /** Its port. */
  port: number;
  /** Its log path. */
  log: string;
  /** The child process. */
  child: Deno.ChildProcess;
  /** Waits for the exit; returns what it did. */
  finish(): Promise<NodeResult>;
  /** Kills it now (SIGKILL) if it runs. */
  kill(): void;
}

/** Starts a node and waits until its log has STARTUP. */
export async function spawnNode(spec: NodeSpec): Promise<NodeProc> {
  const port = spec.port ?? freePorts(1)[0];
  const id = spec.id ?? 1;
  const rate = spec.rate ?? 100;
  const duration = spec.duration ?? 2;
  const log = `${spec.dir}/machine_${id}.log`;
  const bind = spec.bind ?? "127.0.0.1";
  const hosts = spec.netHosts ?? [...new Set(["127.0.0.1", bind])];
  const deno = [
    "run",
    `--allow-net=${hosts.join(",")}`,
    `--allow-read=${spec.dir}`,
    `--allow-write=${spec.dir}`,
    ...(spec.env?.LAMPORT_SECRET ? ["--allow-env=LAMPORT_SECRET"] : []),
    MACHINE,
    ...["--id", String(id), "--port", String(port), "--bind", bind, "--log", log],
    ...["--rate", String(rate), "--duration", String(duration), "--seed", String(id)],
    ...(spec.peers ? ["--peers", spec.peers] : []),
    "--quiet", // stderr holds problems only (the status lines are tested in machine_cli_test)
    ...(spec.args ?? []),
  ];
  let exec = Deno.execPath();
  let args = deno;
  const rssFile = `${spec.dir}/rss_${id}.txt`;
  const measure = spec.rss ?? true;
  const timeCmd = measure && exists("/usr/bin/time");
  if (timeCmd) {
    args = ["-o", rssFile, "-f", "%M", exec, ...args];
    exec = "/usr/bin/time";
  }
  if (spec.ulimit !== undefined) {
    args = ["-c", `ulimit -n ${spec.ulimit} && exec "$0" "$@"`, exec, ...args];
    exec = "/bin/sh";
  }
  if (spec.netns !== undefined) {
    args = ["netns", "exec", spec.netns, exec, ...args];
    exec = "ip";
  }
  const child = new Deno.Command(exec, {
    args,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
    env: spec.env,
  }).spawn();
  // Without /usr/bin/time: a shell samples the high-water mark (VmHWM) of the node.
  const sampler = measure && !timeCmd
    ? new Deno.Command("/bin/sh", {
      args: [
        "-c",
        `while kill -0 ${child.pid} 2>/dev/null; do ` +
        `grep -h VmHWM /proc/${child.pid}/status /proc/$(pgrep -P ${child.pid} | head -1)/status ` +
        `2>/dev/null; sleep 0.2; done`,
      ],
      stdout: "piped",
      stderr: "null",
    }).output()
    : null;
  const output = child.output();
  const exited = output.then(() => {});
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      if (Deno.readTextFileSync(log).includes('"STARTUP"')) break;
    } catch { /* not created yet */ }
    const done = await Promise.race([exited.then(() => true), sleep(20).then(() => false)]);
    if (done || Date.now() > deadline) {
      const out = await output;
      await sampler;
      throw new Error(
        `Cannot start node ${id}: ${new TextDecoder().decode(out.stderr)} (exit ${out.code})`,
      );
    }
  }
  return {
    pid: child.pid,
    port,
    log,
    child,
    kill() {
      try {
        child.kill("SIGKILL");
      } catch { /* exited */ }
    },
    async finish() {
      const out = await output;
      let peakKb = 0;
      if (timeCmd) peakKb = Number(/(\d+)\s*$/.exec(Deno.readTextFileSync(rssFile))?.[1] ?? 0);
      else if (sampler) {
        const text = new TextDecoder().decode((await sampler).stdout);
        for (const m of text.matchAll(/VmHWM:\s+(\d+) kB/g)) {
          peakKb = Math.max(peakKb, Number(m[1]));
        }
      }
      const events = readLog(log);
      return {
        code: out.code,
        stderr: new TextDecoder().decode(out.stderr),
        events,
        ticks: events.filter((e) => ["SEND", "RECEIVE", "INTERNAL"].includes(e.event)).length,
        expectedTicks: Math.round(rate * duration),
        rssPeakMb: Math.round(peakKb / 102.4) / 10,
      };
    },
  };
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Prints one `figure:` line (the numbers quoted in RELIABILITY.md). */
export function figure(text: string): void {
  console.log(`figure: ${text}`);
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Checks the clock of a node's log: every tick event continues from the previous clock, an
 * INTERNAL or SEND adds 1, a RECEIVE gives max(local, msg) + 1 and carries a message the test
 * sent validly (`"from/seq/clock"`, `"null/null/clock"` for bare integers). Returns problems.
 */
export function clockProblems(events: LogEvent[], valid: Set<string>): string[] {
  const problems: string[] = [];
  let clock = 0;
  for (const e of events) {
    if (e.event !== "SEND" && e.event !== "RECEIVE" && e.event !== "INTERNAL") continue;
    if (e.old_clock !== clock) problems.push(`${e.event} starts at ${e.old_clock}, not ${clock}`);
    const want = e.event === "RECEIVE" ? Math.max(e.old_clock, e.msg_clock) + 1 : e.old_clock + 1;
    if (e.new_clock !== want) problems.push(`${e.event} ends at ${e.new_clock}, not ${want}`);
    if (e.event === "RECEIVE" && !valid.has(`${e.from}/${e.seq}/${e.msg_clock}`)) {
      problems.push(`RECEIVE of a message never validly sent: ${e.from}/${e.seq}/${e.msg_clock}`);
    }
    clock = e.new_clock;
  }
  return problems;
}

/** The standard assertions of a hostile-input case; returns a one-line figure. */
export function assertSurvived(
  name: string,
  r: NodeResult,
  options: { valid?: Set<string>; rssMb?: number } = {},
): string {
  const rssMb = options.rssMb ?? RSS_BOUND_MB;
  assert.equal(r.code, 0, `${name}: exit ${r.code}: ${r.stderr}`);
  const end = r.events.at(-1)!;
  assert.equal(end.event, "END", `${name}: last line ${JSON.stringify(end)}`);
  assert.equal(end.event === "END" && end.reason, "completed");
  const share = r.ticks / r.expectedTicks;
  assert.ok(share >= 0.99, `${name}: ${r.ticks} of ${r.expectedTicks} ticks`);
  assert.deepEqual(clockProblems(r.events, options.valid ?? new Set()), [], name);
  assert.ok(r.rssPeakMb > 10 && r.rssPeakMb < rssMb, `${name}: RSS peak ${r.rssPeakMb} MB`);
  return `${name}: ${r.ticks}/${r.expectedTicks} ticks (${
    (share * 100).toFixed(1)
  }%, p99 lateness ${lateness(r.events, 0.99)} ms), RSS peak ${r.rssPeakMb} MB, END ${
    end.event === "END" && end.reason
  }`;
}

/**
 * The `q` quantile of how late ticks ran (ms after tick k was due at first tick + k / rate;
 * reported, not asserted: the schedule catches up, so late ticks are never lost).
 */
export function lateness(events: LogEvent[], q: number): number {
  const rate = only(events, "STARTUP")[0]?.clock_rate ?? 1;
  const ticks = events.filter((e) => ["SEND", "RECEIVE", "INTERNAL"].includes(e.event));
  if (ticks.length === 0) return 0;
  const t0 = ticks[0].system_time;
  const late = ticks.map((e, k) => Math.max(0, (e.system_time - t0) * 1000 - (k * 1000) / rate))
    .sort((a, b) => a - b);
  return Math.round(late[Math.min(late.length - 1, Math.floor(q * late.length))]);
}

/** The RSS bound every hostile case must stay under (a node idles at about 50 MB). */
export const RSS_BOUND_MB = 150;

/** Events of one kind. */
export function only<E extends LogEvent["event"]>(
  events: LogEvent[],
  event: E,
): Extract<LogEvent, { event: E }>[] {
  return events.filter((e): e is Extract<LogEvent, { event: E }> => e.event === event);
}

/** `from/seq/clock` of every message `sender` sent to `to` (the `valid` set of {@linkcode clockProblems}). */
export function sentTo(sender: NodeResult, to: number): Set<string> {
  return new Set(
    only(sender.events, "SEND").filter((e) => e.to.includes(to)).map((e) =>
      `${e.machine_id}/${e.seq}/${e.new_clock}`
    ),
  );
}
