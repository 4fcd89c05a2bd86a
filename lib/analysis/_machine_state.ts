/**
 * Per-machine metrics and per-machine checks, fed one event at a time in the machine's own
 * log order: counts by event, jumps, queue lengths, the final clock, and the chart series. A
 * machine restarted mid-run has several incarnations (log files, in time order): the clock
 * checks run per incarnation (a restart resets the clock to 0), the metrics over all of them.
 *
 * @module
 */
import {
  EV_END,
  EV_INTERNAL,
  EV_RECEIVE,
  EV_SEND,
  EV_STARTUP,
  EVENT_NAMES,
  EventLine,
  K,
} from "./_event_line.ts";
import type { CheckSet } from "./checks.ts";
import { PixelSeries } from "./_downsample.ts";
import type { LogFileInfo } from "./log_files.ts";

/** Time range and resolution of the chart series. */
export interface SeriesRange {
  /** Run start (epoch seconds); series times are seconds since it. */
  start: number;
  /** Run end (epoch seconds). */
  end: number;
  /** Pixel columns. */
  columns: number;
}

/** How one incarnation (log file) of a machine went. */
export interface Incarnation {
  /** Its log file. */
  readonly info: LogFileInfo;
  /** Whether its log has END. */
  finished: boolean;
  /** END `reason` ("completed", "stopped", "failed"), null when not logged. */
  endReason: string | null;
  /** END `detail`, null when not logged. */
  endDetail: string | null;
  /** END's final_clock, or its last clock without END. */
  finalClock: number;
  /** system_time of its first and last event (epoch seconds). */
  firstTime: number;
  /** system_time of its last event. */
  lastTime: number;
}

/**
 * One machine's running state.
 *
 * @example
 * ```ts
 * import { MachineState } from "./_machine_state.ts";
 * import { createChecks } from "./checks.ts";
 * import assert from "node:assert/strict";
 * const info = {
 *   path: "m1.log", machineId: 1, clockRate: 3, port: null, ids: false, session: null,
 *   firstTime: 0, lastTime: 1,
 * };
 * const m = new MachineState([info], { checks: createChecks(), range: { start: 0, end: 1, columns: 100 } });
 * assert.equal(m.clock, 0);
 * assert.equal(m.incarnations.length, 1);
 * ```
 */
export class MachineState {
  /** Current Lamport clock (last new_clock of the current incarnation). */
  clock = 0;
  /** Whether STARTUP was seen. */
  started = false;
  /** The incarnations, in time order (one per log file). */
  readonly incarnations: Incarnation[];
  /** Events by code. */
  readonly counts: number[] = new Array(EVENT_NAMES.length).fill(0);
  /** Sum and count of new−old over SEND/RECEIVE/INTERNAL. */
  jumpSum = 0;
  /** Number of SEND/RECEIVE/INTERNAL events. */
  jumpCount = 0;
  /** Sum of RECEIVE jumps. */
  receiveJumpSum = 0;
  /** Largest single jump. */
  maxJump = 0;
  /** Sum of queue_len over RECEIVE events. */
  queueSum = 0;
  /** Largest queue_len, and when (seconds since run start). */
  maxQueue = 0;
  /** Time of {@link maxQueue}. */
  maxQueueAt = NaN;
  /** END's `queued`, when present. */
  queuedAtEnd: number | null = null;
  /** Sum/count/max of RECEIVE system_time − arrival_time. */
  waitSum = 0;
  /** Number of RECEIVE events with arrival_time. */
  waitCount = 0;
  /** Largest queue wait. */
  waitMax = 0;
  /** Last event time (epoch seconds). */
  lastTime = NaN;
  /** Chart series: clock, queue length at RECEIVE, jump. */
  readonly clockSeries: PixelSeries;
  /** Queue length at each RECEIVE. */
  readonly queueSeries: PixelSeries;
  /** new−old of each SEND/RECEIVE/INTERNAL. */
  readonly jumpSeries: PixelSeries;
  /** The first incarnation's log file (machine id, clock rate, path). */
  readonly info: LogFileInfo;
  #checks: CheckSet;
  #start: number;
  #current: Incarnation;
  #index = 0;

  /** `files`: the machine's log files, in time order. */
  constructor(files: LogFileInfo[], options: { checks: CheckSet; range: SeriesRange }) {
    const { checks, range } = options;
    this.info = files[0];
    this.incarnations = files.map((info) => ({
      info,
      finished: false,
      endReason: null,
      endDetail: null,
      finalClock: NaN,
      firstTime: info.firstTime,
      lastTime: NaN,
    }));
    this.#current = this.incarnations[0];
    this.#checks = checks;
    this.#start = range.start;
    const opts = { start: 0, end: range.end - range.start, columns: range.columns };
    this.clockSeries = new PixelSeries(opts);
    this.queueSeries = new PixelSeries(opts);
    this.jumpSeries = new PixelSeries(opts);
  }

