/**
 * Prints the directory of Deno's npm cache (where the PNG renderer's native addon lives), for
 * the `experiment` tasks' `--allow-read`: `$DENO_DIR/npm` when DENO_DIR is set, else the npm
 * folder of Deno's cache in the system's cache directory (`$XDG_CACHE_HOME` or `~/.cache` on
 * Linux, `~/Library/Caches` on macOS, `%LOCALAPPDATA%` on Windows) — the place `deno info`
 * shows as "npm modules cache".
 *
 * Usage: `deno run --allow-env=DENO_DIR,XDG_CACHE_HOME,HOME,LOCALAPPDATA scripts/npm_cache_dir.ts`
 *
 * @module
 */

/**
 * Deno's npm cache directory for the environment `env` on `os`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { npmCacheDir } from "./npm_cache_dir.ts";
 * const env = (vars: Record<string, string>) => (k: string) => vars[k];
 * assert.equal(npmCacheDir(env({ HOME: "/home/a" }), "linux"), "/home/a/.cache/deno/npm");
 * assert.equal(npmCacheDir(env({ DENO_DIR: "/d", HOME: "/h" }), "linux"), "/d/npm");
 * assert.equal(npmCacheDir(env({ HOME: "/Users/a" }), "darwin"), "/Users/a/Library/Caches/deno/npm");
 * assert.equal(npmCacheDir(env({ LOCALAPPDATA: "C:\\L" }), "windows"), "C:\\L\\deno\\npm");
 * ```
 */
export function npmCacheDir(env: (name: string) => string | undefined, os: string): string {
  const sep = os === "windows" ? "\\" : "/";
  const denoDir = env("DENO_DIR");
  if (denoDir) return `${denoDir}${sep}npm`;
  const cache = os === "windows"
    ? env("LOCALAPPDATA")
    : os === "darwin"
    ? `${env("HOME") ?? ""}/Library/Caches`
    : env("XDG_CACHE_HOME") || `${env("HOME") ?? ""}/.cache`;
  return [cache, "deno", "npm"].join(sep);
}

if (import.meta.main) console.log(npmCacheDir((k) => Deno.env.get(k), Deno.build.os));
