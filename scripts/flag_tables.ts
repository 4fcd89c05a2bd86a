/**
 * Rewrites the flag tables of README.md and docs/*.md from the flag tables in `lib/cli/`
 * (each after a `<!-- flags: <program> -->` line), then formats the files.
 *
 * ```sh
 * deno run --allow-read=. --allow-write=README.md,docs --allow-run=deno scripts/flag_tables.ts
 * ```
 *
 * @module
 */
import { unpadTables, updateFlagTables } from "../lib/cli/flag_help.ts";
import { FLAG_TABLES } from "../lib/cli/flags.ts";

const ROOT = new URL("../", import.meta.url);
const files = [
  "README.md",
  ...[...Deno.readDirSync(new URL("docs/", ROOT))]
    .filter((e) => e.isFile && e.name.endsWith(".md")).map((e) => `docs/${e.name}`),
];
const changed: string[] = [];
for (const file of files) {
  const url = new URL(file, ROOT);
  const before = Deno.readTextFileSync(url);
  const after = updateFlagTables(before, FLAG_TABLES);
  if (unpadTables(after) !== unpadTables(before)) {
    Deno.writeTextFileSync(url, after);
    changed.push(file);
  }
}
if (changed.length > 0) {
  await new Deno.Command("deno", { args: ["fmt", ...changed], cwd: ROOT }).output();
}
console.log(changed.length === 0 ? "Flag tables: up to date" : `Rewrote ${changed.join(", ")}`);
