/**
 * Entry point of a trial worker (a Deno Worker with the permissions of the process that
 * started it, never more). It takes one job at a time — run a trial: simulate or read its logs,
 * analyze them, write the summaries and the SVG chart (no PNG: the PNG renderer is never loaded
 * here) — and answers `{ id, ok, value }` or `{ id, ok: false, error }`.
 *
 * @module
 */
import { errorMessage } from "../core/errors.ts";
import type { Job } from "./pool.ts";
import { runTrial } from "./trial.ts";

/** Runs one job. */
async function handle(job: Job): Promise<unknown> {
  return await runTrial(job.spec, job);
}

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<{ id: number; job: Job }>) => void) | null;
  postMessage(message: unknown): void;
};

scope.onmessage = async (e) => {
  const { id, job } = e.data;
  try {
    scope.postMessage({ id, ok: true, value: await handle(job) });
  } catch (err) {
    scope.postMessage({ id, ok: false, error: errorMessage(err) });
  }
};
