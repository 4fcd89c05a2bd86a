/**
 * Feeds the analyzer's merged events to the causality tracker (`lib/causality/`), with the
 * stores for the space-time diagram and the report and the ShiViz export as its sinks, and turns
 * its result into the summary section and the linear-extension check.
 *
 * @module
 */
import {
  EV_END,
  EV_INTERNAL,
  EV_RECEIVE,
  EV_SEND,
  EV_STARTUP,
  EV_UNDELIVERED,
  type EventLine,
  KEY,
  QUEUED_FIELDS,
} from "./_event_line.ts";
import { Check, type CheckResult } from "./checks.ts";
import type { LogFileInfo } from "./log_files.ts";
import { EventStore } from "../causality/event_store.ts";
import {
  CausalInput,
  type CausalSink,
  CK_END,
  CK_INTERNAL,
  CK_RECEIVE,
  CK_SEND,
  CK_START,
  CK_UNDELIVERED,
} from "../causality/input.ts";
import { shivizHosts, ShivizWriter } from "../causality/shiviz.ts";
import { type CausalitySummary, unavailableCausality } from "../causality/summary.ts";
import { CausalityTracker } from "../causality/tracker.ts";
import { defaultWindow, SPACETIME_ROWS, type TimeWindow } from "../causality/window.ts";

/** Options of the causality part of the analysis. */
export interface CausalityOptions {
  /** Skip happened-before, the space-time diagram and the report (default false). */
  skip?: boolean;
  /** Window of the space-time diagram (default: see `defaultWindow`). */
  window?: TimeWindow;
  /** Most events kept for the interactive report (default 200,000). */
  reportEvents?: number;
  /** Receives the ShiViz export, in chunks. */
  shiviz?: (text: string) => void;
}

/** Happened-before of a run, and what the pictures need. */
export interface CausalityAnalysis {
  /** The summary section. */
  summary: CausalitySummary;
  /** The window of the space-time diagram, and whether it is the default. */
  window: TimeWindow & { chosen: boolean };
  /** Events and messages of that window (null when not available). */
  windowStore: EventStore | null;
  /** Events and messages for the report, from the start (null when not available). */
  reportStore: EventStore | null;
}

const CHECK_ID = "lamport_linear_extension";
const CHECK_TEXT =
  "Lamport order (clock, ties by machine id) is a linear extension of happened-before: every program-order and message edge goes forward in it";

/**
 * The tracker fed from the analyzer's loop.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EventLine } from "./_event_line.ts";
 * import { CausalityFeed } from "./_causality_feed.ts";
 * const info = (id: number) => ({
 *   path: `m${id}.log`, machineId: id, clockRate: 1, port: 5000 + id, ids: true, session: id,
 *   firstTime: 0, lastTime: 2,
 * });
 * const feed = new CausalityFeed([info(1), info(2)], 0);
 * const line = new EventLine();
 * const log = (inc: number, json: string, lineNo: number) => {
 *   const bytes = new TextEncoder().encode(json);
 *   line.parse(bytes, 0, bytes.length);
 *   feed.feed(inc, line, lineNo);
 * };
 * log(0, '{"event": "STARTUP", "system_time": 0, "machine_id": 1, "clock_rate": 1, "port": 5001, "peers": [], "session": 1}', 1);
 * log(1, '{"event": "STARTUP", "system_time": 0, "machine_id": 2, "clock_rate": 1, "port": 5002, "peers": [], "session": 2}', 1);
 * log(0, '{"event": "INTERNAL", "system_time": 1, "machine_id": 1, "old_clock": 0, "new_clock": 1}', 2);
 * log(1, '{"event": "INTERNAL", "system_time": 1, "machine_id": 2, "old_clock": 0, "new_clock": 1}', 2);
 * const { analysis, check } = feed.finish(true);
 * assert.equal(analysis.summary.pairs.concurrent, 1); // the two INTERNALs
 * assert.equal(check?.failed, 0);
 * ```
 */
export class CausalityFeed {
  #tracker: CausalityTracker;
  #in = new CausalInput();
  #shiviz: ShivizWriter | null = null;
  #window: TimeWindow & { chosen: boolean };
  #windowStore: EventStore;
  #reportStore: EventStore;

