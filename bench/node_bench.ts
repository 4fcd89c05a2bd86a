/**
 * Node throughput benchmark: three `machine.ts` processes linked on 127.0.0.1, each at a
 * fixed rate, logging on, started together over the control protocol. Reports per node the
 * ticks reached vs requested, events/s, CPU time and peak RSS (as the node reports them in its `done` control message).
 *
 * deno run --allow-run --allow-read --allow-write=bench/out --allow-net=127.0.0.1 \
 *   bench/node_bench.ts --rate 5000 --duration 5 [--secret]
 *
 * With `--secret` the nodes share a fresh secret (`--secret-file`): authenticated links, a MAC
 * on every frame.
 */
import { parseArgs } from "node:util";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    rate: { type: "string", default: "5000" },
    duration: { type: "string", default: "5" },
    nodes: { type: "string", default: "3" },
    secret: { type: "boolean", default: false },
  },
});
const rate = Number(values.rate), duration = Number(values.duration), n = Number(values.nodes);
const out = new URL("./out/", import.meta.url).pathname;
Deno.mkdirSync(out, { recursive: true });
const machine = new URL("../machine.ts", import.meta.url).pathname;
const secretFile = `${out}/node_bench.secret`;
if (values.secret) {
  const hex = Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16))
    .join("");
  Deno.writeTextFileSync(secretFile, hex + "\n", { mode: 0o600 });
  Deno.chmodSync(secretFile, 0o600);
}

const ports = Array.from({ length: n }, () => Deno.listen({ hostname: "127.0.0.1", port: 0 }))
  .map((l) => (l.close(), l.addr.port));

interface Proc {
  id: number;
  child: Deno.ChildProcess;
  lines: AsyncIterator<string>;
  writer: WritableStreamDefaultWriter<Uint8Array>;
  cpu?: number;
  rssKiB?: number;
}

async function* lines(stream: ReadableStream<Uint8Array>) {
  let buf = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    buf += chunk;
    let i;
    while ((i = buf.indexOf("\n")) !== -1) {
      yield buf.slice(0, i);
      buf = buf.slice(i + 1);
    }
  }
}

async function until(p: Proc, type: string) {
  for (;;) {
    const r = await p.lines.next();
    if (r.done) throw new Error(`node ${p.id} exited before '${type}'`);
    const msg = JSON.parse(r.value);
    if (msg.type === type) return msg;
  }
}

const procs: Proc[] = ports.map((port, i) => {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net=127.0.0.1",
      `--allow-read=${out}`,
      `--allow-write=${out}`,
      machine,
      "--id",
      String(i + 1),
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--peers",
      ports.flatMap((p, j) => (p === port ? [] : [`${j + 1}@127.0.0.1:${p}`])).join(","),
      "--log",
      `${out}/node_bench_${i + 1}.log`,
      "--duration",
      String(duration),
      "--rate",
      String(rate),
      "--seed",
      String(i + 1),
      ...(values.secret ? ["--secret-file", secretFile] : []),
      "--control",
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  return {
    id: i + 1,
    child,
    lines: lines(child.stdout)[Symbol.asyncIterator](),
    writer: child.stdin.getWriter(),
  };
});
await Promise.all(procs.map((p) => until(p, "linked")));
const startAt = Date.now() + 200;
await Promise.all(procs.map((p) => p.writer.write(new TextEncoder().encode(`start ${startAt}\n`))));
await Promise.all(procs.map(async (p) => {
  const done = await until(p, "done");
  p.cpu = done.cpu_ms / 1000;
  p.rssKiB = done.peak_rss / 1024;
  await p.writer.close();
  await p.child.status;
}));

console.log(
  `| node | requested ticks | ticks | % | events/s | SEND | RECEIVE | INTERNAL | UNDELIVERED | CPU s | peak RSS MiB |`,
);
console.log(`|---|---|---|---|---|---|---|---|---|---|---|`);
for (const p of procs) {
  const counts: Record<string, number> = {};
  const text = Deno.readTextFileSync(`${out}/node_bench_${p.id}.log`);
  for (const m of text.matchAll(/"event": "(\w+)"/g)) counts[m[1]] = (counts[m[1]] ?? 0) + 1;
  const ticks = (counts.SEND ?? 0) + (counts.RECEIVE ?? 0) + (counts.INTERNAL ?? 0);
  const requested = rate * duration;
  console.log(
    `| ${p.id} | ${requested} | ${ticks} | ${(100 * ticks / requested).toFixed(2)} | ${
      Math.round(ticks / duration)
    } | ${counts.SEND ?? 0} | ${counts.RECEIVE ?? 0} | ${counts.INTERNAL ?? 0} | ${
      counts.UNDELIVERED ?? 0
    } | ${p.cpu!.toFixed(2)} | ${(p.rssKiB! / 1024).toFixed(1)} |`,
  );
}
