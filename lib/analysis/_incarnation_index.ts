/**
 * The incarnations (log files) of a run and their machines, by index: which machine an
 * incarnation belongs to, a machine's incarnations, and which incarnation sent a message named
 * by (machine_id, session).
 *
 * @module
 */

/** One log file of a machine, as the ledger knows it. */
export interface LedgerIncarnation {
  /** machine_id. */
  machineId: number;
  /** STARTUP `session`, null when the log has none. */
  session: number | null;
  /** Its log file. */
  path: string;
}

/** {@link IncarnationIndex.senderOf}: no log of that machine is given. */
export const NO_MACHINE = -1;
/** {@link IncarnationIndex.senderOf}: the machine's logs do not include that incarnation. */
export const NO_INCARNATION = -2;

/**
 * Incarnations by index (their order in the constructor's list) and machines by index (in the
 * order they first appear).
 *
 * @example
 * ```ts
 * import { IncarnationIndex, NO_INCARNATION } from "./_incarnation_index.ts";
 * import assert from "node:assert/strict";
 * const index = new IncarnationIndex([
 *   { machineId: 7, session: 1, path: "m7.log" },
 *   { machineId: 7, session: 2, path: "m7b.log" },
 *   { machineId: 9, session: null, path: "m9.log" },
 * ]);
 * assert.equal(index.senderOf(7, 2), 1);
 * assert.equal(index.senderOf(7, 3), NO_INCARNATION);
 * assert.equal(index.senderOf(9, NaN), 2);
 * assert.deepEqual(index.incarnationsOf(index.machineIndex(7)!), [0, 1]);
 * ```
 */
export class IncarnationIndex {
  #machineIndex = new Map<number, number>();
  #machineIds: number[] = [];
  #incMachine: number[];
  #incsOf: number[][] = [];
  #sessionOf: Map<number, number>[] = [];
  #paths: string[];

  /** `incarnations`: one per log file. */
  constructor(incarnations: LedgerIncarnation[]) {
    this.#paths = incarnations.map((inc) => inc.path);
    this.#incMachine = incarnations.map((inc, i) => {
      let m = this.#machineIndex.get(inc.machineId);
      if (m === undefined) {
        this.#machineIndex.set(inc.machineId, m = this.#machineIds.length);
        this.#machineIds.push(inc.machineId);
        this.#incsOf.push([]);
        this.#sessionOf.push(new Map());
      }
      this.#incsOf[m].push(i);
      if (inc.session !== null) this.#sessionOf[m].set(inc.session, i);
      return m;
    });
  }

  /** Number of incarnations. */
  get count(): number {
    return this.#incMachine.length;
  }

  /** Number of machines. */
  get machines(): number {
    return this.#machineIds.length;
  }

  /** Index of machine `id`, undefined when none of its logs is given. */
  machineIndex(id: number): number | undefined {
    return this.#machineIndex.get(id);
  }

  /** machine_id of machine index `m`. */
  machineId(m: number): number {
    return this.#machineIds[m];
  }

  /** Log file of incarnation `inc`. */
  pathOf(inc: number): string {
    return this.#paths[inc];
  }

  /** Machine index of incarnation `inc`. */
  machineOf(inc: number): number {
    return this.#incMachine[inc];
  }

  /** The incarnations of machine index `m`. */
  incarnationsOf(m: number): readonly number[] {
    return this.#incsOf[m];
  }

  /**
   * The incarnation of machine `from` with session `session` (NaN: not logged; then only a
   * machine with one log is unambiguous), or {@link NO_MACHINE} / {@link NO_INCARNATION}.
   */
  senderOf(from: number, session: number): number {
    const m = this.#machineIndex.get(from);
    if (m === undefined) return NO_MACHINE;
    const incs = this.#incsOf[m];
    if (!Number.isNaN(session)) {
      const inc = this.#sessionOf[m].get(session);
      if (inc !== undefined) return inc;
      // Logs without sessions cannot be told apart; one of them is unambiguous.
      return incs.length === 1 && this.#sessionOf[m].size === 0 ? incs[0] : NO_INCARNATION;
    }
    return incs.length === 1 ? incs[0] : NO_INCARNATION;
  }
}
