/** Test support: a Machine wired to fakes (time, transport, log array). */
import { Machine, type MachineOptions } from "../../lib/core/machine.ts";
import type { LogEvent } from "../../lib/core/log_schema.ts";
import { Prng } from "../../lib/core/prng.ts";
import type { MsgFrame } from "../../lib/core/wire.ts";

/** A machine with a fake transport that records sends, and a log array. */
export function fakeMachine(options: Partial<MachineOptions> = {}) {
  const events: LogEvent[] = [];
  const sent: { peer: number; frame: MsgFrame }[] = [];
  let now = 1_700_000_000_000;
  const machine = new Machine({
    id: 1,
    peers: [{ host: "127.0.0.1", port: 5002 }, { host: "127.0.0.1", port: 5003 }],
    transport: { send: (peer, frame) => sent.push({ peer, frame }), peerId: (p) => p + 2 },
    now: () => now,
    random: new Prng(1),
    log: (e) => events.push(e),
    ...options,
  });
  return {
    machine,
    events,
    sent,
    advance(ms: number) {
      now += ms;
    },
  };
}
