/**
 * The processes of a run as the space-time diagram and the report draw them: one row per
 * incarnation (a restarted machine has several), in the order happened-before numbers them.
 *
 * @module
 */

/**
 * The processes of a run, one per incarnation (a restarted machine has several), in the order
 * happened-before numbers them: the rows of the space-time diagram and the report.
 *
 * @example
 * ```ts
 * import { processRows } from "./process_rows.ts";
 * import assert from "node:assert/strict";
 * const m = { machine_id: 3, incarnations: [{ clock_rate: 2 }, { clock_rate: 5 }] };
 * assert.deepEqual(processRows({ machines: [m] }), [{ id: 3, rate: 2 }, { id: 3, rate: 5 }]);
 * ```
 */
export function processRows(
  s: { machines: { machine_id: number; incarnations: { clock_rate: number }[] }[] },
): { id: number; rate: number }[] {
  return s.machines.flatMap((m) =>
    m.incarnations.map((i) => ({ id: m.machine_id, rate: i.clock_rate }))
  );
}
