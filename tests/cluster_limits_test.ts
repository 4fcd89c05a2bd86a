import assert from "node:assert/strict";
import { ClusterUsageError, parseClusterArgs } from "../lib/cli/cluster_args.ts";
import { checkReusedDir } from "../lib/cluster/run_dir.ts";
import { UsageError } from "../lib/cli/machine_args.ts";
import { parseRunArgs } from "./support/machine_args.ts";

const RUN_MACHINE = new URL("../run_machine.ts", import.meta.url).pathname;

Deno.test("parseClusterArgs bounds --grace, --duration and --count by what can work", () => {
  const bad: [string[], RegExp][] = [
    [
      ["--grace", "0"],
      /^Cannot use --grace as it must be a number 0\.5\.\.3600: current value is 0$/,
    ],
    [
      ["--duration", "2500000"],
      /^Cannot use --duration as it must be a number 0\.\.1000000: current value is 2500000$/,
    ],
    [
      ["--count", "70000"],
      /^Cannot use --count as it must be an integer 1\.\.128, or 1\.\.1000 with --simulate: current value is 70000$/,
    ],
    [
      ["--count", "129"],
      /^Cannot use --count as it must be an integer 1\.\.128, or 1\.\.1000 with --simulate: current value is 129$/,
    ],
    [["--count", "1001", "--simulate"], /--count as it must be .*current value is 1001$/],
    [
      ["--count", "1000", "--base-port", "65000", "--simulate"],
      /^Cannot use --base-port 65000 with --count 1000 as the last port must be <= 65535: current last port is 65999$/,
    ],
  ];
  for (const [args, re] of bad) {
    assert.throws(
      () => parseClusterArgs(args),
      (e) => e instanceof ClusterUsageError && re.test(e.message),
    );
  }
  assert.equal(parseClusterArgs(["--count", "128"]).count, 128); // measured: see BENCHMARKS.md
  assert.equal(parseClusterArgs(["--count", "1000", "--simulate"]).count, 1000);
  assert.equal(parseClusterArgs(["--grace", "0.5"]).grace, 0.5);
});

Deno.test("parseMachineArgs bounds --duration and --start-at so timers cannot overflow", () => {
  const base = ["--id", "1", "--port", "1"];
  assert.throws(
    () => parseRunArgs([...base, "--duration", "2000000"]),
    (e) => e instanceof UsageError && /--duration as .*: current value is 2000000$/.test(e.message),
  );
  const farFuture = String(Date.now() + 30 * 86_400_000);
  assert.throws(
    () => parseRunArgs([...base, "--start-at", farFuture]),
    (e) =>
      e instanceof UsageError &&
      /^Cannot use --start-at as it must be ms since the Unix epoch, at most 1000000 s from now: current value is \d+$/
        .test(e.message),
  );
  const soon = Date.now() + 5000;
  assert.equal(parseRunArgs([...base, "--start-at", String(soon)]).node.startAt, soon);
});

Deno.test("checkReusedDir refuses a --logs-dir holding logs this run would not overwrite", () => {
  const dir = Deno.makeTempDirSync();
  for (const id of [1, 2, 3, 4, 5]) Deno.writeTextFileSync(`${dir}/machine_${id}.log`, "");
  Deno.writeTextFileSync(`${dir}/notes.txt`, "");
  assert.throws(
    () => checkReusedDir(dir, 3),
    /as it holds logs of another run: current logs include machine_4\.log, machine_5\.log \(/,
  );
  checkReusedDir(dir, 5); // all overwritten by a 5-node run: fine
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("run_machine.ts --logs-dir reused by a smaller run fails before starting anything", async () => {
  const dir = Deno.makeTempDirSync();
  const run = (count: string) =>
    new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        `--allow-read=${dir}`,
        `--allow-write=${dir}`,
        RUN_MACHINE,
        "--simulate",
        "--quiet",
        "--count",
        count,
        "--duration",
        "1",
        "--seed",
        "1",
        "--logs-dir",
        dir,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
  assert.equal((await run("5")).code, 0);
  const second = await run("3");
  assert.equal(second.code, 1);
  assert.match(new TextDecoder().decode(second.stderr), /machine_4\.log, machine_5\.log/);
  Deno.removeSync(dir, { recursive: true });
});
