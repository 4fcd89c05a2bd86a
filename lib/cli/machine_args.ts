/**
 * Command-line flags of `machine.ts` (the original's `--id --port --peers --log --duration`
 * plus ours), parsed and validated into {@linkcode NodeOptions}.
 *
 * @module
 */
import { parseArgs } from "node:util";
import type { NodeOptions } from "../node/node.ts";
import { parsePeers } from "../core/peers.ts";
import { integerFlag, MAX_DURATION_S, numberFlag, randomSeed, UsageError } from "./flag_values.ts";
import { errorMessage } from "../core/errors.ts";

export { UsageError };

/** Help text of `machine.ts`. */
export const MACHINE_USAGE = `Usage: machine.ts --id N --port N [options]

Runs one Lamport-clock node: listens on --port, links to --peers, ticks at its clock rate
for --duration seconds and logs every event as JSON lines to --log.

Options (original):
  --id N             machine id (integer >= 0), required
  --port N           TCP port to listen on (1..65535; 0 = any free port), required
  --peers LIST       peers as host:port,host:port (IPv6 as [::1]:5002), each optionally with
                     its id: 2@host:port (then hellos must name a configured peer); default none
  --log PATH         log file (created/truncated); default machine.log
  --duration S       seconds to run (0..1000000), decimals allowed; default 60
Options (added):
  --bind ADDR        listen address; default 127.0.0.1 (a warning for any other address
                     without a secret)
  --seed N           PRNG seed (integer 0..2^32-1); default random (logged in STARTUP)
  --rate R           fixed clock rate in ticks/s (> 0); default random integer in min..max
  --rate-min N       lowest random rate; default 1
  --rate-max N       highest random rate; default 6
  --die-sides N      sides of the action die (>= 3): 1, 2, 3 send, the rest INTERNAL; default 10
  --start-at MS      start ticking at this instant (ms since the Unix epoch, < now + 11 days)
  --drain-ms MS      at the end, wait up to this long for acks and peers' last messages; default 300
  --connect-timeout MS  per connect attempt; default 2000
  --max-queue N      frames held per outbound link; default 10000
  --max-clock-jump N refuse a received clock more than N ahead of ours (0 = off); default 10^9
  --max-inbound N    inbound connections open at once; default 256 (4 per peer beyond 64)
  --hello-timeout MS an inbound connection must say hello within this long; default 5000
  --idle-timeout MS  close an inbound link silent this long (0 = never); default 30000
  --max-receive-queue N  stop reading from peers while this many messages wait; default 100000
  --secret-file PATH links authenticate with this shared secret (0600 file, >= 16 bytes), and
                     every frame carries a MAC; else LAMPORT_SECRET from the environment
  --allow-legacy     with a secret, still accept bare-integer (original format) messages
  --control          parent protocol on stdin/stdout (used by run_machine.ts)
  --help             this text
`;

/** Parsed command line. */
export interface MachineArgs {
  /** Node options. */
  node: NodeOptions;
  /** Speak the parent control protocol on stdin/stdout. */
  control: boolean;
  /** `--help` was given. */
  help: boolean;
  /** `--secret-file` (read with `readSecret`, which also falls back to `LAMPORT_SECRET`). */
  secretFile?: string;
}

const STRING_FLAGS = [
  "id",
  "port",
  "peers",
  "log",
  "duration",
  "bind",
  "seed",
  "rate",
  "rate-min",
  "rate-max",
  "die-sides",
  "start-at",
  "drain-ms",
  "connect-timeout",
  "max-queue",
  "max-clock-jump",
  "max-inbound",
  "hello-timeout",
  "idle-timeout",
  "max-receive-queue",
  "secret-file",
] as const;

/**
 * Parses `machine.ts` arguments; throws {@linkcode UsageError} naming the bad flag.
 *
 * @example
 * ```ts
 * import { parseMachineArgs } from "./machine_args.ts";
 * const { node } = parseMachineArgs(["--id", "1", "--port", "5001", "--peers", "127.0.0.1:5002"]);
 * node.peers; // [{ host: "127.0.0.1", port: 5002 }]
 * ```
 */
