/**
 * The streaming analysis: probes the logs, then reads them all at once in chunks, merged by
 * `system_time` (k-way), feeding per-machine metrics and checks, the drift tracker and the
 * message ledger. Memory is bounded by the chart columns and the messages in flight.
 *
 * @module
 */
import {
  EV_END,
  EV_INTERNAL,
  EV_LINK_DOWN,
  EV_LINK_UP,
  EV_PROTOCOL_ERROR,
  EV_RECEIVE,
  EV_SEND,
  EV_UNDELIVERED,
  EventLine,
  K,
} from "./_event_line.ts";
import type { ChartPanel } from "./chart.ts";
import { chartPanels } from "./_chart_panels.ts";
import { checkResults, createChecks } from "./checks.ts";
import { AddressBook, addressOf } from "./_address_book.ts";
import { DriftTracker } from "./_drift_tracker.ts";
import { checkDistinctMachines, probeLogFile, resolveLogPaths } from "./log_files.ts";
import { LogReader } from "./_log_reader.ts";
import { MachineState, type SeriesRange } from "./_machine_state.ts";
import { MessageLedger, type ReceiveAt, type SendAt } from "./_message_ledger.ts";
import {
  type CausalityAnalysis,
  CausalityFeed,
  type CausalityOptions,
  noCausality,
} from "./_causality_feed.ts";
import {
  type AnalysisSummary,
  driftSummary,
  machineSummary,
  messageSummary,
} from "./summary_data.ts";

/** Options of {@link analyzeLogs}. */
export interface AnalyzeOptions {
  /** Skip malformed lines instead of failing (default false). */
  lenient?: boolean;
  /** Run the checks (default true). */
  verify?: boolean;
  /** Pixel columns of the chart series (default 728). */
  columns?: number;
  /** Receives warnings as they happen. */
  warn?: (message: string) => void;
  /** Happened-before, the space-time window, the report and the ShiViz export. */
  causality?: CausalityOptions;
}

/** The summary plus the chart panels. */
export interface Analysis {
  /** The summary data. */
  summary: AnalysisSummary;
  /** Clock, queue length, jump and drift panels, downsampled per pixel column. */
  panels: ChartPanel[];
  /** Happened-before and the events the space-time pictures need. */
  causality: CausalityAnalysis;
}

/**
 * Analyzes log files (or directories of `*.log`).
 *
 * @example
 * ```ts
 * import { analyzeLogs } from "./analyze.ts";
 * const { summary } = analyzeLogs(["sample_logs/original_schema"]);
 * summary.final_drift; // max − min of the final clocks
 * ```
 */
