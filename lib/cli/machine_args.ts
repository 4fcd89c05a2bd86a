/**
 * Command-line flags of `machine.ts` (the original's `--id --port --peers --log --duration`
 * plus ours, see {@linkcode MACHINE_FLAGS}), parsed and validated into `NodeOptions`.
 *
 * @module
 */
import type { NodeOptions } from "../node/node.ts";
import {
  findSelfPeer,
  formatPeerEntry,
  isLoopback,
  parsePeers,
  type PeerAddress,
} from "../core/peers.ts";
import { errorMessage } from "../core/errors.ts";
import { STDOUT_LOG } from "../io/log_writer.ts";
import { type FlagValues, orderedPair, parseFlags } from "./flag_parse.ts";
import { formatHelp } from "./flag_help.ts";
import { randomSeed, UsageError } from "./flag_values.ts";
import { MACHINE_FLAGS, type MachineFlag } from "./machine_flags.ts";
import type { ClusterFile } from "./cluster_file.ts";
import { clusterNodeArgs, idFromHostname, readClusterFile } from "./cluster_nodes.ts";

export { isLoopback, UsageError };

/** Help text of `machine.ts`, made from {@linkcode MACHINE_FLAGS}. */
export const MACHINE_USAGE: string = formatHelp(MACHINE_FLAGS, {
  usage: "Usage: machine.ts --id N --port N [options]",
  intro: "Runs one Lamport-clock node: listens on --port, links to --peers, ticks at its clock " +
    "rate\nfor --duration seconds and logs every event as JSON lines to --log. Status lines " +
    "(listening,\nlinks, progress, the final line) go to stderr.",
  outro: "Exit codes: 0 the node ran and wrote END; 1 it failed (the reason on stderr); 2 usage " +
    "error.",
});

/** What `machine.ts` was asked to do: print the help, or run a node. */
export type MachineArgs = MachineHelpArgs | MachineRunArgs;

/** `--help` was given: nothing else was checked. */
export interface MachineHelpArgs {
  /** Print the help. */
  help: true;
}

/** Run a node. */
export interface MachineRunArgs {
  /** Not the help. */
  help: false;
  /** Node options. */
  node: NodeOptions;
  /** Speak the parent control protocol on stdin/stdout. */
  control: boolean;
  /** No status lines on stderr. */
  quiet: boolean;
  /** `--secret-file` (read with `readSecret`, which also falls back to `LAMPORT_SECRET`). */
  secretFile?: string;
}

/**
 * Parses `machine.ts` arguments; throws {@linkcode UsageError} (one line) naming the bad flag.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseMachineArgs } from "./machine_args.ts";
 * const args = parseMachineArgs(["--id", "1", "--port", "5001", "--peers", "127.0.0.1:5002"]);
 * assert.ok(!args.help);
 * assert.deepEqual(args.node.peers, [{ host: "127.0.0.1", port: 5002 }]);
 * assert.deepEqual(parseMachineArgs(["--help"]), { help: true });
 * assert.throws(() => parseMachineArgs(["--id", "1", "--port", "5001", "--rate", "0"]), {
 *   message: "Cannot use --rate as it must be a number > 0 and <= 1000000: current value is 0",
 * });
 * ```
 */
export function parseMachineArgs(
  args: string[],
  options: MachineArgsOptions = {},
): MachineArgs {
  let flags = parseFlags(MACHINE_FLAGS, args);
  if (flags.boolean("help")) return { help: true };
  const before = leadingArgs(flags, options);
  if (before.length > 0) flags = parseFlags(MACHINE_FLAGS, [...before, ...args]);
  flags.requireAll();
  const id = flags.number("id")!;
  const port = flags.number("port")!;
  const bind = flags.string("bind")!;
  const peers = readPeers(flags, { id, port, bind });
  const [rateMin, rateMax] = orderedPair(flags, "rate-min", "rate-max");
  const optional = (name: MachineFlag) => flags.given(name) ? flags.number(name) : undefined;
  const seed = flags.given("seed") ? flags.number("seed")! : (options.randomSeed ?? randomSeed)();
  const secretFile = flags.string("secret-file");
  const log = flags.string("log")!;
  if (log === STDOUT_LOG && flags.boolean("control")) {
    throw new UsageError(
      `Cannot use --log - with --control as both would write to stdout: current values are ` +
        `--log - and --control (give --log a file path)`,
    );
  }
  if (flags.boolean("hold-links") && !flags.boolean("control")) {
    throw new UsageError(
      `Cannot use --hold-links without --control as only the parent's "link" command starts ` +
        `the links: current value is --hold-links alone (add --control, or drop --hold-links)`,
    );
  }
  return {
    help: false,
    control: flags.boolean("control"),
    quiet: flags.boolean("quiet"),
    ...(secretFile === undefined ? {} : { secretFile }),
    node: {
      id,
      port,
      peers,
      log,
      duration: flags.number("duration")!,
      bind,
      seed,
      rate: optional("rate"),
      rateRange: [rateMin, rateMax],
      dieSides: flags.number("die-sides")!,
      startAt: optional("start-at"),
      drainMs: flags.number("drain-ms")!,
      connectTimeoutMs: flags.number("connect-timeout")!,
      maxQueue: flags.number("max-queue")!,
      ...(flags.boolean("hold-links") ? { holdLinks: true } : {}),
      maxClockJump: optional("max-clock-jump"),
      maxInbound: optional("max-inbound"),
      helloTimeoutMs: optional("hello-timeout"),
      idleTimeoutMs: optional("idle-timeout"),
      maxReceiveQueue: optional("max-receive-queue"),
      ...(flags.boolean("allow-legacy") ? { allowLegacy: true } : {}),
    },
  };
}

