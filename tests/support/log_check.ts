/**
 * Test support: reads node logs and checks message accounting (every SEND to a peer is
 * received, queued at the receiver's END, or logged UNDELIVERED by the sender) and the
 * clock condition for matched pairs. Deliberately independent of lib/analysis, so the
 * analyzer is tested against it rather than against itself.
 *
 * @module
 */
import type { LogEvent } from "../../lib/core/log_schema.ts";
import { formatPeer } from "../../lib/core/peers.ts";

/** Parsed events of one log file. */
export function readLog(path: string): LogEvent[] {
  return Deno.readTextFileSync(path).split("\n").filter((l) => l.trim() !== "").map((l) =>
    JSON.parse(l)
  );
}

/** Result of {@linkcode accountMessages}. */
export interface Accounting {
  sent: number;
  received: number;
  queuedAtEnd: number;
  undelivered: number;
  /** UNDELIVERED (not acknowledged) that the receiver did get. */
  undeliveredButReceived: number;
  unaccounted: string[];
  duplicates: number;
  orphans: number;
  clockViolations: string[];
}

/** Checks conservation and `receive clock > send clock` across the logs of one run. */
export function accountMessages(logs: LogEvent[][]): Accounting {
  const sends = new Map<string, number>(); // "from/seq/to" -> send clock
  const done = new Set<string>();
  const acc: Accounting = {
    sent: 0,
    received: 0,
    queuedAtEnd: 0,
    undelivered: 0,
    undeliveredButReceived: 0,
    unaccounted: [],
    duplicates: 0,
    orphans: 0,
    clockViolations: [],
  };
  // A SEND or UNDELIVERED made before the link came up has `to: null`; the sender's LINK_UP
  // (out) names the peer behind that address: "sender address" -> peer id.
  const idOf = new Map<string, number>();
  for (const log of logs) {
    for (const e of log) {
      if (e.event === "LINK_UP" && e.direction === "out" && e.peer_id !== null) {
        idOf.set(`${e.machine_id} ${e.peer}`, e.peer_id);
      }
    }
  }
  for (const log of logs) {
    for (const e of log) {
      if (e.event !== "SEND") continue;
      e.to.forEach((to, i) => {
        const [host, port] = e.recipients[i];
        const id = to ?? idOf.get(`${e.machine_id} ${formatPeer({ host, port })}`) ?? null;
        sends.set(`${e.machine_id}/${e.seq}/${id}`, e.new_clock);
      });
      acc.sent += e.to.length;
    }
  }
  const settle = (key: string) => {
    if (done.has(key)) acc.duplicates++;
    done.add(key);
  };
  for (const log of logs) {
    for (const e of log) {
      if (e.event === "RECEIVE" && e.from !== null) {
        const key = `${e.from}/${e.seq}/${e.machine_id}`;
        const sentClock = sends.get(key);
        if (sentClock === undefined) acc.orphans++;
        else if (!(e.new_clock > sentClock)) {
          acc.clockViolations.push(`${key}: receive ${e.new_clock} <= send ${sentClock}`);
        }
        acc.received++;
        settle(key);
      } else if (e.event === "END") {
        for (const q of e.queued_msgs) {
          if (q.from !== null) settle(`${q.from}/${q.seq}/${e.machine_id}`);
        }
        acc.queuedAtEnd += e.queued;
      }
    }
  }
  for (const log of logs) {
    for (const e of log) {
      if (e.event !== "UNDELIVERED") continue;
      acc.undelivered++;
      const to = e.to ?? idOf.get(`${e.machine_id} ${e.peer}`) ?? null;
      const key = `${e.machine_id}/${e.seq}/${to}`;
      if (done.has(key)) acc.undeliveredButReceived++;
      else done.add(key);
    }
  }
  for (const key of sends.keys()) if (!done.has(key)) acc.unaccounted.push(key);
  return acc;
}
