import assert from "node:assert/strict";
import { LogReader } from "../lib/analysis/_log_reader.ts";
import { KEY } from "../lib/analysis/_event_line.ts";

function startup(id: number): string {
  return `{"event": "STARTUP", "system_time": 1000, "machine_id": ${id}, "clock_rate": 3}\n`;
}

function internal(i: number, pad: number): string {
  const note = pad > 0 ? `, "note": "${"x".repeat(pad)}"` : "";
  return `{"event": "INTERNAL", "system_time": ${
    1000 + i / 1000
  }, "machine_id": 1, "old_clock": ${i}, "new_clock": ${i + 1}${note}}`;
}

function withFile(text: string, fn: (path: string) => void): void {
  const path = Deno.makeTempFileSync({ suffix: ".log" });
  try {
    Deno.writeTextFileSync(path, text);
    fn(path);
  } finally {
    Deno.removeSync(path);
  }
}

function readAll(path: string): { clocks: number[]; times: number[]; r: LogReader } {
  const r = new LogReader(path);
  const clocks: number[] = [], times: number[] = [];
  try {
    while (r.next()) {
      clocks.push(r.line.num[KEY.new_clock]);
      times.push(r.line.num[KEY.system_time]);
    }
  } finally {
    r.close();
  }
  return { clocks, times, r };
}

Deno.test("LogReader reads every line across 1 MiB chunk boundaries, long lines and CRLF", () => {
  const lines = [startup(1)];
  // Mostly short lines, some longer than the 64 KiB look-ahead and than a whole chunk.
  for (let i = 0; i < 30000; i++) {
    const pad = i % 5000 === 17 ? 70000 : i === 20000 ? 1_200_000 : (i * 7) % 50;
    lines.push(internal(i, pad) + (i % 3 === 0 ? "\r\n" : "\n"));
  }
  withFile(lines.join(""), (path) => {
    const { clocks, times, r } = readAll(path);
    assert.equal(clocks.length, 30001);
    assert.equal(r.lineNo, 30001);
    for (let i = 0; i < 30000; i++) {
      assert.equal(clocks[i + 1], i + 1);
      assert.equal(times[i + 1], JSON.parse(`${1000 + i / 1000}`));
    }
  });
});

Deno.test("LogReader accepts a last line without newline and reports a cut one", () => {
  const good = startup(1) + internal(0, 0) + "\n" + internal(1, 0);
  withFile(good, (path) => {
    const { clocks, r } = readAll(path);
    assert.deepEqual(clocks.slice(1), [1, 2]);
    assert.equal(r.truncated, false);
  });
  const cut = startup(1) + internal(0, 0) + "\n" + internal(1, 0).slice(0, 30);
  const warnings: string[] = [];
  withFile(cut, (path) => {
    const r = new LogReader(path, { warn: (m) => warnings.push(m) });
    let n = 0;
    while (r.next()) n++;
    r.close();
    assert.equal(n, 2);
    assert.equal(r.truncated, true);
    assert.match(warnings[0], /:3: truncated last line ignored/);
  });
});

Deno.test("LogReader rejects a blank line in the middle with file:line", () => {
  withFile(startup(1) + "\n" + internal(0, 0) + "\n", (path) => {
    const r = new LogReader(path);
    try {
      assert.equal(r.next(), true);
      assert.throws(() => r.next(), {
        message: `${path}:2: Cannot parse line as JSON: expected a value at end of line`,
      });
    } finally {
      r.close();
    }
  });
});