  constructor(infos: LogFileInfo[], start: number, options: CausalityOptions = {}) {
    const end = Math.max(...infos.map((f) => f.lastTime));
    this.#window = options.window
      ? { ...options.window, chosen: true }
      : { ...defaultWindow(drawnRates(infos), end - start), chosen: false };
    this.#windowStore = new EventStore({
      start,
      from: this.#window.from,
      to: this.#window.to,
      maxEvents: 20_000,
    });
    this.#reportStore = new EventStore({ start, maxEvents: options.reportEvents ?? 200_000 });
    const sinks: CausalSink[] = [this.#windowStore, this.#reportStore];
    this.#tracker = new CausalityTracker(
      infos.map((f) => ({ machineId: f.machineId, label: f.path })),
      { sinks },
    );
    if (options.shiviz) {
      this.#shiviz = new ShivizWriter(this.#tracker, {
        hosts: shivizHosts(infos.map((f) => f.machineId)),
        start,
        write: options.shiviz,
      });
      sinks.push(this.#shiviz);
    }
  }

  /** Feeds event `line` (line `lineNo`) of log `i`. */
  feed(i: number, line: EventLine, lineNo: number): void {
    const x = this.#in, n = line.num;
    x.clearIds();
    switch (line.event) {
      case EV_STARTUP:
        x.kind = CK_START;
        x.session = line.has(KEY.session) ? n[KEY.session] : NaN;
        break;
      case EV_SEND:
        x.kind = CK_SEND;
        x.lamport = n[KEY.new_clock];
        x.seq = n[KEY.seq];
        for (let j = 0; j < line.to.n; j++) x.push(line.to.a[j]);
        break;
      case EV_RECEIVE:
        x.kind = CK_RECEIVE;
        x.lamport = n[KEY.new_clock];
        x.from = line.has(KEY.from) ? n[KEY.from] : NaN;
        x.seq = n[KEY.seq];
        x.fromSession = line.has(KEY.from_session) ? n[KEY.from_session] : NaN;
        break;
      case EV_INTERNAL:
        x.kind = CK_INTERNAL;
        x.lamport = n[KEY.new_clock];
        break;
      case EV_END: {
        x.kind = CK_END;
        const q = line.queuedMsgs;
        for (let j = 0; j < q.n; j += QUEUED_FIELDS) (x.push(q.a[j]), x.push(q.a[j + 1]));
        break;
      }
      case EV_UNDELIVERED:
        x.kind = CK_UNDELIVERED;
        x.seq = n[KEY.seq];
        x.push(n[KEY.to]);
        break;
      default:
        return;
    }
    x.time = n[KEY.system_time];
    x.line = lineNo;
    this.#tracker.event(i, x);
  }

  /** The result, and the check (null with `verify` false). */
  finish(verify: boolean): { analysis: CausalityAnalysis; check: CheckResult | null } {
    const { summary, check } = this.#tracker.finish();
    this.#shiviz?.flush();
    const c = new Check(CHECK_ID, CHECK_TEXT);
    if (check === null) c.unavailable(`not available: ${summary.reason}`);
    else {
      c.count(check.checked);
      for (const v of check.violations) c.fail(v);
      for (let k = check.violations.length; k < check.failed; k++) c.fail("");
    }
    const ok = summary.available;
    return {
      analysis: {
        summary,
        window: this.#window,
        windowStore: ok ? this.#windowStore : null,
        reportStore: ok ? this.#reportStore : null,
      },
      check: verify ? c.result() : null,
    };
  }
}

/**
 * The causality result of logs that cannot give it (no message ids, or skipped).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { noCausality } from "./_causality_feed.ts";
 * assert.equal(noCausality("skipped", true).check?.available, false);
 * ```
 */
export function noCausality(
  reason: string,
  verify: boolean,
): { analysis: CausalityAnalysis; check: CheckResult | null } {
  const c = new Check(CHECK_ID, CHECK_TEXT);
  c.unavailable(`not available: ${reason}`);
  return {
    analysis: {
      summary: unavailableCausality(reason),
      window: { from: 0, to: 0, chosen: false },
      windowStore: null,
      reportStore: null,
    },
    check: verify ? c.result() : null,
  };
}

/** Clock rates of the machines the space-time diagram draws (the lowest ids). */
function drawnRates(infos: LogFileInfo[]): number[] {
  return [...infos].sort((a, b) => a.machineId - b.machineId).slice(0, SPACETIME_ROWS)
    .map((f) => f.clockRate);
}
