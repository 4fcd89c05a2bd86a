/**
 * Test support: checks a ShiViz log by the rules ShiViz applies (DistributedClocks/shiviz,
 * js/model/parser.js and modelGraph.js), independently of lib/causality:
 * - line 1 is the parsing regex with the named groups host, clock and event; line 2 the
 *   (empty) delimiter; the rest is matched by `^regex$` (multi-line), leaving nothing over;
 * - each clock is a JSON object that holds its own host;
 * - each host's own entry starts at 1 and rises by exactly 1 per event of that host;
 * - every clock equals the one recomputed from the messages: the host's previous clock with
 *   its own entry + 1, merged (entry-wise max) with the clock of the SEND a RECEIVE names
 *   (`from=<host> seq=<n>` in the event text).
 *
 * @module
 */

/** One parsed event. */
export interface ShivizEvent {
  host: string;
  clock: Record<string, number>;
  text: string;
}

/** Parses and checks; returns the events and the violations (empty when all rules hold). */
export function checkShiviz(log: string): { events: ShivizEvent[]; violations: string[] } {
  const violations: string[] = [];
  const [regexLine, delimiter] = log.split("\n", 2);
  for (const g of ["host", "clock", "event"]) {
    if (!regexLine.includes(`(?<${g}>`)) violations.push(`regex lacks the group ${g}`);
  }
  if (delimiter.trim() !== "") violations.push(`line 2 must be empty: ${delimiter}`);
  const body = log.slice(regexLine.length + 1 + delimiter.length + 1).trim();
  const re = new RegExp(`^${regexLine}$`, "gm");
  const events: ShivizEvent[] = [];
  let covered = 0;
  for (const m of body.matchAll(re)) {
    covered += m[0].length + 1;
    let clock: Record<string, number> = {};
    try {
      clock = JSON.parse(m.groups!.clock);
    } catch {
      violations.push(`clock is not JSON: ${m.groups!.clock}`);
    }
    events.push({ host: m.groups!.host, clock, text: m.groups!.event });
  }
  if (covered < body.length) violations.push(`unmatched text: ${body.length - covered} characters`);
  const byHost = new Map<string, ShivizEvent[]>();
  for (const e of events) {
    if (!(e.host in e.clock)) violations.push(`${e.host}: its clock lacks its own host`);
    byHost.set(e.host, [...(byHost.get(e.host) ?? []), e]);
  }
  for (const [host, list] of byHost) {
    list.forEach((e, k) => {
      if (e.clock[host] !== k + 1) {
        violations.push(`${host} event ${k + 1}: own entry ${e.clock[host]}, want ${k + 1}`);
      }
    });
  }
  // Recompute every clock from the messages (memoized, host by host, event by event).
  const sends = new Map<string, [string, number]>(); // "host/seq" -> (host, index)
  for (const [host, list] of byHost) {
    list.forEach((e, k) => {
      const m = /^SEND .*seq=(\d+)/.exec(e.text);
      if (m) sends.set(`${host}/${m[1]}`, [host, k]);
    });
  }
  const memo = new Map<string, Record<string, number>>();
  const computing = new Set<string>();
  const recompute = (host: string, k: number): Record<string, number> => {
    const key = `${host}/${k}`;
    const done = memo.get(key);
    if (done) return done;
    if (computing.has(key)) throw new Error(`causal cycle at ${key}`);
    computing.add(key);
    const clock = k > 0 ? { ...recompute(host, k - 1) } : {};
    clock[host] = k + 1;
    const m = /^RECEIVE .*seq=(\d+) from=(\S+)/.exec(byHost.get(host)![k].text);
    const send = m ? sends.get(`${m[2]}/${m[1]}`) : undefined;
    if (send) {
      for (const [h, v] of Object.entries(recompute(send[0], send[1]))) {
        clock[h] = Math.max(clock[h] ?? 0, v);
      }
    }
    computing.delete(key);
    memo.set(key, clock);
    return clock;
  };
  for (const [host, list] of byHost) {
    list.forEach((e, k) => {
      const want = recompute(host, k);
      const same = Object.keys(want).length === Object.keys(e.clock).length &&
        Object.entries(want).every(([h, v]) => e.clock[h] === v);
      if (!same && violations.length < 20) {
        violations.push(
          `${host} event ${k + 1}: clock ${JSON.stringify(e.clock)}, recomputed ${
            JSON.stringify(want)
          }`,
        );
      }
    });
  }
  return { events, violations };
}
