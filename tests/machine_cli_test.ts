import assert from "node:assert/strict";
import { readLog } from "./support/log_check.ts";
import { freePorts } from "./support/ports.ts";

const MACHINE = new URL("../machine.ts", import.meta.url).pathname;

function machine(args: string[], dir: string) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net=0.0.0.0,127.0.0.1", `--allow-write=${dir}`, MACHINE, ...args],
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  });
}

async function waitForLine(path: string, pattern: RegExp, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if (pattern.test(Deno.readTextFileSync(path))) return;
    } catch { /* not created yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Cannot find ${pattern} in ${path} within ${timeoutMs} ms`);
}

Deno.test("machine.ts on SIGTERM writes END and exits 0", async () => {
  const dir = Deno.makeTempDirSync();
  const [port] = freePorts(1);
  const log = `${dir}/m.log`;
  const child = machine([
    "--id",
    "1",
    "--port",
    String(port),
    "--log",
    log,
    "--rate",
    "20",
    "--duration",
    "60",
  ], dir)
    .spawn();
  await waitForLine(log, /"event": "INTERNAL"/);
  child.kill("SIGTERM");
  const { code } = await child.output();
  assert.equal(code, 0);
  const events = readLog(log);
  assert.equal(events[0].event, "STARTUP");
  assert.equal(events.at(-1)!.event, "END");
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("machine.ts with its port taken fails clearly and leaves the existing log untouched", async () => {
  const dir = Deno.makeTempDirSync();
  const blocker = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = blocker.addr.port;
  const log = `${dir}/m.log`;
  Deno.writeTextFileSync(log, "previous run\n");
  const { code, stderr } = await machine(["--id", "1", "--port", String(port), "--log", log], dir)
    .output();
  blocker.close();
  assert.equal(code, 1);
  assert.match(
    new TextDecoder().decode(stderr),
    new RegExp(`Cannot listen on 127\\.0\\.0\\.1:${port}: address already in use`),
  );
  assert.equal(Deno.readTextFileSync(log), "previous run\n");
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("machine.ts rejects a malformed peer entry with exit 2 naming it", async () => {
  const dir = Deno.makeTempDirSync();
  const { code, stderr } = await machine(
    ["--id", "1", "--port", "5001", "--peers", "127.0.0.1:5002,localhost", "--log", `${dir}/m.log`],
    dir,
  ).output();
  assert.equal(code, 2);
  assert.equal(
    new TextDecoder().decode(stderr),
    `machine.ts: Cannot use --peers: cannot parse peer "localhost" as it must be ` +
      `[legacy:][id@]host:port with port 1..65535 (IPv6 as [::1]:5002); see --help\n`,
  );
  assert.throws(() => Deno.statSync(`${dir}/m.log`), Deno.errors.NotFound);
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("machine.ts --help prints the flags and exits 0", async () => {
  const { code, stdout } = await machine(["--help"], "/tmp").output();
  assert.equal(code, 0);
  const text = new TextDecoder().decode(stdout);
  for (
    const flag of ["--id", "--port", "--peers", "--log", "--duration", "--bind", "--seed", "--rate"]
  ) {
    assert.ok(text.includes(flag), flag);
  }
});

Deno.test("machine.ts tells its user on stderr: where it listens, what it waits for, links, the final counts", async () => {
  const dir = Deno.makeTempDirSync();
  const [p1, p2, p3, p4] = freePorts(4); // nothing listens on p3: node 3 never comes up
  const peers = (self: number) =>
    [[1, p1], [2, p2], [3, p3]].filter(([id]) => id !== self).map(([id, p]) =>
      `${id}@127.0.0.1:${p}`
    )
      .join(",");
  const common = ["--duration", "1.5", "--rate", "20", "--connect-timeout", "200"];
  const startAt = Date.now() + 1500;
  const [one, two, quiet] = await Promise.all([
    machine([
      "--id",
      "1",
      "--port",
      `${p1}`,
      "--peers",
      peers(1),
      "--log",
      `${dir}/m1.log`,
      "--seed",
      "1",
      ...common,
    ], dir).output(),
    machine([
      "--id",
      "2",
      "--port",
      `${p2}`,
      "--peers",
      peers(2),
      "--log",
      `${dir}/m2.log`,
      "--seed",
      "2",
      "--start-at",
      `${startAt}`,
      ...common,
    ], dir).output(),
    machine(["--id", "4", "--port", `${p4}`, "--log", `${dir}/m4.log`, "--quiet", ...common], dir)
      .output(),
  ]);
  const dec = new TextDecoder();
  assert.equal(one.code, 0, dec.decode(one.stderr));
  assert.equal(two.code, 0, dec.decode(two.stderr));
  assert.equal(quiet.code, 0);
  assert.equal(dec.decode(quiet.stderr), "", "--quiet prints nothing");
  assert.equal(dec.decode(one.stdout) + dec.decode(two.stdout), "", "stdout stays clean");
  for (const [id, res, port] of [[1, one, p1], [2, two, p2]] as const) {
    const lines = dec.decode(res.stderr).trimEnd().split("\n");
    assert.equal(
      lines[0],
      `node ${id}: listening on 127.0.0.1:${port}, logging to "${dir}/m${id}.log" (rate 20 ticks/s, seed ${id})`,
    );
    const other = id === 1 ? `2@127.0.0.1:${p2}` : `1@127.0.0.1:${p1}`;
    assert.ok(lines.includes(`node ${id}: linked 1/2: ${other} up`), lines.join("\n"));
    // The final line agrees with the log.
    const log = readLog(`${dir}/m${id}.log`);
    const end = log.at(-1)!;
    assert.ok(end.event === "END");
    const count = (e: string) => log.filter((x) => x.event === e).length;
    const sent = log.filter((x) => x.event === "SEND")
      .reduce((n, x) => n + (x.to as unknown[]).length, 0);
    const queued = end.queued;
    assert.equal(
      lines.at(-1),
      `node ${id}: completed after 1.5 s: final clock ${end.final_clock}; events ${
        count("SEND") + count("RECEIVE") + count("INTERNAL")
      }; messages sent ${sent}, received ${count("RECEIVE")}${
        queued > 0 ? ` (+${queued} queued at END)` : ""
      }, undelivered ${count("UNDELIVERED")}; never connected: 3@127.0.0.1:${p3}`,
    );
  }
  const two_ = dec.decode(two.stderr);
  assert.match(
    two_,
    new RegExp(
      `node 2: waiting for --start-at ${
        new Date(startAt).toISOString().replaceAll(".", "\\.")
      } \\(in \\d\\.\\d s\\)`,
    ),
  );
  assert.match(two_, /node 2: started; ticking for 1\.5 s/);
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("a usage error is one line ending in 'see --help' (machine.ts and run_machine.ts), exit 2", async () => {
  const runMachine = new URL("../run_machine.ts", import.meta.url).pathname;
  const run = (script: string, args: string[]) =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-read=/tmp", script, ...args],
      stdout: "piped",
      stderr: "piped",
      stdin: "null",
    }).output();
  const [duration, unknown, count] = await Promise.all([
    run(MACHINE, ["--id", "1", "--port", "5001", "--duration", "-1"]),
    run(MACHINE, ["--id", "1", "--port", "5001", "--rat", "3"]),
    run(runMachine, ["--count", "1001"]),
  ]);
  const dec = new TextDecoder();
  assert.deepEqual([duration.code, unknown.code, count.code], [2, 2, 2]);
  assert.equal(
    dec.decode(duration.stderr),
    "machine.ts: Cannot use --duration as it must be a number 0..1000000: current value is -1; " +
      "see --help\n",
  );
  assert.equal(
    dec.decode(unknown.stderr),
    "machine.ts: Cannot use --rat: it is not a flag of machine.ts (did you mean --rate?); " +
      "see --help\n",
  );
  assert.equal(
    dec.decode(count.stderr),
    "run_machine.ts: Cannot use --count as it must be an integer 1..128, or 1..1000 with " +
      "--simulate: current value is 1001; see --help\n",
  );
});
