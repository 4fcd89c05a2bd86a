/**
 * Per-machine metrics and per-machine checks, fed one event at a time in the machine's own
 * log order: counts by event, jumps, queue lengths, the final clock, and the chart series.
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

/**
 * One machine's running state.
 *
 * @example
 * ```ts
 * import { MachineState } from "./_machine_state.ts";
 * import { createChecks } from "./checks.ts";
 * const info = { path: "m1.log", machineId: 1, clockRate: 3, port: null, ids: false, firstTime: 0, lastTime: 1 };
 * const m = new MachineState(info, createChecks(), { start: 0, end: 1, columns: 100 });
 * m.clock; // 0
 * ```
 */
export class MachineState {
  /** Current Lamport clock (last new_clock). */
  clock = 0;
  /** Whether STARTUP was seen. */
  started = false;
  /** Whether END was seen. */
  finished = false;
  /** END's final_clock (or the last clock when there is no END). */
  finalClock = NaN;
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
  #checks: CheckSet;
  #start: number;

  constructor(readonly info: LogFileInfo, checks: CheckSet, range: SeriesRange) {
    this.#checks = checks;
    this.#start = range.start;
    const opts = { start: 0, end: range.end - range.start, columns: range.columns };
    this.clockSeries = new PixelSeries(opts);
    this.queueSeries = new PixelSeries(opts);
    this.jumpSeries = new PixelSeries(opts);
  }

  /** Feeds one event; `lineNo` is used in violation messages. */
  onEvent(line: EventLine, lineNo: number): void {
    const e = line.event, time = line.num[K.system_time], t = time - this.#start;
    this.counts[e]++;
    this.lastTime = time;
    if (e === EV_SEND || e === EV_RECEIVE || e === EV_INTERNAL) {
      this.#clockEvent(line, lineNo, t);
    } else if (e === EV_STARTUP) {
      this.started = true;
      this.clockSeries.add(t, 0);
    } else if (e === EV_END) {
      this.finished = true;
      this.finalClock = line.num[K.final_clock];
      this.clockSeries.add(t, this.clock);
      if (line.has(K.queued)) this.queuedAtEnd = line.num[K.queued];
      const c = this.#checks.finalClock;
      c.checked++;
      if (this.finalClock !== this.clock) {
        c.fail(
          `${this.#where(lineNo)}: final_clock ${this.finalClock} != last new_clock ${this.clock}`,
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
    return `${this.info.path}:${lineNo}`;
  }

  /** Called after the last event: a machine without END keeps its last clock. */
  finish(): void {
    if (!this.finished) this.finalClock = this.clock;
  }
}
