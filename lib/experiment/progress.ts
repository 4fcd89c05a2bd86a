/**
 * Progress of an experiment: on a terminal one live line (trial i of n, elapsed, ETA),
 * redrawn in place; otherwise one plain line per finished trial.
 *
 * @module
 */
import { writeAllSync } from "../io/write_all.ts";

/** Options of {@linkcode ExperimentProgress}. */
export interface ProgressOptions {
  /** "tty": live line; "plain": a line per trial; "none": nothing. */
  mode: "tty" | "plain" | "none";
  /** Where text goes; default stdout. */
  write?: (text: string) => void;
  /** Clock in ms; default `performance.now`. */
  now?: () => number;
}

/**
 * Seconds as "4.2 s", "1 min 05 s" or "1 h 02 min".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatSeconds } from "./progress.ts";
 * assert.equal(formatSeconds(4.24), "4.2 s");
 * assert.equal(formatSeconds(65), "1 min 05 s");
 * assert.equal(formatSeconds(3720), "1 h 02 min");
 * ```
 */
export function formatSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(Math.floor(s % 60)).padStart(2, "0")} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} min`;
}

/**
 * Counts finished trials and shows them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ExperimentProgress } from "./progress.ts";
 * const out: string[] = [];
 * let t = 0;
 * const p = new ExperimentProgress(4, { mode: "plain", write: (s) => out.push(s), now: () => t });
 * t = 500;
 * p.trialDone("baseline trial 1: final drift 96");
 * assert.equal(out[0], "[  0.5 s] trial 1 of 4 done (baseline trial 1: final drift 96); ETA 1.5 s\n");
 * ```
 */
export class ExperimentProgress {
  #total: number;
  #done = 0;
  #mode: ProgressOptions["mode"];
  #write: (text: string) => void;
  #now: () => number;
  #t0: number;
  #live = false;

  /** Progress over `total` trials, starting now. */
  constructor(total: number, options: ProgressOptions) {
    this.#total = total;
    this.#mode = options.mode;
    this.#write = options.write ?? ((t) => writeAllSync(Deno.stdout, t));
    this.#now = options.now ?? (() => performance.now());
    this.#t0 = this.#now();
  }

  /** Trials finished so far. */
  get done(): number {
    return this.#done;
  }

  /** Seconds since the start. */
  get elapsed(): number {
    return (this.#now() - this.#t0) / 1000;
  }

  /** One more trial finished; `what` says which and a headline figure. */
  trialDone(what: string): void {
    this.#done++;
    if (this.#mode === "plain") {
      const eta = this.#done < this.#total ? `; ETA ${formatSeconds(this.#eta())}` : "";
      this.#write(
        `[${this.elapsed.toFixed(1).padStart(5)} s] trial ${this.#done} of ${this.#total} ` +
          `done (${what})${eta}\n`,
      );
    } else this.draw();
  }

  /** Redraws the live line (terminal mode only; call it now and then for long trials). */
  draw(): void {
    if (this.#mode !== "tty") return;
    const eta = this.#done === 0
      ? "ETA -"
      : this.#done < this.#total
      ? `ETA ${formatSeconds(this.#eta())}`
      : "done";
    const running = Math.min(this.#done + 1, this.#total);
    this.#write(
      `\r\x1b[2Ktrial ${running} of ${this.#total}  (${this.#done} done)  elapsed ` +
        `${formatSeconds(this.elapsed)}  ${eta}`,
    );
    this.#live = true;
  }

  /** Ends the live line. */
  finish(): void {
    if (this.#live) this.#write("\n");
    this.#live = false;
  }

  #eta(): number {
    return (this.elapsed / this.#done) * (this.#total - this.#done);
  }
}
