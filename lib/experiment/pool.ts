/**
 * A pool of trial workers (`trial_worker.ts`): jobs go to the first idle worker; each
 * answer resolves its job's promise, so results come back in the order asked for, whatever
 * order the workers finish in.
 *
 * Workers are Deno Workers started without extra options, so each has exactly the
 * permissions of this process (never more). Loading the worker's modules needs read access
 * to `lib/` (a worker's imports are permission-checked); the workers never load the PNG
 * renderer (the experiment's PNG is drawn by the main thread).
 *
 * @module
 */
import type { TrialSpec } from "./plan.ts";

/** A job for a worker. */
export type Job = { kind: "trial"; spec: TrialSpec; out: string; simulate: boolean };

interface Pending {
  id: number;
  job: Job;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

const WORKER_URL = new URL("./trial_worker.ts", import.meta.url);

/**
 * Why workers cannot start here (no read access to their modules), or null when they can.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { workerPermissionProblem } from "./pool.ts";
 * assert.equal(typeof (workerPermissionProblem() ?? ""), "string");
 * ```
 */
export function workerPermissionProblem(): string | null {
  if (WORKER_URL.protocol !== "file:") return null;
  const dir = decodeURIComponent(new URL("../", WORKER_URL).pathname);
  const state = Deno.permissions.querySync({ name: "read", path: dir }).state;
  return state === "granted"
    ? null
    : `Cannot start trial workers: current read permission for "${dir}" is ${state} (the ` +
      `workers load the project's modules from there: run with deno task experiment, or add ` +
      `--allow-read=lib)`;
}

/**
 * Runs jobs on up to `size` workers (started on first use).
 *
 * @example
 * ```ts ignore
 * import { parseExperimentArgs } from "../cli/experiment_args.ts";
 * import { trialSpecs } from "./plan.ts";
 * import { WorkerPool } from "./pool.ts";
 * const pool = new WorkerPool(2);
 * try {
 *   const spec = trialSpecs(parseExperimentArgs(["--trials", "1"]).plan)[0];
 *   await pool.run({ kind: "trial", spec, out: "logs/exp", simulate: true });
 * } finally {
 *   pool.close();
 * }
 * ```
 */
export class WorkerPool {
  #size: number;
  #workers: Worker[] = [];
  #idle: Worker[] = [];
  #busy = new Map<Worker, Pending>();
  #queue: Pending[] = [];
  #nextId = 1;
  #failure: Error | null = null;

  /** A pool of at most `size` workers. */
  constructor(size: number) {
    if (!Number.isSafeInteger(size) || size < 1) {
      throw new RangeError(`Cannot create a worker pool: current size is ${size} (want ≥ 1)`);
    }
    this.#size = size;
  }

  /** Runs `job` on a worker; resolves with its answer. */
  run<T>(job: Job): Promise<T> {
    if (this.#failure) return Promise.reject(this.#failure);
    const { promise, resolve, reject } = Promise.withResolvers<unknown>();
    this.#queue.push({ id: this.#nextId++, job, resolve, reject });
    this.#pump();
    return promise as Promise<T>;
  }

  /** Stops every worker; jobs not answered yet are rejected. */
  close(): void {
    this.#fail(new Error("Cannot finish the job: the worker pool was closed"));
  }

  #pump(): void {
    while (this.#queue.length > 0) {
      if (this.#idle.length === 0 && this.#workers.length < this.#size) this.#spawn();
      const worker = this.#idle.pop();
      if (worker === undefined) return;
      const next = this.#queue.shift()!;
      this.#busy.set(worker, next);
      worker.postMessage({ id: next.id, job: next.job });
    }
  }

  #spawn(): void {
    const worker = new Worker(WORKER_URL, { type: "module" });
    worker.onmessage = (
      e: MessageEvent<{ id: number; ok: boolean; value?: unknown; error?: string }>,
    ) => {
      const pending = this.#busy.get(worker);
      if (pending === undefined || pending.id !== e.data.id) return;
      this.#busy.delete(worker);
      this.#idle.push(worker);
      if (e.data.ok) pending.resolve(e.data.value);
      else pending.reject(new Error(e.data.error));
      this.#pump();
    };
    worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      this.#fail(new Error(`Cannot run a trial worker: ${e.message}`));
    };
    this.#workers.push(worker);
    this.#idle.push(worker);
  }

  #fail(err: Error): void {
    this.#failure ??= err;
    for (const w of this.#workers) w.terminate();
    const pending = [...this.#busy.values(), ...this.#queue];
    this.#workers = [];
    this.#idle = [];
    this.#busy.clear();
    this.#queue = [];
    for (const p of pending) p.reject(this.#failure);
  }
}
