/**
 * A real local cluster: spawns the nodes, holds them at a start barrier until every node
 * listens and is linked to all its peers, starts them at one common instant, shows progress,
 * and ends when they end (or stops them on a signal, a failed node or the deadline).
 *
 * @module
 */
import { detectLauncher, type Launcher, machineProgram, nodeArgs } from "./command.ts";
import { NodeProcess } from "./node_process.ts";
import type { ClusterOptions } from "./options.ts";
import { connectHost, planNodes } from "./plan.ts";
import { ProgressDisplay } from "./progress.ts";
import { Supervisor } from "./shutdown.ts";
import { SignalGate } from "./signal_gate.ts";
import { createRunSecret, removeRunSecret } from "./run_secret.ts";
import { errorMessage } from "../core/errors.ts";
import { osReason } from "../io/os_error.ts";
import { onStopSignals } from "../io/stop_signals.ts";
import { finishMarginMs, nodeDrainMs, startTimeoutMs } from "./timing.ts";

/** How one node ended. */
export interface NodeOutcome {
  /** Machine id. */
  id: number;
  /** TCP port the node listens on. */
  port: number;
  /** Log file path. */
  log: string;
  /** Final clock from the node's `done` line (null when it never got there). */
  finalClock: number | null;
  /** Whether it was given the common start (else it never ticked). */
  started: boolean;
  /** Its clock rate (ticks/s), when it reported one. */
  rate: number | null;
  /** Exit code (null when killed by a signal). */
  code: number | null;
  /** Signal that ended the process, if one did. */
  signal: string | null;
  /** How it failed, when it did. */
  error: string | null;
}

/** Result of {@linkcode runCluster}. */
export interface ClusterResult {
  /** Directory of the run's logs. */
  dir: string;
  /** Every node ran, wrote END and exited 0, and nothing interrupted the run. */
  ok: boolean;
  /** Why the run did not complete, when it did not. */
  error: string | null;
  /** Signal that interrupted the run, if any. */
  interrupted: Deno.Signal | null;
  /** The common start instant (ms since the Unix epoch); null when the barrier failed. */
  startAt: number | null;
  /** ms from spawning the first node to the start instant. */
  startupMs: number | null;
  /** How each node ended, in node order. */
  nodes: NodeOutcome[];
}

/** Options of {@linkcode runCluster} besides the cluster's own. */
export interface RunIo {
  /** Run directory (exists). */
  dir: string;
  /** How to start nodes; default detected from `Deno.execPath()`. */
  launcher?: Launcher;
  /** Progress display: "tty", "plain" or "none"; default by `Deno.stdout.isTerminal()`. */
  progress?: "tty" | "plain" | "none";
  /**
   * Stop the nodes on SIGINT/SIGTERM; default true. The first signal stops them gracefully
   * (END in every log); the same signal again within 1 s counts once (`deno task` forwards a
   * terminal's Ctrl-C, so it arrives twice); a later one kills the nodes still running.
   */
  handleSignals?: boolean;
  /** Where notices about signals go (default stderr). */
  notice?: (message: string) => void;
  /**
   * Give up when the nodes are not all linked after this long (ms); default
   * {@linkcode startTimeoutMs} of the number of nodes.
   */
  startupTimeoutMs?: number;
  /** Plain progress interval (ms); default 2000. */
  progressMs?: number;
}

/**
 * Runs `options.count` nodes as child processes until they finish.
 *
 * @example
 * ```ts ignore
 * import { runCluster } from "./run.ts";
 * import { parseClusterArgs } from "../cli/cluster_args.ts";
 * import assert from "node:assert/strict";
 * const result = await runCluster(parseClusterArgs(["--duration", "2"]), { dir: "/tmp/run" });
 * assert.equal(result.ok, true);
 * ```
 */
