/**
 * Builds the chart panels of an analysis from the per-pixel series, in seconds since the run
 * started: the Lamport clocks, each clock minus the fastest machine's (so clocks that rise
 * together are told apart), the queue length and the clock jump at each RECEIVE, and drift.
 *
 * @module
 */
import type { ChartPanel } from "./chart.ts";
import type { DriftTracker } from "./_drift_tracker.ts";
import type { MachineState } from "./_machine_state.ts";
import { clockOffsets } from "./_clock_offset.ts";

/**
 * The five panels, one series per machine named with its rate: Lamport clock (step), clock
 * minus the fastest machine's clock (step, sampled `samples` times), queue length at RECEIVE
 * (points), clock jump at RECEIVE (points), drift = max − min clock (step).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyzeLogs } from "./analyze.ts";
 * const { panels } = analyzeLogs(["tests/fixtures/run_small"]);
 * assert.deepEqual(panels.map((p) => p.yLabel), [
 *   "Lamport clock",
 *   "clock − machine 3's",
 *   "queue_len",
 *   "jump at RECEIVE",
 *   "drift",
 * ]);
 * ```
 */
export function chartPanels(
  a: { machines: MachineState[]; drift: DriftTracker; duration: number; samples: number },
): ChartPanel[] {
  const names = a.machines.map((m) => `machine ${m.info.machineId} (rate ${m.info.clockRate}/s)`);
  const series = (pick: (i: number) => { t: Float64Array; v: Float64Array }) =>
    names.map((name, i) => ({ name, ...pick(i) }));
  const clocks = a.machines.map((m) => m.series.clock.points());
  const ref = a.machines.reduce(
    (best, m, i) => (m.info.clockRate > a.machines[best].info.clockRate ? i : best),
    0,
  );
  const refMachine = a.machines[ref].info;
  // Windows of a round length, about 150 of them: smooth enough to follow, fine enough to
  // show each catch-up.
  const step = a.duration / Math.max(1, a.samples - 1);
  const seconds = niceAtLeast(a.duration / 150);
  const window = Math.max(1, Math.round(seconds / (step || 1)));
  const offsets = clockOffsets(clocks, { ref, end: a.duration, samples: a.samples, window });
  const drift = a.drift.series.points();
  return [
    {
      title: "Lamport clock vs time",
      yLabel: "Lamport clock",
      mode: "step",
      series: series((i) => clocks[i]),
    },
    {
      title:
        `Clock minus machine ${refMachine.machineId}'s clock (the fastest, rate ${refMachine.clockRate}/s), mean over ${seconds} s`,
      yLabel: `clock − machine ${refMachine.machineId}'s`,
      mode: "step",
      integer: true,
      series: series((i) => offsets[i]),
      note:
        `Below 0: behind machine ${refMachine.machineId}. A lagging clock falls behind until a RECEIVE pulls it up. Mean over ${seconds} s.`,
    },
    {
      title: "Queue length at RECEIVE vs time",
      yLabel: "queue_len",
      mode: "points",
      integer: true,
      series: series((i) => a.machines[i].series.queue.points()),
      note: "Messages left waiting after each RECEIVE. Marks shifted a little per machine.",
    },
    {
      title: "Clock jump at RECEIVE (new_clock − old_clock) vs time",
      yLabel: "jump at RECEIVE",
      mode: "points",
      integer: true,
      series: series((i) => a.machines[i].series.jump.points()),
      note:
        "1: the message was not ahead of the clock. SEND and INTERNAL always add 1 (not drawn). Marks shifted a little per machine.",
    },
    {
      title: "Drift (max − min of the clocks) vs time",
      yLabel: "drift",
      mode: "step",
      integer: true,
      series: [{ name: "drift (all machines)", t: drift.t, v: drift.v }],
    },
  ];
}

/** The smallest 1, 2 or 5 × 10^k that is ≥ x (x > 0), as a short decimal. */
function niceAtLeast(x: number): number {
  if (!(x > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  const nice = [1, 2, 5, 10].map((m) => m * p).find((v) => v >= x * (1 - 1e-9)) ?? 10 * p;
  return Number(nice.toPrecision(6));
}
