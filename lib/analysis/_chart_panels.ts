/**
 * Builds the chart panels of an analysis (clock, queue length, jump, drift over time) from
 * the per-pixel series, in seconds since the run started.
 *
 * @module
 */
import type { ChartPanel } from "./chart.ts";
import type { DriftTracker } from "./_drift_tracker.ts";
import type { MachineState } from "./_machine_state.ts";

/**
 * The four panels: Lamport clock (step), queue length at RECEIVE (points), clock jump
 * (points), drift = max − min clock (step). One series per machine, named with its rate.
 *
 * @example
 * ```ts
 * import { chartPanels } from "./_chart_panels.ts";
 * // chartPanels({ machines, drift }).map((p) => p.title)
 * ```
 */
export function chartPanels(a: { machines: MachineState[]; drift: DriftTracker }): ChartPanel[] {
  const names = a.machines.map((m) => `machine ${m.info.machineId} (rate ${m.info.clockRate}/s)`);
  const series = (pick: (i: number) => { t: Float64Array; v: Float64Array }) =>
    names.map((name, i) => ({ name, ...pick(i) }));
  const drift = a.drift.series.points();
  return [
    {
      title: "Lamport clock vs time",
      yLabel: "Lamport clock",
      mode: "step",
      series: series((i) => a.machines[i].clockSeries.points()),
    },
    {
      title: "Queue length at RECEIVE vs time",
      yLabel: "queue_len",
      mode: "points",
      series: series((i) => a.machines[i].queueSeries.points()),
    },
    {
      title: "Clock jump (new_clock − old_clock) vs time",
      yLabel: "jump",
      mode: "points",
      series: series((i) => a.machines[i].jumpSeries.points()),
    },
    {
      title: "Drift (max − min of the clocks) vs time",
      yLabel: "drift",
      mode: "step",
      series: [{ name: "drift (all machines)", t: drift.t, v: drift.v }],
    },
  ];
}
