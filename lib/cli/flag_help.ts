/**
 * The `--help` text and the docs' flag table of a program, both made from its flag table, so
 * the ranges and defaults they show are the ones the parser enforces.
 *
 * @module
 */
import type { FlagTable } from "./flag_parse.ts";
import { describeDefault, describeRange, type FlagSpec } from "./flag_values.ts";

/** Width of `--help` text. */
const WIDTH = 96;

/**
 * How a flag is written: `--rate R`, `-h, --help`, `--logs-dir DIR, --logs_dir DIR`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { flagUsage } from "./flag_help.ts";
 * assert.equal(flagUsage({ name: "rate", kind: "number", arg: "R", help: "", scope: "node" }), "--rate R");
 * assert.equal(flagUsage({ name: "help", kind: "boolean", short: "h", help: "", scope: "cli" }), "-h, --help");
 * ```
 */
export function flagUsage(spec: FlagSpec): string {
  const arg = spec.kind === "boolean" ? "" : ` ${spec.arg ?? "VALUE"}`;
  const names = [spec.name, ...(spec.aliases ?? [])].map((n) => `--${n}${arg}`);
  return [...(spec.short ? [`-${spec.short}`] : []), ...names].join(", ");
}

/**
 * A flag's description with its range: `fixed clock rate (a number > 0 and <= 1000000)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { flagMeaning } from "./flag_help.ts";
 * assert.equal(
 *   flagMeaning({ name: "die-sides", kind: "integer", min: 3, help: "sides of the action die", scope: "shared" }),
 *   "sides of the action die (an integer >= 3)",
 * );
 * ```
 */
export function flagMeaning(spec: FlagSpec, options: { doc?: boolean } = {}): string {
  const text = options.doc ? spec.doc ?? spec.help : spec.help;
  const range = describeRange(spec);
  return range === "" ? text : `${text} (${range})`;
}

/**
 * The `--help` text: `usage`, `intro`, the flags by group, `outro`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatHelp } from "./flag_help.ts";
 * const text = formatHelp({
 *   program: "demo.ts",
 *   flags: [{ name: "count", kind: "integer", arg: "N", min: 1, max: 9, default: 3, help: "nodes", scope: "cli" }],
 * }, { usage: "Usage: demo.ts [options]" });
 * assert.equal(text, "Usage: demo.ts [options]\n\nOptions:\n  --count N  nodes (an integer 1..9); default 3\n");
 * ```
 */
export function formatHelp(
  table: FlagTable,
  options: { usage: string; intro?: string; outro?: string },
): string {
  const left = table.flags.map(flagUsage);
  const column = Math.min(22, Math.max(...left.map((l) => l.length))) + 4;
  const groups: string[] = [];
  for (const f of table.flags) {
    if (!groups.includes(f.group ?? "Options")) groups.push(f.group ?? "Options");
  }
  const parts = [options.usage];
  if (options.intro) parts.push(options.intro);
  for (const g of groups) {
    const lines = [`${g}:`];
    table.flags.forEach((f, i) => {
      if ((f.group ?? "Options") !== g) return;
      const def = describeDefault(f);
      const text = flagMeaning(f) +
        (f.required ? "; required" : def === "" ? "" : `; default ${def}`);
      const head = `  ${left[i]}`.padEnd(column - 2) + "  ";
      lines.push(...wrap(head, text, column));
    });
    parts.push(lines.join("\n"));
  }
  if (options.outro) parts.push(options.outro);
  return parts.join("\n\n") + "\n";
}

/** `head` then `text` wrapped at {@link WIDTH}, continuation lines indented to `column`. */
function wrap(head: string, text: string, column: number): string[] {
  const lines: string[] = [];
  let line = head;
  for (const word of text.split(" ")) {
    const fresh = line.trim() === "" || line === head;
    if (!fresh && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = " ".repeat(column) + word;
    } else line += (line === head ? "" : " ") + word;
  }
  lines.push(line);
  return lines;
}

