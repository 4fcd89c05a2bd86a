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
  KEY,
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

/** A machine's running figures (see {@link MachineState.figures}). */
export interface MachineFigures {
  /** Events by code. */
  counts: number[];
  /** Sum of new−old over SEND/RECEIVE/INTERNAL. */
  jumpSum: number;
  /** Number of SEND/RECEIVE/INTERNAL events. */
  jumpCount: number;
  /** Sum of RECEIVE jumps. */
  receiveJumpSum: number;
  /** Largest single jump. */
  maxJump: number;
  /** Sum of queue_len over RECEIVE events. */
  queueSum: number;
  /** Largest queue_len. */
  maxQueue: number;
  /** When it was first reached (seconds since run start), NaN without RECEIVE. */
  maxQueueAt: number;
  /** END's `queued` (summed over incarnations), null when not logged. */
  queuedAtEnd: number | null;
  /** Sum of RECEIVE system_time − arrival_time. */
  waitSum: number;
  /** Number of RECEIVE events with arrival_time. */
  waitCount: number;
  /** Largest queue wait. */
  waitMax: number;
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
  #clock = 0;
  #incarnations: Incarnation[];
  #counts: number[] = new Array(EVENT_NAMES.length).fill(0);
  #jumpSum = 0;
  #jumpCount = 0;
  #receiveJumpSum = 0;
  #maxJump = 0;
  #queueSum = 0;
  #maxQueue = 0;
  #maxQueueAt = NaN;
  #queuedAtEnd: number | null = null;
  #waitSum = 0;
  #waitCount = 0;
  #waitMax = 0;
  #lastTime = NaN;
  #clockSeries: PixelSeries;
  #queueSeries: PixelSeries;
  #jumpSeries: PixelSeries;
  #info: LogFileInfo;
  #checks: CheckSet;
  #start: number;
  #current: Incarnation;
  #index = 0;

