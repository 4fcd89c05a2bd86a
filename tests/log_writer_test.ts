/** The node's log file: buffered lines reach the disk on a timer armed only when there are some. */
import assert from "node:assert/strict";
import { LogWriter } from "../lib/io/log_writer.ts";

Deno.test("LogWriter: a line reaches the file within flushMs without a close, and again after an idle spell", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "log_writer_" });
  const path = `${dir}/m.log`;
  const log = LogWriter.open(path, { flushMs: 30 });
  try {
    const internal = (c: number) => ({
      event: "INTERNAL" as const,
      system_time: c,
      machine_id: 1,
      old_clock: c - 1,
      new_clock: c,
    });
    const lines = () => Deno.readTextFileSync(path).split("\n").filter((l) => l !== "").length;
    log.write(internal(1));
    assert.equal(lines(), 0, "buffered, not written at once");
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(lines(), 1);
    await new Promise((r) => setTimeout(r, 200)); // idle: nothing to flush
    log.write(internal(2));
    log.write(internal(3));
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(lines(), 3);
  } finally {
    log.close();
    Deno.removeSync(dir, { recursive: true });
  }
});
