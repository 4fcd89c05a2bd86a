/**
 * The chart data types (one file, so the chart modules import them without a circle).
 *
 * @module
 */

/** One named series: times (seconds) and values, same length. */
export interface ChartSeries {
  /** Legend text, e.g. "machine 1 (rate 3/s)". */
  name: string;
  /** Times in seconds since the run started. */
  t: Float64Array;
  /** Values. */
  v: Float64Array;
}

/** One panel: a plot with its own y axis; all panels share the x axis. */
export interface ChartPanel {
  /** Panel title. */
  title: string;
  /** Y axis label. */
  yLabel: string;
  /** "step": step-after lines (value holds until the next point); "points": dots. */
  mode: "step" | "points";
  /** The series; series `i` has the same colour in every panel. */
  series: ChartSeries[];
  /**
   * The values are integers: the y axis has integer ticks only, and in "points" mode each
   * series' marks are shifted a few pixels up or down so equal values do not hide each other.
   */
  integer?: boolean;
  /** A short note drawn under the legend: what is plotted, how to read it. */
  note?: string;
}