/**
 * The docs' flag table in markdown (`| flag | default | meaning |`), one row per flag.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { flagsMarkdown } from "./flag_help.ts";
 * const md = flagsMarkdown({
 *   program: "demo.ts",
 *   flags: [{ name: "count", kind: "integer", arg: "N", min: 1, max: 9, default: 3, help: "nodes", scope: "cli" }],
 * });
 * assert.equal(md.split("\n")[2], "| `--count N` | 3 | nodes (an integer 1..9) |");
 * ```
 */
export function flagsMarkdown(table: FlagTable): string {
  const rows = table.flags.map((f) => [
    flagUsage(f).split(", ").map((u) => `\`${u}\``).join(", "),
    markdownDefault(f),
    flagMeaning(f, { doc: true }).replaceAll("|", "\\|"),
  ]);
  return [["flag", "default", "meaning"], ["---", "---", "---"], ...rows]
    .map((r) => `| ${r.join(" | ")} |`).join("\n") + "\n";
}

/** The default as the docs show it: literal values as code, booleans "off". */
function markdownDefault(spec: FlagSpec): string {
  if (spec.kind === "boolean") return spec.name === "help" ? "" : "off";
  const text = describeDefault(spec);
  return typeof spec.default === "string" || text.includes("<") ? `\`${text}\`` : text;
}

/** Marks the flag table of a program in a markdown file: `<!-- flags: machine.ts -->`. */
const MARKER = /^<!-- flags: (\S+) -->$/;

/**
 * `markdown` with the table after each `<!-- flags: <program> -->` line replaced by
 * {@linkcode flagsMarkdown} of that program's table (`scripts/flag_tables.ts` writes it; a test
 * checks the docs against it). Throws for a marker naming no known program.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { updateFlagTables } from "./flag_help.ts";
 * const table = {
 *   program: "demo.ts",
 *   flags: [{ name: "quiet", kind: "boolean", help: "no output", scope: "cli" }],
 * } as const;
 * const md = "# Flags\n\n<!-- flags: demo.ts -->\n\n| old |\n| --- |\n\nMore.\n";
 * assert.equal(
 *   updateFlagTables(md, { "demo.ts": table }),
 *   "# Flags\n\n<!-- flags: demo.ts -->\n\n| flag | default | meaning |\n| --- | --- | --- |\n" +
 *     "| `--quiet` | off | no output |\n\nMore.\n",
 * );
 * ```
 */
export function updateFlagTables(markdown: string, tables: Record<string, FlagTable>): string {
  const lines = markdown.split("\n");
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    out.push(lines[i]);
    const m = MARKER.exec(lines[i].trim());
    if (m === null) continue;
    const table = tables[m[1]];
    if (table === undefined) {
      throw new Error(
        `Cannot update the flag table "${m[1]}" as no such program has flags: current programs ` +
          `are ${Object.keys(tables).join(", ")}`,
      );
    }
    let j = i + 1;
    while (j < lines.length && lines[j].trim() === "") j++;
    while (j < lines.length && lines[j].trimStart().startsWith("|")) j++;
    out.push("", ...flagsMarkdown(table).trimEnd().split("\n"));
    i = j - 1;
  }
  return out.join("\n");
}

/**
 * `markdown` with the padding of its table rows removed, so two renderings of the same tables
 * compare equal whatever `deno fmt` did to their column widths.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { unpadTables } from "./flag_help.ts";
 * assert.equal(unpadTables("| a   | b |\n| --- | - |\ntext  here"), "| a | b |\n| --- | --- |\ntext  here");
 * ```
 */
export function unpadTables(markdown: string): string {
  return markdown.split("\n").map((line) =>
    line.trimStart().startsWith("|")
      ? line.trim().split(/(?<!\\)\|/).map((c) => c.trim().replace(/^:?-+:?$/, "---"))
        .join(" | ").trim()
      : line
  ).join("\n");
}
