import assert from "node:assert/strict";
import { ExperimentProgress } from "../lib/experiment/progress.ts";

const ROOT = new URL("../", import.meta.url).pathname;

Deno.test("ExperimentProgress: a terminal gets one live line with trial i of n, elapsed and ETA", () => {
  const out: string[] = [];
  let t = 0;
  const p = new ExperimentProgress(3, { mode: "tty", write: (s) => out.push(s), now: () => t });
  p.draw();
  t = 2000;
  p.trialDone("a");
  t = 3000;
  p.trialDone("b");
  t = 4000;
  p.trialDone("c");
  p.finish();
  assert.deepEqual(out, [
    "\r\x1b[2Ktrial 1 of 3  (0 done)  elapsed 0.0 s  ETA -",
    "\r\x1b[2Ktrial 2 of 3  (1 done)  elapsed 2.0 s  ETA 4.0 s",
    "\r\x1b[2Ktrial 3 of 3  (2 done)  elapsed 3.0 s  ETA 1.5 s",
    "\r\x1b[2Ktrial 3 of 3  (3 done)  elapsed 4.0 s  done",
    "\n",
  ]);
  const none: string[] = [];
  const q = new ExperimentProgress(2, { mode: "none", write: (s) => none.push(s) });
  q.draw();
  q.trialDone("x");
  q.finish();
  assert.deepEqual(none, []);
});

Deno.test("experiment.ts: Ctrl-C stops the trials and exits 130 without a report", async () => {
  const dir = `logs/.test-experiment-${crypto.randomUUID().slice(0, 8)}`;
  try {
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-read",
        "--allow-write=logs",
        "--allow-ffi",
        "--allow-sys=cpus,networkInterfaces,hostname",
        "experiment.ts",
        "--trials",
        "200",
        "--duration",
        "600",
        "--jobs",
        "1",
        "--out",
        dir,
      ],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).spawn();
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let seen = "";
    while (!/trial 1 of 800 done/.test(seen)) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += value;
    }
    child.kill("SIGINT");
    await reader.cancel();
    const status = await child.status;
    const stderr = await new Response(child.stderr).text();
    assert.equal(status.code, 130, stderr);
    assert.match(
      stderr,
      /Interrupted by SIGINT: trials so far are in logs\/\.test-experiment-\w+\/ \(no report\)/,
    );
    assert.throws(() => Deno.statSync(`${ROOT}${dir}/experiment.json`), Deno.errors.NotFound);
  } finally {
    Deno.removeSync(`${ROOT}${dir}`, { recursive: true });
  }
});
