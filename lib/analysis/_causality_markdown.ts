/**
 * The `## Causality (happened-before)` section of `analysis_summary.md`.
 *
 * @module
 */
import type { CausalitySummary } from "../causality/summary.ts";

function int(n: number) {
  return n.toLocaleString("en-US");
}
function pct(x: number | null) {
  return (x === null ? "n/a" : `${(x * 100).toFixed(1)}%`);
}

/**
 * The section's lines.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { causalityMarkdown } from "./_causality_markdown.ts";
 * import { unavailableCausality } from "../causality/summary.ts";
 * assert.match(causalityMarkdown(unavailableCausality("no ids")).join("\n"), /not available: no ids/);
 * ```
 */
export function causalityMarkdown(c: CausalitySummary): string[] {
  const L = ["## Causality (happened-before)", ""];
  if (!c.available) return [...L, `Happened-before: not available: ${c.reason}.`];
  const p = c.pairs;
  const share = (x: number) => (p.total > 0 ? ` (${pct(x / p.total)})` : "");
  L.push(
    `Exact, from program order and ${int(c.edges.messages)} matched messages, over the ${
      int(c.events)
    } SEND, RECEIVE and INTERNAL events (every pair counted, none sampled).`,
    "",
    `- Event pairs: ${int(p.total)}; ordered by happened-before: ${int(p.ordered)}${
      share(p.ordered)
    }; concurrent: ${int(p.concurrent)}${share(p.concurrent)}`,
    `- **Lamport ambiguity rate**: ${
      c.lamport_ambiguity_rate === null
        ? `n/a (${c.ambiguity_note})`
        : `${pct(c.lamport_ambiguity_rate)}: of the ${
          int(p.lamport_less)
        } pairs with L(a) < L(b), ${int(p.lamport_less_concurrent)} are concurrent`
    } (L(a) < L(b) does not mean a → b)`,
    `- Pairs with equal Lamport values: ${
      int(p.equal_lamport)
    } (concurrent by the clock condition)`,
  );
  if (c.machine_pairs.length > 0) {
    const r = c.machine_pair_rate!;
    L.push(
      "",
      c.machine_pairs_listed === "all"
        ? "Concurrency per pair of machines (event pairs with one event on each):"
        : `Concurrency per pair of machines: min ${pct(r.min)}, median ${pct(r.median)}, max ${
          pct(r.max)
        }; the 5 most and 5 least concurrent pairs:`,
      "",
      "| machines | event pairs | concurrent | concurrent % |",
      "| :--- | ---: | ---: | ---: |",
      ...c.machine_pairs.map((m) =>
        `| ${m.machines[0]} – ${m.machines[1]} | ${int(m.pairs)} | ${int(m.concurrent)} | ${
          pct(m.rate)
        } |`
      ),
    );
  }
  const w = c.receives_without_edge;
  const gaps = [
    [w.legacy, "bare-integer messages (no sender id)"],
    [w.from_unlogged, "from machines without a log here"],
    [w.no_send, "with no matching SEND"],
    [w.ambiguous_sender, "naming a sender id with several incarnations and no session"],
    [w.gave_up, "whose SEND was not found within the buffer (logs far out of time order)"],
  ].filter(([n]) => (n as number) > 0).map(([n, what]) => `${int(n as number)} ${what}`);
  if (gaps.length > 0) L.push("", `Receives without a message edge: ${gaps.join("; ")}.`);
  for (const note of c.notes) L.push("", `Note: ${note}.`);
  L.push(
    "",
    "The check that the Lamport order is a linear extension of happened-before is under Verification.",
  );
  return L;
}
