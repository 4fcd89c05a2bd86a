/**
 * Every module of `lib/` is exercised on its own: imported by a test here, or by a runnable
 * example in its own JSDoc (`deno test --doc`, part of `deno task test`). Modules that hold
 * only types have nothing to run; the report page's browser modules are bundled by
 * `report_bundle_test.ts` and run in Chromium by `report_browser_test.ts`.
 */
import assert from "node:assert/strict";

const ROOT = new URL("../", import.meta.url);

function walk(dir: URL, prefix: string): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(dir)) {
    if (e.isDirectory) out.push(...walk(new URL(`${e.name}/`, dir), `${prefix}${e.name}/`));
    else if (e.name.endsWith(".ts")) out.push(`${prefix}${e.name}`);
  }
  return out.sort();
}

function read(path: string): string {
  return Deno.readTextFileSync(new URL(path, ROOT));
}

/** The lib/ modules a test file names: imports, dynamic imports, worker URLs. */
function namedBy(testPath: string): string[] {
  const source = read(testPath);
  const specs = [
    ...source.matchAll(/(?:^|\n)\s*(?:import|export)[^;]*?from\s*"([^"]+)"/g),
    ...source.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g),
    ...source.matchAll(/new URL\(\s*"([^"]+\.ts)"\s*,\s*import\.meta\.url\s*\)/g),
  ].map((m) => m[1]).filter((s) => s.startsWith("."));
  return specs.map((s) => new URL(s, new URL(testPath, ROOT)).pathname)
    .map((p) => p.slice(ROOT.pathname.length));
}

/** Whether one of the module's own runnable examples imports it. */
function hasRunnableExample(path: string): boolean {
  const source = read(path), name = path.slice(path.lastIndexOf("/") + 1);
  return [...source.matchAll(/```ts\n([\s\S]*?)```/g)]
    .some((m) => m[1].includes(`from "./${name}"`));
}

/** Whether the module declares only types (nothing to run). */
function typesOnly(path: string): boolean {
  const code = read(path).replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
  return !/^(export\s+)?(const|let|var|function|class|async|enum|default)\b|^export\s*\*|^export\s*\{/m
    .test(code);
}

const LIB = walk(new URL("lib/", ROOT), "lib/");
const TESTS = walk(new URL("tests/", ROOT), "tests/");

Deno.test("every lib/ module is imported by a test or by its own runnable example", () => {
  const imported = new Set(TESTS.flatMap(namedBy));
  const bundled = read("tests/report_bundle_test.ts").includes("bundleClient()");
  const uncovered = LIB.filter((m) =>
    !imported.has(m) && !hasRunnableExample(m) && !typesOnly(m) &&
    !(bundled && m.startsWith("lib/report/client/"))
  );
  assert.deepEqual(
    uncovered,
    [],
    `not exercised on their own (import them in a focused test, or give them a runnable @example): ${
      uncovered.join(", ")
    }`,
  );
});

Deno.test("the coverage rule sees what it should: test imports, examples, type-only modules", () => {
  assert.ok(namedBy("tests/tcp_link_test.ts").includes("lib/node/tcp_link.ts"));
  assert.ok(namedBy("tests/experiment_parts_test.ts").includes("lib/experiment/trial_worker.ts"));
  assert.ok(hasRunnableExample("lib/analysis/_message_ledger.ts"));
  assert.ok(!hasRunnableExample("lib/node/tcp_link.ts")); // its example is `ts ignore`
  assert.ok(typesOnly("lib/analysis/_chart_types.ts"));
  assert.ok(!typesOnly("lib/analysis/_format.ts"));
  assert.ok(LIB.length > 100, `${LIB.length} modules found`);
});
