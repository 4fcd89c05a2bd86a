/**
 * One node as a child process speaking the control protocol of `machine.ts --control`:
 * JSON lines on its stdout (`listening`, `linked`, `status`, `done`), `start <ms>` on its
 * stdin; closing its stdin stops it. Spawned in its own process group so the whole group can
 * be killed.
 *
 * @module
 */
import type { Program } from "./command.ts";
import { readLines } from "../io/lines.ts";

/** A node's last `status` line. */
export interface NodeStatusLine {
  clock: number;
  queue: number;
  events: number;
  links_up: number;
  links: number;
}

/** Where a node is in its life. */
export type NodePhase = "spawned" | "listening" | "linked" | "running" | "done" | "exited";

const MAX_STDERR = 16384;

/**
 * A spawned node.
 *
 * @example
 * ```ts ignore
 * import { NodeProcess } from "./node_process.ts";
 * const n = NodeProcess.spawn({ exec: "deno", args: ["run", "machine.ts"] }, {
 *   id: 1, args: ["--id", "1", "--port", "5001", "--control"],
 * });
 * await n.linked;
 * n.start(Date.now() + 100);
 * await n.exited;
 * ```
 */
export class NodeProcess {
  /** Machine id. */
  readonly id: number;
  /** Process id. */
  readonly pid: number;
  /** Resolves on the `listening` line; rejects when the node exits before it. */
  readonly listening: Promise<void>;
  /** Resolves on the `linked` line; rejects when the node exits before it. */
  readonly linked: Promise<void>;
  /** Resolves with the exit status once the process is gone and its pipes are drained. */
  readonly exited: Promise<Deno.CommandStatus>;
  #status: NodeStatusLine | null = null;
  #finalClock: number | null = null;
  #rate: number | null = null;
  #phase: NodePhase = "spawned";
  #started = false;
  #child: Deno.ChildProcess;
  #stdin: WritableStreamDefaultWriter<Uint8Array>;
  #stdinOpen = true;
  #stderr = "";
  #badLines: string[] = [];
  #onChange: () => void = () => {};

  private constructor(id: number, child: Deno.ChildProcess, onChange: () => void) {
    this.id = id;
    this.pid = child.pid;
    this.#child = child;
    this.#onChange = onChange;
    this.#stdin = child.stdin.getWriter();
    const listening = Promise.withResolvers<void>();
    this.listening = listening.promise;
    this.listening.catch(() => {}); // observed by the barrier; avoid unhandled rejections
    const linked = Promise.withResolvers<void>();
    this.linked = linked.promise;
    this.linked.catch(() => {});
    const out = this.#readStdout(listening.resolve, linked.resolve);
    const err = this.#readStderr();
    this.exited = (async () => {
      const status = await child.status;
      await Promise.all([out, err]);
      this.#phase = "exited";
      await this.closeStdin();
      listening.reject(new Error(this.failure(status)));
      linked.reject(new Error(this.failure(status)));
      this.#onChange();
      return status;
    })();
  }

  /** Where the node is in its life. */
  get phase(): NodePhase {
    return this.#phase;
  }

  /** Last status reported (null before the first). */
  get status(): NodeStatusLine | null {
    return this.#status;
  }

  /** Final clock from the `done` line (null before it). */
  get finalClock(): number | null {
    return this.#finalClock;
  }

  /** The node's clock rate (ticks/s) from its `listening` line (null before it). */
  get rate(): number | null {
    return this.#rate;
  }

  /** Whether it was sent the common start. */
  get started(): boolean {
    return this.#started;
  }

  /** Starts `program` with the node's `args`; `onChange` is called on every control line. */
  static spawn(
    program: Program,
    options: { id: number; args: string[]; onChange?: () => void },
  ): NodeProcess {
    const child = new Deno.Command(program.exec, {
      args: [...program.args, ...options.args],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
      detached: true, // own process group: Ctrl-C reaches us only, we forward it
    }).spawn();
    return new NodeProcess(options.id, child, options.onChange ?? (() => {}));
  }

  /** What the node wrote on stderr (capped), trimmed. */
  get stderr(): string {
    return this.#stderr.trim();
  }

