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
