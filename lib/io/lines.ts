/**
 * Text lines from a byte stream (the control protocol between `run_machine` and its nodes):
 * `TextDecoderStream` then {@linkcode LineStream}, the one line splitter of the project's
 * streams (the wire format has its own, byte-exact `LineDecoder` in `lib/core`).
 *
 * @module
 */

/**
 * Splits text into lines: `\n` or `\r\n` ends a line (not part of it); text after the last
 * newline is a line of its own at the end. A line longer than `maxLineChars` is cut there and
 * passed on in pieces, so memory stays bounded whatever the input.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LineStream } from "./lines.ts";
 * const out: string[] = [];
 * await ReadableStream.from(["a\nb", "c\r\n", "\nd"])
 *   .pipeThrough(new LineStream())
 *   .pipeTo(new WritableStream({ write: (l) => void out.push(l) }));
 * assert.deepEqual(out, ["a", "bc", "", "d"]);
 * ```
 */
export class LineStream extends TransformStream<string, string> {
  /** `maxLineChars`: longest line passed on whole; default 1 MiB of text. */
  constructor(options: { maxLineChars?: number } = {}) {
    const max = options.maxLineChars ?? 1 << 20;
    let buffered = "";
    super({
      transform(chunk, controller) {
        buffered += chunk;
        let nl: number;
        while ((nl = buffered.indexOf("\n")) !== -1) {
          controller.enqueue(buffered.slice(0, nl).replace(/\r$/, ""));
          buffered = buffered.slice(nl + 1);
        }
        while (buffered.length > max) {
          controller.enqueue(buffered.slice(0, max));
          buffered = buffered.slice(max);
        }
      },
      flush(controller) {
        if (buffered !== "") controller.enqueue(buffered.replace(/\r$/, ""));
      },
    });
  }
}

/**
 * The lines of a UTF-8 byte stream (see {@linkcode LineStream}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readLines } from "./lines.ts";
 * const bytes = ReadableStream.from([new TextEncoder().encode("start 5\nstart 6\n")]);
 * assert.deepEqual(await Array.fromAsync(readLines(bytes)), ["start 5", "start 6"]);
 * ```
 */
export function readLines(
  stream: ReadableStream<Uint8Array>,
  options: { maxLineChars?: number } = {},
): ReadableStream<string> {
  return stream.pipeThrough(new TextDecoderStream()).pipeThrough(new LineStream(options));
}