  /** `files`: the machine's log files, in time order. */
  constructor(files: LogFileInfo[], options: { checks: CheckSet; range: SeriesRange }) {
    const { checks, range } = options;
    this.#info = files[0];
    this.#incarnations = files.map((info) => ({
      info,
      finished: false,
      endReason: null,
      endDetail: null,
      finalClock: NaN,
      firstTime: info.firstTime,
      lastTime: NaN,
    }));
    this.#current = this.#incarnations[0];
    this.#checks = checks;
    this.#start = range.start;
    const opts = { start: 0, end: range.end - range.start, columns: range.columns };
    this.#clockSeries = new PixelSeries(opts);
    this.#queueSeries = new PixelSeries(opts);
    this.#jumpSeries = new PixelSeries(opts);
  }

  /** Current Lamport clock (last new_clock of the current incarnation). */
  get clock(): number {
    return this.#clock;
  }

  /** Last event time (epoch seconds), NaN before the first. */
  get lastTime(): number {
    return this.#lastTime;
  }

  /** The first incarnation's log file (machine id, clock rate, path). */
  get info(): LogFileInfo {
    return this.#info;
  }

  /** The incarnations, in time order (one per log file). */
  get incarnations(): readonly Readonly<Incarnation>[] {
    return this.#incarnations;
  }

  /** Chart series: clock (at every event), queue length and jump at each RECEIVE. */
  get series(): { clock: PixelSeries; queue: PixelSeries; jump: PixelSeries } {
    return { clock: this.#clockSeries, queue: this.#queueSeries, jump: this.#jumpSeries };
  }

  /** The figures so far (a copy). */
  figures(): MachineFigures {
    return {
      counts: [...this.#counts],
      jumpSum: this.#jumpSum,
      jumpCount: this.#jumpCount,
      receiveJumpSum: this.#receiveJumpSum,
      maxJump: this.#maxJump,
      queueSum: this.#queueSum,
      maxQueue: this.#maxQueue,
      maxQueueAt: this.#maxQueueAt,
      queuedAtEnd: this.#queuedAtEnd,
      waitSum: this.#waitSum,
      waitCount: this.#waitCount,
      waitMax: this.#waitMax,
    };
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
    this.#current = this.#incarnations[index];
    this.#clock = 0;
  }

  /** Feeds one event; `lineNo` is used in violation messages. */
  onEvent(line: EventLine, lineNo: number): void {
    const e = line.event, time = line.num[KEY.system_time], t = time - this.#start;
    this.#counts[e]++;
    this.#lastTime = time;
    this.#current.lastTime = time;
    if (e === EV_SEND || e === EV_RECEIVE || e === EV_INTERNAL) {
      this.#clockEvent(line, lineNo, t);
    } else if (e === EV_STARTUP) {
      this.#clockSeries.add(t, 0);
    } else if (e === EV_END) {
      const inc = this.#current;
      inc.finished = true;
      inc.finalClock = line.num[KEY.final_clock];
      inc.endReason = line.has(KEY.reason) ? line.str(KEY.reason) : null;
      inc.endDetail = line.has(KEY.detail) ? line.str(KEY.detail) : null;
      this.#clockSeries.add(t, this.#clock);
      if (line.has(KEY.queued)) this.#queuedAtEnd = (this.#queuedAtEnd ?? 0) + line.num[KEY.queued];
      const c = this.#checks.finalClock;
      c.count();
      if (inc.finalClock !== this.#clock) {
        c.fail(
          `${this.#where(lineNo)}: final_clock ${inc.finalClock} != last new_clock ${this.#clock}`,
        );
      }
    }
  }

  #clockEvent(line: EventLine, lineNo: number, t: number): void {
    const e = line.event, checks = this.#checks;
    const old = line.num[KEY.old_clock], now = line.num[KEY.new_clock], jump = now - old;
    checks.chain.count();
    if (old !== this.#clock) {
      checks.chain.fail(
        `${this.#where(lineNo)}: ${
          EVENT_NAMES[e]
        } old_clock ${old} != previous new_clock ${this.#clock}`,
      );
    }
    checks.increase.count();
    if (!(now > old)) {
      checks.increase.fail(
        `${this.#where(lineNo)}: ${EVENT_NAMES[e]} new_clock ${now} <= old_clock ${old}`,
      );
    }
    this.#clock = now;
    this.#jumpSum += jump;
    this.#jumpCount++;
    if (jump > this.#maxJump) this.#maxJump = jump;
    this.#clockSeries.add(t, now);
    if (e !== EV_RECEIVE) {
      checks.plusOne.count();
      if (jump !== 1) {
        checks.plusOne.fail(
          `${this.#where(lineNo)}: ${EVENT_NAMES[e]} new_clock ${now} != old_clock ${old} + 1`,
        );
      }
      return;
    }
    this.#receiveJumpSum += jump;
    this.#jumpSeries.add(t, jump);
    const q = line.num[KEY.queue_len];
    this.#queueSum += q;
    if (q > this.#maxQueue || Number.isNaN(this.#maxQueueAt)) {
      if (q > this.#maxQueue || q === 0) this.#maxQueueAt = t;
      this.#maxQueue = Math.max(q, this.#maxQueue);
    }
    this.#queueSeries.add(t, q);
    if (line.has(KEY.msg_clock)) {
      const m = line.num[KEY.msg_clock];
      checks.receiveRule.count();
      if (now !== Math.max(old, m) + 1) {
        checks.receiveRule.fail(
          `${
            this.#where(lineNo)
          }: RECEIVE new_clock ${now} != max(old_clock ${old}, msg_clock ${m}) + 1`,
        );
      }
    }
    if (line.has(KEY.arrival_time)) {
      const w = line.num[KEY.system_time] - line.num[KEY.arrival_time];
      this.#waitSum += w;
      this.#waitCount++;
      if (w > this.#waitMax) this.#waitMax = w;
    }
  }

  #where(lineNo: number): string {
    return `${this.#current.info.path}:${lineNo}`;
  }

  /** An incarnation without END keeps its last clock as its final clock. */
  #settle(): void {
    if (!this.#current.finished) this.#current.finalClock = this.#clock;
  }

  /** Called after the last event. */
  finish(): void {
    this.#settle();
  }
}
