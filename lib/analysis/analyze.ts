/**
 * The streaming analysis: probes the logs, groups them by machine (a restarted node's logs are
 * its incarnations, read one after the other), then reads all machines at once in chunks,
 * merged by `system_time` (a k-way merge over a heap), feeding per-machine metrics and checks,
 * the drift tracker and the message ledger. Memory is bounded by the chart columns, the read
 * buffers and the messages in flight.
 *
 * @module
 */
import { EV_END, EV_INTERNAL, EV_STARTUP, KEY } from "./_event_line.ts";
import { LinkTracker } from "./_link_tracker.ts";
import type { ChartPanel } from "./chart.ts";
import { chartPanels } from "./_chart_panels.ts";
import { checkResults, createChecks } from "./checks.ts";
import { AddressBook } from "./_address_book.ts";
import { analysisStatus, incompleteReasons } from "./_completeness.ts";
import { DriftTracker } from "./_drift_tracker.ts";
import { groupMachines, probeLogFile } from "./log_files.ts";
import { resolveLogPaths } from "./log_paths.ts";
import { MachineState, type SeriesRange } from "./_machine_state.ts";
import { MachineStream } from "./_machine_stream.ts";
import { MergeHeap } from "./_merge_heap.ts";
import { MessageLedger } from "./_message_ledger.ts";
import { LegacyTraffic } from "./_legacy_traffic.ts";
import { LedgerFeed } from "./_ledger_feed.ts";
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
  /** Keep every log file open while reading when there are at most this many (default 64). */
  maxOpenFiles?: number;
  /** Happened-before, the space-time window, the report and the ShiViz export. */
  causality?: CausalityOptions;
}

/** The summary plus the chart panels. */
export interface Analysis {
  /** The summary data. */
  summary: AnalysisSummary;
  /** Clock, clock offset, queue length, jump and drift panels, per pixel column. */
  panels: ChartPanel[];
  /** Happened-before and the events the space-time pictures need. */
  causality: CausalityAnalysis;
}

/** Total bytes of read buffers shared by all machines (each gets 16 KiB..1 MiB). */
const READ_BUDGET = 16 << 20;

/**
 * Analyzes log files (or directories of `*.log`).
 *
 * @example
 * ```ts
 * import { analyzeLogs } from "./analyze.ts";
 * import assert from "node:assert/strict";
 * const { summary } = analyzeLogs(["sample_logs/original_schema"]);
 * assert.equal(summary.final_drift, 2); // max − min of the final clocks
 * assert.equal(summary.status, "incomplete"); // no message ids: conservation not checked
 * ```
 */
