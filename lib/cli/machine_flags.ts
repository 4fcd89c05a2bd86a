/**
 * The flags of `machine.ts` (one node): the table its parser, its `--help` and the docs use,
 * and the keys of a cluster file (see `FlagSpec.scope`).
 *
 * @module
 */
import { INBOUND_DEFAULTS } from "../node/tcp_transport.ts";
import type { FlagTable } from "./flag_parse.ts";
import { MAX_DURATION_S } from "./flag_values.ts";
import {
  ADDED,
  DIE_SIDES,
  DURATION,
  HELP,
  hostCheck,
  limit,
  ms,
  ORIGINAL,
  RATE,
  RATE_MAX,
  RATE_MIN,
  SEED,
} from "./flag_specs.ts";

/** The flags of `machine.ts` (one node). */
export const MACHINE_FLAGS = {
  program: "machine.ts",
  flags: [
    {
      name: "id",
      kind: "integer",
      arg: "N",
      min: 0,
      required: true,
      help: "machine id",
      doc: "machine id; with --cluster, which node of the file to run (or --id-from-hostname)",
      scope: "node",
      group: ORIGINAL,
    },
    {
      name: "port",
      kind: "integer",
      arg: "N",
      min: 1,
      max: 65535,
      zero: "any free port",
      required: true,
      help: "TCP port to listen on",
      scope: "node",
      group: ORIGINAL,
    },
    {
      name: "peers",
      kind: "string",
      arg: "LIST",
      defaultText: "none",
      range: "id@host:port,… or host:port,…; IPv6 as 2@[::1]:5002",
      empty: "no peers",
      help: "the other nodes; with ids, a hello must name a listed peer",
      doc: "the other nodes; with ids, a hello must name a listed peer; a malformed entry, an id " +
        "given twice, or this node itself (its own id, or its own port on a local address) is " +
        "an error",
      scope: "cli",
      group: ORIGINAL,
    },
    {
      name: "log",
      kind: "string",
      arg: "PATH",
      default: "machine.log",
      help: "log file, created (with its directory) or truncated once the port is bound; - " +
        "writes the log to stdout (status lines stay on stderr)",
      scope: "node",
      group: ORIGINAL,
    },
    DURATION,
    {
      name: "bind",
      kind: "string",
      arg: "ADDR",
      default: "127.0.0.1",
      check: hostCheck,
      help: "listen address; any non-loopback address without a secret prints a warning",
      scope: "node",
      group: ADDED,
    },
    SEED,
    RATE,
    RATE_MIN,
    RATE_MAX,
    DIE_SIDES,
    {
      name: "start-at",
      kind: "number",
      arg: "MS",
      min: 0,
      range: `ms since the Unix epoch, at most ${MAX_DURATION_S} s from now`,
      check: (v) =>
        Number(v) <= Date.now() + MAX_DURATION_S * 1000
          ? null
          : `ms since the Unix epoch, at most ${MAX_DURATION_S} s from now`,
      defaultText: "now",
      help: "start ticking at this instant; give every node the same one to start them together",
      scope: "shared",
      group: ADDED,
    },
    ms("drain-ms", 0, 300, "at the end, wait up to this long for acks and peers' last messages", {
      decimals: true,
    }),
    ms("connect-timeout", 1, 2000, "per connect (and hello) attempt", { decimals: true }),
    limit("max-queue", 1, 10_000, "frames held per peer while it is down or slow"),
    {
      ...limit("max-clock-jump", 1, 1e9, "refuse a received clock more than N ahead of ours"),
      zero: "no limit",
      defaultText: "10^9",
    },
    {
      ...limit("max-inbound", 1, INBOUND_DEFAULTS.maxInbound, "inbound connections open at once"),
      defaultText: `${INBOUND_DEFAULTS.maxInbound} (4 per peer beyond 64 peers)`,
    },
    ms(
      "hello-timeout",
      100,
      INBOUND_DEFAULTS.helloTimeoutMs,
      "an inbound connection must say hello within this long",
    ),
    {
      ...ms(
        "idle-timeout",
        1000,
        INBOUND_DEFAULTS.idleTimeoutMs,
        "close an inbound link silent this long; give every node the same",
      ),
      zero: "never",
    },
    limit(
      "max-receive-queue",
      1,
      INBOUND_DEFAULTS.maxReceiveQueue,
      "stop reading from peers while this many messages wait",
    ),
    {
      name: "secret-file",
      kind: "string",
      arg: "PATH",
      defaultText: "LAMPORT_SECRET",
      help: "links authenticate with this shared secret (a 0600 file, >= 16 bytes) and every " +
        "frame carries a MAC; else the secret in LAMPORT_SECRET, if set",
      scope: "shared",
      group: ADDED,
    },
    {
      name: "allow-legacy",
      kind: "boolean",
      help: "with a secret, still accept bare-integer (original format) messages",
      scope: "shared",
      group: ADDED,
    },
    {
      name: "cluster",
      kind: "string",
      arg: "PATH",
      help: "take the port, the peers and the settings of node --id from this cluster file " +
        "(JSONC; flags given override it; see docs/cluster_file.md)",
      scope: "cli",
      group: ADDED,
    },
    {
      name: "id-from-hostname",
      kind: "boolean",
      help: "the id is the trailing ordinal of this host's name plus 1 (machine-0 → 1: a " +
        "Kubernetes StatefulSet pod; see docs/deploy.md)",
      scope: "cli",
      group: ADDED,
    },
    {
      name: "quiet",
      kind: "boolean",
      help: "no status lines on stderr (listening, links, progress, the final line)",
      scope: "cli",
      group: ADDED,
    },
    {
      name: "control",
      kind: "boolean",
      help: "parent protocol on stdin/stdout (used by run_machine.ts)",
      scope: "cli",
      group: ADDED,
    },
    {
      name: "hold-links",
      kind: "boolean",
      help: "with --control: listen at once, but link to the peers only on the parent's " +
        '"link" (or "start"); run_machine.ts has every node listening before any links',
      scope: "cli",
      group: ADDED,
    },
    HELP,
  ],
} as const satisfies FlagTable;

/** Names of `machine.ts` flags. */
export type MachineFlag = typeof MACHINE_FLAGS.flags[number]["name"];