/** Where `parseMachineArgs` reads what the command line points at (tests replace them). */
export interface MachineArgsOptions {
  /** A seed for a node without `--seed`; default a random one. */
  randomSeed?: () => number;
  /** Reads a `--cluster` file; default {@linkcode readClusterFile}. */
  readCluster?: (path: string) => ClusterFile;
  /** This host's name (`--id-from-hostname`); default `Deno.hostname()`. */
  hostname?: () => string;
}

/** Flags implied by `--id-from-hostname` and `--cluster`, to go before the command line's. */
function leadingArgs(flags: FlagValues<MachineFlag>, options: MachineArgsOptions): string[] {
  const before: string[] = [];
  let id = flags.given("id") ? flags.number("id")! : undefined;
  if (flags.boolean("id-from-hostname")) {
    if (id !== undefined) {
      throw new UsageError(
        `Cannot use both --id and --id-from-hostname: current values are --id ${id} and ` +
          `--id-from-hostname (want one of them)`,
      );
    }
    id = idFromHostname((options.hostname ?? readHostname)());
    before.push("--id", String(id));
  }
  const path = flags.string("cluster");
  if (path === undefined) return before;
  if (flags.given("peers")) {
    throw new UsageError(
      `Cannot use --peers with --cluster as the cluster file lists the peers: current value ` +
        `is ${JSON.stringify(flags.text("peers"))} (give one of them)`,
    );
  }
  if (id === undefined) {
    throw new UsageError(
      `Cannot start machine.ts with --cluster as --id is required (which node of the file to ` +
        `run), or --id-from-hostname: current value is missing`,
    );
  }
  const file = (options.readCluster ?? readClusterFile)(path);
  return [...before, ...clusterNodeArgs(file, id)];
}

function readHostname(): string {
  if (Deno.permissions.querySync({ name: "sys", kind: "hostname" }).state !== "granted") {
    throw new UsageError(
      "Cannot use --id-from-hostname as this process may not read the host name: current " +
        "permission is none (run with --allow-sys=hostname)",
    );
  }
  return Deno.hostname();
}

/** `--peers`, parsed, without this node itself. */
function readPeers(
  flags: FlagValues<MachineFlag>,
  self: { id: number; port: number; bind: string },
) {
  let peers;
  try {
    peers = parsePeers(flags.string("peers") ?? "");
  } catch (err) {
    throw new UsageError(`Cannot use --peers: ${lowerFirst(errorMessage(err))}`, { cause: err });
  }
  const own = findSelfPeer(peers, self);
  if (own !== null) {
    const why = own.id === self.id
      ? `which has the id of this node (--id ${self.id})`
      : `which is this node (--bind ${self.bind} --port ${self.port})`;
    throw new UsageError(
      `Cannot use --peers as it must list the other nodes only: current value lists ` +
        `${formatPeerEntry(own)}, ${why}`,
    );
  }
  return peers;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/**
 * Why `peers` cannot be used with these settings, or `null`: a legacy (original) peer cannot
 * authenticate, so with a secret it needs `--allow-legacy`.
 *
 * @example
 * ```ts
 * import { legacyPeerProblem } from "./machine_args.ts";
 * import assert from "node:assert/strict";
 * const peers = [{ host: "127.0.0.1", port: 5003, legacy: true }];
 * assert.equal(legacyPeerProblem(peers, { secret: false, allowLegacy: false }), null);
 * assert.equal(legacyPeerProblem(peers, { secret: true, allowLegacy: true }), null);
 * assert.match(legacyPeerProblem(peers, { secret: true, allowLegacy: false })!, /--allow-legacy/);
 * ```
 */
export function legacyPeerProblem(
  peers: PeerAddress[],
  options: { secret: boolean; allowLegacy: boolean },
): string | null {
  const legacy = peers.find((p) => p.legacy);
  if (legacy === undefined || !options.secret || options.allowLegacy) return null;
  return `Cannot use legacy peer ${formatPeerEntry(legacy)} as it cannot authenticate and ` +
    `this node has a secret: current value of --allow-legacy is off (give --allow-legacy to ` +
    `accept what that gives up; see docs/mixed_clusters.md)`;
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