  /** Whether the current incarnation's END was seen. */
  get finished(): boolean {
    return this.#current.finished;
  }

  /** The final clock: the last incarnation's END final_clock (or its last clock). */
  get finalClock(): number {
    return this.#current.finalClock;
  }

  /** Index of the current incarnation. */
  get incarnation(): number {
    return this.#index;
  }

  /** Moves to incarnation `index` (its log starts next): the clock starts again at 0. */
  enter(index: number): void {
    if (index === this.#index) return;
    this.#settle();
    this.#index = index;
    this.#current = this.incarnations[index];
    this.clock = 0;
  }

  /** Feeds one event; `lineNo` is used in violation messages. */
  onEvent(line: EventLine, lineNo: number): void {
    const e = line.event, time = line.num[K.system_time], t = time - this.#start;
    this.counts[e]++;
    this.lastTime = time;
    this.#current.lastTime = time;
    if (e === EV_SEND || e === EV_RECEIVE || e === EV_INTERNAL) {
      this.#clockEvent(line, lineNo, t);
    } else if (e === EV_STARTUP) {
      this.started = true;
      this.clockSeries.add(t, 0);
    } else if (e === EV_END) {
      const inc = this.#current;
      inc.finished = true;
      inc.finalClock = line.num[K.final_clock];
      inc.endReason = line.has(K.reason) ? line.str(K.reason) : null;
      inc.endDetail = line.has(K.detail) ? line.str(K.detail) : null;
      this.clockSeries.add(t, this.clock);
      if (line.has(K.queued)) this.queuedAtEnd = (this.queuedAtEnd ?? 0) + line.num[K.queued];
      const c = this.#checks.finalClock;
      c.checked++;
      if (inc.finalClock !== this.clock) {
        c.fail(
          `${this.#where(lineNo)}: final_clock ${inc.finalClock} != last new_clock ${this.clock}`,
        );
      }
    }
  }

  #clockEvent(line: EventLine, lineNo: number, t: number): void {
    const e = line.event, checks = this.#checks;
    const old = line.num[K.old_clock], now = line.num[K.new_clock], jump = now - old;
    checks.chain.checked++;
    if (old !== this.clock) {
      checks.chain.fail(
        `${this.#where(lineNo)}: ${
          EVENT_NAMES[e]
        } old_clock ${old} != previous new_clock ${this.clock}`,
      );
    }
    checks.increase.checked++;
    if (!(now > old)) {
      checks.increase.fail(
        `${this.#where(lineNo)}: ${EVENT_NAMES[e]} new_clock ${now} <= old_clock ${old}`,
      );
    }
    this.clock = now;
    this.jumpSum += jump;
    this.jumpCount++;
    if (jump > this.maxJump) this.maxJump = jump;
    this.clockSeries.add(t, now);
    this.jumpSeries.add(t, jump);
    if (e !== EV_RECEIVE) {
      checks.plusOne.checked++;
      if (jump !== 1) {
        checks.plusOne.fail(
          `${this.#where(lineNo)}: ${EVENT_NAMES[e]} new_clock ${now} != old_clock ${old} + 1`,
        );
      }
      return;
    }
    this.receiveJumpSum += jump;
    const q = line.num[K.queue_len];
    this.queueSum += q;
    if (q > this.maxQueue || Number.isNaN(this.maxQueueAt)) {
      if (q > this.maxQueue || q === 0) this.maxQueueAt = t;
      this.maxQueue = Math.max(q, this.maxQueue);
    }
    this.queueSeries.add(t, q);
    if (line.has(K.msg_clock)) {
      const m = line.num[K.msg_clock];
      checks.receiveRule.checked++;
      if (now !== Math.max(old, m) + 1) {
        checks.receiveRule.fail(
          `${
            this.#where(lineNo)
          }: RECEIVE new_clock ${now} != max(old_clock ${old}, msg_clock ${m}) + 1`,
        );
      }
    }
    if (line.has(K.arrival_time)) {
      const w = line.num[K.system_time] - line.num[K.arrival_time];
      this.waitSum += w;
      this.waitCount++;
      if (w > this.waitMax) this.waitMax = w;
    }
  }

  #where(lineNo: number): string {
    return `${this.#current.info.path}:${lineNo}`;
  }

  /** An incarnation without END keeps its last clock as its final clock. */
  #settle(): void {
    if (!this.#current.finished) this.#current.finalClock = this.clock;
  }

  /** Called after the last event. */
  finish(): void {
    this.#settle();
  }
}
