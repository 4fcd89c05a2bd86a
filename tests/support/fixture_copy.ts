/**
 * Copies of the hand-made log fixtures with edits, in a temporary directory, so a test can cut,
 * drop or append lines without keeping near-identical fixture files.
 */

/** An edit of one log file's lines (without newlines); return the new text (lines joined). */
export type LogEdit = (lines: string[]) => string;

/** Cuts the last line in the middle (a node killed mid-write): no final newline. */
export const cutLastLine: LogEdit = (lines) =>
  lines.slice(0, -1).join("\n") + "\n" + lines.at(-1)!.slice(0, 40);

/** Drops the last `n` lines. */
export function dropLast(n: number): LogEdit {
  return (lines) => lines.slice(0, -n).join("\n") + "\n";
}

/** Replaces text in the last line. */
export function editLast(from: string, to: string): LogEdit {
  return (lines) => [...lines.slice(0, -1), lines.at(-1)!.replace(from, to)].join("\n") + "\n";
}

/** Appends lines. */
export function append(...extra: string[]): LogEdit {
  return (lines) => [...lines, ...extra].join("\n") + "\n";
}

/**
 * Copies `fixture` (a directory of `*.log`) into a fresh temporary directory, applies `edits`
 * (by file name), runs `fn` on the copy and removes it.
 */
export async function withEditedRun(
  fixture: string,
  edits: Record<string, LogEdit>,
  fn: (dir: string) => void | Promise<void>,
): Promise<void> {
  const dir = Deno.makeTempDirSync({ prefix: "analyze_fixture_" });
  try {
    for (const e of Deno.readDirSync(fixture)) {
      if (!e.isFile || !e.name.endsWith(".log")) continue;
      const text = Deno.readTextFileSync(`${fixture}/${e.name}`);
      const edit = edits[e.name];
      const lines = text.split("\n").filter((l) => l !== "");
      Deno.writeTextFileSync(`${dir}/${e.name}`, edit ? edit(lines) : text);
    }
    for (const name of Object.keys(edits)) {
      try {
        Deno.statSync(`${dir}/${name}`);
      } catch {
        throw new Error(`Cannot edit ${name}: it is not in ${fixture}`);
      }
    }
    await fn(dir);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}
