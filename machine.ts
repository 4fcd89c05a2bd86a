/**
 * One Lamport-clock node over TCP.
 *
 * ```sh
 * deno run --allow-net --allow-write=logs machine.ts --id 1 --port 5001 \
 *   --peers 127.0.0.1:5002,127.0.0.1:5003 --log logs/machine_1.log --duration 60
 * ```
 *
 * @module
 */
import { runControl } from "./lib/node/control.ts";
import {
  bindWarning,
  legacyPeerProblem,
  MACHINE_USAGE,
  parseMachineArgs,
  UsageError,
} from "./lib/cli/machine_args.ts";
import { readSecret } from "./lib/cli/secret_source.ts";
import { type NodeEnd, startNode } from "./lib/node/node.ts";
import { errorMessage } from "./lib/core/errors.ts";
import { formatPeer } from "./lib/core/peers.ts";
import { writeAllSync } from "./lib/io/write_all.ts";
import { StatusLines } from "./lib/node/status_lines.ts";

async function main(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseMachineArgs(args);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`machine.ts: ${err.message}; see --help`);
    return 2;
  }
  if (parsed.help) {
    console.log(MACHINE_USAGE.trimEnd());
    return 0;
  }
  try {
    const secret = readSecret({ file: parsed.secretFile });
    if (secret !== null) parsed.node.secret = secret;
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`machine.ts: ${err.message}`);
    return 2;
  }
  const legacy = legacyPeerProblem(parsed.node.peers, {
    secret: parsed.node.secret !== undefined,
    allowLegacy: parsed.node.allowLegacy ?? false,
  });
  if (legacy !== null) {
    console.error(`machine.ts: ${legacy}`);
    return 2;
  }
  parsed.node.onNotice = (text) => writeStderr(`machine.ts: ${text}\n`);
  const warning = bindWarning(parsed.node.bind!, { secret: parsed.node.secret !== undefined });
  if (warning !== null) console.error(`machine.ts: ${warning}`);
  let node;
  try {
    node = startNode(parsed.node);
  } catch (err) {
    console.error(`machine.ts: ${errorMessage(err)}`);
    return 1;
  }
  const removeSignals = node.handleSignals();
  node.handleUncaught(); // last resort: END "failed" instead of a crash without END
  if (parsed.control) {
    await runControl(node);
    removeSignals();
    Deno.exit(exitCode(await node.finished)); // stdin may still hold a pending read
  }
  const lines = parsed.quiet ? null : new StatusLines(node, {
    write: writeStderr,
    tty: Deno.stderr.isTerminal(),
  });
  lines?.begin({
    id: node.machine.id,
    address: formatPeer({ host: parsed.node.bind!, port: node.transport.port }),
    log: parsed.node.log,
    rate: node.machine.rate,
    seed: parsed.node.seed,
    timer: true,
  });
  if (parsed.node.startAt === undefined) node.begin();
  const end = await node.finished;
  lines?.finish(end);
  removeSignals();
  return exitCode(end);
}

/** Status text to stderr; a closed stderr is not an error of the node. */
function writeStderr(text: string): void {
  try {
    writeAllSync(Deno.stderr, text);
  } catch { /* stderr closed: nobody is reading the status lines */ }
}

/** 0, or 1 after the last-resort path (its reason goes to stderr, once). */
function exitCode(end: NodeEnd): number {
  if (end.reason !== "failed") return 0;
  console.error(`machine.ts: ${end.logProblem ?? `${end.detail} (END written)`}`);
  return 1;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