export function analyzeLogs(args: string[], options: AnalyzeOptions = {}): Analysis {
  const warnings: string[] = [];
  const warn = (m: string) => {
    warnings.push(m);
    options.warn?.(m);
  };
  const infos = resolveLogPaths(args).map(probeLogFile);
  const groups = groupMachines(infos);
  const files = groups.flatMap((g) => g.files); // incarnations, by machine then time
  const start = infos.reduce((a, f) => Math.min(a, f.firstTime), Infinity);
  const end = infos.reduce((a, f) => Math.max(a, f.lastTime), start + 1e-3);
  const range: SeriesRange = { start, end, columns: options.columns ?? 728 };
  const checks = createChecks();
  const machines = groups.map((g) => new MachineState(g.files, { checks, range }));
  const drift = new DriftTracker(machines.length, range);
  const allIds = infos.every((f) => f.ids), anyIds = infos.some((f) => f.ids);
  const ports = new Map<number, number>();
  for (const f of infos) if (f.port !== null && f.port > 0) ports.set(f.port, f.machineId);
  // Messages are matched among the logs with ids (ours); in a mixed cluster, the traffic to
  // and from original nodes is counted apart (see _legacy_traffic.ts).
  const ledgerFiles = files.filter((f) => f.ids);
  let nextLedgerInc = 0;
  const ledgerInc = files.map((f) => (f.ids ? nextLedgerInc++ : -1));
  const ledger = anyIds
    ? new MessageLedger(ledgerFiles, { addresses: new AddressBook(ports), checks, start })
    : null;
  const originalIds = new Set(infos.filter((f) => !f.ids).map((f) => f.machineId));
  const traffic = anyIds ? new LegacyTraffic({ originalIds, ports }) : null;
  // Each incarnation is a process of its own for happened-before.
  const causal = allIds && !options.causality?.skip
    ? new CausalityFeed(files, start, options.causality)
    : null;
  const firstInc: number[] = [];
  groups.reduce((n, g) => (firstInc.push(n), n + g.files.length), 0);
  const links = new LinkTracker(groups.map((g) => g.machineId), { ports });
  const streams: MachineStream[] = [];
  const readOptions = {
    lenient: options.lenient,
    warn,
    chunkSize: Math.min(1 << 20, Math.max(1 << 14, Math.floor(READ_BUDGET / groups.length))),
    keepOpen: groups.length <= (options.maxOpenFiles ?? 64),
  };
  const feed = new LedgerFeed(ledger);
  const at = { inc: 0, path: "", lineNo: 0 }; // where the current line is (reused)
  let total = 0;
  try {
    const heads = new Float64Array(groups.length).fill(Infinity);
    groups.forEach((g, i) => {
      streams.push(new MachineStream(g.files, readOptions));
      if (streams[i].next()) heads[i] = streams[i].reader.line.num[KEY.system_time];
    });
    const heap = new MergeHeap(heads);
    for (let i = heap.top(); i >= 0; i = heap.top()) {
      const stream = streams[i], r = stream.reader, line = r.line, m = machines[i];
      if (stream.index !== m.incarnation) m.enter(stream.index);
      total++;
      m.onEvent(line, r.lineNo);
      const e = line.event, time = line.num[KEY.system_time];
      if (e <= EV_INTERNAL) drift.update(i, m.clock, time - start);
      const inc = ledger === null ? -1 : ledgerInc[firstInc[i] + stream.index];
      traffic?.line(line, inc, inc >= 0);
      if (inc >= 0) {
        at.inc = inc;
        at.path = r.path;
        at.lineNo = r.lineNo;
        feed.line(line, at);
      }
      causal?.feed(firstInc[i] + stream.index, line, r.lineNo);
      if (e > EV_END || e === EV_STARTUP) links.feed(i, line, r);
      heap.replaceTop(stream.next() ? stream.reader.line.num[KEY.system_time] : Infinity);
    }
  } finally {
    for (const s of streams) s.close();
  }
  machines.forEach((m) => m.finish());
  const ends = machines.flatMap((m, i) =>
    m.incarnations.map((inc) => ({
      machine: i,
      machineId: m.info.machineId,
      path: inc.info.path,
      finished: inc.finished,
      firstTime: inc.firstTime,
      lastTime: Number.isNaN(inc.lastTime) ? inc.firstTime : inc.lastTime,
    }))
  );
  const legacy = traffic?.finish() ?? null;
  const messages = ledger?.finish(ends.filter((_, g) => ledgerInc[g] >= 0), {
    ids: new Set(traffic!.legacyIds()),
    originalIds,
    isLegacy: (sender, address) => traffic!.isLegacy(sender, address),
  }) ?? null;
  if (messages?.skew) {
    const k = messages.skew;
    warn(
      `clock skew between hosts: ${k.count} message(s) RECEIVEd before their SEND by ` +
        `system_time, by up to ${(k.max * 1000).toFixed(1)} ms (${k.example}); not a ` +
        `violation (Lamport clocks do not depend on wall clocks), but latencies and the time ` +
        `axis are off by up to that much`,
    );
  }
  if (anyIds && !allIds) {
    const note = `on the messages among the logs with message ids; those to and from the ` +
      `original-schema logs (${
        infos.filter((f) => !f.ids).map((f) => f.path).join(", ")
      }) are counted apart (see "legacy")`;
    checks.c2.limit(note);
    checks.conservation.limit(note);
  }
  if (!anyIds) {
    const original = infos.filter((f) => !f.ids).map((f) => f.path).join(", ");
    const note = `not available for these logs (no message ids in ${original})`;
    checks.c2.unavailable(note);
    checks.conservation.unavailable(note);
    if (!anyIds) checks.receiveRule.unavailable(note.replace("message ids", "msg_clock"));
  }
  machines.forEach((m, i) => {
    m.incarnations.forEach((inc, j) => {
      if (!inc.finished) {
        warn(
          `${inc.info.path}: machine ${m.info.machineId} did not finish (no END): its last clock ${inc.finalClock} is used as its final clock`,
        );
      }
      const st = streams[i].stats[j];
      if (st.skipped > 0) {
        warn(
          `${inc.info.path}: ${st.skipped} malformed line(s) skipped (--lenient); first: ${st.firstSkipped}`,
        );
      }
    });
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
  const lastTime = machines.reduce((a, m) => Math.max(a, m.lastTime), -Infinity);
  const machineSummaries = machines.map((m, i) =>
    machineSummary(m, { stats: streams[i].stats, start })
  );
  const messageData = messages === null ? null : messageSummary(messages, ledger!.examples);
  const reasons = incompleteReasons({
    machines: machineSummaries,
    messages: messageData,
    legacy,
    // Skipping happened-before on request (--no-causality) leaves nothing unchecked by accident.
    checks: options.causality?.skip ? results.filter((c) => c !== causality.check) : results,
  });
  const summary: AnalysisSummary = {
    schema_version: 2,
    status: analysisStatus({ checks: results, reasons, verify }),
    complete: reasons.length === 0,
    incomplete_reasons: reasons,
    files: infos.map((f) => f.path),
    log_schema: allIds ? "ours" : anyIds ? "mixed" : "original",
    run: { start, end: lastTime, duration: lastTime - start },
    total_events: total,
    machines: machineSummaries,
    final_drift: finals.reduce((a, x) => Math.max(a, x)) - finals.reduce((a, x) => Math.min(a, x)),
    drift: driftSummary(drift.stats(lastTime - start)),
    messages: messageData,
    legacy,
    links: links.summary(),
    causality: causality.analysis.summary,
    checks: results,
    ok: results.every((c) => c.failed === 0),
    warnings,
  };
  return {
    summary,
    panels: chartPanels({
      machines,
      drift,
      duration: range.end - range.start,
      samples: 2 * range.columns + 1,
    }),
    causality: causality.analysis,
  };
}
