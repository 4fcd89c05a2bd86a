/**
 * Stopping a cluster so that no process outlives the run: ask every node to stop (close its
 * stdin: it writes END and exits), SIGTERM what is still alive after half the grace period,
 * SIGKILL the process group of what is alive after the full grace period.
 *
 * @module
 */
import type { NodeProcess } from "./node_process.ts";

/**
 * Stops nodes in escalating steps; {@linkcode Supervisor.stop} is idempotent and
 * {@linkcode Supervisor.kill} skips the wait (a second Ctrl-C).
 *
 * @example
 * ```ts ignore
 * import { Supervisor } from "./shutdown.ts";
 * const sup = new Supervisor(nodes, { graceMs: 2000 });
 * await sup.stop("interrupted"); // resolves when every node has exited
 * ```
 */
export class Supervisor {
  #nodes: NodeProcess[];
  #graceMs: number;
  #timers: ReturnType<typeof setTimeout>[] = [];
  #stopping: Promise<void> | null = null;
  #reason: string | null = null;
  /** Nodes that had to be SIGKILLed. */
  readonly killed = new Set<number>();

  /** Watches `nodes`; `graceMs` is the wait between asking and killing. */
  constructor(nodes: NodeProcess[], options: { graceMs: number }) {
    this.#nodes = nodes;
    this.#graceMs = options.graceMs;
  }

  /** Why the nodes were stopped early, if they were. */
  get reason(): string | null {
    return this.#reason;
  }

  /** Resolves when every node has exited. */
  allExited(): Promise<void> {
    return Promise.all(this.#nodes.map((n) => n.exited)).then(() => this.#clear());
  }

  /** Asks every node to stop, escalates after the grace period; resolves when all exited. */
  stop(reason: string): Promise<void> {
    if (this.#stopping) return this.#stopping;
    this.#reason = reason;
    for (const n of this.#nodes) n.closeStdin(reason);
    this.#timers.push(setTimeout(() => {
      for (const n of this.#nodes) n.signal("SIGTERM");
    }, this.#graceMs / 2));
    this.#timers.push(setTimeout(() => this.kill(), this.#graceMs));
    this.#stopping = this.allExited();
    return this.#stopping;
  }

  /** SIGKILLs the process group of every node still alive. */
  kill(): void {
    for (const n of this.#nodes) {
      if (n.phase !== "exited") {
        this.killed.add(n.id);
        n.killGroup();
      }
    }
  }

  #clear(): void {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers = [];
  }
}
