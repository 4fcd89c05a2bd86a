/**
 * The layout is the architecture: `lib/core/` does no I/O, every folder imports only the
 * folders below it, and nothing imports in a circle.
 */
import assert from "node:assert/strict";

const LIB = new URL("../lib/", import.meta.url);

/** What each folder of `lib/` may import (besides itself and npm packages). */
const ALLOWED: Record<string, string[]> = {
  core: [],
  io: ["core"],
  auth: ["core"],
  node: ["core", "io", "auth"],
  sim: ["core", "io"],
  analysis: ["core", "io", "causality"],
  report: ["core", "io", "causality", "analysis"],
  causality: ["core"],
  cluster: ["core", "io", "sim", "auth"],
  experiment: ["core", "io", "sim", "analysis", "cluster"],
  cli: [
    "core",
    "io",
    "auth",
    "node",
    "sim",
    "cluster",
    "analysis",
    "experiment",
    "causality",
    "report",
  ],
};

interface Module {
  path: string; // relative to lib/, e.g. "core/clock.ts"
  imports: string[]; // specifiers as written
  code: string; // source without comments
}

function listModules(dir: URL, prefix = ""): Module[] {
  const out: Module[] = [];
  for (const e of Deno.readDirSync(dir)) {
    if (e.isDirectory) out.push(...listModules(new URL(`${e.name}/`, dir), `${prefix}${e.name}/`));
    else if (e.name.endsWith(".ts")) {
      const source = Deno.readTextFileSync(new URL(e.name, dir));
      const code = stripComments(source);
      const imports = [...code.matchAll(/(?:^|\n)\s*(?:import|export)[^;]*?from\s*"([^"]+)"/g)]
        .map((m) => m[1]);
      for (const m of code.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g)) imports.push(m[1]);
      out.push({ path: `${prefix}${e.name}`, imports, code });
    }
  }
  return out;
}

/** Drops block and line comments (JSDoc examples may mention `Deno.` freely). */
function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
}

function resolve(from: string, spec: string): string {
  const base = new URL(`file:///lib/${from}`);
  return new URL(spec, base).pathname.replace(/^\/lib\//, "");
}

const modules = listModules(LIB);

Deno.test("lib/core/ does no I/O: no Deno.*, no timers, no imports outside core/", () => {
  const core = modules.filter((m) => m.path.startsWith("core/"));
  assert.ok(core.length >= 7, `expected the core modules, found ${core.length}`);
  const problems: string[] = [];
  for (const m of core) {
    for (const word of ["Deno.", "setTimeout", "setInterval", "fetch("]) {
      if (m.code.includes(word)) problems.push(`${m.path} uses ${word}`);
    }
    for (const spec of m.imports) {
      if (!spec.startsWith(".") || !resolve(m.path, spec).startsWith("core/")) {
        problems.push(`${m.path} imports ${spec}`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

Deno.test("every lib/ folder imports only the folders below it (no upward imports)", () => {
  const problems: string[] = [];
  for (const m of modules) {
    const folder = m.path.split("/")[0];
    const allowed = ALLOWED[folder];
    if (allowed === undefined) {
      problems.push(`${m.path}: folder ${folder}/ has no place in the layer table`);
      continue;
    }
    for (const spec of m.imports) {
      if (!spec.startsWith(".")) continue;
      const target = resolve(m.path, spec).split("/")[0];
      if (target !== folder && !allowed.includes(target)) {
        problems.push(`${m.path} imports ${spec} (${folder}/ may import ${allowed.join(", ")})`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

Deno.test("no lib/ module imports another in a circle", () => {
  const graph = new Map(modules.map((m) => [
    m.path,
    m.imports.filter((s) => s.startsWith(".")).map((s) => resolve(m.path, s)),
  ]));
  const state = new Map<string, "visiting" | "done">();
  const cycles: string[] = [];
  const visit = (path: string, stack: string[]) => {
    if (state.get(path) === "done") return;
    if (state.get(path) === "visiting") {
      cycles.push([...stack.slice(stack.indexOf(path)), path].join(" -> "));
      return;
    }
    state.set(path, "visiting");
    for (const next of graph.get(path) ?? []) visit(next, [...stack, path]);
    state.set(path, "done");
  };
  for (const path of graph.keys()) visit(path, []);
  assert.deepEqual(cycles, []);
});

Deno.test("no source file has grown past 300 lines", () => {
  const long = modules
    .map((m) => ({ path: m.path, lines: Deno.readTextFileSync(new URL(m.path, LIB)).split("\n") }))
    .filter((m) => m.lines.length > 320)
    .map((m) => `${m.path}: ${m.lines.length} lines`);
  assert.deepEqual(long, []);
});