export async function runCluster(options: ClusterOptions, io: RunIo): Promise<ClusterResult> {
  const launcher = io.launcher ?? detectLauncher();
  const plan = planNodes(io.dir, options);
  const program = machineProgram(launcher, {
    dir: io.dir,
    hosts: options.netHosts ?? [options.bind, connectHost(options.bind)],
    read: typeof options.secretFile === "string" ? [options.secretFile] : [],
  });
  const mode = io.progress ?? (Deno.stdout.isTerminal() ? "tty" : "plain");
  const t0 = Date.now();
  const nodes: NodeProcess[] = [];
  const result: ClusterResult = {
    dir: io.dir,
    ok: false,
    error: null,
    interrupted: null,
    startAt: null,
    startupMs: null,
    nodes: [],
  };
  const sup = new Supervisor(nodes, { graceMs: options.grace * 1000 });
  const timers: ReturnType<typeof setTimeout>[] = [];
  let display: ProgressDisplay | null = null;
  const notice = io.notice ?? ((m: string) => display ? display.note(m) : console.error(m));
  const gate = new SignalGate();
  const { promise: interrupted, resolve: onInterrupt } = Promise.withResolvers<void>();
  const onSignal = (s: Deno.Signal) => {
    const meaning = gate.accept();
    if (meaning === "echo") return; // the same Ctrl-C, forwarded by `deno task`
    const alive = nodes.filter((n) => n.phase !== "exited").length;
    if (meaning === "again") {
      if (alive === 0) return;
      notice(`${s} again: killing the ${alive} node(s) still running (their logs get no END)`);
      return sup.kill();
    }
    result.interrupted = s;
    if (alive > 0) {
      notice(
        `${s}: stopping ${alive} node(s); each writes END (at most ${options.grace} s; ${
          s === "SIGINT" ? "Ctrl-C" : "SIGTERM"
        } again after 1 s kills them now)`,
      );
    }
    sup.stop(`interrupted by ${s}`);
    onInterrupt();
  };
  const removeSignals = (io.handleSignals ?? true) ? onStopSignals(onSignal) : () => {};
  let secretFile: string | null = null;
  try {
    // A fresh secret per run, deleted once the nodes have read it; or the cluster file's.
    if (options.secretFile === undefined) secretFile = createRunSecret(io.dir);
    const secret = secretFile ?? options.secretFile ?? undefined;
    const drainMs = nodeDrainMs(plan.length);
    for (const node of plan) {
      const args = nodeArgs(node, { ...options, secretFile: secret, drainMs });
      nodes.push(NodeProcess.spawn(program, { id: node.id, args }));
    }
  } catch (err) {
    result.error = `Cannot start node ${nodes.length + 1} with ${JSON.stringify(program.exec)}: ${
      osReason(err)
    }`;
  }
  display = mode === "none"
    ? null
    : new ProgressDisplay(() => nodes, { tty: mode === "tty", duration: options.duration });
  try {
    if (result.error === null) {
      const barrier = await startBarrier(nodes, {
        timeoutMs: io.startupTimeoutMs ??
          Math.max(startTimeoutMs(nodes.length), (options.startAt ?? 0) - Date.now()),
        interrupted,
        timers,
      });
      if (barrier !== null) result.error = barrier;
    }
    // Once all are linked, every node has read the secret: it need not stay on disk.
    if (secretFile !== null && result.error === null && result.interrupted === null) {
      removeRunSecret(secretFile);
    }
    if (result.error !== null || result.interrupted !== null) {
      await sup.stop(result.error ?? `interrupted by ${result.interrupted}`);
    } else {
      // A cluster file's start_at is every host's common start (its nodes were given it too).
      const at = options.startAt ?? Date.now() + Math.max(100, 4 * nodes.length);
      result.startAt = at;
      result.startupMs = at - t0;
      await Promise.all(nodes.map((n) => n.start(at)));
      display?.start(at);
      if (display) {
        timers.push(
          setInterval(() => display.draw(), mode === "tty" ? 250 : io.progressMs ?? 2000),
        );
      }
      // Nodes end at `at + duration`, then drain and exit (finishMarginMs); past that plus
      // --grace they are stopped, and the run reports it.
      const margin = finishMarginMs(nodes.length);
      const deadline = at + options.duration * 1000 + margin + options.grace * 1000;
      timers.push(setTimeout(() => {
        result.error ??= `Cannot finish the run on time as nodes must exit within --grace ` +
          `${options.grace} s of its end (+${margin} ms to drain and exit): stopped the nodes ` +
          `still running`;
        sup.stop("deadline passed");
      }, deadline - Date.now()));
      await Promise.race([sup.allExited(), interrupted]);
      await sup.stop("finished"); // no-op wait when all exited already
    }
  } finally {
    if (secretFile !== null) removeRunSecret(secretFile);
    timers.forEach((t) => clearTimeout(t));
    removeSignals();
    await Promise.all(nodes.map((n) => n.exited));
    if (display && result.startAt !== null) display.finish();
  }
  result.nodes = await Promise.all(nodes.map(async (n, i) => {
    const status = await n.exited;
    const clean = status.success && n.finalClock !== null;
    return {
      id: n.id,
      port: plan[i].port,
      log: plan[i].log,
      finalClock: n.finalClock,
      started: n.started,
      rate: n.rate,
      code: status.signal ? null : status.code,
      signal: status.signal,
      error: clean ? null : n.failure(status),
    };
  }));
  const failed = result.nodes.find((n) => n.error !== null);
  if (result.error === null && failed && result.interrupted === null) result.error = failed.error;
  result.ok = result.error === null && result.interrupted === null && !failed;
  return result;
}

/** Waits until every node is linked; returns an error text, or null when all are. */
async function startBarrier(
  nodes: NodeProcess[],
  o: { timeoutMs: number; interrupted: Promise<void>; timers: ReturnType<typeof setTimeout>[] },
): Promise<string | null> {
  const timeout = Promise.withResolvers<void>();
  o.timers.push(setTimeout(timeout.resolve, o.timeoutMs));
  try {
    await Promise.race([
      (async () => {
        // Every node listens before any links (they start with --hold-links): a node that
        // is still starting is not called in vain, and the starts do not compete with links.
        await Promise.all(nodes.map((n) => n.listening));
        await Promise.all(nodes.map((n) => n.link()));
        await Promise.all(nodes.map((n) => n.linked));
      })(),
      timeout.promise.then(() => {
        const late = nodes.filter((n) => n.phase !== "linked").map((n) => `${n.id} (${n.phase})`);
        throw new Error(
          `Cannot start the cluster as every node must be linked to all its peers within ` +
            `${o.timeoutMs} ms: current nodes not linked are ${late.slice(0, 10).join(", ")}` +
            (late.length > 10 ? ` and ${late.length - 10} more` : ""),
        );
      }),
      o.interrupted,
    ]);
    return null;
  } catch (err) {
    return errorMessage(err);
  }
}
