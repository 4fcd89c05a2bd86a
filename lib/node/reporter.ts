/**
 * How the transport logs: the {@linkcode Reporter} type, and PROTOCOL_ERROR lines under a rate limit: a flood of bad input becomes a few lines, each
 * carrying `suppressed` (how many were not written since the previous one); the last one held
 * back is written later, so no count is lost.
 *
 * @module
 */
import type { LogEvent, ProtocolErrorEvent } from "../core/log_schema.ts";
import type { ReportEvent } from "../core/machine.ts";
import { type LimiterOptions, SuppressingLimiter } from "../core/rate_limit.ts";

/** Reports a transport event (see `Machine.report`). */
export type Reporter = <E extends ReportEvent>(
  event: E,
  fields: Omit<Extract<LogEvent, { event: E }>, "event" | "system_time" | "machine_id">,
) => void;

type ErrorFields = Omit<ProtocolErrorEvent, "event" | "system_time" | "machine_id">;

/** A reporter that rate-limits PROTOCOL_ERROR, and the flush of what it held back. */
export interface LimitedReporter {
  /** Reports like the wrapped reporter; PROTOCOL_ERROR lines go through the limiter. */
  report: Reporter;
  /** Writes the last PROTOCOL_ERROR held back when allowed (always with `force`). */
  flush(options?: { force?: boolean }): void;
  /** PROTOCOL_ERRORs offered so far (written or not). */
  readonly offered: number;
}

/**
 * Wraps `report` so PROTOCOL_ERROR lines are rate-limited (default burst 20, then 5/s).
 *
 * @example
 * ```ts
 * import { limitProtocolErrors } from "./reporter.ts";
 * import assert from "node:assert/strict";
 * const lines: unknown[] = [];
 * const r = limitProtocolErrors((event, fields) => lines.push({ event, ...fields }), {
 *   now: () => 0,
 *   limiter: { burst: 1, perSecond: 1 },
 * });
 * for (let i = 0; i < 5; i++) r.report("PROTOCOL_ERROR", { peer: "x", reason: `bad ${i}` });
 * r.flush({ force: true });
 * assert.deepEqual(lines, [
 *   { event: "PROTOCOL_ERROR", peer: "x", reason: "bad 0" },
 *   { event: "PROTOCOL_ERROR", peer: "x", reason: "bad 4", suppressed: 3 },
 * ]);
 * ```
 */
export function limitProtocolErrors(
  report: Reporter,
  options: { now: () => number; limiter?: LimiterOptions },
): LimitedReporter {
  const limiter = new SuppressingLimiter<ErrorFields>(options.limiter);
  let offered = 0;
  const write = (fields: ErrorFields, suppressed: number) =>
    report("PROTOCOL_ERROR", suppressed > 0 ? { ...fields, suppressed } : fields);
  const limited: Reporter = (event, fields) => {
    if (event !== "PROTOCOL_ERROR") return report(event, fields);
    offered++;
    const out = limiter.offer(fields as unknown as ErrorFields, options.now());
    if (out) write(out.item, out.suppressed);
  };
  return {
    report: limited,
    flush(o = {}) {
      const out = limiter.flush(options.now(), o);
      if (out) write(out.item, out.suppressed);
    },
    get offered() {
      return offered;
    },
  };
}
