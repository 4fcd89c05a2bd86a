/**
 * The processes of a run as the space-time diagram and the report draw them: one row per
 * incarnation (a restarted machine has several), in the order happened-before numbers them.
 *
 * @module
 */

/** One row: a machine's id, its clock rate, and its name on the page. */
export interface ProcessRow {
  /** Machine id. */
  id: number;
  /** Clock rate of this incarnation (ticks/s). */
  rate: number;
  /**
   * "machine 3"; "machine 3 #2" for the second incarnation of a restarted machine (the rows of
   * one machine would otherwise read the same).
   */
  name: string;
}

/**
 * The processes of a run, one per incarnation (a restarted machine has several), in the order
 * happened-before numbers them: the rows of the space-time diagram and the report.
 *
 * @example
 * ```ts
 * import { processRows } from "./process_rows.ts";
 * import assert from "node:assert/strict";
 * const m = { machine_id: 3, incarnations: [{ clock_rate: 2 }, { clock_rate: 5 }] };
 * const one = { machine_id: 1, incarnations: [{ clock_rate: 4 }] };
 * assert.deepEqual(processRows({ machines: [one, m] }), [
 *   { id: 1, rate: 4, name: "machine 1" },
 *   { id: 3, rate: 2, name: "machine 3 #1" },
 *   { id: 3, rate: 5, name: "machine 3 #2" },
 * ]);
 * ```
 */
export function processRows(
  s: { machines: { machine_id: number; incarnations: { clock_rate: number }[] }[] },
): ProcessRow[] {
  return s.machines.flatMap((m) =>
    m.incarnations.map((inc, k) => ({
      id: m.machine_id,
      rate: inc.clock_rate,
      name: `machine ${m.machine_id}${m.incarnations.length > 1 ? ` #${k + 1}` : ""}`,
    }))
  );
}

/**
 * What the rows are called in a count: "machines", or, when a machine restarted (it has a row
 * per incarnation), "rows" with a word on `#1`, `#2`.
 *
 * @example
 * ```ts
 * import { rowsNoun } from "./process_rows.ts";
 * import assert from "node:assert/strict";
 * assert.equal(rowsNoun([{ id: 1 }, { id: 2 }]), "machines");
 * assert.match(rowsNoun([{ id: 1 }, { id: 1 }]), /^rows \(a restarted machine has a row per/);
 * ```
 */
export function rowsNoun(rows: readonly { id: number }[]): string {
  return new Set(rows.map((r) => r.id)).size === rows.length
    ? "machines"
    : "rows (a restarted machine has a row per incarnation: #1, #2, …)";
}