export function analyzeLogs(args: string[], options: AnalyzeOptions = {}): Analysis {
  const warnings: string[] = [];
  const warn = (m: string) => {
    warnings.push(m);
    options.warn?.(m);
  };
  const infos = resolveLogPaths(args).map(probeLogFile);
  checkDistinctMachines(infos);
  const start = Math.min(...infos.map((f) => f.firstTime));
  const end = Math.max(start + 1e-3, ...infos.map((f) => f.lastTime));
  const range: SeriesRange = { start, end, columns: options.columns ?? 728 };
  const checks = createChecks();
  const machines = infos.map((info) => new MachineState(info, checks, range));
  const drift = new DriftTracker(infos.length, range);
  const allIds = infos.every((f) => f.ids), anyIds = infos.some((f) => f.ids);
  const ports = new Map<number, number>();
  for (const f of infos) if (f.port !== null && f.port > 0) ports.set(f.port, f.machineId);
  const ledger = allIds
    ? new MessageLedger(
      new AddressBook(ports),
      checks,
      new Set(infos.map((f) => f.machineId)),
    )
    : null;
  const causal = allIds && !options.causality?.skip
    ? new CausalityFeed(infos, start, options.causality)
    : null;
  const links = { up: 0, down: 0, protocol_errors: 0, protocol_error_examples: [] as string[] };
  const readers: LogReader[] = [];
  let total = 0;
  try {
    for (const f of infos) readers.push(new LogReader(f.path, { lenient: options.lenient, warn }));
    const heads = new Float64Array(readers.length);
    const advance = (i: number) => {
      heads[i] = readers[i].next() ? readers[i].line.num[K.system_time] : Infinity;
    };
    for (let i = 0; i < readers.length; i++) advance(i);
    for (;;) {
      let i = 0;
      for (let j = 1; j < heads.length; j++) if (heads[j] < heads[i]) i = j;
      if (heads[i] === Infinity) break;
      const r = readers[i], line = r.line, m = machines[i];
      total++;
      m.onEvent(line, r.lineNo);
      const e = line.event;
      if (e <= EV_INTERNAL) drift.update(i, m.clock, heads[i] - start);
      if (ledger !== null) feedLedger(ledger, line, r, m.info.machineId);
      causal?.feed(i, line, r.lineNo);
      if (e === EV_LINK_UP) links.up++;
      else if (e === EV_LINK_DOWN) links.down++;
      else if (e === EV_PROTOCOL_ERROR) {
        if (links.protocol_errors++ < 5) {
          links.protocol_error_examples.push(
            `${r.path}:${r.lineNo}: ${line.str(K.peer)}: ${line.str(K.reason)}`,
          );
        }
      }
      advance(i);
    }
  } finally {
    for (const r of readers) r.close();
  }
  const unfinished = new Set(machines.filter((m) => !m.finished).map((m) => m.info.machineId));
  const messages = ledger?.finish({ unfinished }) ?? null;
  if (!allIds) {
    const original = infos.filter((f) => !f.ids).map((f) => f.path).join(", ");
    const note = `not available for these logs (no message ids in ${original})`;
    checks.c2.unavailable(note);
    checks.conservation.unavailable(note);
    if (!anyIds) checks.receiveRule.unavailable(note.replace("message ids", "msg_clock"));
  }
  machines.forEach((m, i) => {
    m.finish();
    if (!m.finished) {
      warn(
        `${m.info.path}: machine ${m.info.machineId} did not finish (no END): its last clock ${m.clock} is used as its final clock`,
      );
    }
    if (readers[i].skipped > 0) {
      warn(
        `${m.info.path}: ${readers[i].skipped} malformed line(s) skipped (--lenient); first: ${
          readers[i].firstSkipped
        }`,
      );
    }
  });
  const finals = machines.map((m) => m.finalClock);
  const verify = options.verify ?? true;
  const causality = causal?.finish(verify) ?? noCausality(
    options.causality?.skip
      ? "skipped (--no-causality)"
      : `no message ids in ${
        infos.filter((f) => !f.ids).map((f) => f.path).join(", ")
      } (original schema): a RECEIVE cannot be matched to its SEND without guessing`,
    verify,
  );
  const results = verify ? [...checkResults(checks), causality.check!] : [];
  const summary: AnalysisSummary = {
    schema_version: 1,
    files: infos.map((f) => f.path),
    log_schema: allIds ? "ours" : anyIds ? "mixed" : "original",
    run: { start, end: Math.max(...machines.map((m) => m.lastTime)), duration: 0 },
    total_events: total,
    machines: machines.map((m, i) => machineSummary(m, readers[i])),
    final_drift: Math.max(...finals) - Math.min(...finals),
    drift: driftSummary(drift.stats(Math.max(...machines.map((m) => m.lastTime)) - start)),
    messages: messages === null ? null : messageSummary(messages, ledger!.unresolvedList),
    links,
    causality: causality.analysis.summary,
    checks: results,
    ok: results.every((c) => c.failed === 0),
    warnings,
  };
  summary.run.duration = summary.run.end - summary.run.start;
  return {
    summary,
    panels: chartPanels({ machines, drift }),
    causality: causality.analysis,
  };
}

const sendAt: SendAt = { clock: 0, time: 0, path: "", line: 0 };
const receiveAt: ReceiveAt = { msgClock: 0, newClock: 0, time: 0, path: "", line: 0 };

function feedLedger(ledger: MessageLedger, line: EventLine, r: LogReader, me: number): void {
  const e = line.event;
  if (e === EV_SEND || e === EV_UNDELIVERED) {
    sendAt.clock = line.num[e === EV_SEND ? K.new_clock : K.clock];
    sendAt.time = line.num[K.system_time];
    sendAt.path = r.path;
    sendAt.line = r.lineNo;
  }
  if (e === EV_SEND) {
    const seq = line.num[K.seq];
    for (let j = 0; j < line.to.n; j++) {
      const to = line.to.a[j];
      if (!Number.isNaN(to)) ledger.send(me, seq, to, sendAt);
      else {
        const address = addressOf(line.recipientHost(j), line.recipientPort.a[j]);
        ledger.sendTo(me, seq, to, address, sendAt);
      }
    }
  } else if (e === EV_RECEIVE) {
    const from = line.num[K.from];
    if (Number.isNaN(from)) return ledger.legacy();
    receiveAt.msgClock = line.num[K.msg_clock];
    receiveAt.newClock = line.num[K.new_clock];
    receiveAt.time = line.num[K.system_time];
    receiveAt.path = r.path;
    receiveAt.line = r.lineNo;
    ledger.receive(me, from, line.num[K.seq], receiveAt);
  } else if (e === EV_END) {
    const q = line.queuedMsgs;
    for (let j = 0; j < q.n; j += 3) {
      if (Number.isNaN(q.a[j])) ledger.legacy();
      else ledger.queued(me, q.a[j], q.a[j + 1]);
    }
  } else if (e === EV_UNDELIVERED) {
    ledger.undeliveredTo(me, line.num[K.seq], line.num[K.to], line.str(K.peer), sendAt);
  } else if (e === EV_LINK_UP && line.str(K.direction) === "out") {
    const id = line.num[K.peer_id];
    if (!Number.isNaN(id)) ledger.linkUp(me, line.str(K.peer), id);
  }
}
