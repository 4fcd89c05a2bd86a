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
  parsed.node.onNotice = (text) => {
    try {
      console.error(`machine.ts: ${text}`);
    } catch { /* stderr closed: the event is in the log */ }
  };
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
  if (parsed.node.startAt === undefined) node.begin();
  const end = await node.finished;
  removeSignals();
  return exitCode(end);
}

/** 0, or 1 after the last-resort path (its reason goes to stderr, once). */
function exitCode(end: NodeEnd): number {
  if (end.reason !== "failed") return 0;
  console.error(`machine.ts: ${end.logProblem ?? `${end.detail} (END written)`}`);
  return 1;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
