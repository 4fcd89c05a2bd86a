/**
 * The README's commands work as written: every `deno task …` line of its shell blocks runs, in
 * order, in a fresh copy of the project (so `logs/run_*` holds only the runs these commands
 * made), shortened where a command would take a minute.
 */
import assert from "node:assert/strict";

const ROOT = new URL("../", import.meta.url);
const SKIP_DIRS = new Set([".git", "logs", "dist", "node_modules", "out"]);

/** The `deno task` lines of the README's `sh` blocks, in order, comments removed. */
function readmeTaskCommands(readme: string): string[] {
  const commands: string[] = [];
  for (const block of readme.matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const raw of block[1].split("\n")) {
      const line = raw.replace(/\s+#.*$/, "").trim();
      if (line.startsWith("deno task ")) commands.push(line);
    }
  }
  return commands;
}

/** The command as the test runs it: `null` to skip (what CI runs anyway), else shortened. */
function shortened(command: string): string | null {
  if (/^deno task (test|check)\b/.test(command)) return null;
  if (/^deno task run\b/.test(command) && !command.includes("--simulate")) {
    return command.includes("--duration")
      ? command.replace(/--duration \S+/, "--duration 2")
      : `${command} --duration 2`;
  }
  return command.replace(/--sweep count=2\.\.32/, "--sweep count=2..3");
}

function copyTree(from: URL, to: string): void {
  Deno.mkdirSync(to, { recursive: true });
  for (const e of Deno.readDirSync(from)) {
    if (SKIP_DIRS.has(e.name)) continue;
    if (e.isDirectory) copyTree(new URL(`${e.name}/`, from), `${to}/${e.name}`);
    else if (e.isFile) Deno.copyFileSync(new URL(e.name, from), `${to}/${e.name}`);
  }
}

Deno.test("readmeTaskCommands() takes every deno task line of the sh blocks, without comments", () => {
  const text = "```sh\ndeno task run        # 3 nodes\nnpm i x\n```\n```ts\ndeno task no\n```\n" +
    "```sh\ndeno task analyze logs/run_*/*.log\n```";
  assert.deepEqual(readmeTaskCommands(text), [
    "deno task run",
    "deno task analyze logs/run_*/*.log",
  ]);
});

Deno.test("every deno task command of the README works as written (shortened), in a fresh copy", async () => {
  const readme = Deno.readTextFileSync(new URL("README.md", ROOT));
  const commands = readmeTaskCommands(readme);
  assert.ok(commands.includes("deno task run"), "the quick start runs a cluster");
  assert.ok(commands.includes("deno task analyze logs/run_*/*.log"), "and analyzes it");
  const dir = Deno.makeTempDirSync({ prefix: "lamport_readme_" });
  try {
    copyTree(ROOT, dir);
    const ran: string[] = [];
    for (const command of commands) {
      const run = shortened(command);
      if (run === null) continue;
      const out = await new Deno.Command("sh", {
        args: ["-c", run],
        cwd: dir,
        stdin: "null",
        env: { NO_COLOR: "1" },
      }).output();
      const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
      assert.equal(out.code, 0, `${run} exited ${out.code}:\n${text.slice(-3000)}`);
      if (run.startsWith("deno task analyze")) assert.match(text, /verified/i, run);
      ran.push(run);
    }
    assert.ok(ran.length >= 8, `ran ${ran.length} commands: ${ran.join("; ")}`);
    const runs = [...Deno.readDirSync(`${dir}/logs`)].filter((e) => e.name.startsWith("run_"));
    assert.ok(runs.length >= 4, `the runs made: ${runs.map((e) => e.name).join(", ")}`);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