  /** One-line description of how the node ended (stderr's first meaningful line if any). */
  failure(status: Deno.CommandStatus): string {
    const how = status.signal
      ? `was killed by ${status.signal}`
      : `exited with code ${status.code}`;
    const first = this.stderr.split("\n").find((l) => l.trim() !== "" && !/^\s*at /.test(l));
    const bad = this.#badLines.length ? ` (unparsable output: ${this.#badLines[0]})` : "";
    return `node ${this.id} ${how}${first ? `: ${first.trim()}` : ""}${bad}`;
  }

  /** Sends `link`: the node (started with `--hold-links`) connects to its peers. */
  async link(): Promise<void> {
    await this.#write("link\n");
  }

  /** Sends `start <at>` (ms since the Unix epoch). */
  async start(at: number): Promise<void> {
    if (this.#phase === "linked") this.#phase = "running";
    this.#started = true;
    await this.#write(`start ${Math.round(at)}\n`);
  }

  /**
   * Closes the node's stdin: it stops gracefully (END written) and exits. With `reason`, first
   * sends `stop <reason>`, which the node's END carries as its detail (`"parent: <reason>"`).
   */
  async closeStdin(reason?: string): Promise<void> {
    if (!this.#stdinOpen) return;
    if (reason !== undefined && this.phase !== "exited" && this.phase !== "done") {
      await this.#write(`stop ${reason.replace(/\s+/g, " ").slice(0, 200)}\n`);
    }
    this.#stdinOpen = false;
    try {
      await this.#stdin.close();
    } catch { /* already gone */ }
  }

  /** Sends `signal` to the node; ignores a node that is already gone. */
  signal(signal: Deno.Signal): void {
    if (this.#phase === "exited") return;
    try {
      this.#child.kill(signal);
    } catch { /* already exited */ }
  }

  /**
   * SIGKILLs the node's whole process group when this process may signal any process (full
   * `--allow-run`), else the node itself (`ChildProcess.kill` needs no permission: with
   * `--allow-run=deno` a `Deno.kill` would ask for one, a prompt in a terminal).
   */
  killGroup(): void {
    if (this.#phase === "exited") return;
    if (Deno.permissions.querySync({ name: "run" }).state === "granted") {
      try {
        return Deno.kill(-this.pid, "SIGKILL");
      } catch { /* group gone: kill the node itself */ }
    }
    this.signal("SIGKILL");
  }

  async #write(text: string): Promise<void> {
    if (!this.#stdinOpen) return;
    try {
      await this.#stdin.write(new TextEncoder().encode(text));
    } catch { /* node gone: its exit is reported */ }
  }

  async #readStdout(listening: () => void, linked: () => void): Promise<void> {
    for await (const line of readLines(this.#child.stdout, { maxLineChars: 65536 })) {
      if (line.trim() !== "") this.#line(line, listening, linked);
    }
  }

  async #readStderr(): Promise<void> {
    for await (const chunk of this.#child.stderr.pipeThrough(new TextDecoderStream())) {
      if (this.#stderr.length < MAX_STDERR) this.#stderr += chunk.slice(0, MAX_STDERR);
    }
  }

  #line(line: string, listening: () => void, linked: () => void): void {
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(line);
    } catch {
      if (this.#badLines.length < 5) this.#badLines.push(JSON.stringify(line.slice(0, 200)));
      return;
    }
    switch (msg.type) {
      case "listening":
        if (this.#phase === "spawned") this.#phase = "listening";
        if (typeof msg.rate === "number") this.#rate = msg.rate;
        listening();
        break;
      case "linked":
        if (this.#phase === "spawned" || this.#phase === "listening") this.#phase = "linked";
        listening();
        linked();
        break;
      case "status":
        this.#status = statusLine(msg);
        break;
      case "done":
        this.#phase = "done";
        this.#finalClock = typeof msg.final_clock === "number" ? msg.final_clock : null;
        this.closeStdin(); // nothing more to say; a node may wait for stdin EOF to exit
        break;
      default:
        if (this.#badLines.length < 5) this.#badLines.push(JSON.stringify(line.slice(0, 200)));
    }
    this.#onChange();
  }
}

/** The numbers of a `status` line (anything else in it is ignored; a missing number is 0). */
function statusLine(msg: Record<string, unknown>): NodeStatusLine {
  const n = (k: string) => {
    const v = msg[k];
    return typeof v === "number" ? v : 0;
  };
  return {
    clock: n("clock"),
    queue: n("queue"),
    events: n("events"),
    links_up: n("links_up"),
    links: n("links"),
  };
}
