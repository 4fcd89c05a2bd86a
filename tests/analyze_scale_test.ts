import assert from "node:assert/strict";
import { observations } from "../lib/analysis/_observations.ts";
import { analyzeLogs } from "../lib/analysis/analyze.ts";
import { AnalysisError } from "../lib/analysis/errors.ts";
import { DriftTracker } from "../lib/analysis/_drift_tracker.ts";
import { MergeHeap } from "../lib/analysis/_merge_heap.ts";
import { PairBits, PairMap } from "../lib/analysis/_pair_map.ts";
import { IntTable } from "../lib/analysis/_int_table.ts";
import { JsonScanner, T_NUM } from "../lib/analysis/_json_scanner.ts";
import { parseClusterArgs } from "../lib/cli/cluster_args.ts";
import { runSimulationCluster } from "../lib/cluster/simulate.ts";

const T0 = 1764300000;
const enc = new TextEncoder();

function startup(id: number, extra = ""): string {
  return `{"event": "STARTUP", "system_time": ${T0}, "machine_id": ${id}, "clock_rate": 2, "port": ${
    5000 + id
  }, "peers": ["127.0.0.1:${5003 - id}"${extra}], "seed": ${id}, "die_sides": 10}`;
}

function send(id: number, seq: number, clock: number, t: number): string {
  return `{"event": "SEND", "system_time": ${T0 + t}, "machine_id": ${id}, "old_clock": ${
    clock - 1
  }, "new_clock": ${clock}, "recipients": [["127.0.0.1", ${5003 - id}]], "to": [${
    3 - id
  }], "seq": ${seq}}`;
}

function receive(seq: number, clock: number, msg: number, t: number): string {
  return `{"event": "RECEIVE", "system_time": ${T0 + t}, "machine_id": 2, "old_clock": ${
    clock - 1
  }, "new_clock": ${clock}, "queue_len": 0, "from": 1, "seq": ${seq}, "msg_clock": ${msg}, "arrival_time": ${
    T0 + t - 0.01
  }}`;
}

function end(id: number, clock: number, t: number, queued = ""): string {
  return `{"event": "END", "system_time": ${
    T0 + t
  }, "machine_id": ${id}, "final_clock": ${clock}, "queued": ${
    queued ? 1 : 0
  }, "queued_msgs": [${queued}]}`;
}