export function parseMachineArgs(
  args: string[],
  options: { randomSeed?: () => number } = {},
): MachineArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    const options = Object.fromEntries(
      STRING_FLAGS.map((f) => [f, { type: "string" as const }]),
    );
    ({ values } = parseArgs({
      args,
      options: {
        ...options,
        control: { type: "boolean" },
        help: { type: "boolean" },
        "allow-legacy": { type: "boolean" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError(errorMessage(err));
  }
  const help = values.help === true;
  if (help) return { node: undefined as unknown as NodeOptions, control: false, help };
  const str = (k: string) => values[k] as string | undefined;
  if (str("id") === undefined) throw new UsageError("Cannot start: --id is required");
  if (str("port") === undefined) throw new UsageError("Cannot start: --port is required");
  let peers;
  try {
    peers = parsePeers(str("peers") ?? "");
  } catch (err) {
    throw new UsageError(`--peers: ${errorMessage(err)}`);
  }
  const rateMin = integerFlag("rate-min", str("rate-min") ?? "1", { min: 1 });
  const rateMax = integerFlag("rate-max", str("rate-max") ?? "6", { min: 1 });
  if (rateMax < rateMin) {
    throw new UsageError(
      `Cannot use --rate-max: current value is ${rateMax} (below --rate-min ${rateMin})`,
    );
  }
  const id = integerFlag("id", str("id")!, { min: 0 });
  if (peers.some((p) => p.id === id)) {
    throw new UsageError(
      `Cannot use --peers: current value names this node's own id ${id} (list the other nodes)`,
    );
  }
  const bind = str("bind") ?? "127.0.0.1";
  const optional = (flag: typeof STRING_FLAGS[number], min: number) =>
    str(flag) === undefined ? undefined : integerFlag(flag, str(flag)!, { min });
  const idle = optional("idle-timeout", 0);
  if (idle !== undefined && idle > 0 && idle < 1000) {
    throw new UsageError(
      `Cannot use --idle-timeout: current value is ${idle} (want 0 for never, or >= 1000 ms)`,
    );
  }
  const seed = str("seed") === undefined
    ? (options.randomSeed ?? randomSeed)()
    : integerFlag("seed", str("seed")!, { min: 0, max: 2 ** 32 - 1 });
  return {
    help,
    control: values.control === true,
    ...(str("secret-file") === undefined ? {} : { secretFile: str("secret-file") }),
    node: {
      id,
      port: integerFlag("port", str("port")!, { min: 0, max: 65535 }),
      peers,
      log: str("log") ?? "machine.log",
      duration: numberFlag("duration", str("duration") ?? "60", { min: 0, max: MAX_DURATION_S }),
      bind,
      seed,
      rate: str("rate") === undefined
        ? undefined
        : numberFlag("rate", str("rate")!, { min: 0, max: 1e6, exclusive: true }),
      rateRange: [rateMin, rateMax],
      dieSides: integerFlag("die-sides", str("die-sides") ?? "10", { min: 3 }),
      startAt: str("start-at") === undefined
        ? undefined
        : numberFlag("start-at", str("start-at")!, { max: Date.now() + MAX_DURATION_S * 1000 }),
      drainMs: numberFlag("drain-ms", str("drain-ms") ?? "300", { min: 0 }),
      connectTimeoutMs: numberFlag("connect-timeout", str("connect-timeout") ?? "2000", { min: 1 }),
      maxQueue: integerFlag("max-queue", str("max-queue") ?? "10000", { min: 1 }),
      maxClockJump: optional("max-clock-jump", 0),
      maxInbound: optional("max-inbound", 1),
      helloTimeoutMs: optional("hello-timeout", 100),
      idleTimeoutMs: idle,
      maxReceiveQueue: optional("max-receive-queue", 1),
      ...(values["allow-legacy"] === true ? { allowLegacy: true } : {}),
    },
  };
}

/**
 * The warning for a node that listens on `bind` without a secret, or `null` (a loopback
 * address, or a secret).
 *
 * @example
 * ```ts
 * import { bindWarning } from "./machine_args.ts";
 * import assert from "node:assert/strict";
 * assert.equal(bindWarning("127.0.0.1", { secret: false }), null);
 * assert.equal(bindWarning("0.0.0.0", { secret: true }), null);
 * assert.match(bindWarning("0.0.0.0", { secret: false })!, /without a secret/);
 * ```
 */
export function bindWarning(bind: string, options: { secret: boolean }): string | null {
  if (options.secret || isLoopback(bind)) return null;
  return `Warning: listening on ${bind} without a secret: anyone who can reach this port can ` +
    `send this node messages in a peer's name (give every node --secret-file; see ` +
    `docs/security.md)`;
}

/**
 * Whether `host` is a loopback address (only this machine can connect to it).
 *
 * @example
 * ```ts
 * import { isLoopback } from "./machine_args.ts";
 * import assert from "node:assert/strict";
 * assert.equal(isLoopback("127.0.0.1"), true);
 * assert.equal(isLoopback("[::1]"), true);
 * assert.equal(isLoopback("0.0.0.0"), false);
 * ```
 */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  return h === "localhost" || h === "::1" || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(h);
}