function withLogs(files: Record<string, string | Uint8Array>, fn: (dir: string) => void): void {
  const dir = Deno.makeTempDirSync({ prefix: "analyze_scale_" });
  try {
    for (const [name, text] of Object.entries(files)) {
      Deno.writeFileSync(`${dir}/${name}`, typeof text === "string" ? enc.encode(text) : text);
    }
    fn(dir);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

Deno.test("analyzeLogs() handles any seq a log can hold with bounded memory (4e12, 2^32 + 5, 2^53 − 1)", () => {
  const big = 4_000_000_000_000, wrap = 2 ** 32 + 5, max = Number.MAX_SAFE_INTEGER;
  const m1 = [
    startup(1),
    send(1, big, 1, 0.1),
    send(1, wrap, 2, 0.2),
    send(1, max, 3, 0.3),
    end(1, 3, 1),
  ];
  const m2 = [
    startup(2),
    receive(big, 2, 1, 0.15),
    receive(wrap, 3, 2, 0.25),
    receive(wrap, 4, 2, 0.26), // the same message again: a duplicate, at any seq
    receive(5, 5, 2, 0.27), // 2^32 + 5 and 5 share their low 32 bits: not the same message
    end(2, 5, 1, `{"from": 1, "seq": ${max}, "clock": 3}`),
  ];
  withLogs({ "m1.log": m1.join("\n") + "\n", "m2.log": m2.join("\n") + "\n" }, (dir) => {
    const before = Deno.memoryUsage().rss;
    const { summary: s } = analyzeLogs([dir]);
    assert.ok(Deno.memoryUsage().rss - before < 64 << 20, "no allocation sized by seq");
    const m = s.messages!;
    assert.deepEqual(
      [m.sent, m.matched, m.queued_at_end, m.duplicates, m.orphans, m.unaccounted],
      [3, 2, 1, 1, 1, 0],
    );
    const c = s.checks.find((x) => x.id === "conservation")!;
    assert.deepEqual(c.violations, [
      `${dir}/m2.log:4: duplicate: message (from 1, seq 4294967301) received again`,
      `${dir}/m2.log:5: orphan: no SEND matches this message`,
    ]);
  });
});

Deno.test("analyzeLogs() refuses a seq the schema forbids, naming file:line", () => {
  for (const seq of ["9007199254740992", "0", "-3", "1e300"]) {
    const m2 = [startup(2), receive(1, 2, 1, 0.1).replace('"seq": 1', `"seq": ${seq}`)];
    withLogs({ "m2.log": m2.join("\n") + "\n" }, (dir) => {
      assert.throws(() => analyzeLogs([dir]), (e: unknown) => {
        assert.ok(e instanceof AnalysisError);
        assert.match(
          e.message,
          new RegExp(
            `m2\\.log:2: Cannot read RECEIVE event as "seq" must be in 1\\.\\.2\\^53-1: current value is `,
          ),
        );
        return true;
      });
    });
  }
});

Deno.test("PairMap and PairBits keep seqs apart at any size, small or past 2^53 / pairs", () => {
  const m = new PairMap(1_000_000);
  const seqs = [1, 2 ** 32 + 5, 5, 4e12, 9e9, Number.MAX_SAFE_INTEGER];
  seqs.forEach((seq, i) => m.set(999_999, seq, i));
  seqs.forEach((seq, i) => assert.equal(m.get(999_999, seq, -1), i, `seq ${seq}`));
  assert.equal(m.get(0, 5, -1), -1);
  assert.equal(m.size, seqs.length);
  m.delete(999_999, 4e12);
  const values: number[] = [];
  m.forEachValue((v) => values.push(v));
  assert.deepEqual(values.sort(), [0, 1, 2, 4, 5]);
  const bits = new PairBits(9);
  for (const seq of seqs) assert.equal(bits.testAndSet(8, seq), false, `seq ${seq}`);
  for (const seq of seqs) assert.equal(bits.test(8, seq), true, `seq ${seq}`);
  for (const seq of [3, 2 ** 32 + 4, 2 ** 32 + 6, 4e12 + 1]) assert.equal(bits.test(8, seq), false);
  assert.equal(bits.test(7, 5), false);
});

Deno.test("IntTable agrees with a Map through inserts, updates, deletes and growth", () => {
  const t = new IntTable(16), m = new Map<number, number>();
  let x = 99;
  for (let step = 0; step < 200_000; step++) {
    x = (x * 48271) % 2147483647;
    const key = (x % 5000) * (step % 3 === 0 ? 2 ** 40 : 1); // small and huge keys
    if (x % 4 === 0) assert.equal(t.delete(key), m.delete(key));
    else {
      t.set(key, step);
      m.set(key, step);
    }
    if (step % 997 === 0) assert.equal(t.get(key, -1), m.get(key) ?? -1);
  }
  assert.equal(t.size, m.size);
  for (const [k, v] of m) assert.equal(t.get(k, -1), v);
  let sum = 0;
  t.forEachValue((v) => (sum += v));
  assert.equal(sum, [...m.values()].reduce((a, b) => a + b, 0));
});

Deno.test("JsonScanner reads 16-digit integers (sessions) exactly like JSON.parse, around 2^53 too", () => {
  const scanner = new JsonScanner();
  const samples = [
    "7813992236133085",
    "9007199254740991",
    "9007199254740992",
    "9007199254740993",
    "9007199254740995",
    "-9007199254740991",
    "9999999999999999",
    "12345678901234567",
    "1000000000000000",
    "-0",
  ];
  let x = 5;
  for (let i = 0; i < 2000; i++) {
    x = (x * 48271) % 2147483647;
    samples.push(String(Math.floor((x / 2147483647) * Number.MAX_SAFE_INTEGER)));
  }
  for (const text of samples) {
    const bytes = enc.encode(text);
    scanner.reset(bytes, 0, bytes.length);
    assert.equal(scanner.value(), T_NUM, text);
    assert.ok(Object.is(scanner.num, JSON.parse(text)), `${text}: ${scanner.num}`);
  }
});

Deno.test("analyzeLogs(): invalid UTF-8 anywhere in a line is a bad line with file:line", () => {
  const line = enc.encode(
    `{"event": "INTERNAL", "system_time": ${
      T0 + 1
    }, "machine_id": 2, "old_clock": 0, "new_clock": 1, "note": "caf\u00e9"}\n`,
  );
  const cases: [string, number[]][] = [
    ["a lone continuation byte", [0x80]],
    ["an overlong '/'", [0xc0, 0xaf]],
    ["a UTF-16 surrogate", [0xed, 0xa0, 0x80]],
    ["above U+10FFFF", [0xf4, 0x90, 0x80, 0x80]],
    ["a cut sequence", [0xe2, 0x82]],
  ];
  for (const [what, bytes] of cases) {
    // Replace the "é" (0xc3 0xa9) with the bad bytes.
    const at = line.indexOf(0xc3);
    const bad = new Uint8Array([...line.subarray(0, at), ...bytes, ...line.subarray(at + 2)]);
    const text = new Uint8Array([
      ...enc.encode(startup(2) + "\n"),
      ...bad,
      ...enc.encode(end(2, 1, 2) + "\n"),
    ]);
    withLogs({ "m2.log": text }, (dir) => {
      assert.throws(
        () => analyzeLogs([dir]),
        {
          message: new RegExp(
            `m2\\.log:2: Cannot parse line as JSON: invalid UTF-8 in string: current value is byte 0x${
              bytes[0].toString(16)
            } at column `,
          ),
        },
        what,
      );
    });
  }
  // Valid multi-byte UTF-8 (2, 3 and 4 bytes) is fine.
  const ok = startup(2) + "\n" + new TextDecoder().decode(line).replace("café", "café €𝄞") +
    end(2, 1, 2) + "\n";
  withLogs({ "m2.log": ok }, (dir) => assert.equal(analyzeLogs([dir]).summary.total_events, 3));
});

Deno.test("analyzeLogs() reads valid lines over 64 KiB whole: a long STARTUP first line and a long END last line", () => {
  const peers = Array.from({ length: 6000 }, (_, i) => `, "10.0.${i >> 8}.${i & 255}:5001"`).join(
    "",
  );
  const queued = Array.from({ length: 3000 }, (_, i) => `{"from": 1, "seq": ${i + 10}, "clock": 7}`)
    .join(", ");
  const m2 = [startup(2, peers), receive(1, 2, 1, 0.1), end(2, 2, 3.5, queued)];
  assert.ok(m2[0].length > 65536 && m2[2].length > 65536);
  const m1 = [startup(1), send(1, 1, 1, 0.05), end(1, 1, 1)];
  withLogs({ "m1.log": m1.join("\n") + "\n", "m2.log": m2.join("\n") + "\n" }, (dir) => {
    const { summary: s } = analyzeLogs([dir]);
    assert.equal(s.total_events, 6);
    // The run's end is the long END's time (read from the file's tail), not its start.
    assert.equal(Number(s.run.duration.toFixed(3)), 3.5);
    assert.equal(s.machines[1].queued_at_end, 1);
    assert.equal(s.messages!.orphans, 3000); // queued seqs 10.. that machine 1 never sent
  });
});

Deno.test("MergeHeap yields lines in (time, stream) order like a linear scan", () => {
  let x = 12345;
  const rand = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (const k of [1, 2, 3, 7, 64, 1000]) {
    const streams = Array.from({ length: k }, () => {
      let t = 0;
      return Array.from({ length: Math.floor(rand() * 20) }, () => (t += Math.floor(rand() * 3)));
    });
    const pos = new Array(k).fill(0);
    const heap = new MergeHeap(Float64Array.from(streams, (s) => s[0] ?? Infinity));
    const got: number[] = [];
    for (let i = heap.top(); i >= 0; i = heap.top()) {
      got.push(i);
      heap.replaceTop(streams[i][++pos[i]] ?? Infinity);
    }
    const want: number[] = [];
    const p2 = new Array(k).fill(0);
    for (;;) {
      let best = -1;
      for (let j = 0; j < k; j++) {
        const t = streams[j][p2[j]];
        if (t !== undefined && (best < 0 || t < streams[best][p2[best]])) best = j;
      }
      if (best < 0) break;
      want.push(best);
      p2[best]++;
    }
    assert.deepEqual(got, want, `k = ${k}`);
  }
});

Deno.test("DriftTracker's max − min over started machines matches a brute-force scan", () => {
  for (const n of [1, 3, 5, 1000]) {
    const d = new DriftTracker(n, { start: 0, end: 100, columns: 50 });
    const clocks = new Map<number, number>();
    let maxDrift = 0, x = 7;
    for (let step = 0; step < 3000; step++) {
      x = (x * 48271) % 2147483647;
      const i = x % n, clock = (clocks.get(i) ?? 0) + (x % 5);
      clocks.set(i, clock);
      d.update(i, clock, step / 30);
      const v = [...clocks.values()];
      maxDrift = Math.max(maxDrift, Math.max(...v) - Math.min(...v));
    }
    assert.equal(d.stats(100).max, maxDrift, `n = ${n}`);
  }
});

Deno.test("analyzeLogs(): 300 machines: same result with files reopened per chunk, and under ulimit -n 64", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "analyze_300_" });
  try {
    const options = parseClusterArgs([
      "--simulate",
      "--count",
      "300",
      "--duration",
      "3",
      "--seed",
      "5",
    ]);
    const run = await runSimulationCluster(options, {
      dir,
      startMs: T0 * 1000,
      handleSignals: false,
    });
    assert.equal(run.ok, true);
    const kept = analyzeLogs([dir], { maxOpenFiles: 1000 }).summary;
    const reopened = analyzeLogs([dir], { maxOpenFiles: 16 }).summary;
    assert.deepEqual(reopened, kept);
    assert.equal(kept.status, "verified");
    const m = kept.messages!;
    assert.ok(m.sent > 1000, `sent ${m.sent}`);
    assert.equal(m.sent, m.matched + m.queued_at_end + m.undelivered);
    // The queue observation names the highest peaks, then a count and a range (not 299 names).
    const queues = observations(kept).find((l) => l.startsWith("The longest queue"))!;
    assert.match(
      queues,
      /; the highest of the others peaked at (machine \d+: \d+, ){7}and 292 more at \d+–\d+\.$/,
    );
    // The CLI with fewer descriptors than files (the merge holds one file per machine at most).
    const out = await new Deno.Command("sh", {
      args: [
        "-c",
        `ulimit -n 64 && exec "$0" run --allow-read --allow-write="$1" --allow-ffi --allow-sys=cpus,networkInterfaces,hostname analyze_logs.ts "$1"`,
        Deno.execPath(),
        dir,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    assert.match(text, /Analyzed 300 log\(s\)/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
